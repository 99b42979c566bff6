# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    # Leads are linked through opportunity_id too (crm only offers opportunities).
    opportunity_id = fields.Many2one(
        domain="[('type', 'in', ('lead', 'opportunity'))]",
        string="Lead / Opportunity",
    )
    crm_state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Event status",
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )

    @api.model
    def _crm_lead_link_values(self, vals):
        """An event linked to a lead by res_model/res_id is linked by
        opportunity_id too, so that the lead's event dates follow it (EVT-7)."""
        model_id = vals.get("res_model_id")
        if (
            vals.get("res_id")
            and "opportunity_id" not in vals
            and model_id
            and model_id == self.env["ir.model"]._get_id("crm.lead")
        ):
            return {"opportunity_id": vals["res_id"]}
        return {}

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [
            dict(vals, **self._crm_lead_link_values(vals)) for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        return super().write(dict(vals, **self._crm_lead_link_values(vals)))
