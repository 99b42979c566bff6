# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models, tools
from odoo.fields import Domain

_logger = logging.getLogger(__name__)

EVENT_TEMPLATE_DOMAIN = [("model", "in", ("calendar.event", "calendar.attendee"))]


class ResCompany(models.Model):
    _inherit = "res.company"

    # CFG-1
    crm_assignable_users = fields.Selection(
        [("all", "All users"), ("groups", "Some user groups")],
        string="Assignable users",
        default="all",
        required=True,
        help="Which internal users can be assigned to leads, opportunities and "
        "partners of this company.",
    )
    crm_assignable_group_ids = fields.Many2many(
        "res.groups",
        "res_company_crm_assignable_group_rel",
        "company_id",
        "group_id",
        string="Assignable groups",
    )
    # CFG-2
    crm_show_partner_description = fields.Boolean(
        string="Show the lead's / customer's description in the opportunity",
    )
    # CFG-4
    crm_recurring_default_duration = fields.Integer(
        string="Default recurring duration (months)", default=12
    )
    # CFG-6
    crm_event_template_id = fields.Many2one(
        "mail.template", string="Event template", domain=EVENT_TEMPLATE_DOMAIN
    )
    crm_task_template_id = fields.Many2one(
        "mail.template", string="Task template", domain=EVENT_TEMPLATE_DOMAIN
    )
    crm_meeting_template_id = fields.Many2one(
        "mail.template", string="Meeting template", domain=EVENT_TEMPLATE_DOMAIN
    )
    crm_call_template_id = fields.Many2one(
        "mail.template", string="Call template", domain=EVENT_TEMPLATE_DOMAIN
    )
    crm_meeting_date_change_template_id = fields.Many2one(
        "mail.template",
        string="Meeting date changed template",
        domain=EVENT_TEMPLATE_DOMAIN,
    )
    crm_meeting_guest_added_template_id = fields.Many2one(
        "mail.template", string="Guest added template", domain=EVENT_TEMPLATE_DOMAIN
    )
    crm_meeting_guest_removed_template_id = fields.Many2one(
        "mail.template",
        string="Guest removed template",
        domain=EVENT_TEMPLATE_DOMAIN,
    )
    crm_reminder_template_id = fields.Many2one(
        "mail.template",
        string="Reminder template",
        domain=EVENT_TEMPLATE_DOMAIN,
        help="Sent by the e-mail reminders of this company's events instead of "
        "Odoo's own reminder.",
    )
    # CFG-7
    crm_close_opportunity_on_order = fields.Boolean(
        string="Close the opportunity when one of its orders is confirmed",
    )
    # CFG-9
    crm_map_provider = fields.Selection(
        [("osm", "OpenStreetMap"), ("google", "Google Maps")],
        string="Map provider",
        default="osm",
        required=True,
    )

    crm_batch_threshold = fields.Integer(
        string="Background batch threshold",
        default=1000,
        help="A mass update or a batch conversion of more leads than this runs in "
        "the background, in committed batches.",
    )

    _check_crm_recurring_default_duration = models.Constraint(
        "CHECK(crm_recurring_default_duration >= 0)",
        "The default recurring duration cannot be negative.",
    )
    _check_crm_batch_threshold = models.Constraint(
        "CHECK(crm_batch_threshold >= 0)",
        "The background batch threshold cannot be negative.",
    )

    def _crm_partner_lang(self):
        """The default language of the company's new partners (Settings), as
        Odoo keeps it: a default value of the partners' language for this
        company; ``False`` when the company has none of its own."""
        self.ensure_one()
        return self._crm_partner_lang_of(self.id)

    @api.model
    @tools.ormcache("company_id")
    def _crm_partner_lang_of(self, company_id):
        # Cached: every new partner asks (ir.default clears the cache on change).
        return (
            self.env["ir.default"]
            .sudo()
            ._get("res.partner", "lang", company_id=company_id)
        ) or False

    def _crm_partner_lang_for(self, user):
        """The language a new partner of the company takes when nothing closer
        (its parent, its lead) gives one: the company's own default (Settings),
        else the language of ``user``, the person creating it (``False`` for
        the scheduler's and portal users: Odoo's default then). Odoo's
        database-wide default is the language the database was created in
        (English when English was loaded first), no choice of the company."""
        self.ensure_one()
        installed = dict(self.env["res.lang"].get_installed())
        own = self._crm_partner_lang()
        if own in installed:
            return own
        if user and not user.share and not user._is_superuser():
            return user.lang if user.lang in installed else False
        return False

    def _crm_set_partner_lang(self, lang):
        """Set (or, with ``False``, remove) the company's own default language of
        new partners: every partner created in this company gets it unless told
        otherwise, as Odoo's default values do."""
        self.ensure_one()
        Default = self.env["ir.default"].sudo()
        if lang:
            Default.set("res.partner", "lang", lang, company_id=self.id)
            return
        field = self.env["ir.model.fields"]._get("res.partner", "lang")
        Default.search(
            [
                ("field_id", "=", field.id),
                ("user_id", "=", False),
                ("company_id", "=", self.id),
                ("condition", "=", False),
            ]
        ).unlink()

    @api.model
    def _crm_demo_french_day(self):
        """X-2: a demo database created in French tells a French company's
        day: the company in Lyon (in euros while no journal item is in
        dollars), its users in French, Odoo's English demo leads, opportunities
        and meetings archived. A database created in English keeps Odoo's."""
        if self.env["ir.default"]._get("res.partner", "lang") != "fr_FR":
            return
        company = self.env.ref("base.main_company")
        lyon = self.env.ref("crm_prospection.zip_lyon_69002", raise_if_not_found=False)
        company.partner_id.write(
            {
                "street": "3 place Bellecour",
                "street2": False,
                "zip_id": lyon.id,
                "zip": "69002",
                "city": "Lyon",
                "state_id": lyon.city_id.state_id.id,
                "country_id": self.env.ref("base.fr").id,
                "lang": "fr_FR",
            }
        )
        company.write(
            {
                "name": "Rhône Prospection",
                "phone": "+33 4 72 00 00 00",
                "email": "contact@rhone-prospection.example",
                "website": "https://rhone-prospection.example",
            }
        )
        euro = self.env.ref("base.EUR")
        if company.currency_id != euro:
            euro.active = True
            try:
                with self.env.cr.savepoint():
                    company.currency_id = euro
            except Exception as error:  # noqa: BLE001 — a demo detail, not a failure
                _logger.info("The demo company stays in its currency: %s", error)
        self.env["res.users"].browse(
            [
                self.env.ref(xmlid).id
                for xmlid in ("base.user_admin", "base.user_demo")
                if self.env.ref(xmlid, raise_if_not_found=False)
            ]
        ).write({"lang": "fr_FR", "tz": "Europe/Paris"})
        # Odoo's own demo records are English ("Quote for 35 windows").
        Data = self.env["ir.model.data"]
        for model in ("crm.lead", "calendar.event"):
            ids = Data.search(
                [
                    ("module", "in", ("crm", "calendar", "sale_crm")),
                    ("model", "=", model),
                ]
            ).mapped("res_id")
            self.env[model].browse(ids).exists().filtered("active").action_archive()

    def _crm_assignable_groups(self):
        """Groups whose members may be assigned (CFG-1): internal users when 'all'."""
        self.ensure_one()
        if self.crm_assignable_users == "groups":
            return self.crm_assignable_group_ids
        return self.env.ref("base.group_user")

    def _crm_assignable_user_domain(self):
        """Domain of the users that records of this company may be assigned to."""
        self.ensure_one()
        if self.crm_assignable_users != "groups":
            # Every internal user: no need to compute anybody's groups (Odoo's
            # automatic assignment checks its salespeople at each batch).
            return Domain("share", "=", False)
        return Domain("share", "=", False) & Domain(
            "all_group_ids", "in", self._crm_assignable_groups().ids
        )
