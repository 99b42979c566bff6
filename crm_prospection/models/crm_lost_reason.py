# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    require_feedback = fields.Boolean(
        string="Requires an explanation",
        help="Marking a lead lost with this reason asks for a free-text explanation.",
    )
