# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from odoo.tests import HttpCase, tagged

from .test_catalog import PDF


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
