from . import crm_lead_wizard_mixin
from . import crm_lead_lost
from . import crm_lead_mass_update
from . import crm_lead_convert
from . import crm_email_wizard
from . import mail_compose_message
from . import crm_city_import
from . import crm_pipeline_tracking
