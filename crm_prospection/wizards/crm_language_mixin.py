# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmLanguageMixin(models.AbstractModel):
    """A language chosen among the installed ones (MAIL-1, CONV-2): the
    selection offers them, and a code sent by other means than the selection
    (the API, an import) is refused clearly when it is not installed."""

    _name = "crm.language.mixin"
    _description = "Language among the installed ones"

    lang = fields.Selection("_get_languages", string="Language")

    @api.model
    def _get_languages(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("lang")
    def _check_lang(self):
        installed = dict(self._get_languages())
        for record in self.filtered("lang"):
            if record.lang not in installed:
                raise ValidationError(
                    self.env._("The language %s is not installed.", record.lang)
                )
