from . import crm_city_import
