from . import report_envelope
