# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Query counts of the screens and actions users repeat all day, as Odoo's CRM
tests write them (``@users``, ``@warmup``, ``assertQueryCount``): each is
measured at two sizes, so that a query per record shows as a failure. Tracking
is on, as users run the add-on, and the end of the request (Odoo's tracking
messages) is counted too."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged, users, warmup

from .common import CrmLeadCase

START = datetime(2026, 12, 7, 9, 0)


@tagged("post_install", "-at_install")
class TestQueryCounts(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Query team"})
        cls.tags = cls.env["crm.tag"].create([{"name": f"Q{i}"} for i in range(3)])
        cls.agency = cls.env["crm.agency"].create({"name": "Query agency"})
        cls.sources = cls.env["utm.source"].create(
            [{"name": f"Query source {i}"} for i in range(3)]
        )
        cls.extra_statuses = cls.env["crm.lead.status"].create(
            [{"name": f"Extra {i}", "sequence": 11 + i} for i in range(5)]
        )

    def _leads(self, count, **values):
        """``count`` leads of the current user's environment, spread over
        statuses, sources and tags as a real list is."""
        statuses = self.status_to_process | self.status_marketing | self.extra_statuses
        return self.env["crm.lead"].create(
            [
                dict(
                    {
                        "name": f"Query lead {index}",
                        "type": "lead",
                        "partner_name": f"Query company {index}",
                        "contact_name": f"Query person {index}",
                        "email_from": f"person{index}@query{index}.example",
                        "user_id": self.salesman_all.id,
                        "agency_id": self.agency.id,
                        "source_id": self.sources[index % 3].id,
                        "lead_status_id": statuses[index % len(statuses)].id,
                        "tag_ids": [Command.set(self.tags.ids)],
                    },
                    **values,
                )
                for index in range(count)
            ]
        )

    def _events(self, leads, per_lead=1):
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        model_id = self.env["ir.model"]._get_id("crm.lead")
        return Event.create(
            [
                {
                    "name": f"Call {lead.id}/{index}",
                    "crm_event_type": "call",
                    "start": START + timedelta(hours=index),
                    "stop": START + timedelta(hours=index, minutes=30),
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "opportunity_id": lead.id,
                    "user_id": self.salesman_all.id,
                }
                for lead in leads
                for index in range(per_lead)
            ]
        )

    def _specification(self, xmlid, view_type):
        """What the web client asks for a view: every field, the display name of
        relations, the fields of x2many lists (a page of them)."""
        view = self.env.ref(xmlid)
        result = self.env["crm.lead"].get_views([(view.id, view_type)])
        models = result["models"]
        fields_ = models["crm.lead"]["fields"]
        spec = {}
        for name, info in fields_.items():
            if info["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif info["type"] in ("one2many", "many2many"):
                sub = models.get(info["relation"], {}).get("fields", {})
                spec[name] = {"fields": dict.fromkeys(sub, {}), "limit": 40}
            else:
                spec[name] = {}
        return spec

    @users("user_sales_leads")
    @warmup
    def test_list_read_constant(self):
        """LEAD-9: the list view of leads costs the same for a few leads as for
        a full page; the full page adds the web client's count, once."""
        spec = self._specification("crm_prospection.crm_lead_view_list_lead", "list")
        Lead = self.env["crm.lead"]
        for count, queries in ((10, 9), (80, 10)):
            leads = self._leads(count)
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=queries):
                result = Lead.web_search_read([("id", "in", leads.ids)], spec, limit=80)
            self.assertEqual(result["length"], count)

    @users("user_sales_leads")
    @warmup
    def test_kanban_grouped_by_status_constant(self):
        """LEAD-9, STAT-2: the kanban grouped by status (counts and the first
        cards of every column) costs the same for a few leads as for many."""
        spec = self._specification(
            "crm_prospection.crm_lead_view_kanban_lead", "kanban"
        )
        for count in (9, 60):
            leads = self._leads(count)
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=13):
                self.env["crm.lead"].web_read_group(
                    [("id", "in", leads.ids)],
                    ["lead_status_id"],
                    auto_unfold=True,
                    unfold_read_specification=spec,
                    unfold_read_default_limit=40,
                )

    @users("user_sales_leads")
    @warmup
    def test_form_constant_in_events(self):
        """LEAD-5, EVT-5, EVT-7: opening a lead's form (events tab, similar leads
        and contacts, campaigns) costs the same with few events and many."""
        spec = self._specification("crm_prospection.crm_lead_view_form_lead", "form")
        few, many = self._leads(2)
        self._events(few, 3)
        self._events(many, 60)
        for lead in (few, many):
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=27):
                lead.web_read(spec)

    @users("user_sales_leads")
    @warmup
    def test_status_change_constant(self):
        """STAT-5: moving leads to another status, tracked, costs the same for
        one lead as for many, but for the message Odoo's tracking logs on each."""
        for count, queries in ((1, 11), (50, 109)):
            leads = self._leads(count)
            self.env.cr.flush()  # created in an earlier request
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=queries):
                leads.write({"lead_status_id": self.status_sales.id})

    @users("user_sales_leads")
    @warmup
    def test_status_bar_click(self):
        """STAT-5: one click in the status bar of the form."""
        lead = self._leads(1)
        self.env.cr.flush()
        self.env.invalidate_all()
        with self.assertQueryCount(user_sales_leads=12):
            lead.action_set_lead_status(self.status_nurturing.id)

    @users("user_sales_leads")
    @warmup
    def test_events_done_bounded_per_event(self):
        """EVT-2, EVT-7: marking events done recomputes the dates of their leads
        in batch; what grows with the events is Odoo's completion of each one's
        Meeting activity, which posts its note on the lead (a message each).
        Odoo's own completion of the same activities is measured beside it:
        ours adds a few queries once (the status, the leads' dates) and, per
        event, only the tracking message of its status (2 queries today, 3
        allowed)."""
        odoo, ours = {}, {}
        for count in (5, 50):
            leads = self._leads(count)
            events = self._events(leads)
            theirs = self._events(self._leads(count))
            self.assertEqual(len(theirs.activity_ids), count)
            self.env.cr.flush()
            self.env.invalidate_all()
            with self.countQueries() as odoo[count]:
                theirs.activity_ids.action_done()
            self.env.invalidate_all()
            with self.countQueries() as ours[count]:
                events.action_crm_done()
            self.assertEqual(leads.mapped("date_last_event"), [START] * count)
        for count in odoo:
            self.assertQueriesAtMost(odoo[count], ours[count], margin=10 + 3 * count)
        extra = {count: ours[count].count - odoo[count].count for count in ours}
        self.assertQueriesPerRecord(extra, 3)

    @users("user_sales_leads")
    @warmup
    def test_mass_update_bounded_per_lead(self):
        """LEAD-8: a mass update writes all leads at once and logs their
        tracking notes in one batch: no query per lead; no assignment e-mail
        per lead."""
        for count, queries in ((10, 30), (100, 30)):
            leads = self._leads(count, user_id=self.salesman.id)
            # Odoo tracks a record created in a request from the next one on.
            self.env.cr.flush()
            wizard = (
                self.env["crm.lead.mass.update"]
                .with_context(default_lead_ids=leads.ids)
                .create({"user_id": self.salesman_all.id, "team_id": self.team.id})
            )
            Message = self.env["mail.message"].sudo()
            messages = Message.search_count([])
            Mail = self.env["mail.mail"].sudo()
            last_mail = Mail.search([], order="id desc", limit=1)
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=queries):
                wizard.action_apply()
            self.assertEqual(leads.user_id, self.salesman_all)
            new = Message.search(
                [("model", "=", "crm.lead"), ("res_id", "in", leads.ids)],
                order="id desc",
            )[:count]
            self.assertEqual(Message.search_count([]) - messages, count)
            self.assertEqual(sorted(new.mapped("res_id")), sorted(leads.ids))
            tracked = new.tracking_value_ids.field_id.mapped("name")
            self.assertIn("user_id", tracked)
            self.assertIn("team_id", tracked)
            self.assertFalse(
                Mail.search([("id", ">", last_mail.id), ("res_id", "in", leads.ids)]),
                "no assignment e-mail per lead",
            )

    @users("user_sales_leads")
    @warmup
    def test_batch_conversion_bounded_per_lead(self):
        """CONV-6: a batch conversion creates the companies, contacts and
        opportunities in batch and logs its notes in batches; per lead remain
        the lead's write, its status change tracked by Odoo and its events."""
        for count, queries in ((2, 97), (12, 276)):
            leads = self._leads(count, lead_status_id=self.status_sales.id)
            self.env.cr.flush()
            wizard = (
                self.env["crm.lead.convert"]
                .with_context(default_lead_ids=leads.ids)
                .create({"create_opportunity": True})
            )
            self.env.invalidate_all()
            with self.assertQueryCount(user_sales_leads=queries):
                wizard.action_convert()
            self.assertEqual(leads.lead_status_id, self.status_converted)
