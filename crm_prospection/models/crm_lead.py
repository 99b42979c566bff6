# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict
from contextvars import ContextVar
from urllib.parse import quote_plus

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, escape_psql, format_amount, format_date, format_datetime

from .calendar_event import INVITE_LEAD_CONTACT
from .crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN

COMPANY_SIZES = [
    ("1_20", "1–20 employees"),
    ("20_100", "20–100 employees"),
    ("100_500", "100–500 employees"),
    ("500_1000", "500–1000 employees"),
    ("1000_2000", "1000–2000 employees"),
    ("2000_more", "Over 2000 employees"),
]
LEAD_SCORES = [
    ("0", "No star"),
    ("1", "One star"),
    ("2", "Two stars"),
    ("3", "Three stars"),
    ("4", "Four stars"),
    ("5", "Five stars"),
]
# OPP-2: why the customer buys.
NEED_TYPES = [
    ("new_business", "New business"),
    ("additional_business", "Additional business"),
    ("renewal", "Renewal"),
    ("replacement", "Replacement"),
]
OPPORTUNITY_SEQUENCE = "crm_prospection.sequence_crm_opportunity"
# Above this many matches a criterion says nothing (as Odoo's similar leads).
DUPLICATE_LIMIT = 20
# What only the conversion writes (CONV-5, STAT-4): the leads it is converting,
# known to the Python code that runs it and to nothing a caller can send.
CONVERSION_FIELDS = {
    "converted_partner_id",
    "converted_contact_id",
    "converted_opportunity_id",
}
_converting_lead_ids = ContextVar("crm_prospection_converting", default=frozenset())


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = [
        "crm.lead",
        "crm.assignable.mixin",
        "crm.agency.mixin",
        "crm.event.mixin",
        "crm.map.mixin",
        "crm.around.mixin",
        "image.mixin",
    ]
    _rec_names_search = ["name", "opportunity_ref"]

    # Status (STAT-*): the one source of truth of a lead's life; opportunities
    # carry none. type, active and lost_reason_id follow it (see write()).
    lead_status_id = fields.Many2one(
        "crm.lead.status",
        string="Lead status",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        compute="_compute_lead_status_id",
        store=True,
        readonly=False,
        precompute=True,
        group_expand="_read_group_lead_status_ids",
    )
    lead_status_is_open = fields.Boolean(related="lead_status_id.is_open")
    lead_status_code = fields.Selection(related="lead_status_id.code")
    lead_status_allow_conversion = fields.Boolean(
        related="lead_status_id.allow_conversion"
    )

    # Identity (LEAD-1): contact_name stays the full name, built from both parts;
    # a contact chosen as the lead's customer gives it its name, as in Odoo.
    first_name = fields.Char(
        tracking=31,
        compute="_compute_name_parts",
        store=True,
        readonly=False,
    )
    last_name = fields.Char(
        tracking=32,
        compute="_compute_name_parts",
        store=True,
        readonly=False,
    )
    job_position_id = fields.Many2one(
        "res.partner.job_position",
        string="Job position",
        index="btree_not_null",
        compute="_compute_job_position_id",
        store=True,
        readonly=False,
    )
    department_id = fields.Many2one("res.partner.department", index="btree_not_null")
    # LEAD-2
    do_not_call = fields.Boolean(
        string="Do not call", tracking=True, help="This person asked not to be called."
    )
    do_not_email = fields.Boolean(
        string="Do not e-mail",
        tracking=True,
        help="This person asked not to receive e-mails.",
    )
    # LEAD-5
    user_id = fields.Many2one(domain=ASSIGNABLE_USER_DOMAIN)
    # LEAD-6
    lead_score = fields.Selection(LEAD_SCORES, string="Lead score", default="0")
    company_size = fields.Selection(COMPANY_SIZES, string="Company size")
    is_key_account = fields.Boolean(string="Key account", tracking=True)
    is_nurturing = fields.Boolean(
        string="Nurturing",
        tracking=True,
        help="Fed with marketing content rather than worked by sales.",
    )
    partner_category_id = fields.Many2one(
        "res.partner.category", string="Category", index="btree_not_null"
    )
    # LEAD-7
    google_url = fields.Char(string="Search on Google", compute="_compute_search_urls")
    linkedin_url = fields.Char(
        string="Search on LinkedIn", compute="_compute_search_urls"
    )

    # Conversion (CONV-5): what the lead became, and the lead an opportunity came from.
    # check_company: a lead is never converted into another company's partner.
    converted_partner_id = fields.Many2one(
        "res.partner",
        string="Converted into",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
    )
    converted_contact_id = fields.Many2one(
        "res.partner",
        string="Converted contact",
        readonly=True,
        copy=False,
        check_company=True,
    )
    converted_opportunity_id = fields.Many2one(
        "crm.lead", string="Converted opportunity", readonly=True, copy=False
    )
    origin_lead_id = fields.Many2one(
        "crm.lead",
        string="Origin lead",
        readonly=True,
        copy=False,
        index="btree_not_null",
        context={"active_test": False},
    )

    # Opportunities (OPP-2…OPP-4); leads carry none of their rules.
    opportunity_ref = fields.Char(
        string="Reference",
        compute="_compute_opportunity_ref",
        store=True,
        copy=False,
        help="Unique reference of the opportunity, given when it is saved.",
    )
    need_type = fields.Selection(NEED_TYPES, string="Type of need", tracking=True)
    amount_best_case = fields.Monetary(
        string="Best case",
        currency_field="company_currency",
        tracking=True,
        help="The most revenue the opportunity can bring (0: not estimated).",
    )
    amount_worst_case = fields.Monetary(
        string="Worst case",
        currency_field="company_currency",
        tracking=True,
        help="The least revenue the opportunity will bring if won (0: not estimated).",
    )
    recurring_start_date = fields.Date(
        string="Recurring start", help="First day of the recurring revenue."
    )
    recurring_duration = fields.Integer(
        string="Recurring duration (months)",
        compute="_compute_recurring_duration",
        store=True,
        readonly=False,
        help="How many months the recurring revenue lasts; by default the "
        "company's default duration, or else the months of the plan.",
    )
    recurring_end_date = fields.Date(
        string="Recurring end",
        compute="_compute_recurring_end_date",
        inverse="_inverse_recurring_end_date",
        store=True,
        readonly=False,
        help="The start plus the duration; set it and the duration follows.",
    )
    # OPP-4, CFG-2
    show_partner_description = fields.Boolean(
        string="Show the customer description",
        compute="_compute_show_partner_description",
    )
    partner_description = fields.Html(
        string="Customer's notes", related="partner_id.commercial_partner_id.comment"
    )
    origin_lead_description = fields.Html(
        string="Lead's description", related="origin_lead_id.description"
    )

    _opportunity_ref_unique = models.UniqueIndex(
        "(opportunity_ref) WHERE opportunity_ref IS NOT NULL",
        "Another opportunity already has this reference.",
    )
    _check_recurring_duration = models.Constraint(
        "CHECK(recurring_duration >= 0)",
        "The recurring duration cannot be negative.",
    )

    # LEAD-10
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Similar contacts",
        compute="_compute_duplicate_partner_ids",
    )
    duplicate_partner_count = fields.Integer(compute="_compute_duplicate_partner_ids")
    # EVT-5, EVT-7: the events about the lead, whether Odoo counts them as its
    # meetings (calendar_event_ids) or they only name it as their related record.
    crm_linked_event_ids = fields.One2many(
        "calendar.event",
        "crm_lead_id",
        string="Events about the lead",
        groups="base.group_user",
    )
    # GEO-3: where the city referential places the lead (its zip or city);
    # stored for the search around a place (issue 27), indexed below.
    crm_latitude = fields.Float(
        string="Latitude",
        digits=(10, 7),
        compute="_compute_crm_coordinates",
        store=True,
    )
    crm_longitude = fields.Float(
        string="Longitude",
        digits=(10, 7),
        compute="_compute_crm_coordinates",
        store=True,
    )
    _crm_around_columns = ("crm_latitude", "crm_longitude")
    _crm_around_point_idx = models.Index(
        "USING gist (point(crm_longitude, crm_latitude))"
        " WHERE crm_latitude <> 0 OR crm_longitude <> 0"
    )
    # The same names, whatever the case, searched at each opening of a lead.
    _partner_name_lower_idx = models.Index("(lower(partner_name))")
    _contact_name_lower_idx = models.Index("(lower(contact_name))")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("type")
    def _compute_lead_status_id(self):
        """New leads start in the first open status; opportunities have none.
        (Leads already there when the add-on installs: see the post-init hook.)"""
        leads = self.filtered(lambda lead: lead.type == "lead")
        (self - leads).lead_status_id = False
        to_set = leads.filtered(lambda lead: not lead.lead_status_id)
        if to_set:
            to_set.lead_status_id = self.env[
                "crm.lead.status"
            ]._get_default_open_status()

    @api.model
    def _read_group_lead_status_ids(self, statuses, domain):
        """Kanban columns: every status of the list the user looks at (open or not)."""
        status_domain = Domain("id", "in", statuses.ids)
        is_open = self.env.context.get("crm_prospection_open_statuses")
        if is_open is not None:
            status_domain |= Domain("is_open", "=", bool(is_open))
        return statuses.search(status_domain)

    @api.depends("partner_id")
    def _compute_name_parts(self):
        """The person chosen as customer names the lead's contact, as Odoo's
        contact_name follows it (a company leaves the names as they are)."""
        for lead in self.filtered("partner_id"):
            name = lead._prepare_contact_name_from_partner(lead.partner_id)[
                "contact_name"
            ]
            # The lead's own contact (made from it by an e-mail or an
            # invitation) bears its name already: its first name stays.
            current = " ".join(filter(None, [lead.first_name, lead.last_name]))
            if name and not lead.partner_id.is_company and name != current:
                lead.first_name, lead.last_name = False, name

    @api.depends("partner_id")
    def _compute_job_position_id(self):
        for lead in self.filtered("partner_id.job_position_id"):
            lead.job_position_id = lead.partner_id.job_position_id

    @api.depends("partner_id", "first_name", "last_name")
    def _compute_contact_name(self):
        named = self.filtered(lambda lead: lead.first_name or lead.last_name)
        for lead in named:
            lead.contact_name = " ".join(
                part for part in (lead.first_name, lead.last_name) if part
            )
        return super(CrmLead, self - named)._compute_contact_name()

    @api.depends("partner_id", "job_position_id")
    def _compute_function(self):
        """Odoo's: the customer's function; else the job position's name."""
        res = super()._compute_function()
        for lead in self.filtered(
            lambda lead: lead.job_position_id and not lead.partner_id.function
        ):
            lead.function = lead.job_position_id.name
        return res

    @api.depends(
        "crm_linked_event_ids.start",
        "crm_linked_event_ids.crm_state",
        "crm_linked_event_ids.active",
        "calendar_event_ids.start",
        "calendar_event_ids.crm_state",
        "calendar_event_ids.active",
    )
    def _compute_event_dates(self):
        """LEAD-5, EVT-7: latest event done, earliest event still planned,
        among its events and its meetings (those of the lead it came from)."""
        leads = self.filtered("id")
        dates = {}
        if leads:
            Event = self.env["calendar.event"].sudo()
            for link in ("crm_lead_id", "opportunity_id"):
                groups = Event._read_group(
                    [
                        (link, "in", leads.ids),
                        ("crm_state", "in", ("done", "planned")),
                    ],
                    [link, "crm_state"],
                    ["start:max", "start:min"],
                )
                for lead, state, start_max, start_min in groups:
                    known = dates.setdefault(lead.id, {}).get(state)
                    if known:
                        start_max = max(start_max, known[0])
                        start_min = min(start_min, known[1])
                    dates[lead.id][state] = (start_max, start_min)
        for lead in self:
            lead_dates = dates.get(lead._origin.id or lead.id, {})
            lead.date_last_event = lead_dates.get("done", (False, False))[0]
            lead.date_next_event = lead_dates.get("planned", (False, False))[1]

    @api.depends("location_id", "zip", "city", "state_id", "country_id")
    def _compute_crm_coordinates(self):
        """GEO-3: the lead's place from the city referential, always the one of
        its current address (approximate: its zip or city)."""
        coordinates = self._crm_referential_coordinates()
        for lead in self:
            lead.crm_latitude, lead.crm_longitude = coordinates.get(
                lead._origin.id, (0.0, 0.0)
            )

    def _crm_zip_location(self):
        return self._crm_customer_location()

    @api.model
    def _cron_crm_place_from_referential(self, batch=10000):
        """Issue 27: leads not placed yet (their zip had no coordinates when
        they were written) placed from the city referential, batch by batch,
        each committed: a city import locates the zips after the leads."""
        if not self.env["res.city.zip"]._crm_has_coordinates():
            return
        unplaced = (
            Domain("crm_latitude", "=", 0)
            & Domain("crm_longitude", "=", 0)
            & Domain("country_id", "!=", False)
            & (Domain("zip", "!=", False) | Domain("city", "!=", False))
        )
        after_id = 0
        while True:
            leads = self.with_context(active_test=False).search(
                unplaced & Domain("id", ">", after_id), limit=batch, order="id"
            )
            if not leads:
                break
            fields_ = [self._fields["crm_latitude"], self._fields["crm_longitude"]]
            self.env.add_to_compute(fields_[0], leads)
            self.env.add_to_compute(fields_[1], leads)
            leads.flush_recordset(["crm_latitude", "crm_longitude"])
            after_id = leads[-1].id
            if self.env["ir.cron"]._commit_progress(len(leads)) <= 0:
                break

    def _crm_map_coordinates(self):
        self.ensure_one()
        if self.crm_latitude or self.crm_longitude:
            return self.crm_latitude, self.crm_longitude
        return None

    def _partner_email_domain(self):
        """Partners with the lead's e-mail domain, or its very address for public
        webmail domains (Odoo's email_domain_criterion tells which)."""
        criterion = self.email_domain_criterion
        if criterion and criterion.startswith("@"):
            return Domain("email_normalized", "=ilike", "%" + escape_psql(criterion))
        if criterion:
            return Domain("email_normalized", "=", criterion)
        return Domain.FALSE

    def _same_name_domain(self, model_name, columns):
        """Records of ``model_name`` whose ``columns`` hold the lead's person or
        company name, whatever the case. Matched on ``lower()``, which the
        add-on's expression indexes serve at once; an ``=ilike`` goes through
        the trigram indexes, slow on names made of common trigrams."""
        names = {
            name.strip().lower()
            for name in (self.partner_name, self.contact_name)
            if name and name.strip()
        }
        if not names:
            return Domain.FALSE
        Model = self.env[model_name]
        Model.flush_model(columns)
        return Domain(
            "id",
            "in",
            SQL(" UNION ALL ").join(
                SQL(
                    "SELECT id FROM %s WHERE lower(%s) IN %s",
                    SQL.identifier(Model._table),
                    SQL.identifier(column),
                    tuple(names),
                )
                for column in columns
            ),
        )

    @api.depends(
        "email_domain_criterion",
        "email_normalized",
        "partner_id",
        "phone_sanitized",
        "partner_name",
        "contact_name",
    )
    def _compute_potential_lead_duplicates(self):
        """LEAD-10: Odoo's similar leads (e-mail domain, phone, commercial entity),
        plus the leads with the same person or company name."""
        res = super()._compute_potential_lead_duplicates()
        Lead = self.with_context(active_test=False)
        for lead in self:
            # What the lead became, or came from, is no duplicate of it.
            related = lead.converted_opportunity_id | lead.origin_lead_id
            duplicates = lead.duplicate_lead_ids - related
            if lead.partner_name or lead.contact_name:
                duplicates |= Lead.search(
                    Domain("id", "not in", (lead._origin | related).ids)
                    & lead._same_name_domain(
                        "crm.lead", ("partner_name", "contact_name")
                    ),
                    limit=DUPLICATE_LIMIT,
                )
            lead.duplicate_lead_ids = duplicates
            lead.duplicate_lead_count = len(duplicates - lead)
        return res

    @api.depends(
        "email_domain_criterion", "phone_sanitized", "partner_name", "contact_name"
    )
    def _compute_duplicate_partner_ids(self):
        """LEAD-10: contacts and prospects with the same name, e-mail, e-mail domain
        (public webmail domains excepted) or phone."""
        Partner = self.env["res.partner"]
        for lead in self:
            domains = [lead._partner_email_domain()]
            if lead.phone_sanitized:
                domains.append(Domain("phone_sanitized", "=", lead.phone_sanitized))
            if lead.partner_name or lead.contact_name:
                domains.append(lead._same_name_domain("res.partner", ("name",)))
            own = (
                lead.partner_id | lead.converted_partner_id | lead.converted_contact_id
            )
            # One subquery per criterion, united: each uses its own index, where
            # PostgreSQL would scan every partner for their OR.
            matches = SQL(" UNION ").join(
                Partner._search(domain).select()
                for domain in domains
                if not domain.is_false()
            )
            partners = (
                Partner.search(
                    Domain("id", "in", matches) & Domain("id", "not in", own.ids),
                    limit=DUPLICATE_LIMIT,
                    order="id",
                )
                if matches.code
                else Partner
            )
            lead.duplicate_partner_ids = partners
            lead.duplicate_partner_count = len(partners)

    @api.depends("partner_name", "contact_name", "name")
    def _compute_search_urls(self):
        for lead in self:
            subject = lead.partner_name or lead.contact_name or lead.name
            if subject:
                query = quote_plus(subject)
                lead.google_url = f"https://www.google.com/search?q={query}"
                lead.linkedin_url = (
                    f"https://www.linkedin.com/search/results/all/?keywords={query}"
                )
            else:
                lead.google_url = lead.linkedin_url = False

    # ------------------------------------------------------------------
    # Opportunities: reference, amounts, recurring revenue, descriptions
    # ------------------------------------------------------------------

    @api.depends("type")
    def _compute_opportunity_ref(self):
        """OPP-2: a saved opportunity gets the next reference (a lead does when it
        becomes an opportunity); a reference never changes, a copy gets its own."""
        self.filtered(
            lambda lead: (
                lead.id and lead.type == "opportunity" and not lead.opportunity_ref
            )
        )._crm_number_opportunities()

    def _crm_number_opportunities(self):
        """Give each record the next opportunity reference (O0001, O0002…)."""
        sequence = self.env.ref(OPPORTUNITY_SEQUENCE, raise_if_not_found=False)
        if not sequence:
            # Installing: the post-init hook numbers them once the sequence exists.
            return
        for lead in self:
            lead.opportunity_ref = sequence.next_by_id()

    @api.constrains("type", "expected_revenue", "amount_best_case", "amount_worst_case")
    def _check_opportunity_amounts(self):
        """OPP-2: on opportunities, no negative amount, and worst case ≤ expected
        revenue ≤ best case among the amounts estimated (0 means not estimated)."""
        for lead in self.filtered(lambda lead: lead.type == "opportunity"):
            amounts = (
                lead.amount_worst_case,
                lead.expected_revenue,
                lead.amount_best_case,
            )
            if any(amount < 0 for amount in amounts):
                raise ValidationError(
                    self.env._(
                        "The amounts of the opportunity %s cannot be negative.",
                        lead.display_name,
                    )
                )
            estimated = [amount for amount in amounts if amount]
            if estimated != sorted(estimated):
                currency = lead.company_currency
                raise ValidationError(
                    self.env._(
                        "The amounts of the opportunity %(opportunity)s must follow "
                        "worst case ≤ expected revenue ≤ best case; they are "
                        "%(worst)s, %(expected)s and %(best)s. Leave an amount at 0 "
                        "when it is not estimated.",
                        opportunity=lead.display_name,
                        worst=format_amount(self.env, amounts[0], currency),
                        expected=format_amount(self.env, amounts[1], currency),
                        best=format_amount(self.env, amounts[2], currency),
                    )
                )

    @api.depends("recurring_revenue", "recurring_plan", "company_id")
    def _compute_recurring_duration(self):
        """OPP-3, CFG-4: a recurring revenue lasts by default the company's default
        duration, or else the months of its plan; a duration once set stays."""
        for lead in self:
            if lead.recurring_duration or not (
                lead.recurring_revenue or lead.recurring_plan
            ):
                continue
            company = lead.company_id or self.env.company
            lead.recurring_duration = (
                company.crm_recurring_default_duration
                or lead.recurring_plan.number_of_months
            )

    @api.depends("recurring_start_date", "recurring_duration")
    def _compute_recurring_end_date(self):
        """OPP-3: the recurring revenue ends its duration after its start."""
        for lead in self:
            lead.recurring_end_date = lead._crm_recurring_end()

    def _crm_recurring_end(self):
        """The start plus the duration; False when none, or past year 9999 (the
        constraint then explains it: typing in the form never crashes)."""
        start, months = self.recurring_start_date, self.recurring_duration
        if not start or months <= 0:
            return False
        try:
            return start + relativedelta(months=months)
        except (ValueError, OverflowError):
            return False

    def _inverse_recurring_end_date(self):
        """OPP-3: an end date set by hand gives the duration, in months begun."""
        for lead in self:
            start, end = lead.recurring_start_date, lead.recurring_end_date
            if start and end and end > start:
                delta = relativedelta(end, start)
                lead.recurring_duration = (
                    delta.years * 12 + delta.months + bool(delta.days)
                )

    @api.onchange("recurring_end_date")
    def _onchange_recurring_end_date(self):
        """In the form, the duration follows an edited end date at once, and the
        end date stays as typed."""
        with self.env.protecting([self._fields["recurring_end_date"]], self):
            self._inverse_recurring_end_date()

    @api.constrains("recurring_start_date", "recurring_end_date", "recurring_duration")
    def _check_recurring_dates(self):
        for lead in self:
            start, end = lead.recurring_start_date, lead.recurring_end_date
            if start and lead.recurring_duration > 0 and not lead._crm_recurring_end():
                raise ValidationError(
                    self.env._(
                        "The recurring revenue of %(lead)s would end after the year "
                        "9999: shorten its duration (%(months)s months).",
                        lead=lead.display_name,
                        months=lead.recurring_duration,
                    )
                )
            if start and end and end <= start:
                raise ValidationError(
                    self.env._(
                        "The recurring revenue of %s must end after it starts.",
                        lead.display_name,
                    )
                )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_show_partner_description(self):
        """CFG-2: the company of the opportunity decides (the current one when it
        has none)."""
        for lead in self:
            company = lead.company_id or self.env.company
            lead.show_partner_description = company.crm_show_partner_description

    def _update_revenues_from_so(self, order):
        """A confirmed order above the best case proves a better best case: raise
        it first, so that sale_crm's new expected revenue stays within it."""
        for opportunity in self:
            if (
                opportunity.amount_best_case
                and order.amount_untaxed > opportunity.amount_best_case
                and order.currency_id == opportunity.company_id.currency_id
            ):
                opportunity.amount_best_case = order.amount_untaxed
        return super()._update_revenues_from_so(order)

    # ------------------------------------------------------------------
    # CRUD: status, type, active and lost reason never disagree
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Status = self.env["crm.lead.status"]
        # The context's defaults (default_lead_status_id, default_active…) are
        # values given too: the status rules apply to them as to the others.
        defaults = self.default_get(["type", "lead_status_id", "active"])
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._split_contact_name(vals)
            self._check_conversion_values(vals)
            given = dict(defaults, **vals)
            if given.get("type") != "lead":
                continue
            status = Status.browse(given.get("lead_status_id"))
            if status.code == "lost":
                vals.update(self._lost_values(), active=False, lead_status_id=status.id)
            elif not given.get("active", True) and status.code != "converted":
                # Archived is not lost for Odoo: the probability stays.
                vals["lead_status_id"] = Status._get_status("lost").id
        leads = super().create(vals_list)
        leads._check_created_lifecycle()
        return leads

    def _check_created_lifecycle(self):
        """STAT-4, CONV-5: no lead is born Converted, nor converted into
        anything: the conversion only writes existing leads; and a lead born
        archived is Lost (a won one keeps its status, as Odoo keeps it won).
        Checked on what was stored, whatever default, import or API call
        brought it."""
        forged = self.filtered(
            lambda lead: (
                lead.lead_status_id.code == "converted"
                or any(lead[name] for name in CONVERSION_FIELDS)
            )
        )
        if forged:
            raise ValidationError(self._converted_by_hand_message())
        # Written later, archiving is what sets Lost (see write()); leads there
        # before the add-on get their status from the post-init hook instead.
        archived = self.filtered(
            lambda lead: (
                lead.type == "lead"
                and not lead.active
                and lead.lead_status_id.code != "lost"
                and not lead.stage_id.is_won
            )
        )
        if archived:
            raise ValidationError(
                self.env._(
                    "The lead %(lead)s is archived but its status is %(status)s: "
                    "an archived lead is Lost. Mark it as lost, or keep it active.",
                    lead=archived[0].display_name,
                    status=archived[0].lead_status_id.name,
                )
            )

    @api.constrains("type", "lead_status_id", "active", *CONVERSION_FIELDS)
    def _check_lifecycle(self):
        """STAT-4, CONV-5: what is stored tells one story, whichever path wrote
        it: a lead converted into something is Converted (into an opportunity,
        never a lead), and a Lost lead is archived."""
        for lead in self.filtered(lambda lead: lead.type == "lead"):
            code = lead.lead_status_id.code
            # Whoever writes, the opportunity's type is checked, readable or not.
            opportunity = lead.converted_opportunity_id.sudo()
            linked = any(lead[name] for name in CONVERSION_FIELDS)
            if (linked and code != "converted") or (
                opportunity and opportunity.type != "opportunity"
            ):
                raise ValidationError(self._converted_by_hand_message())
            if code == "lost" and lead.active:
                raise ValidationError(
                    self.env._(
                        "The lead %s is Lost: a lost lead is archived in the "
                        "history. Restore it to work on it again.",
                        lead.display_name,
                    )
                )

    def write(self, vals):
        vals = dict(vals)
        self._split_contact_name(vals)
        converting = _converting_lead_ids.get()
        if self.ids and converting.issuperset(self.ids):
            return super().write(vals)
        self._check_conversion_values(vals)
        reactivated = vals.get("active") or (
            vals.get("stage_id")
            and self.env["crm.stage"].browse(vals["stage_id"]).is_won
        )
        if "lead_status_id" not in vals and "active" not in vals and not reactivated:
            return super().write(vals)
        leads = self.filtered(lambda lead: lead.type == "lead")
        writes = leads._lifecycle_writes(vals, reactivated=reactivated)
        if self - leads:
            others_vals = {k: v for k, v in vals.items() if k != "lead_status_id"}
            writes.append((self - leads, others_vals))
        for records, values in writes:
            super(CrmLead, records).write(values)
        return True

    def _lifecycle_writes(self, vals, reactivated=False):
        """What writing ``vals`` on leads means for their status (STAT-3…STAT-5):
        a list of (leads, values) to write.

        The status decides: choosing Lost is Odoo's lost (archived, probability
        0); any other status is active and without lost reason. Odoo's archive
        puts a lead in the Lost status (its history) but, as in Odoo, does not
        lose it: its probability stays, and a won lead keeps its status. Back to
        active (restored, or moved to a won stage), a lead in Lost reopens in the
        first open status.
        """
        if not self:
            return []
        Status = self.env["crm.lead.status"]
        lost = Status._get_status("lost")
        writes = []
        if "lead_status_id" in vals:
            status = Status.browse(vals["lead_status_id"])
            if not status:
                raise UserError(self.env._("A lead always has a status."))
            self._check_status_change(status)
            # Leads there before the add-on get their first status (post-init
            # hook) and nothing else of theirs changes.
            first = self.filtered(lambda lead: not lead.lead_status_id)
            if first:
                writes.append((first, vals))
            leads = self - first
            if not leads:
                return writes
            if status == lost:
                writes.append((leads, dict(vals, active=False, **self._lost_values())))
                return writes
            reopened = leads.filtered(lambda lead: not lead.active)
            if reopened:
                # Back from Lost by choosing a status: Odoo's restore.
                restored = dict(vals, active=True, lost_reason_id=False)
                for probability, group in reopened.grouped(
                    "automated_probability"
                ).items():
                    writes.append((group, dict(restored, probability=probability)))
            if leads - reopened:
                writes.append((leads - reopened, vals))
            return writes
        if reactivated:
            reopened = self.filtered(lambda lead: lead.lead_status_id == lost)
            if reopened:
                status = Status._get_default_open_status()
                writes.append((reopened, dict(vals, lead_status_id=status.id)))
            if self - reopened:
                writes.append((self - reopened, vals))
            return writes
        won = self.filtered(lambda lead: lead.stage_id.is_won)
        archived = self - won
        if archived:
            archived._check_status_change(lost)
            writes.append((archived, dict(vals, lead_status_id=lost.id)))
        if won:
            writes.append((won, vals))
        return writes

    def _check_status_change(self, status):
        """STAT-5: any status at any time, except into or out of Converted."""
        if status.code == "converted":
            raise UserError(self._converted_by_hand_message())
        converted = self.filtered(
            lambda lead: (
                lead.lead_status_code == "converted" and lead.lead_status_id != status
            )
        )
        if converted:
            raise UserError(
                self.env._(
                    "The lead %s is converted: its status can no longer change.",
                    converted[0].display_name,
                )
            )

    def _check_conversion_values(self, vals):
        """STAT-4, CONV-5: Converted, and what a lead was converted into, are
        written by the conversion only, whatever the caller sends."""
        status = self.env["crm.lead.status"].browse(vals.get("lead_status_id"))
        if status.code == "converted" or any(
            vals.get(name) or (name in vals and self.filtered(name))
            for name in CONVERSION_FIELDS
        ):
            raise ValidationError(self._converted_by_hand_message())

    def _converted_by_hand_message(self):
        return self.env._(
            "A lead becomes Converted only through the Convert button, which creates "
            "its partner, contact and opportunity."
        )

    def _crm_mark_converted(self, values):
        """Set the leads Converted with what they became (CONV-5): the only way
        into that status, open to the conversion's Python code alone (a private
        method, and the leads it converts known to nothing a caller can send)."""
        status = self.env["crm.lead.status"]._get_status("converted")
        token = _converting_lead_ids.set(_converting_lead_ids.get() | set(self.ids))
        try:
            self.write(dict(values, lead_status_id=status.id))
        finally:
            _converting_lead_ids.reset(token)

    @api.model
    def _lost_values(self):
        """Odoo's lost semantic: probability 0 (and archived)."""
        return {"probability": 0, "automated_probability": 0}

    @api.model
    def _split_contact_name(self, vals):
        """A full name written alone (import, mail gateway, Odoo's own forms)
        becomes the last name, so that first and last name never contradict it.
        Written with one part only, the other part is what remains of the full
        name (LEAD-1: "Jean Dupont" with the first name "Jean" is Dupont), so
        that no part of the name given is lost when contact_name is rebuilt."""
        full = " ".join((vals.get("contact_name") or "").split())
        if not full:
            return
        given = {"first_name", "last_name"} & set(vals)
        if not given:
            vals.update(first_name=False, last_name=full)
            return
        if len(given) == 2:
            return
        [name] = given
        part = " ".join((vals[name] or "").split())
        other = "last_name" if name == "first_name" else "first_name"
        words, part_words = full.lower().split(), part.lower().split()
        if not part:
            vals[other] = full
        elif name == "first_name" and words[: len(part_words)] == part_words:
            vals[other] = " ".join(full.split()[len(part_words) :]) or False
        elif name == "last_name" and words[-len(part_words) :] == part_words:
            vals[other] = " ".join(full.split()[: -len(part_words)]) or False
        else:
            # Two different names: both kept, the full name rebuilt from them.
            vals[other] = full
            del vals["contact_name"]

    # ------------------------------------------------------------------
    # Odoo's own paths, kept true to the status
    # ------------------------------------------------------------------

    def action_set_lost(self, **additional_values):
        """Odoo's lost (its wizard, the API): leads go to the Lost status."""
        leads = self.filtered(lambda lead: lead.type == "lead")
        if leads:
            leads.write(
                dict(
                    additional_values,
                    lead_status_id=self.env["crm.lead.status"]._get_status("lost").id,
                )
            )
        others = self - leads
        return (
            super(CrmLead, others).action_set_lost(**additional_values)
            if others
            else True
        )

    def _merge_get_fields_specific(self):
        """Merging leads keeps the most advanced open status (STAT-5)."""
        specific = super()._merge_get_fields_specific()
        specific["lead_status_id"] = self._merge_lead_status
        return specific

    @api.model
    def _merge_lead_status(self, fname, leads):
        if any(lead.type == "opportunity" for lead in leads):
            return False
        open_statuses = leads.lead_status_id.filtered("is_open")
        if open_statuses:
            return open_statuses.sorted(lambda s: (s.sequence, s.id))[-1].id
        return leads[:1].lead_status_id.id

    def _handle_salesmen_assignment(self, user_ids=False, team_id=False):
        """Automatic assignment never assigns a user CFG-1 refuses: it leaves the
        lead unassigned instead."""
        if user_ids:
            users = self.env["res.users"].browse(user_ids)
            team = self.env["crm.team"].browse(team_id)
            company = team.company_id or self.company_id[:1] or self.env.company
            user_ids = self._crm_filter_assignable(users, company).ids
        return super()._handle_salesmen_assignment(user_ids=user_ids, team_id=team_id)

    @api.depends("location_id")
    def _compute_partner_address_values(self):
        """LEAD-3: the zip fills in the commune's delivery name (69001: Lyon),
        not GeoNames' arrondissement (Lyon 01)."""
        result = super()._compute_partner_address_values()
        for lead in self.filtered("location_id.city_id"):
            lead.city = lead.location_id.city_id.crm_delivery_name
        return result

    def _crm_customer_location(self):
        """LEAD-3: crm_location's zip of the lead, for its partner, when the
        address still matches it (base_location refuses a partner whose zip,
        state or country differs from its zip location's)."""
        location = self.location_id
        city = location.city_id
        if location and (location.name, city.state_id, city.country_id) == (
            self.zip,
            self.state_id,
            self.country_id,
        ):
            return location
        return location.browse()

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        """CONV-2, CONV-3: the partner or contact created from a lead takes every
        value of the lead that fits it (Odoo and crm_industry add their own).
        Only the values the lead has are added: Odoo's own uses of these values
        (its suggested recipients) see no difference for a lead without them."""
        values = super()._prepare_customer_values(
            partner_name, is_company=is_company, parent_id=parent_id
        )
        extra = {
            "do_not_call": self.do_not_call,
            "do_not_email": self.do_not_email,
            "zip_id": self._crm_customer_location().id,
            # The lead's agency, not its creator's (a contact included).
            "agency_id": self.agency_id.id,
        }
        if parent_id and not is_company:
            # A contact of a company: the person's own values, not the
            # company's description and website.
            extra.update(
                job_position_id=self.job_position_id.id,
                department_id=self.department_id.id,
            )
            values.update(comment=False, website=False)
        else:
            categories = self._crm_partner_categories()
            extra.update(
                source_id=self.source_id.id,
                lead_score=self.lead_score if self.lead_score != "0" else False,
                company_size=self.company_size,
                is_key_account=self.is_key_account,
                is_nurturing=self.is_nurturing,
                image_1920=self.image_1920,
                category_id=[Command.set(categories.ids)] if categories else False,
            )
            if not is_company:
                extra.update(
                    job_position_id=self.job_position_id.id,
                    department_id=self.department_id.id,
                )
        if not values.get("lang"):
            # Odoo gives the lead's language only: else its company's, else
            # its creator's (or, for the scheduler, its salesperson's).
            extra["lang"] = self._crm_partner_lang()
        values.update({name: value for name, value in extra.items() if value})
        return values

    def _crm_partner_lang(self):
        """The language of a partner made from the lead (an e-mail, an
        invitation, the conversion): the lead's, else its company's default
        for new partners (Settings), else the language of the user making it
        or, without one, of its salesperson."""
        self.ensure_one()
        if self.lang_id.active:
            return self.lang_id.code
        company = self.company_id or self.env.company
        return company._crm_partner_lang_for(
            self.env.user
        ) or company._crm_partner_lang_for(self.user_id)

    def _crm_partner_categories(self):
        """The lead's category and its tags' namesakes among partner tags."""
        self.ensure_one()
        names = self.tag_ids.mapped("name")
        existing = (
            self.env["res.partner.category"].search([("name", "in", names)])
            if names
            else self.env["res.partner.category"]
        )
        return self.partner_category_id | existing

    def _crm_create_partner_categories(self):
        """The partner tags the leads' tags still lack, created once by name
        (the conversion gives the new partners the leads' tags)."""
        tags = self.tag_ids
        if not tags:
            return
        Category = self.env["res.partner.category"]
        known = set(
            Category.search([("name", "in", tags.mapped("name"))]).mapped("name")
        )
        missing = {tag.name: tag.color for tag in tags if tag.name not in known}
        Category.create(
            [{"name": name, "color": color} for name, color in missing.items()]
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_set_lead_status(self, status_id):
        """The workflow bar (STAT-2): Lost asks for a reason first, the others apply."""
        # An id from the client: anything else is refused before any query.
        if isinstance(status_id, str) and status_id.strip().isdigit():
            status_id = int(status_id)
        valid = isinstance(status_id, int) and not isinstance(status_id, bool)
        status = self.env["crm.lead.status"]
        if valid and 0 < status_id < 2**31:
            status = status.browse(status_id).exists()
        if not status:
            raise UserError(self.env._("This status no longer exists."))
        if status.code == "lost":
            return self.action_open_lost_wizard()
        self.write({"lead_status_id": status.id})
        return False

    def _crm_event_partner(self):
        """EVT-1: the lead's contact is invited (see ``action_crm_new_event``)."""
        return self.partner_id

    def action_crm_new_event(self):
        """EVT-1: the lead's contact is invited to the call or meeting planned
        from it: its customer, or else the person of its e-mail address, found
        or made as Odoo's composer does once the event is saved (a lead without
        e-mail gets no guest until its conversion adds one)."""
        self.ensure_one()
        action = super().action_crm_new_event()
        if not self.partner_id:
            action["context"][INVITE_LEAD_CONTACT] = self.id
        return action

    def _crm_find_or_create_contact(self):
        """The partner of the lead's person, found by its e-mail address or
        created from the lead exactly as Odoo's composer creates the recipient
        of a first e-mail (``_get_customer_information``), then set as the
        lead's customer as Odoo does after that e-mail: an e-mail, an
        invitation and the conversion share this one contact."""
        self.ensure_one()
        if self.partner_id or not (self.email_normalized or self.email_from):
            return self.partner_id
        partner = self._partner_find_from_emails_single(
            [self.email_from], no_create=False
        )
        if partner:
            self.partner_id = partner[:1]
        return self.partner_id

    def _crm_own_contact(self):
        """The lead's contact still on its own: a person without company, as an
        e-mail or an invitation made it. The conversion completes it rather than
        making a second one."""
        self.ensure_one()
        partner = self.partner_id
        if partner and not partner.is_company and not partner.parent_id:
            return partner
        return partner.browse()

    @api.depends("crm_linked_event_ids.active", "calendar_event_ids.active")
    def _compute_crm_event_ids(self):
        """EVT-5: the events tab. To read calendar_event_ids, Odoo's calendar
        checks the privacy of every event of the lead (its link to the lead is a
        private field), at each opening. The same events are found here in one
        query, and their privacy applies when the tab reads their lines."""
        # Internal users read every event (calendar's rule for employees): sudo
        # finds the same ones without checking the privacy of their link (which
        # this field shows anyway). ``active`` is public, and fetched here: the
        # field's value keeps the active events only, which would otherwise
        # fetch every column of every event, privacy checks included.
        # An opportunity's meetings (Odoo's link) are its events too: those of
        # the lead it was made from among them.
        events = (
            self.env["calendar.event"]
            .sudo()
            .search_fetch(
                Domain("crm_lead_id", "in", self._origin.ids)
                | Domain("opportunity_id", "in", self._origin.ids),
                ["crm_lead_id", "opportunity_id", "active"],
            )
        )
        event_ids = defaultdict(list)
        for event in events:
            for lead_id in {event.crm_lead_id.id, event.opportunity_id.id}:
                event_ids[lead_id].append(event.id)
        Event = self.env["calendar.event"]
        for lead in self:
            lead.crm_event_ids = Event.browse(event_ids[lead._origin.id])

    @api.depends("campaign_id", "crm_linked_event_ids.campaign_id")
    def _compute_crm_campaign_ids(self):
        """MAIL-4: its own campaign and its events' campaigns, grouped in one
        query (a lead may have hundreds of events)."""
        event_campaigns = dict(
            self.env["calendar.event"]._read_group(
                [
                    ("crm_lead_id", "in", self._origin.ids),
                    ("campaign_id", "!=", False),
                ],
                ["crm_lead_id"],
                ["campaign_id:recordset"],
            )
        )
        Campaign = self.env["utm.campaign"]
        for lead in self:
            lead.crm_campaign_ids = lead.campaign_id | event_campaigns.get(
                lead._origin, Campaign
            )

    def _crm_event_context(self, event_type):
        context = super()._crm_event_context(event_type)
        context["default_opportunity_id"] = self.id
        return context

    def _track_subtype(self, init_values):
        """A lead is lost or restored, not an opportunity (Odoo's subtypes say
        “Opportunity lost” on the lead's chatter)."""
        subtype = super()._track_subtype(init_values)
        if subtype and self.type == "lead":
            xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id
            for odoo_subtype, lead_subtype in (
                ("crm.mt_lead_lost", "crm_prospection.mt_lead_status_lost"),
                ("crm.mt_lead_restored", "crm_prospection.mt_lead_status_restored"),
            ):
                if subtype.id == xmlid_to_id(odoo_subtype, raise_if_not_found=False):
                    return self.env.ref(lead_subtype)
        return subtype

    def log_meeting(self, meeting):
        """EVT-1: the chatter line of a new event says its kind (a call is no
        meeting) and its date in the user's language and time zone, not in ISO.
        Creating records without logging (``mail_create_nolog``) logs no event."""
        if self.env.context.get("mail_create_nolog"):
            return self.env["mail.message"]
        if meeting.allday:
            when = format_date(self.env, meeting.start_date)
        else:
            when = format_datetime(self.env, meeting.start, dt_format="short")
        headlines = {
            "call": self.env._("Call planned on %(date)s", date=when),
            "task": self.env._("Task planned on %(date)s", date=when),
            "note": self.env._("Note dated %(date)s", date=when),
        }
        lines = [
            headlines.get(meeting.crm_event_type)
            or self.env._("Meeting planned on %(date)s", date=when),
            Markup("%s %s")
            % (self.env._("Subject:"), meeting._get_html_link(title=meeting.name)),
        ]
        if meeting.crm_event_type in ("meeting", "call") and not meeting.allday:
            duration = self.env["ir.qweb.field.duration"].value_to_html(
                meeting.duration, {"unit": "hour"}
            )
            lines.append(self.env._("Duration: %s", duration))
        return self.message_post(body=Markup("<p>%s</p>") % Markup("<br/>").join(lines))

    def action_convert(self):
        """CONV-1: open the conversion wizard, or refuse a lead clearly. Several
        leads (CONV-6, the Action menu) open it all the same: it converts those
        it can and names the others."""
        if len(self) <= 1:
            self.env["crm.lead.convert"]._check_convertible(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_prospection.crm_lead_convert_action"
        )
        action["context"] = {"default_lead_ids": self._selected_leads().ids}
        return action

    def action_open_mass_update(self):
        """LEAD-8: the mass update of these leads (the Action menu's entry)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_prospection.crm_lead_mass_update_action"
        )
        action["context"] = {"default_lead_ids": self._selected_leads().ids}
        return action

    def _crm_updated_notification(self, action_name):
        """LEAD-8: the feedback of an "Update Record" server action, which itself
        returns nothing. A "Multi Actions" runs its children lead by lead, so the
        notification names the action, not a count."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(action)s: done.", action=action_name),
            },
        }

    def _selected_leads(self):
        """The leads an Action menu entry runs on. The web client sends the ids
        of at most ``web.active_ids_limit`` records; when the user selected the
        whole list beyond that, the list's domain names every lead."""
        domain = self.env.context.get("active_domain")
        limit = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("web.active_ids_limit", "20000")
        )
        if domain is None or len(self) < int(limit):
            return self
        return self.search(Domain(domain))

    # LEAD-10's buttons only read: served by a replica when there is one.
    @api.readonly
    def action_show_potential_duplicates(self):
        return super().action_show_potential_duplicates()

    @api.readonly
    def action_show_duplicate_partners(self):
        """LEAD-10: the contacts and prospects this lead looks like."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Similar contacts"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.duplicate_partner_ids.ids)],
            "context": {"create": False},
        }

    def action_open_lost_wizard(self):
        """Lost asks for a reason (and its free text when the reason requires one)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_lost_action"
        )
        action["context"] = {
            "dialog_size": "medium",
            "default_lead_ids": self.ids,
        }
        return action
