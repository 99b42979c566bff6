# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmAroundSearchLine(models.TransientModel):
    """A result of "Around…": a partner or lead and its distance (issue 27)."""

    _name = "crm.around.search.line"
    _description = "Result of a search around a place"
    _order = "search_id, sequence, id"

    search_id = fields.Many2one(
        "crm.around.search", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=1)
    selected = fields.Boolean(string="Visit", default=True)
    partner_id = fields.Many2one("res.partner")
    lead_id = fields.Many2one("crm.lead")
    distance_km = fields.Float(string="Distance (km)")
    city = fields.Char(compute="_compute_details")
    phone = fields.Char(compute="_compute_details")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", compute="_compute_details"
    )
    date_last_event = fields.Datetime(string="Last event", compute="_compute_details")
    lead_status_id = fields.Many2one(
        "crm.lead.status", string="Status", related="lead_id.lead_status_id"
    )

    def _compute_details(self):
        for line in self:
            record = line.lead_id or line.partner_id
            line.city = record.city
            line.phone = record.phone
            line.user_id = record.user_id
            line.date_last_event = record.date_last_event
