# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmLeadCase

START = "2026-06-01 09:00:00"
STOP = "2026-06-01 10:00:00"


@tagged("post_install", "-at_install")
class TestPipelineTracking(CrmLeadCase):
    """PIPE-1: leads or partners by criteria, their opportunities and events."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.belgium = cls.env.ref("base.be")
        cls.rhone = cls.env["res.country.state"].create(
            {"name": "Rhône (test)", "code": "T69", "country_id": cls.france.id}
        )
        # One by one: partner_industry_secondary's name check takes one record.
        Industry = cls.env["res.partner.industry"]
        cls.printing = Industry.create({"name": "Printing (test)"})
        cls.retail = Industry.create({"name": "Retail (test)"})
        Category = cls.env["res.partner.category"]
        cls.public, cls.private = Category.create(
            [{"name": "Public sector (test)"}, {"name": "Private sector (test)"}]
        )
        cls.agency = cls.env["crm.agency"].create(
            {"name": "Lyon (test)", "company_id": cls.company.id}
        )
        cls.team = cls.env["crm.team"].create({"name": "Tracking team"})
        Lead = cls.env["crm.lead"]
        cls.lead_fr, cls.lead_be, cls.lead_lost = Lead.create(
            [
                {
                    "name": "Lyon printing works",
                    "type": "lead",
                    "country_id": cls.france.id,
                    "state_id": cls.rhone.id,
                    "industry_id": cls.printing.id,
                    "partner_category_id": cls.public.id,
                    "agency_id": cls.agency.id,
                    "user_id": cls.salesman_all.id,
                    "team_id": cls.team.id,
                    "is_key_account": True,
                    "lead_status_id": cls.status_sales.id,
                },
                {
                    "name": "Brussels retail",
                    "type": "lead",
                    "country_id": cls.belgium.id,
                    "industry_id": cls.retail.id,
                    "partner_category_id": cls.private.id,
                    "user_id": cls.sales_manager.id,
                    "team_id": cls.team.id,
                },
                {
                    "name": "Lost printing lead",
                    "type": "lead",
                    "country_id": cls.france.id,
                    "industry_id": cls.printing.id,
                    "team_id": cls.team.id,
                    "user_id": cls.sales_manager.id,
                    "lead_status_id": cls.status_lost.id,
                },
            ]
        )
        Partner = cls.env["res.partner"]
        cls.partner_fr, cls.partner_be = Partner.create(
            [
                {
                    "name": "Imprimerie Lyonnaise",
                    "is_company": True,
                    "country_id": cls.france.id,
                    "state_id": cls.rhone.id,
                    "industry_id": cls.printing.id,
                    "category_id": [Command.set(cls.public.ids)],
                    "agency_id": cls.agency.id,
                    "user_id": cls.salesman_all.id,
                    "is_key_account": True,
                },
                {
                    "name": "Bruxelles Retail",
                    "is_company": True,
                    "country_id": cls.belgium.id,
                    "industry_id": cls.retail.id,
                },
            ]
        )
        cls.contact_fr = Partner.create(
            {"name": "Paul Lyonnais", "parent_id": cls.partner_fr.id}
        )
        opportunity = {"type": "opportunity", "team_id": cls.team.id}
        (
            cls.opp_lead_fr,
            cls.opp_lead_be,
            cls.opp_partner_fr,
            cls.opp_partner_be,
            cls.opp_other,
        ) = Lead.create(
            [
                dict(opportunity, name="From Lyon lead", origin_lead_id=cls.lead_fr.id),
                dict(
                    opportunity,
                    name="From Brussels lead",
                    origin_lead_id=cls.lead_be.id,
                ),
                dict(opportunity, name="For Paul", partner_id=cls.contact_fr.id),
                dict(
                    opportunity,
                    name="For Bruxelles Retail",
                    partner_id=cls.partner_be.id,
                ),
                dict(opportunity, name="Unrelated"),
            ]
        )
        Event = cls.env["calendar.event"]
        event = {"start": START, "stop": STOP, "partner_ids": [Command.set([])]}
        (
            cls.event_lead_fr,
            cls.event_opp_lead_fr,
            cls.event_lead_be,
            cls.event_contact_fr,
            cls.event_opp_partner_fr,
            cls.event_other,
        ) = Event.create(
            [
                dict(event, name="Call Lyon lead", opportunity_id=cls.lead_fr.id),
                dict(event, name="Meet Lyon", opportunity_id=cls.opp_lead_fr.id),
                dict(event, name="Call Brussels", opportunity_id=cls.lead_be.id),
                dict(
                    event,
                    name="Lunch with Paul",
                    partner_ids=[Command.set(cls.contact_fr.ids)],
                ),
                dict(event, name="Demo for Paul", opportunity_id=cls.opp_partner_fr.id),
                dict(event, name="Unrelated", opportunity_id=cls.opp_other.id),
            ]
        )

    def _tracking(self, **values):
        """The screen with the criteria given; leads of the test's team only."""
        if values.get("target", "lead") == "lead":
            values.setdefault("team_ids", [Command.set(self.team.ids)])
        return self.env["crm.pipeline.tracking"].create(values)

    def _results(self, action):
        model = self.env[action["res_model"]].with_context(active_test=True)
        return model.search(action["domain"])

    def test_counts_without_jit(self):
        """PIPE-1: the live counts run without PostgreSQL's JIT compiler, which
        compiles counts over whole tables for longer than they take (see
        docs/performance.md)."""
        self.env.cr.execute("SET LOCAL jit = on")
        tracking = self._tracking(target="partner")
        self.assertGreaterEqual(tracking.record_count, 0)
        self.env.cr.execute("SHOW jit")
        self.assertEqual(self.env.cr.fetchone()[0], "off")

    def test_leads(self):
        """PIPE-1: leads by country: the French ones (lost included), the
        opportunities converted from them, their events and their opportunities'."""
        tracking = self._tracking(country_ids=[Command.set(self.france.ids)])
        self.assertEqual(
            self._results(tracking.action_open_records()),
            self.lead_fr | self.lead_lost,
        )
        self.assertEqual(
            self._results(tracking.action_open_opportunities()), self.opp_lead_fr
        )
        self.assertEqual(
            self._results(tracking.action_open_events()),
            self.event_lead_fr | self.event_opp_lead_fr,
        )
        self.assertEqual(
            (tracking.record_count, tracking.opportunity_count, tracking.event_count),
            (2, 1, 2),
        )

    def test_lead_criteria(self):
        """PIPE-1: every criterion of leads narrows the leads."""
        lead_fr = self.lead_fr
        for values in (
            {"state_ids": [Command.set(self.rhone.ids)]},
            {"industry_ids": [Command.set(self.printing.ids)], "is_key_account": True},
            {"category_ids": [Command.set(self.public.ids)]},
            {"agency_ids": [Command.set(self.agency.ids)]},
            {"user_ids": [Command.set(self.salesman_all.ids)]},
            {"lead_status_ids": [Command.set(self.status_sales.ids)]},
        ):
            with self.subTest(values=values):
                tracking = self._tracking(**values)
                self.assertEqual(self._results(tracking.action_open_records()), lead_fr)
        lost = self._tracking(lead_status_ids=[Command.set(self.status_lost.ids)])
        self.assertEqual(self._results(lost.action_open_records()), self.lead_lost)
        all_of_team = self._tracking()
        self.assertEqual(
            self._results(all_of_team.action_open_records()),
            self.lead_fr | self.lead_be | self.lead_lost,
        )

    def test_created_between(self):
        """PIPE-1: the creation period, in the user's days."""
        today = fields.Date.context_today(self.env["crm.lead"])
        around = self._tracking(
            date_from=today - timedelta(days=1), date_to=today + timedelta(days=1)
        )
        self.assertEqual(around.record_count, 3)
        before = self._tracking(date_to=today - timedelta(days=2))
        self.assertEqual(before.record_count, 0)
        after = self._tracking(date_from=today + timedelta(days=2))
        self.assertEqual(after.record_count, 0)
        with self.assertRaisesRegex(ValidationError, "start before it ends"):
            self._tracking(date_from=today, date_to=today - timedelta(days=1))

    def test_partners(self):
        """PIPE-1: partners by country and category: the French company (not its
        contact), the opportunities of the company and its contacts, the events
        they attend and those of their opportunities."""
        tracking = self._tracking(
            target="partner",
            country_ids=[Command.set(self.france.ids)],
            category_ids=[Command.set(self.public.ids)],
        )
        self.assertEqual(self._results(tracking.action_open_records()), self.partner_fr)
        self.assertEqual(
            self._results(tracking.action_open_opportunities()), self.opp_partner_fr
        )
        self.assertEqual(
            self._results(tracking.action_open_events()),
            self.event_contact_fr | self.event_opp_partner_fr,
        )
        belgian = self._tracking(
            target="partner", industry_ids=[Command.set(self.retail.ids)]
        )
        self.assertEqual(self._results(belgian.action_open_records()), self.partner_be)
        self.assertEqual(
            self._results(belgian.action_open_opportunities()), self.opp_partner_be
        )
        self.assertFalse(self._results(belgian.action_open_events()))
        statuses_ignored = self._tracking(
            target="partner",
            industry_ids=[Command.set(self.retail.ids)],
            lead_status_ids=[Command.set(self.status_lost.ids)],
        )
        self.assertEqual(statuses_ignored.record_count, 1)

    def test_partner_team_is_its_salesperson_team(self):
        """PIPE-1: partners have no team: the team criterion takes the teams of
        their salesperson."""
        tracking = self._tracking(
            target="partner",
            team_ids=[Command.set(self.team.ids)],
            country_ids=[Command.set(self.france.ids)],
        )
        self.assertFalse(self._results(tracking.action_open_records()))
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team.id, "user_id": self.salesman_all.id}
        )
        self.assertEqual(self._results(tracking.action_open_records()), self.partner_fr)

    def test_converted_partner_events(self):
        """PIPE-1, EVT-7: a partner's events include those of the leads converted
        into it."""
        self.lead_fr._crm_mark_converted({"converted_partner_id": self.partner_fr.id})
        tracking = self._tracking(
            target="partner", agency_ids=[Command.set(self.agency.ids)]
        )
        self.assertIn(self.event_lead_fr, self._results(tracking.action_open_events()))

    def test_actions_are_live_domains(self):
        """PIPE-1: the lists are domains, not lists of ids: a lead created later
        shows up; and the screen counts live as criteria change."""
        tracking = self._tracking(industry_ids=[Command.set(self.printing.ids)])
        action = tracking.action_open_records()
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertNotIn("'id'", str(action["domain"]))
        later = self._create_leads(industry_id=self.printing.id, team_id=self.team.id)
        self.assertIn(later, self._results(action))
        form = Form(self.env["crm.pipeline.tracking"])
        form.team_ids.add(self.team)
        self.assertEqual(form.record_count, 4)
        form.industry_ids.add(self.retail)
        self.assertEqual(form.record_count, 1)
        form.target = "partner"
        self.assertEqual(form.record_count, 0, "no salesperson in the team")
        form.team_ids.clear()
        self.assertEqual(form.record_count, 1)
        self.assertEqual(form.opportunity_count, 1)

    def test_salesman_access(self):
        """PIPE-1: salesmen use the screen and see what their rights allow."""
        tracking = (
            self.env["crm.pipeline.tracking"]
            .with_user(self.salesman)
            .create({"team_ids": [Command.set(self.team.ids)]})
        )
        self.assertEqual(tracking.record_count, 0, "only their own leads")
        self.lead_be.write({"user_id": self.salesman.id, "team_id": self.team.id})
        tracking.invalidate_recordset(["record_count"])
        self.assertEqual(tracking.record_count, 1)
        self.assertTrue(tracking.action_open_opportunities()["domain"])

    def test_opening_cost_independent_of_matches(self):
        """PIPE-1: opening a result builds a domain without reading the matches:
        as many queries for 1 match as for 40."""
        many_team = self.env["crm.team"].create({"name": "Many"})
        leads = self._create_leads(40, team_id=many_team.id)
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Opp {lead.name}",
                    "type": "opportunity",
                    "origin_lead_id": lead.id,
                }
                for lead in leads
            ]
        )
        one = self._tracking(industry_ids=[Command.set(self.printing.ids)])
        many = self._tracking(team_ids=[Command.set(many_team.ids)])
        for method in (
            "action_open_records",
            "action_open_opportunities",
            "action_open_events",
        ):
            getattr(one, method)()  # warm the caches
            counts = {}
            for size, tracking in ((1, one), (40, many)):
                tracking.invalidate_recordset()
                with self.countQueries() as counts[size]:
                    getattr(tracking, method)()
            with self.subTest(method=method):
                self.assertQueriesConstant(counts)
        self.assertEqual(many.record_count, 40)
        self.assertEqual(many.opportunity_count, 40)


