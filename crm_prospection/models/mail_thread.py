# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

# Where mail's tracking notes wait while _crm_track_in_batch collects them.
TRACKING_LOGS = "crm_prospection.tracking_logs"


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

    # ------------------------------------------------------------------
    # Tracking of a mass write, its notes created in one batch
    # ------------------------------------------------------------------

    def _crm_track_in_batch(self):
        """Log now the tracking of these records written in the transaction,
        as mail's ``_track_finalize`` does at commit: mail's
        ``_message_track`` decides every message (subtypes, bodies, authors, a
        module's override); only its notes are created together, in one
        ``_message_log_batch`` per author, instead of one by one."""
        data = self.env.cr.precommit.data
        key = f"mail.tracking.{self._name}"
        # The other records written in the transaction are tracked at commit.
        pending = data.get(key, {})
        data[key] = {id_: pending.pop(id_) for id_ in self.ids if id_ in pending}
        collected = data[TRACKING_LOGS] = []
        try:
            self._track_finalize()
        finally:
            data.pop(TRACKING_LOGS, None)
            if pending:
                data[key] = pending
        by_author = defaultdict(list)
        for record, body, author_id, tracking in collected:
            by_author[record._name, author_id].append((record, body, tracking))
        for (_model, author_id), logs in by_author.items():
            records = logs[0][0].browse([record.id for record, _body, _t in logs])
            messages = records._message_log_batch(
                {record.id: body for record, body, _tracking in logs},
                author_id=author_id,
            )
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(command[2], mail_message_id=message.id)
                    for message, (_record, _body, tracking) in zip(
                        messages, logs, strict=True
                    )
                    for command in tracking
                ]
            )

    def _message_log(self, *, body="", author_id=None, tracking_value_ids=False, **kw):
        """A tracking note logged while ``_crm_track_in_batch`` runs waits to
        be created with the others."""
        collected = self.env.cr.precommit.data.get(TRACKING_LOGS)
        if collected is None or kw or not tracking_value_ids:
            return super()._message_log(
                body=body,
                author_id=author_id,
                tracking_value_ids=tracking_value_ids,
                **kw,
            )
        collected.append((self, body, author_id, tracking_value_ids))
        return self.env["mail.message"]
