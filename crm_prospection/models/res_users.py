# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    # Never `agency_id` here: users inherit their partner's agency_id (_inherits).
    crm_agency_ids = fields.Many2many(
        "crm.agency",
        "crm_agency_res_users_rel",
        "user_id",
        "agency_id",
        string="Agencies",
    )
    default_agency_id = fields.Many2one(
        "crm.agency",
        string="Default agency",
        compute="_compute_default_agency_id",
        help="The agency new leads and partners of this user get: the first of the "
        "user's agencies in the current company.",
    )

    @api.depends("crm_agency_ids")
    @api.depends_context("company")
    def _compute_default_agency_id(self):
        company = self.env.company
        for user in self:
            agencies = user.crm_agency_ids.sorted(lambda a: (a.name or "", a.id))
            user.default_agency_id = agencies.filtered(
                lambda a, company=company: a.company_id == company
            )[:1]
