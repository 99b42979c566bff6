# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmRegion(models.Model):
    """A region of a country, above its states (GEO-1): for France the région
    (GeoNames' first level), its départements being Odoo's states."""

    _name = "crm.region"
    _description = "Region"
    _order = "country_id, name, id"

    name = fields.Char(required=True)
    code = fields.Char(help="The region's code, as GeoNames gives it.")
    country_id = fields.Many2one(
        "res.country", required=True, index=True, ondelete="cascade"
    )
    state_ids = fields.One2many("res.country.state", "crm_region_id", string="States")
    state_count = fields.Integer(
        string="Number of States", compute="_compute_state_count"
    )

    _unique_code_per_country = models.UniqueIndex(
        "(country_id, upper(code)) WHERE code IS NOT NULL",
        "A region code must be unique within its country.",
    )

    @api.depends("state_ids")
    def _compute_state_count(self):
        counts = dict(
            self.env["res.country.state"]._read_group(
                [("crm_region_id", "in", self.ids)], ["crm_region_id"], ["__count"]
            )
        )
        for region in self:
            region.state_count = counts.get(region, 0)
