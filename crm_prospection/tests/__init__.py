from . import test_settings
from . import test_lead_status
from . import test_agency
from . import test_catalog
from . import test_city_import
from . import test_map
from . import test_envelope
from . import test_ui
