# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class ResCity(models.Model):
    _inherit = "res.city"

    # A partner or lead typed without zip is placed from its city's name,
    # looked up whatever the case within its country (GEO-3); the city import
    # matches names the same way.
    _country_name_lower_idx = models.Index("(country_id, lower(name->>'en_US'))")
