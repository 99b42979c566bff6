from . import crm_lead_lost
from . import crm_lead_mass_update
from . import crm_lead_convert
