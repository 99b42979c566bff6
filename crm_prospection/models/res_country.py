# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Where Odoo's states (or the country's addresses) are GeoNames' second level:
# French departments; Spanish, Italian and Belgian provinces, whose codes are
# those of Odoo's states.
SECOND_LEVEL_COUNTRIES = {"FR", "ES", "IT", "BE"}


class ResCountry(models.Model):
    _inherit = "res.country"

    geonames_state_level = fields.Selection(
        [
            ("1", "First level (e.g. region)"),
            ("2", "Second level (e.g. department, province)"),
        ],
        string="GeoNames level of states",
        compute="_compute_geonames_state_level",
        store=True,
        readonly=False,
        required=True,
        help="Which administrative level of the GeoNames postal-code files becomes "
        "the state of the cities imported for this country (GEO-1). France uses its "
        "departments (second level), as French addresses do; choose it before the "
        "first import.",
    )

    @api.depends("code")
    def _compute_geonames_state_level(self):
        """A computed default: every country has its level as soon as the field
        exists, on install as on upgrade, and it stays editable."""
        for country in self:
            if not country.geonames_state_level:
                country.geonames_state_level = (
                    "2" if country.code in SECOND_LEVEL_COUNTRIES else "1"
                )