@tagged("post_install", "-at_install")
class TestReporting(CrmLeadCase):
    """PIPE-2: CRM › Reporting › Lead, Opportunity and Event Analysis."""

    REPORTS = {
        "action_report_leads": "menu_crm_report_leads",
        "action_report_opportunities": "menu_crm_report_opportunities",
        "action_report_events": "menu_crm_report_events",
    }

    def test_menus_and_views(self):
        """PIPE-2: each report is a menu under CRM › Reporting with pivot and graph
        views that salesmen can open."""
        report_menu = self.env.ref("crm.crm_menu_report")
        for xmlid, menu_xmlid in self.REPORTS.items():
            with self.subTest(report=xmlid):
                menu = self.env.ref(f"crm_prospection.{menu_xmlid}")
                self.assertEqual(menu.parent_id, report_menu)
                action = self.env["ir.actions.act_window"]._for_xml_id(
                    f"crm_prospection.{xmlid}"
                )
                self.assertEqual(action["view_mode"].split(",")[:2], ["pivot", "graph"])
                views = (
                    self.env[action["res_model"]]
                    .with_user(self.salesman)
                    .get_views([(view_id, mode) for view_id, mode in action["views"]])
                )
                self.assertEqual(set(views["views"]), {"pivot", "graph", "list"})

    def test_opportunities_by_stage(self):
        """PIPE-2: opportunities by stage, with expected, worst, best and prorated
        recurring sums as the pivot's measures."""
        team = self.env["crm.team"].create({"name": "Reporting team"})
        stage_new, stage_won = (
            self.env["crm.stage"].search([("is_won", "=", False)], limit=1),
            self.env["crm.stage"].search([("is_won", "=", True)], limit=1),
        )
        values = {"type": "opportunity", "team_id": team.id}
        self.env["crm.lead"].create(
            [
                dict(
                    values,
                    name="A",
                    stage_id=stage_new.id,
                    amount_worst_case=100,
                    expected_revenue=200,
                    amount_best_case=300,
                    recurring_revenue=1000,
                    probability=50,
                ),
                dict(
                    values,
                    name="B",
                    stage_id=stage_new.id,
                    amount_worst_case=10,
                    expected_revenue=20,
                    amount_best_case=30,
                    probability=50,
                ),
                dict(values, name="C", stage_id=stage_won.id, expected_revenue=5),
            ]
        )
        groups = self.env["crm.lead"]._read_group(
            [("team_id", "=", team.id)],
            ["stage_id"],
            [
                "expected_revenue:sum",
                "amount_worst_case:sum",
                "amount_best_case:sum",
                "recurring_revenue_prorated:sum",
            ],
        )
        self.assertEqual(
            {stage: sums for stage, *sums in groups},
            {stage_new: [220, 110, 330, 500], stage_won: [5, 0, 0, 0]},
        )
        # The view as rendered: it derives from crm's pivot.
        pivot = self.env.ref("crm_prospection.crm_lead_view_pivot_report_opportunities")
        arch = self.env["crm.lead"].get_view(pivot.id)["arch"]
        for name in (
            "expected_revenue",
            "amount_worst_case",
            "amount_best_case",
            "recurring_revenue_prorated",
        ):
            self.assertIn(f'name="{name}" type="measure"', arch)

    def test_leads_by_status(self):
        """PIPE-2: the lead analysis counts every lead, lost ones included, by
        status (and source, agency, industry through the search panel)."""
        source = self.env["utm.source"].create({"name": "Trade fair (test)"})
        leads = self._create_leads(3, source_id=source.id)
        leads[0].lead_status_id = self.status_lost
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_prospection.action_report_leads"
        )
        Lead = self.env["crm.lead"].with_context(**safe_eval(action["context"]))
        groups = Lead._read_group(
            Domain(safe_eval(action["domain"])) & Domain("source_id", "=", source.id),
            ["lead_status_id"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {self.status_lost: 1, self.status_to_process: 2})
        # Agencies when their feature is on (CFG-5).
        search = self.env["crm.lead"].get_view(
            self.env.ref("crm_prospection.crm_lead_view_search_lead").id, "search"
        )["arch"]
        group_bys = {
            safe_eval(node.get("context")).get("group_by")
            for node in etree.fromstring(search).iter("filter")
            if node.get("context")
        }
        for group_by in ("lead_status_id", "source_id", "agency_id", "industry_id"):
            self.assertIn(group_by, group_bys)

    def test_events_by_type_status_user(self):
        """PIPE-2: events by type, status and assigned user."""
        Event = self.env["calendar.event"]
        common = {
            "start": "2026-06-01 09:00:00",
            "stop": "2026-06-01 10:00:00",
            "user_id": self.salesman_all.id,
            "name": "Reported event",
        }
        Event.create(
            [
                dict(common, crm_event_type="call", crm_state="done"),
                dict(common, crm_event_type="call"),
                dict(common, crm_event_type="meeting"),
            ]
        )
        groups = Event.with_user(self.sales_manager)._read_group(
            [("name", "=", "Reported event")],
            ["user_id", "crm_event_type", "crm_state"],
            ["__count"],
        )
        self.assertEqual(
            sorted((kind, state, count) for _user, kind, state, count in groups),
            [("call", "done", 1), ("call", "planned", 1), ("meeting", "planned", 1)],
        )
