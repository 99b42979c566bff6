# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

# Criterion of the screen: (field of leads, field of partners); None when it does
# not apply to that target. A partner's teams are its salesperson's.
CRITERIA = {
    "country_ids": ("country_id", "country_id"),
    "state_ids": ("state_id", "state_id"),
    "industry_ids": ("industry_id", "industry_id"),
    "category_ids": ("partner_category_id", "category_id"),
    "agency_ids": ("agency_id", "agency_id"),
    "user_ids": ("user_id", "user_id"),
    "team_ids": ("team_id", "user_id.crm_team_ids"),
    "lead_status_ids": ("lead_status_id", None),
}


class CrmPipelineTracking(models.TransientModel):
    """PIPE-1: choose leads or partners by criteria, then see them, their
    opportunities or their events. Every list is a domain, never a list of ids:
    it stays live, and opening it costs the same whatever the number of matches."""

    _name = "crm.pipeline.tracking"
    _description = "Sales pipeline tracking"

    target = fields.Selection(
        [("lead", "Leads"), ("partner", "Partners")],
        string="Track",
        default="lead",
        required=True,
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many(
        "res.country.state",
        string="States",
        domain="[('country_id', 'in', country_ids)] if country_ids else []",
    )
    industry_ids = fields.Many2many("res.partner.industry", string="Industries")
    category_ids = fields.Many2many("res.partner.category", string="Categories")
    agency_ids = fields.Many2many("crm.agency", string="Agencies")
    user_ids = fields.Many2many(
        "res.users", string="Assigned to", domain="[('share', '=', False)]"
    )
    team_ids = fields.Many2many("crm.team", string="Sales teams")
    lead_status_ids = fields.Many2many("crm.lead.status", string="Lead statuses")
    is_key_account = fields.Boolean(string="Key accounts only")
    date_from = fields.Date(string="Created from")
    date_to = fields.Date(string="Created until")
    record_count = fields.Integer(string="Matching records", compute="_compute_counts")
    opportunity_count = fields.Integer(
        string="Their opportunities", compute="_compute_counts"
    )
    event_count = fields.Integer(string="Their events", compute="_compute_counts")

    def _compute_display_name(self):
        for wizard in self:
            wizard.display_name = self.env._("Sales pipeline tracking")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise ValidationError(
                    self.env._("The creation period must start before it ends.")
                )

    @api.depends("target", "is_key_account", "date_from", "date_to", *CRITERIA)
    def _compute_counts(self):
        Lead = self.env["crm.lead"]
        Event = self.env["calendar.event"]
        # Counting over whole tables, PostgreSQL's JIT compiler spends longer
        # compiling than counting (figures in docs/performance.md): off for the
        # rest of this transaction.
        self.env.cr.execute("SET LOCAL jit = off")
        for wizard in self:
            wizard.record_count = self.env[wizard._records_model()].search_count(
                wizard._records_domain()
            )
            wizard.opportunity_count = Lead.search_count(wizard._opportunity_domain())
            wizard.event_count = Event.search_count(wizard._event_domain())

    # The counts are computed by the form's onchange, on a record not saved yet:
    # nothing to write, so a replica serves them when there is one. The buttons
    # stay on the primary: they read the wizard the form has just saved there.
    @api.readonly
    def onchange(self, values, field_names, fields_spec):
        return super().onchange(values, field_names, fields_spec)

    # ------------------------------------------------------------------
    # Domains
    # ------------------------------------------------------------------

    def _records_model(self):
        return "crm.lead" if self.target == "lead" else "res.partner"

    def _records_domain(self):
        """The leads (whatever their status, lost ones included) or the partners
        (companies and individuals, not the contacts of a company) that match."""
        self.ensure_one()
        is_lead = self.target == "lead"
        if is_lead:
            domain = Domain("type", "=", "lead") & Domain("active", "in", [True, False])
        else:
            domain = Domain("is_company", "=", True) | Domain("parent_id", "=", False)
        for criterion, targets in CRITERIA.items():
            field_name = targets[0 if is_lead else 1]
            if field_name and self[criterion]:
                domain &= Domain(field_name, "in", self[criterion].ids)
        if self.is_key_account:
            domain &= Domain("is_key_account", "=", True)
        start = self.date_from and self._utc_midnight(self.date_from)
        if start:
            domain &= Domain("create_date", ">=", start)
        end = self.date_to and self._utc_midnight(self.date_to, days_after=1)
        if end:
            domain &= Domain("create_date", "<", end)
        return domain

    def _utc_midnight(self, day, days_after=0):
        """The start of ``day`` (plus ``days_after``) in the user's time zone, as a
        UTC datetime string; None for the day after 9999-12-31 (that bound filters
        nothing). Within a day of the calendar's ends, where the time zone's
        offset cannot be applied, the day starts at midnight UTC: no record lies
        there (PIPE-1, also while the date is typed)."""
        try:
            midnight = datetime.combine(day, time.min) + timedelta(days=days_after)
        except OverflowError:
            return None
        timezone = pytz.timezone(self.env.user.tz or "UTC")
        with contextlib.suppress(OverflowError):
            midnight = timezone.localize(midnight).astimezone(pytz.utc)
        # isoformat: four-digit years (strftime writes year 1 as "1").
        return midnight.replace(tzinfo=None).isoformat(" ")

    def _opportunity_domain(self):
        """Opportunities converted from the matching leads, or whose customer (or
        its company) is a matching partner."""
        records = self._records_domain()
        if self.target == "lead":
            link = Domain("origin_lead_id", "any", records)
        else:
            link = Domain("partner_id.commercial_partner_id", "any", records)
        return Domain("type", "=", "opportunity") & link

    def _event_domain(self):
        """Events of the matching leads and of their opportunities; for partners,
        the events they or their contacts attend, and those of their leads and
        opportunities (EVT-7)."""
        records = self._records_domain()
        if self.target == "lead":
            return Domain(
                "crm_lead_id",
                "any",
                records | Domain("origin_lead_id", "any", records),
            )
        members = Domain("commercial_partner_id", "any", records)
        return Domain("partner_ids", "any", members) | Domain(
            "crm_lead_id",
            "any",
            Domain("partner_id", "any", members)
            | Domain("converted_partner_id", "any", members),
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _tracking_action(self, xmlid, name, domain, context):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update(name=name, domain=list(domain), context=context)
        return action

    def action_open_records(self):
        """See records: the matching leads or partners."""
        self.ensure_one()
        if self.target == "lead":
            return self._tracking_action(
                "crm_prospection.action_leads_open",
                self.env._("Tracked leads"),
                self._records_domain(),
                {"default_type": "lead"},
            )
        return self._tracking_action(
            "crm_prospection.action_customers",
            self.env._("Tracked partners"),
            self._records_domain(),
            {"default_is_company": True},
        )

    def action_open_opportunities(self):
        """See opportunities: those of the matching leads or partners."""
        self.ensure_one()
        return self._tracking_action(
            "crm.crm_lead_opportunities",
            self.env._("Opportunities of the tracked leads")
            if self.target == "lead"
            else self.env._("Opportunities of the tracked partners"),
            self._opportunity_domain(),
            {"default_type": "opportunity"},
        )

    def action_open_events(self):
        """See events: those of the matching leads or partners."""
        self.ensure_one()
        return self._tracking_action(
            "crm_prospection.action_crm_events",
            self.env._("Events of the tracked leads")
            if self.target == "lead"
            else self.env._("Events of the tracked partners"),
            self._event_domain(),
            {"crm_prospection_event": True, "crm_prospection_require_link": True},
        )
