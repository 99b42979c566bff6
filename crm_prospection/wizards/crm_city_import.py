# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmCityImport(models.TransientModel):
    """The GeoNames import under the technical name scripts and integrations call
    (``mode``, ``country_ids``, ``file``, ``filename``, ``action_import()``).

    It is the OCA's wizard, with its set-based import, by prototype inheritance:
    users open the OCA's one form and menu, this model has neither (GEO-2).
    """

    _name = "crm.city.import"
    _inherit = "city.zip.geonames.import"
    _description = "Import cities from GeoNames"
