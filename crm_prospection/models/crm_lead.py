# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "crm.assignable.mixin", "crm.agency.mixin"]

    lead_status_id = fields.Many2one(
        "crm.lead.status",
        string="Status",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        domain="[('share', '=', False),"
        " ('all_group_ids', 'in', crm_assignable_group_ids)]"
    )

    def _handle_salesmen_assignment(self, user_ids=False, team_id=False):
        """Automatic assignment never assigns a user CFG-1 refuses: it leaves the
        lead unassigned instead."""
        if user_ids:
            users = self.env["res.users"].browse(user_ids)
            team = self.env["crm.team"].browse(team_id)
            company = team.company_id or self.company_id[:1] or self.env.company
            user_ids = self._crm_filter_assignable(users, company).ids
        return super()._handle_salesmen_assignment(user_ids=user_ids, team_id=team_id)
