# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # MAIL-2: the e-mails tab types its rows as e-mails; mail's own message type
    # calls an e-mail sent from the chatter a "Comment".
    crm_email_kind = fields.Selection(
        [("sent", "Sent e-mail"), ("received", "Received e-mail")],
        string="E-mail",
        compute="_compute_crm_email_kind",
    )

    @api.depends("message_type")
    def _compute_crm_email_kind(self):
        for message in self:
            message.crm_email_kind = (
                "received" if message.message_type == "email" else "sent"
            )
