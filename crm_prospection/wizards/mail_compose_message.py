# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _get_blacklist_record_ids(self, mail_values_dict, recipients_info=None):
        """MAIL-3: mass mailings skip the records flagged “Do not e-mail”, which
        Odoo then marks cancelled like blacklisted ones."""
        excluded = super()._get_blacklist_record_ids(
            mail_values_dict, recipients_info=recipients_info
        )
        if self.composition_mode == "mass_mail" and self.model:
            Model = self.env[self.model]
            if "do_not_email" in Model._fields:
                excluded.update(
                    Model.browse(mail_values_dict.keys()).filtered("do_not_email").ids
                )
        return excluded
