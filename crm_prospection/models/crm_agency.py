# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmAgency(models.Model):
    """A branch of a company (PART-8): groups its members, leads and partners."""

    _name = "crm.agency"
    _description = "Agency"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(help="Short code used in lists and reports.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_ids = fields.Many2many(
        "res.users",
        "crm_agency_res_users_rel",
        "agency_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    active = fields.Boolean(default=True)
    # Issue 27: where its salespeople's days of visits start and end.
    partner_id = fields.Many2one(
        "res.partner",
        string="Address",
        check_company=True,
        help="The agency's address: where its salespeople's tours start and end.",
    )

    _unique_code_per_company = models.UniqueIndex(
        "(company_id, code) WHERE code IS NOT NULL",
        "An agency code must be unique within its company.",
    )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for agency in self:
            agency.display_name = (
                f"[{agency.code}] {agency.name}" if agency.code else agency.name
            )
