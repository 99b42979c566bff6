# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCountryState(models.Model):
    _inherit = "res.country.state"

    # GEO-1: the region a state (a French département) belongs to.
    crm_region_id = fields.Many2one(
        "crm.region",
        string="Region",
        index="btree_not_null",
        ondelete="set null",
        domain="[('country_id', '=', country_id)]",
    )
