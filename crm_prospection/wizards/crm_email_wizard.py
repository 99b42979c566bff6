# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmEmailWizard(models.TransientModel):
    """MAIL-1: “Create an e-mail”: choose the language and a template made for the
    record's model, then write and send it from Odoo's composer."""

    _name = "crm.email.wizard"
    _description = "Create an e-mail"
    _inherit = ["crm.language.mixin"]

    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    lang = fields.Selection(required=True)
    template_id = fields.Many2one(
        "mail.template",
        domain="[('model', '=', res_model)]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        Model = self.env.get(values.get("res_model") or "crm.lead")
        record = (
            Model.browse(values.get("res_id")).exists() if Model is not None else []
        )
        if record and "lang" in fields_list and not values.get("lang"):
            if record._name == "crm.lead":
                lang = record._crm_partner_lang()
            else:
                company = ("company_id" in record._fields and record.company_id) or (
                    self.env.company
                )
                lang = record.lang or company._crm_partner_lang_for(self.env.user)
            values["lang"] = lang or self.env.lang
        return values

    def action_compose(self):
        self.ensure_one()
        Model = self.env.get(self.res_model)
        if Model is None or not hasattr(Model, "message_post"):
            raise UserError(
                self.env._(
                    "No e-mail can be written about a record of '%s'.",
                    self.res_model,
                )
            )
        record = Model.browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("The record to write about no longer exists."))
        if self.template_id and self.template_id.model != self.res_model:
            raise UserError(
                self.env._(
                    "The template %(template)s is made for another kind of record "
                    "than %(record)s.",
                    template=self.template_id.name,
                    record=record.display_name,
                )
            )
        if "do_not_email" in record._fields and record.do_not_email:
            raise UserError(
                self.env._(
                    "%s asked not to receive e-mails (Do not e-mail).",
                    record.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create an e-mail"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self.res_model,
                "default_res_ids": [self.res_id],
                "default_composition_mode": "comment",
                "default_template_id": self.template_id.id,
                "default_email_layout_xmlid": "mail.mail_notification_layout",
                # Odoo renders the template in the recipient's language; the
                # composer itself stays in the user's.
                "template_preview_lang": self.lang,
            },
        }
