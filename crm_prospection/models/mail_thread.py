# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post(self, *, partner_ids=None, outgoing_email_to=False, **kwargs):
        """MAIL-3: nothing is e-mailed to a person flagged “Do not e-mail”."""
        if kwargs.get("message_type", "notification") == "comment":
            self._crm_check_do_not_email(partner_ids, outgoing_email_to, kwargs)
        return super().message_post(
            partner_ids=partner_ids, outgoing_email_to=outgoing_email_to, **kwargs
        )

    def _crm_check_do_not_email(self, partner_ids, outgoing_email_to, kwargs):
        subtype_xmlid = kwargs.get("subtype_xmlid")
        subtype = (
            self.env.ref(subtype_xmlid, raise_if_not_found=False)
            if subtype_xmlid
            else self.env["mail.message.subtype"].browse(kwargs.get("subtype_id"))
        )
        if not subtype or subtype.internal:
            return  # an internal note e-mails nobody outside
        recipients = self.env["res.partner"].sudo().browse(partner_ids or [])
        refused = recipients.filtered("do_not_email").mapped("display_name")
        external = recipients.filtered(lambda partner: not partner.user_ids) or (
            outgoing_email_to
        )
        if "do_not_email" in self._fields and external:
            refused += self.filtered("do_not_email").mapped("display_name")
        if refused:
            raise UserError(
                self.env._(
                    "%s asked not to receive e-mails (Do not e-mail): the message "
                    "was not sent.",
                    ", ".join(refused),
                )
            )
