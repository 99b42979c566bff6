# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Group switches: they show menus and fields for the whole database.
    group_crm_catalog = fields.Boolean(
        string="Manage catalogs", implied_group="crm_prospection.group_crm_catalog"
    )
    group_crm_agency = fields.Boolean(
        string="Manage agencies", implied_group="crm_prospection.group_crm_agency"
    )
    group_partner_subsidiary = fields.Boolean(
        string="Manage subsidiaries on partners",
        implied_group="crm_prospection.group_partner_subsidiary",
    )
    group_partner_delegation = fields.Boolean(
        string="Enable delegations between partners",
        implied_group="crm_prospection.group_partner_delegation",
    )

    # Per-company values.
    crm_assignable_users = fields.Selection(
        related="company_id.crm_assignable_users", readonly=False
    )
    crm_assignable_group_ids = fields.Many2many(
        related="company_id.crm_assignable_group_ids", readonly=False
    )
    crm_show_partner_description = fields.Boolean(
        related="company_id.crm_show_partner_description", readonly=False
    )
    crm_recurring_default_duration = fields.Integer(
        related="company_id.crm_recurring_default_duration", readonly=False
    )
    crm_event_template_id = fields.Many2one(
        related="company_id.crm_event_template_id", readonly=False
    )
    crm_task_template_id = fields.Many2one(
        related="company_id.crm_task_template_id", readonly=False
    )
    crm_meeting_template_id = fields.Many2one(
        related="company_id.crm_meeting_template_id", readonly=False
    )
    crm_call_template_id = fields.Many2one(
        related="company_id.crm_call_template_id", readonly=False
    )
    crm_meeting_date_change_template_id = fields.Many2one(
        related="company_id.crm_meeting_date_change_template_id", readonly=False
    )
    crm_meeting_guest_added_template_id = fields.Many2one(
        related="company_id.crm_meeting_guest_added_template_id", readonly=False
    )
    crm_meeting_guest_removed_template_id = fields.Many2one(
        related="company_id.crm_meeting_guest_removed_template_id", readonly=False
    )
    crm_reminder_template_id = fields.Many2one(
        related="company_id.crm_reminder_template_id", readonly=False
    )
    crm_close_opportunity_on_order = fields.Boolean(
        related="company_id.crm_close_opportunity_on_order", readonly=False
    )
    crm_map_provider = fields.Selection(
        related="company_id.crm_map_provider", readonly=False
    )
    crm_batch_threshold = fields.Integer(
        related="company_id.crm_batch_threshold", readonly=False
    )

    # The default language of new partners: Odoo's default value of the
    # partners' language, for this company.
    crm_partner_lang = fields.Selection(
        "_crm_get_languages",
        string="Default language of new partners",
        help="The language new partners of this company get when nothing else "
        "gives one (a lead's language does).",
    )

    crm_partner_lang_used = fields.Char(
        string="Language of new partners now", compute="_compute_crm_partner_lang_used"
    )

    @api.depends("crm_partner_lang", "company_id")
    def _compute_crm_partner_lang_used(self):
        """What a new partner actually gets, the database's own default named."""
        names = dict(self._crm_get_languages())
        database_default = (
            self.env["ir.default"].sudo()._get("res.partner", "lang") or "en_US"
        )
        for settings in self:
            if settings.crm_partner_lang:
                settings.crm_partner_lang_used = self.env._(
                    "Every new partner of the company speaks %(lang)s, unless its "
                    "lead or its parent company speaks another language.",
                    lang=names.get(settings.crm_partner_lang),
                )
                continue
            settings.crm_partner_lang_used = self.env._(
                "Empty: a new partner speaks the language of the user who creates "
                "it (yours: %(lang)s), unless its lead or its parent company speaks "
                "another. Odoo's database default, %(default)s, only applies to "
                "partners created by the scheduler or the portal.",
                lang=names.get(self.env.user.lang, self.env.user.lang),
                default=names.get(database_default, database_default),
            )

    @api.model
    def _crm_get_languages(self):
        return self.env["res.lang"].get_installed()

    @api.model
    def get_values(self):
        values = super().get_values()
        values["crm_partner_lang"] = self.env.company._crm_partner_lang() or False
        return values

    def set_values(self):
        result = super().set_values()
        self.company_id._crm_set_partner_lang(self.crm_partner_lang)
        return result
