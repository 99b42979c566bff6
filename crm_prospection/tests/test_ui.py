# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import HttpCase, tagged

from .test_catalog import PDF


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
        """CONV-1…CONV-5: the seed's conversion walkthrough in the web client."""
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
        self.env["res.partner"].create(
            [
                {
                    "name": "Tour Map Customer",
                    "customer_rank": 1,
                    "partner_latitude": 48.85,
                    "partner_longitude": 2.35,
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
