# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import escape_psql

from ..models.crm_assignable_mixin import ASSIGNABLE_USER_DOMAIN

PARTNER_KIND_VALUES = {
    "prospect": {"is_prospect": True},
    "customer": {"customer_rank": 1},
    "supplier": {"supplier_rank": 1},
}
# Written on the lead's own contact whatever it already has: the conversion's
# choices (kind, salesperson, language, agency, company) and, for a contact,
# its company, roles and the address it takes from there.
KIND_FIELDS = {
    "is_prospect",
    "customer_rank",
    "supplier_rank",
    "user_id",
    "lang",
    "agency_id",
    "company_id",
}
CONTACT_FIELDS = KIND_FIELDS | {"parent_id", "role_ids", "company_name", "type"}


class CrmLeadConvert(models.TransientModel):
    """Convert qualified leads into a partner, its contact and an opportunity
    (CONV-1…CONV-6), all in one transaction."""

    _name = "crm.lead.convert"
    _description = "Convert leads"
    _inherit = ["crm.lead.wizard.mixin", "crm.language.mixin", "crm.batch.job.mixin"]
    _batch_job_type = "conversion"
    _batch_job_size = 100
    # X-3: the partner, contact and team belong to the leads' company (or none).
    _check_company_auto = True

    # CONV-2: the partner
    partner_action = fields.Selection(
        [("create", "Create a new partner"), ("exist", "Select an existing partner")],
        string="Partner",
        compute="_compute_partner_action",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Existing partner",
        domain="[('parent_id', '=', False)]",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    partner_is_company = fields.Boolean(related="partner_id.is_company")
    proposed_partner_ids = fields.Many2many(
        "res.partner",
        string="Similar partners",
        compute="_compute_proposed_partner_ids",
    )
    partner_kind = fields.Selection(
        [("prospect", "Prospect"), ("customer", "Customer"), ("supplier", "Supplier")],
        string="New partner is a",
        default="prospect",
        required=True,
    )
    is_company = fields.Boolean(
        string="Company",
        compute="_compute_is_company",
        store=True,
        readonly=False,
        precompute=True,
        help="A company gets the lead's person as its contact; an individual is a "
        "single partner.",
    )
    lang = fields.Selection(compute="_compute_lang", store=True, readonly=False)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        domain=ASSIGNABLE_USER_DOMAIN,
    )

    # CONV-3: the contact
    contact_action = fields.Selection(
        [("create", "Create a new contact"), ("exist", "Select an existing contact")],
        string="Contact",
        compute="_compute_contact_action",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Existing contact",
        domain="[('is_company', '=', False), ('type', '=', 'contact'), '|',"
        " ('parent_id', '=', partner_id), ('id', '=', lead_contact_id)]",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    role_ids = fields.Many2many("res.partner.role", string="Contact roles")
    # The lead's contact made before the conversion (an e-mail, an invitation):
    # completed by the conversion, never doubled.
    lead_contact_id = fields.Many2one(
        "res.partner",
        string="Lead's contact",
        compute="_compute_lead_contact_id",
    )
    # The person's details, from the lead, to fill in or correct (one lead).
    contact_first_name = fields.Char(
        string="First name",
        compute="_compute_contact_first_name",
        store=True,
        readonly=False,
    )
    contact_last_name = fields.Char(
        string="Last name",
        compute="_compute_contact_last_name",
        store=True,
        readonly=False,
    )
    contact_email = fields.Char(
        string="E-mail",
        compute="_compute_contact_email",
        store=True,
        readonly=False,
    )
    contact_phone = fields.Char(
        string="Phone",
        compute="_compute_contact_phone",
        store=True,
        readonly=False,
    )
    contact_job_position_id = fields.Many2one(
        "res.partner.job_position",
        string="Job position",
        compute="_compute_contact_job_position_id",
        store=True,
        readonly=False,
    )

    # CONV-4: the opportunity
    create_opportunity = fields.Boolean(string="Create opportunity")
    opportunity_name = fields.Char(
        string="Opportunity",
        compute="_compute_opportunity_name",
        store=True,
        readonly=False,
    )
    expected_revenue = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    probability = fields.Float(
        compute="_compute_probability", store=True, readonly=False
    )
    date_deadline = fields.Date(string="Expected closing")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    stage_id = fields.Many2one(
        "crm.stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    opportunity_user_id = fields.Many2one(
        "res.users",
        string="Opportunity salesperson",
        compute="_compute_opportunity_user_id",
        store=True,
        readonly=False,
        domain=ASSIGNABLE_USER_DOMAIN,
    )

    _check_probability = models.Constraint(
        "CHECK(probability >= 0 AND probability <= 100)",
        "The probability must be between 0 and 100.",
    )

    @api.model
    def default_get(self, fields_list):
        """CONV-1: a single lead is refused at once when it cannot be converted."""
        values = super().default_get(fields_list)
        context = self.env.context
        lead_ids = context.get("default_lead_ids") or (
            context.get("active_model") == "crm.lead" and context.get("active_ids")
        )
        if lead_ids:
            values["lead_ids"] = [Command.set(lead_ids)]
            if len(lead_ids) == 1:
                self._check_convertible(self.env["crm.lead"].browse(lead_ids))
        return values

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("company_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = (wizard.company_id or self.env.company).currency_id

    @api.depends("lead_ids")
    def _compute_is_company(self):
        for wizard in self:
            lead = wizard.lead_ids[:1]
            wizard.is_company = bool(lead.partner_name) or not lead.contact_name

    @api.depends("lead_ids")
    def _compute_lang(self):
        """The language of the partners the lead makes: the lead's, else its
        company's default for new partners (Settings), else the user's."""
        installed = dict(self._get_languages())
        for wizard in self:
            lead = wizard.lead_ids[:1]
            code = (
                lead._crm_partner_lang()
                if lead
                else self.env.company._crm_partner_lang_for(self.env.user)
            ) or self.env.lang
            wizard.lang = code if code in installed else False

    def _lead_customer(self):
        """The customer of a single lead, if any."""
        return self._single_lead().partner_id

    @api.depends("lead_ids")
    def _compute_partner_action(self):
        """A lead whose customer is a company, or a contact of one, is converted
        into that company by default, as in Odoo; the others into a new one."""
        for wizard in self:
            company = wizard._lead_customer().commercial_partner_id
            wizard.partner_action = "exist" if company.is_company else "create"

    @api.depends("lead_ids")
    def _compute_partner_id(self):
        for wizard in self:
            company = wizard._lead_customer().commercial_partner_id
            wizard.partner_id = company if company.is_company else False

    def _lead_customer_person(self):
        """The lead's customer when it is a contact of the chosen company."""
        self.ensure_one()
        person = self._lead_customer()
        if self.partner_id and person.parent_id == self.partner_id:
            return person
        return person.browse()

    def _proposed_contact(self):
        """The contact proposed: the lead's customer when it is a contact of the
        chosen company; else, when the lead becomes a company's, the lead's own
        contact (made when it was e-mailed or invited), completed rather than
        doubled."""
        person = self._lead_customer_person()
        if self.partner_action == "exist":
            joins_a_company = self.partner_id.is_company
        else:
            joins_a_company = self.is_company
        if person or not joins_a_company:
            return person
        return self.lead_contact_id

    @api.depends("lead_ids", "partner_id", "partner_action", "is_company")
    def _compute_contact_action(self):
        for wizard in self:
            wizard.contact_action = "exist" if wizard._proposed_contact() else "create"

    @api.depends("lead_ids", "partner_id", "partner_action", "is_company")
    def _compute_contact_id(self):
        for wizard in self:
            wizard.contact_id = wizard._proposed_contact()

    @api.depends("lead_ids")
    def _compute_lead_contact_id(self):
        for wizard in self:
            lead = wizard._single_lead()
            wizard.lead_contact_id = lead._crm_own_contact() if lead else False

    def _single_lead(self):
        self.ensure_one()
        return self.lead_ids if len(self.lead_ids) == 1 else self.lead_ids.browse()

    @api.depends("lead_ids")
    def _compute_contact_first_name(self):
        for wizard in self:
            wizard.contact_first_name = wizard._single_lead().first_name

    @api.depends("lead_ids")
    def _compute_contact_last_name(self):
        for wizard in self:
            lead = wizard._single_lead()
            wizard.contact_last_name = lead.last_name or (
                not lead.first_name and lead.contact_name
            )

    @api.depends("lead_ids")
    def _compute_contact_email(self):
        for wizard in self:
            wizard.contact_email = wizard._single_lead().email_from

    @api.depends("lead_ids")
    def _compute_contact_phone(self):
        for wizard in self:
            wizard.contact_phone = wizard._single_lead().phone

    @api.depends("lead_ids")
    def _compute_contact_job_position_id(self):
        for wizard in self:
            wizard.contact_job_position_id = wizard._single_lead().job_position_id

    @api.depends("lead_ids")
    def _compute_user_id(self):
        for wizard in self:
            wizard.user_id = wizard.lead_ids[:1].user_id

    # One compute per field: a value given for one must not block the others.
    @api.depends("lead_ids")
    def _compute_opportunity_name(self):
        for wizard in self:
            single = len(wizard.lead_ids) == 1
            wizard.opportunity_name = wizard.lead_ids.name if single else False

    @api.depends("lead_ids")
    def _compute_probability(self):
        for wizard in self:
            wizard.probability = wizard.lead_ids[:1].probability

    @api.depends("lead_ids")
    def _compute_team_id(self):
        for wizard in self:
            wizard.team_id = wizard.lead_ids[:1].team_id

    @api.depends("lead_ids")
    def _compute_opportunity_user_id(self):
        for wizard in self:
            wizard.opportunity_user_id = wizard.lead_ids[:1].user_id

    @api.depends("team_id")
    def _compute_stage_id(self):
        for wizard in self:
            wizard.stage_id = self.env["crm.lead"]._stage_find(
                team_id=wizard.team_id.id, domain=[("fold", "=", False)]
            )

    @api.depends("lead_ids")
    def _compute_proposed_partner_ids(self):
        """CONV-2: partners that look like the lead (e-mail domain, e-mail,
        company name), so that users pick them rather than create duplicates."""
        Partner = self.env["res.partner"]
        for wizard in self:
            lead = wizard.lead_ids[:1]
            domains = [lead._partner_email_domain()]
            if lead.partner_name:
                domains.append(
                    Domain("name", "ilike", escape_psql(lead.partner_name.strip()))
                )
            partners = Partner
            if len(wizard.lead_ids) == 1:
                partners = Partner.search(
                    Domain.OR(domains) & Domain("id", "!=", lead.partner_id.id),
                    limit=10,
                ).commercial_partner_id
            wizard.proposed_partner_ids = partners

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if (
            self.contact_id
            and self.contact_id.parent_id != self.partner_id
            and self.contact_id != self.lead_contact_id
        ):
            self.contact_id = False
        if self.partner_id and not self.partner_id.is_company:
            self.contact_action = "create"

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    @api.model
    def _conversion_problem(self, lead):
        """Why ``lead`` cannot be converted, or False (CONV-1)."""
        if lead.type != "lead":
            return self.env._("%s is an opportunity, not a lead.", lead.display_name)
        if lead.lead_status_code == "converted" or lead.converted_partner_id:
            return self.env._("%s is already converted.", lead.display_name)
        if lead.company_id and lead.company_id not in self.env.companies:
            return self.env._(
                "%(lead)s belongs to %(company)s: switch to that company to "
                "convert it.",
                lead=lead.display_name,
                company=lead.company_id.name,
            )
        if not lead.lead_status_allow_conversion:
            allowed = self.env["crm.lead.status"].search(
                [("allow_conversion", "=", True)]
            )
            return self.env._(
                "%(lead)s is in the status %(status)s; leads are converted from "
                "%(allowed)s.",
                lead=lead.display_name,
                status=lead.lead_status_id.name,
                allowed=", ".join(allowed.mapped("name"))
                or self.env._("a status allowing conversion"),
            )
        return False

    @api.model
    def _check_convertible(self, leads):
        problems = [
            problem for lead in leads if (problem := self._conversion_problem(lead))
        ]
        if problems:
            raise UserError("\n".join(problems))

    def _check_options(self):
        if not self.lead_ids:
            raise UserError(self.env._("Select the leads to convert."))
        # The chosen partner and contact; the salesperson and the team come from
        # the lead and may well be archived (a salesperson gone).
        self._check_not_archived(
            [
                name
                for name, action in (
                    ("partner_id", self.partner_action),
                    ("contact_id", self.contact_action),
                )
                if action == "exist"
            ]
        )
        if self.partner_action == "exist" and not self.partner_id:
            raise UserError(self.env._("Select the existing partner."))
        own_contact = self.contact_id and self.contact_id == self.lead_contact_id
        if self.contact_action == "exist" and own_contact:
            if not (
                self.is_company
                if self.partner_action == "create"
                else self.partner_id.is_company
            ):
                raise UserError(
                    self.env._(
                        "%s, the lead's contact, can only join a company: choose "
                        "or create one, or convert the lead into an individual.",
                        self.contact_id.display_name,
                    )
                )
        elif self.contact_action == "exist":
            if self.partner_action != "exist" or not self.partner_id.is_company:
                raise UserError(
                    self.env._(
                        "An existing contact can only be chosen among the contacts "
                        "of an existing company."
                    )
                )
            if not self.contact_id:
                raise UserError(self.env._("Select the existing contact."))
            if self.contact_id.parent_id != self.partner_id:
                raise UserError(
                    self.env._(
                        "%(contact)s is not a contact of %(partner)s.",
                        contact=self.contact_id.display_name,
                        partner=self.partner_id.display_name,
                    )
                )
            if len(self.lead_ids) > 1:
                raise UserError(
                    self.env._("Several leads cannot share one existing contact.")
                )
        if self.create_opportunity and len(self.lead_ids) == 1:
            if not (self.opportunity_name or "").strip():
                raise UserError(self.env._("Give the opportunity a name."))

    # ------------------------------------------------------------------
    # Conversion
    # ------------------------------------------------------------------

    def action_convert(self):
        """CONV-5, CONV-6: convert every selected lead with the same options, in
        one transaction; the leads are locked so that no lead is converted twice.
        Above the company's threshold the conversion runs in the background."""
        self.ensure_one()
        self._check_options()
        leads = self.lead_ids
        if len(leads) > self.env.company.crm_batch_threshold:
            return self._batch_job_queue()
        locked = leads.try_lock_for_update(allow_referencing=True)
        if len(leads) == 1 and not locked:
            raise UserError(
                self.env._(
                    "%s is being converted or edited by another user: try again in a "
                    "moment.",
                    leads.display_name,
                )
            )
        # Re-read what another transaction may have changed before the lock.
        leads.invalidate_recordset()
        if len(leads) == 1:
            self._check_convertible(leads)
            result = self._convert_leads(leads)[0]
            return self._action_open_partner(result["partner"])
        converted, failures = self._convert_batch(leads, locked)
        return self._action_batch_result(converted, list(failures.values()))

    def _convert_batch(self, leads, locked):
        """Convert the ``leads`` that can be (those of ``locked``, the others
        being edited by another user); returns the partners they became and the
        reason of each lead not converted, by lead."""
        convertible, failures = leads.browse(), {}
        for lead in leads:
            problem = (
                self._conversion_problem(lead)
                if lead in locked
                else self.env._(
                    "%s is being edited by another user.", lead.display_name
                )
            )
            if problem:
                failures[lead] = problem
            else:
                convertible |= lead
        # The salesperson follows what it is given without an e-mail per record,
        # as after Odoo's automatic assignment.
        batch = self.with_context(mail_auto_subscribe_no_notify=True)
        converted = self.env["res.partner"]
        try:
            # All together, one create per kind of record...
            with self.env.cr.savepoint():
                for result in batch._convert_leads(convertible, batch=True):
                    converted |= result["partner"]
        except (UserError, ValidationError):
            # ... or, when one lead fails, one by one: the others are converted
            # and the failures named.
            converted = self.env["res.partner"]
            for lead in convertible:
                try:
                    with self.env.cr.savepoint():
                        converted |= batch._convert_leads(lead, batch=True)[0][
                            "partner"
                        ]
                except (UserError, ValidationError) as error:
                    failures[lead] = f"{lead.display_name}: {error.args[0]}"
        return converted, failures

    def _describe_options(self):
        labels = dict(self._fields["partner_kind"]._description_selection(self.env))
        if self.partner_action == "exist":
            partner = self.env._("Existing partner: %s", self.partner_id.display_name)
        else:
            partner = self.env._("New partner: %s", labels[self.partner_kind])
        if not self.create_opportunity:
            return partner
        return "\n".join([partner, self.env._("With an opportunity")])

    # ------------------------------------------------------------------
    # In the background (crm.batch.job)
    # ------------------------------------------------------------------

    def _batch_job_describe(self):
        return self._describe_options()

    def _batch_job_values(self):
        values = super()._batch_job_values()
        # Several leads: each opportunity is named after its lead, even in a
        # batch of one.
        values.pop("opportunity_name", None)
        return values

    def _batch_job_apply(self, lines):
        """Convert the leads of ``lines``; a lead that cannot be converted (any
        more: converted, lost or edited since the job was queued) fails alone,
        with its reason."""
        self._check_options()
        leads = lines.lead_id
        locked = leads.try_lock_for_update(allow_referencing=True)
        leads.invalidate_recordset()
        _converted, failures = self._convert_batch(leads, locked)
        return {
            line: ("failed", failures[line.lead_id])
            for line in lines
            if line.lead_id in failures
        }

    def _convert_leads(self, leads, batch=False):
        """Create the partners, contacts and opportunities of ``leads`` (one
        create per kind of record) and mark the leads Converted; returns, per
        lead, what it became. A ``batch`` conversion notifies no one of each
        opportunity created (see ``_create_opportunities``)."""
        partners = self._get_or_create_partners(leads)
        contacts = self._get_or_create_contacts(leads, partners)
        opportunities = self._create_opportunities(
            leads, partners, contacts, batch=batch
        )
        now = fields.Datetime.now()
        results = []
        for lead, partner, contact, opportunity in zip(
            leads, partners, contacts, opportunities, strict=True
        ):
            # Odoo's tracking logs the status change, as any other.
            lead._crm_mark_converted(
                {
                    "converted_partner_id": partner.id,
                    "converted_contact_id": contact.id,
                    "converted_opportunity_id": opportunity.id,
                    "date_conversion": now,
                }
            )
            # The lead's events now involve the partner (or its contact); it is
            # not e-mailed an invitation to meetings it may already have had.
            # They stay the lead's (their related record) and become the
            # opportunity's meetings too (Odoo's link): an event is related to
            # the lead and to what it became.
            events = lead.crm_linked_event_ids
            if events:
                events.with_context(no_mail_to_attendees=True).write(
                    {"partner_ids": [Command.link((contact or partner).id)]}
                )
                if opportunity:
                    events._crm_follow_opportunity(lead, opportunity)
            results.append(
                {"partner": partner, "contact": contact, "opportunity": opportunity}
            )
        self._log_conversions(leads, results)
        return results

    def _person_details(self, lead):
        """The lead's person as the conversion window shows it, corrected by
        the user (one lead), or as the lead has it (several leads)."""
        if len(self.lead_ids) > 1:
            return {}
        name = " ".join(
            part.strip()
            for part in (self.contact_first_name, self.contact_last_name)
            if part and part.strip()
        )
        return {
            "name": name or lead.contact_name,
            "email": self.contact_email,
            "phone": self.contact_phone,
            "job_position_id": self.contact_job_position_id.id,
        }

    def _owned_values(self, lead):
        """What the partners made from ``lead`` take from it rather than from
        their creator: its agency and company, the chosen language."""
        values = {
            "agency_id": lead.agency_id.id,
            "company_id": lead.company_id.id,
        }
        if self.lang:
            values["lang"] = self.lang
        return values

    @api.model
    def _complete_partner(self, partner, values, keep):
        """Complete the lead's own contact with ``values`` rather than create a
        second one: the ``keep`` fields it already has stay as they are."""
        partner.write(
            {
                name: value
                for name, value in values.items()
                if name not in keep or not partner[name]
            }
        )
        return partner

    def _get_or_create_partners(self, leads):
        if self.partner_action == "exist":
            return [self.partner_id] * len(leads)
        leads._crm_create_partner_categories()
        partners = [self.env["res.partner"]] * len(leads)
        to_create = {}
        for index, lead in enumerate(leads):
            details = self._person_details(lead)
            if self.is_company:
                name = lead.partner_name or lead.contact_name or lead.name
            else:
                name = details.get("name") or lead.contact_name
                name = name or lead.partner_name or lead.name
            values = lead._prepare_customer_values(name, is_company=self.is_company)
            values.update(PARTNER_KIND_VALUES[self.partner_kind])
            values.update(self._owned_values(lead))
            values["user_id"] = self.user_id.id
            for field_name in ("email", "phone"):
                if details.get(field_name):
                    values[field_name] = details[field_name]
            if not self.is_company:
                values.update({name: value for name, value in details.items() if value})
                own = lead._crm_own_contact()
                if own:
                    # The lead's person is already a partner (its e-mail or
                    # invitation made it): it becomes the partner.
                    partners[index] = self._complete_partner(
                        own, values, keep=set(values) - set(details) - KIND_FIELDS
                    )
                    continue
            to_create[index] = values
        created = (
            self.env["res.partner"]
            .with_context(default_user_id=False, mail_create_nosubscribe=True)
            .create(list(to_create.values()))
        )
        for index, partner in zip(to_create, created, strict=True):
            partners[index] = partner
        return partners

    def _get_or_create_contacts(self, leads, partners):
        Partner = self.env["res.partner"]
        contacts = [Partner] * len(leads)
        to_create = {}
        for index, (lead, partner) in enumerate(zip(leads, partners, strict=True)):
            if not partner.is_company:
                continue
            own = lead._crm_own_contact()
            details = self._person_details(lead)
            if self.contact_action == "exist" and self.contact_id != own:
                contacts[index] = self.contact_id
                continue
            name = details.get("name") or lead.contact_name
            if not name:
                continue
            values = lead._prepare_customer_values(
                name, is_company=False, parent_id=partner.id
            )
            values.update(self._owned_values(lead))
            values.update(
                {name: value for name, value in details.items() if value},
                role_ids=[Command.set(self.role_ids.ids)],
                user_id=partner.user_id.id,
            )
            if own:
                # The lead's own contact joins the company: no second one.
                values["company_name"] = False
                contacts[index] = self._complete_partner(
                    own, values, keep=set(values) - set(details) - CONTACT_FIELDS
                )
                continue
            to_create[index] = values
        created = Partner.with_context(mail_create_nosubscribe=True).create(
            list(to_create.values())
        )
        for index, contact in zip(to_create, created, strict=True):
            contacts[index] = contact
        return contacts

    def _create_opportunities(self, leads, partners, contacts, batch=False):
        """One opportunity per lead. Odoo posts each new opportunity's creation
        message to the followers of its team's "Opportunity created"; a batch
        logs no creation message (``mail_create_nolog``, as Odoo's imports): the
        conversion's own note, logged together, tells where each comes from."""
        Lead = self.env["crm.lead"].with_context(mail_create_nosubscribe=True)
        if batch:
            Lead = Lead.with_context(mail_create_nolog=True)
        if not self.create_opportunity:
            return [Lead] * len(leads)
        values_list = []
        for lead, partner, contact in zip(leads, partners, contacts, strict=True):
            values = {
                "type": "opportunity",
                "name": (len(self.lead_ids) == 1 and self.opportunity_name)
                or lead.name,
                "partner_id": (contact or partner).id,
                "origin_lead_id": lead.id,
                "expected_revenue": self.expected_revenue,
                "probability": self.probability,
                "date_deadline": self.date_deadline,
                "team_id": (self.team_id or lead.team_id).id,
                "user_id": (self.opportunity_user_id or lead.user_id).id,
                "company_id": lead.company_id.id,
                "agency_id": lead.agency_id.id,
                "source_id": lead.source_id.id,
                "campaign_id": lead.campaign_id.id,
                "medium_id": lead.medium_id.id,
                "tag_ids": [Command.set(lead.tag_ids.ids)],
                "description": lead.description,
            }
            if self.stage_id:
                values["stage_id"] = self.stage_id.id
            values_list.append(values)
        return list(Lead.create(values_list))

    def _log_conversions(self, leads, results):
        """CONV-5: the chatter of the leads and of what they became tells the
        story, logged in one batch per kind of record."""
        bodies = defaultdict(lambda: defaultdict(list))  # model, id: paragraphs
        for lead, result in zip(leads, results, strict=True):
            partner = result["partner"]
            links = Markup(", ").join(
                record._get_html_link()
                for record in (partner, result["contact"], result["opportunity"])
                if record
            )
            bodies["crm.lead"][lead.id].append(
                Markup("%s %s") % (self.env._("Converted into:"), links)
            )
            lead_link = lead._get_html_link()
            created = [result["contact"], result["opportunity"]]
            if self.partner_action == "create":
                created.append(partner)
            else:
                bodies["res.partner"][partner.id].append(
                    Markup(self.env._("The lead %s was converted into this partner."))
                    % lead_link
                )
            for record in filter(None, created):
                bodies[record._name][record.id].append(
                    Markup(self.env._("Created from the lead %s.")) % lead_link
                )
        for model_name, by_id in bodies.items():
            self.env[model_name].browse(by_id)._message_log_batch(
                {
                    record_id: Markup("<br/>").join(paragraphs)
                    for record_id, paragraphs in by_id.items()
                }
            )

    def _action_open_partner(self, partner):
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _action_batch_result(self, partners, failures):
        next_action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Converted leads' partners"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", partners.ids)],
            "target": "current",
        }
        message = self.env._(
            "%(count)s lead(s) converted.", count=len(self.lead_ids) - len(failures)
        )
        if failures:
            message += "\n" + self.env._("Not converted:") + "\n" + "\n".join(failures)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if failures else "success",
                "sticky": bool(failures),
                "message": message,
                "next": next_action
                if partners
                else {"type": "ir.actions.act_window_close"},
            },
        }
