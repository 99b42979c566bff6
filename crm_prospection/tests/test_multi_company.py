# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import PDF, CrmLeadCase, convert, mass_update_wizard

START, STOP = "2026-06-01 09:00:00", "2026-06-01 10:00:00"


@tagged("post_install", "-at_install")
class TestMultiCompany(CrmLeadCase):
    """X-3, CFG-*: two companies, each with its own settings, agencies, leads in
    every status, catalogs and event templates. A user of company A never sees B's
    records nor converts into them, and each company's settings apply to its own
    records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a, cls.company_b = cls.company, cls.company_2
        cls.user_a, cls.user_b = cls.salesman_all, cls.user_company_2
        # Someone working for both companies, to check what is not a matter of
        # record rules.
        cls.user_ab = mail_new_test_user(
            env,
            login="cp_both",
            name="Dana Both Companies",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        attendee_model = env["ir.model"]._get_id("calendar.attendee")
        cls.template_a, cls.template_b = env["mail.template"].create(
            [
                {
                    "name": f"Meeting of {company.name}",
                    "model_id": attendee_model,
                    "subject": "{{ object.event_id.name }}",
                }
                for company in (cls.company_a, cls.company_b)
            ]
        )
        manager_group = env.ref("sales_team.group_sale_manager")
        cls.company_a.write(
            {
                "crm_assignable_users": "groups",
                "crm_assignable_group_ids": [Command.set(manager_group.ids)],
                "crm_show_partner_description": True,
                "crm_recurring_default_duration": 12,
                "crm_map_provider": "osm",
                "crm_meeting_template_id": cls.template_a.id,
            }
        )
        cls.company_b.write(
            {
                "crm_assignable_users": "all",
                "crm_show_partner_description": False,
                "crm_recurring_default_duration": 36,
                "crm_map_provider": "google",
                "crm_meeting_template_id": cls.template_b.id,
            }
        )
        Agency = env["crm.agency"]
        cls.agency_a = Agency.create({"name": "Lyon", "company_id": cls.company_a.id})
        cls.agency_b = Agency.create({"name": "Liège", "company_id": cls.company_b.id})
        Partner = env["res.partner"]
        cls.partner_a = Partner.create(
            {
                "name": "Alpha SA",
                "is_company": True,
                "company_id": cls.company_a.id,
                "city": "Lyon",
                "comment": "<p>Alpha's notes</p>",
            }
        )
        cls.partner_b = Partner.create(
            {
                "name": "Beta SPRL",
                "is_company": True,
                "company_id": cls.company_b.id,
                "city": "Liège",
                "comment": "<p>Beta's notes</p>",
            }
        )
        cls.contact_b = Partner.create(
            {"name": "Bob Beta", "parent_id": cls.partner_b.id}
        )
        cls.team_b = env["crm.team"].create(
            {"name": "Team B", "company_id": cls.company_b.id}
        )
        # Leads in use in both companies, in every open status and in Lost.
        statuses = cls.status_to_process | cls.status_sales | cls.status_nurturing
        cls.leads_a = cls._leads(cls.company_a, cls.agency_a, statuses, "A")
        cls.leads_b = cls._leads(cls.company_b, cls.agency_b, statuses, "B")
        reason = cls._lost_reason("Multi-company reason")
        (cls.leads_a[-1] | cls.leads_b[-1]).action_set_lost(lost_reason_id=reason.id)
        Catalog = env["crm.catalog"]
        cls.catalog_a, cls.catalog_b, cls.catalog_shared = Catalog.create(
            [
                {
                    "name": name,
                    "company_id": company.id,
                    "pdf_file": base64.b64encode(PDF),
                    "pdf_filename": f"{name}.pdf",
                }
                for name, company in (
                    ("Catalog A", cls.company_a),
                    ("Catalog B", cls.company_b),
                    ("Catalog shared", env["res.company"]),
                )
            ]
        )
        cls.lead_a = cls.leads_a.filtered(
            lambda lead: lead.lead_status_id == cls.status_sales
        )
        cls.lead_b = cls.leads_b.filtered(
            lambda lead: lead.lead_status_id == cls.status_sales
        )

    @classmethod
    def _leads(cls, company, agency, statuses, suffix):
        return cls.env["crm.lead"].create(
            [
                {
                    "name": f"{status.name} {suffix}",
                    "type": "lead",
                    "partner_name": f"Prospect {status.name} {suffix}",
                    "contact_name": f"Contact {suffix}",
                    "company_id": company.id,
                    "agency_id": agency.id,
                    "lead_status_id": status.id,
                    "user_id": False,
                }
                for status in statuses
            ]
            + [
                {
                    "name": f"To lose {suffix}",
                    "type": "lead",
                    "company_id": company.id,
                    "agency_id": agency.id,
                    "user_id": False,
                }
            ]
        )

    def _counts(self):
        return (
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["crm.lead"].with_context(active_test=False).search_count([]),
        )

    # ------------------------------------------------------------------
    # Isolation
    # ------------------------------------------------------------------

    def test_user_of_a_sees_nothing_of_b(self):
        """X-3, PART-8, CAT-1: leads, agencies, catalogs and partners of B are
        neither listed nor readable by a user of A; B's own user sees B's."""
        for user, own in (
            (self.user_a, self.company_a),
            (self.user_b, self.company_b),
        ):
            with self.subTest(user=user.name):
                env = self.env(user=user)
                Lead = env["crm.lead"].with_context(active_test=False)
                ours = self.leads_a | self.leads_b
                found = Lead.search([("id", "in", ours.ids)])
                self.assertEqual(found.company_id, own)
                self.assertEqual(len(found), 4)
                agencies = env["crm.agency"].search([])
                self.assertEqual(agencies.company_id, own)
                catalogs = env["crm.catalog"].search(
                    [("id", "in", (self.catalog_a | self.catalog_b).ids)]
                )
                self.assertEqual(catalogs.company_id, own)
                self.assertIn(self.catalog_shared, env["crm.catalog"].search([]))
                partners = env["res.partner"].search(
                    [("id", "in", (self.partner_a | self.partner_b).ids)]
                )
                self.assertEqual(partners.company_id, own)
        foreign_records = (
            self.lead_b,
            self.agency_b,
            self.catalog_b,
            self.partner_b,
        )
        for record in foreign_records:
            with self.subTest(record=record._name):
                with self.assertRaises(AccessError):
                    record.with_user(self.user_a).read(["display_name"])

    def test_delegations_per_company(self):
        """PART-6, X-3: the delegations between B's partners are not listed to a
        user of A, nor can A's user read them."""
        supplier_b = self.env["res.partner"].create(
            {"name": "Beta Head Office", "company_id": self.company_b.id}
        )
        delegation_b = self.env["res.partner.delegation"].create(
            {"partner_id": self.partner_b.id, "delegate_id": supplier_b.id}
        )
        Delegation = self.env["res.partner.delegation"]
        self.assertNotIn(delegation_b, Delegation.with_user(self.user_a).search([]))
        self.assertIn(delegation_b, Delegation.with_user(self.user_b).search([]))
        with self.assertRaises(AccessError):
            delegation_b.with_user(self.user_a).read(["delegation_type"])

    def test_status_counts_per_company(self):
        """STAT-1, X-3: a status counts the leads its user may see: those of the
        user's company (and those of no company)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for user in (self.user_a, self.user_b):
            expected = Lead.search_count(
                [
                    ("lead_status_id", "=", self.status_sales.id),
                    ("company_id", "in", [user.company_id.id, False]),
                ]
            )
            self.assertEqual(self.status_sales.with_user(user).lead_count, expected)

    # ------------------------------------------------------------------
    # Conversion and updates across companies
    # ------------------------------------------------------------------

    def test_conversion_into_b_refused(self):
        """CONV-2, CONV-3, CONV-4, X-3: a lead of A is never converted into a
        partner, contact or team of B, whoever converts it; nothing is written."""
        before = self._counts()
        with self.assertRaises(UserError):
            convert(
                self.lead_a.with_user(self.user_a),
                partner_action="exist",
                partner_id=self.partner_b.id,
            )
        for values in (
            {"partner_action": "exist", "partner_id": self.partner_b.id},
            {
                "partner_action": "exist",
                "partner_id": self.partner_b.id,
                "contact_action": "exist",
                "contact_id": self.contact_b.id,
            },
            {"create_opportunity": True, "team_id": self.team_b.id},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                convert(self.lead_a.with_user(self.user_ab), **values)
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.lead_a.lead_status_id, self.status_sales)
        self.assertFalse(self.lead_a.converted_partner_id)
        # Into A's own partner, it works.
        convert(
            self.lead_a.with_user(self.user_ab),
            partner_action="exist",
            partner_id=self.partner_a.id,
            create_opportunity=True,
        )
        self.assertEqual(self.lead_a.converted_partner_id, self.partner_a)
        self.assertEqual(
            self.lead_a.converted_opportunity_id.company_id, self.company_a
        )

    def test_conversion_of_b_lead_refused_to_a(self):
        """CONV-1, X-3: a user of A cannot convert a lead of B."""
        with self.assertRaises(AccessError):
            convert(self.lead_b.with_user(self.user_a))
        self.assertFalse(self.lead_b.converted_partner_id)

    def test_agency_and_team_of_b_refused(self):
        """PART-8, LEAD-8: an agency or a team of B is refused on leads of A, by
        the form and by the mass update; nothing is written."""
        with self.assertRaises(ValidationError):
            self.lead_a.with_user(self.user_ab).agency_id = self.agency_b
        for values in ({"agency_id": self.agency_b.id}, {"team_id": self.team_b.id}):
            wizard = mass_update_wizard(self.leads_a.with_user(self.user_ab), **values)
            # ValidationError is a UserError.
            with self.subTest(values=values), self.assertRaises(UserError):
                wizard.action_apply()
        self.assertEqual(self.leads_a.agency_id, self.agency_a)
        self.assertNotIn(self.team_b, self.leads_a.team_id)

    def test_pipeline_tracking_counts_own_company(self):
        """PIPE-1, X-3: the tracking screen counts only the user's company, even
        when asked for B's agency."""
        for user, leads in ((self.user_a, self.leads_a), (self.user_b, self.leads_b)):
            env = self.env(user=user)
            own = (
                self.env["crm.lead"]
                .with_context(active_test=False)
                .search_count(
                    [
                        ("type", "=", "lead"),
                        ("company_id", "in", [user.company_id.id, False]),
                    ]
                )
            )
            wizard = env["crm.pipeline.tracking"].create({"target": "lead"})
            self.assertEqual(wizard.record_count, own)
            by_agency = env["crm.pipeline.tracking"].create(
                {"target": "lead", "agency_ids": [Command.set(leads.agency_id.ids)]}
            )
            self.assertEqual(by_agency.record_count, len(leads))
        # B's agency cannot even be a criterion.
        with self.assertRaises(AccessError):
            self.env["crm.pipeline.tracking"].with_user(self.user_a).create(
                {"target": "lead", "agency_ids": [Command.set(self.agency_b.ids)]}
            )

    # ------------------------------------------------------------------
    # Per-company settings
    # ------------------------------------------------------------------

    def test_assignable_users_per_company(self):
        """CFG-1: A only assigns sales managers, B anyone: the same user is
        refused on a lead of A and accepted on a lead of B."""
        self.user_ab.company_ids |= self.company_b
        with self.assertRaises(ValidationError):
            self.lead_a.user_id = self.user_ab
        self.lead_b.user_id = self.user_ab
        self.assertEqual(self.lead_b.user_id, self.user_ab)

    def test_display_settings_per_company(self):
        """CFG-2, CFG-4, CFG-9: description shown, recurring duration and map
        provider follow the company of the record."""
        Lead = self.env["crm.lead"]
        plan = self.env["crm.recurring.plan"].search([], limit=1) or self.env[
            "crm.recurring.plan"
        ].create({"name": "Monthly", "number_of_months": 1})
        opportunity_a, opportunity_b = Lead.create(
            [
                {
                    "name": f"Opportunity {partner.name}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "company_id": partner.company_id.id,
                    "recurring_revenue": 100,
                    "recurring_plan": plan.id,
                    "user_id": False,
                }
                for partner in (self.partner_a, self.partner_b)
            ]
        )
        self.assertTrue(opportunity_a.show_partner_description)
        self.assertFalse(opportunity_b.show_partner_description)
        self.assertEqual(opportunity_a.recurring_duration, 12)
        self.assertEqual(opportunity_b.recurring_duration, 36)
        self.assertIn("openstreetmap.org", self.partner_a._crm_map_url())
        self.assertIn("google.com/maps", self.partner_b._crm_map_url())

    def test_event_templates_per_company(self):
        """CFG-6: an event of a lead of A uses A's meeting template, one of B
        B's."""
        Event = self.env["calendar.event"]
        for lead, template in (
            (self.lead_a, self.template_a),
            (self.lead_b, self.template_b),
        ):
            event = Event.create(
                {
                    "name": f"Meeting {lead.name}",
                    "start": START,
                    "stop": STOP,
                    "opportunity_id": lead.id,
                    "crm_event_type": "meeting",
                }
            )
            self.assertEqual(event._crm_invitation_template(), template)
