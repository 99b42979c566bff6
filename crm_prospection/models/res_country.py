# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCountry(models.Model):
    _inherit = "res.country"

    geonames_state_level = fields.Selection(
        [
            ("1", "First level (e.g. region)"),
            ("2", "Second level (e.g. department, province)"),
        ],
        string="GeoNames level of states",
        default="1",
        required=True,
        help="Which administrative level of the GeoNames postal-code files becomes "
        "the state of the cities imported for this country (GEO-1). France uses its "
        "departments (second level), as French addresses do; choose it before the "
        "first import.",
    )
