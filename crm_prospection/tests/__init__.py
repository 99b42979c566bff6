from . import test_settings
from . import test_lead_status
from . import test_agency
