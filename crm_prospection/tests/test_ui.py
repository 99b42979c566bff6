# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import PDF, last_job, run_job


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """X-5: the flows of the add-on, in the web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The tours read English labels, whatever the demo database's language.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env.ref("base.user_admin").lang = "en_US"

    def test_lead_status_tour(self):
        """STAT-1, STAT-2, STAT-3, STAT-4: a status at 15 shows between 10 and 20
        in the bar and applies on click; a lost lead lands in the history."""
        Lead = self.env["crm.lead"]
        lead_a, lead_b = Lead.create(
            [
                {"name": "Tour lead A", "type": "lead", "user_id": False},
                {"name": "Tour lead B", "type": "lead", "user_id": False},
            ]
        )
        reason = self.env["crm.lost.reason"].create({"name": "Chose a competitor"})
        self.start_tour("/odoo", "crm_prospection_lead_status", login="admin")
        status = self.env["crm.lead.status"].search([("name", "=", "Discovery call")])
        self.assertEqual(status.sequence, 15)
        self.assertEqual(lead_a.lead_status_id, status)
        self.assertEqual(lead_b.lead_status_id.code, "lost")
        self.assertEqual(lead_b.lost_reason_id, reason)
        self.assertFalse(lead_b.active)

    def test_conversion_tour(self):
        """CONV-1…CONV-5: Axelor's conversion walkthrough in the web client."""
        status = self.env.ref("crm_prospection.lead_status_sales_qualification")
        lead = self.env["crm.lead"].create(
            {
                "name": "Conversion tour lead",
                "type": "lead",
                "lead_status_id": status.id,
                "partner_name": "Tour Industries",
                "first_name": "Lina",
                "last_name": "Garcia",
                "email_from": "lina@tour-industries.example",
                "user_id": False,
            }
        )
        self.start_tour("/odoo", "crm_prospection_conversion", login="admin")
        self.assertEqual(lead.lead_status_id.code, "converted")
        partner = lead.converted_partner_id
        self.assertEqual(partner.name, "Tour Industries")
        self.assertTrue(partner.is_prospect)
        self.assertEqual(lead.converted_contact_id.name, "Lina Garcia")
        self.assertEqual(lead.converted_opportunity_id.name, "Catalogs 2027")
        self.assertEqual(lead.converted_opportunity_id.expected_revenue, 15000)

    def test_event_tour(self):
        """EVT-1, EVT-2, EVT-5, EVT-6: a call from a lead, done, in the calendar."""
        lead = self.env["crm.lead"].create(
            {"name": "Event tour lead", "type": "lead", "user_id": False}
        )
        self.start_tour("/odoo", "crm_prospection_event", login="admin")
        call = lead.calendar_event_ids
        self.assertEqual(call.name, "Qualification call")
        self.assertEqual(call.crm_event_type, "call")
        self.assertEqual(call.crm_state, "done")
        self.assertEqual(lead.date_last_event, call.start)

    def test_lead_create_tour(self):
        """LEAD-1…LEAD-7: a lead created in the form with a quick-created job
        position, the zip completion and the marketing panel."""
        country = self.env.ref("base.fr")
        state = self.env["res.country.state"].create(
            {"name": "Tour State", "code": "TS9", "country_id": country.id}
        )
        city = self.env["res.city"].create(
            {"name": "Tour City", "country_id": country.id, "state_id": state.id}
        )
        location = self.env["res.city.zip"].create(
            {"name": "69099", "city_id": city.id}
        )
        self.start_tour("/odoo", "crm_prospection_lead_create", login="admin")
        lead = self.env["crm.lead"].search([("name", "=", "Tour: new catalog request")])
        self.assertEqual(lead.contact_name, "Lina Moreau")
        self.assertEqual(lead.job_position_id.name, "Tour Buyer")
        self.assertEqual(lead.location_id, location)
        self.assertEqual(
            (lead.zip, lead.city, lead.state_id, lead.country_id),
            ("69099", "Tour City", state, country),
        )
        self.assertEqual(lead.lead_score, "4")
        self.assertTrue(lead.is_key_account)
        self.assertEqual(lead.company_size, "100_500")

    def test_mass_update_tour(self):
        """LEAD-8: the mass update from the list."""
        salesman = self.env["res.users"].create(
            {
                "name": "Mass Tour Salesman",
                "login": "mass_tour_salesman",
                "group_ids": [
                    Command.set(self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Mass tour lead {i}", "type": "lead", "user_id": False}
                for i in (1, 2)
            ]
        )
        self.start_tour("/odoo", "crm_prospection_mass_update", login="admin")
        self.assertEqual(leads.user_id, salesman)
        self.assertEqual(
            leads.lead_status_id, self.env.ref("crm_prospection.lead_status_nurturing")
        )

    def test_batch_job_tour(self):
        """LEAD-8: above the threshold, the mass update is queued from the list;
        the job, run by the scheduler, shows its counts and leads."""
        self.env.company.crm_batch_threshold = 2
        leads = self.env["crm.lead"].create(
            [{"name": f"Job tour lead {i}", "type": "lead"} for i in (1, 2, 3)]
        )
        self.start_tour("/odoo", "crm_prospection_batch_job_queue", login="admin")
        job = last_job(self.env)
        self.assertEqual((job.state, job.lead_ids), ("queued", leads))
        run_job(job)
        self.assertEqual(
            leads.lead_status_id, self.env.ref("crm_prospection.lead_status_nurturing")
        )
        self.start_tour("/odoo", "crm_prospection_batch_job_done", login="admin")

    def test_conversion_existing_tour(self):
        """CONV-2, CONV-3: into an existing company and one of its contacts."""
        company = self.env["res.partner"].create(
            {
                "name": "Existing Tour Group",
                "is_company": True,
                "email": "hq@tour-group.example",
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Existing Tour Contact", "parent_id": company.id}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Existing tour lead",
                "type": "lead",
                "partner_name": "Tour Group",
                "email_from": "someone@tour-group.example",
                "lead_status_id": self.env.ref(
                    "crm_prospection.lead_status_sales_qualification"
                ).id,
                "user_id": False,
            }
        )
        self.start_tour("/odoo", "crm_prospection_conversion_existing", login="admin")
        self.assertEqual(lead.converted_partner_id, company)
        self.assertEqual(lead.converted_contact_id, contact)
        self.assertEqual(lead.lead_status_id.code, "converted")

    def test_opportunity_quotation_tour(self):
        """OPP-2…OPP-5, CFG-2, CFG-4, CFG-7: the opportunity's tabs; from it, a
        quotation confirmed in the web client closes the opportunity won."""
        self.env.ref("base.main_company").write(
            {
                "crm_close_opportunity_on_order": True,
                "crm_show_partner_description": True,
            }
        )
        self.env["res.config.settings"].create(
            {"group_use_recurring_revenues": True}
        ).execute()
        # The list price, whatever pricelists other apps' demo data bring.
        pricelist = self.env["product.pricelist"].create({"name": "Tour list prices"})
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Printing Co",
                "is_company": True,
                "comment": "<p>Prints every spring.</p>",
                "property_product_pricelist": pricelist.id,
            }
        )
        self.env["product.product"].create(
            {"name": "Tour catalog printing", "list_price": 1200}
        )
        opportunity = self.env["crm.lead"].create(
            {
                "name": "Tour opportunity",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": 1000,
                "amount_best_case": 1500,
            }
        )
        self.start_tour(
            f"/odoo/crm/{opportunity.id}",
            "crm_prospection_opportunity_quotation",
            login="admin",
        )
        self.assertEqual(opportunity.won_status, "won")
        self.assertEqual(opportunity.order_ids.state, "sale")
        self.assertTrue(
            opportunity.message_ids.filtered(
                lambda message: "Won: its order" in message.body
            )
        )

    def test_pipeline_tracking_tour(self):
        """PIPE-1: partners of an industry, their opportunities and their events."""
        industry = self.env["res.partner.industry"].create(
            {"name": "Tour tracking industry"}
        )
        partner = self.env["res.partner"].create(
            {"name": "Tour Tracked Co", "is_company": True, "industry_id": industry.id}
        )
        self.env["crm.lead"].create(
            {
                "name": "Tour tracked opportunity",
                "type": "opportunity",
                "partner_id": partner.id,
            }
        )
        self.env["calendar.event"].create(
            {
                "name": "Tour tracked event",
                "start": "2026-06-01 09:00:00",
                "stop": "2026-06-01 10:00:00",
                "partner_ids": [Command.set(partner.ids)],
            }
        )
        self.start_tour("/odoo", "crm_prospection_pipeline_tracking", login="admin")


