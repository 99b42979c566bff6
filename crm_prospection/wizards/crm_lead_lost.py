# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class CrmLeadLost(models.TransientModel):
    """Odoo's lost wizard, stricter for leads (STAT-4): a reason is required and,
    when the reason says so, an explanation."""

    _inherit = "crm.lead.lost"

    requires_reason = fields.Boolean(compute="_compute_requires_reason")
    require_feedback = fields.Boolean(related="lost_reason_id.require_feedback")

    @api.depends("lead_ids.type")
    def _compute_requires_reason(self):
        for wizard in self:
            wizard.requires_reason = any(
                lead.type == "lead" for lead in wizard.lead_ids
            )

    def action_lost_reason_apply(self):
        self.ensure_one()
        if self.requires_reason and not self.lost_reason_id:
            raise UserError(self.env._("Choose why the lead is lost."))
        if self.require_feedback and is_html_empty(self.lost_feedback):
            raise UserError(
                self.env._(
                    "The reason '%s' asks for an explanation: write it in the "
                    "closing note.",
                    self.lost_reason_id.name,
                )
            )
        return super().action_lost_reason_apply()