@tagged("post_install", "-at_install")
class TestPartnerMapTour(HttpCase):
    def fetch_proxy(self, url):
        # No internet in tests: map tiles come back empty, quietly.
        if "tile" in url:
            return self.make_fetch_proxy_response("")
        return super().fetch_proxy(url)

    def test_partner_map_tour(self):
        """GEO-3, X-5: the map shows customers and prospects in their colours,
        filters them, and opens a partner from its marker."""
        # Far from the demo's partners (Paris, Lyon, Grenoble): markers a few
        # kilometres apart are clustered at the zoom that shows them all.
        self.env["res.partner"].create(
            [
                {
                    "name": "Tour Map Customer",
                    "customer_rank": 1,
                    "partner_latitude": 44.84,
                    "partner_longitude": -0.58,
                },
                {
                    "name": "Tour Map Prospect",
                    "is_prospect": True,
                    "partner_latitude": 40.42,
                    "partner_longitude": -3.70,
                },
            ]
        )
        self.start_tour("/odoo", "crm_prospection_partner_map", login="admin")


@tagged("post_install", "-at_install")
class TestCatalogTour(HttpCase):
    def test_catalog_tour(self):
        """CAT-1, X-5: the catalogs menu, the PDF viewer and the e-mail composer
        with the PDF attached, in the web client."""
        self.env["res.config.settings"].create({"group_crm_catalog": True}).execute()
        self.env["crm.catalog"].create(
            {
                "name": "Tour Spring Catalog",
                "pdf_file": base64.b64encode(PDF),
                "pdf_filename": "tour_spring.pdf",
            }
        )
        self.start_tour("/odoo", "crm_prospection_catalog", login="admin")
