# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmProspectionCase

GEO_FIND = "odoo.addons.base_geolocalize.models.base_geocoder.BaseGeocoder.geo_find"


@tagged("post_install", "-at_install")
class TestMap(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.spain = cls.env.ref("base.es")
        cls.partner = Partner.create(
            {
                "name": "Almería Toys",
                "is_company": True,
                "street": "Calle Real 1",
                "zip": "04001",
                "city": "Almería",
                "country_id": cls.spain.id,
            }
        )
        located = {"partner_latitude": 36.84, "partner_longitude": -2.46}
        cls.customer = Partner.create(
            {"name": "Map Customer", "customer_rank": 1, "user_id": cls.salesman.id}
            | located
        )
        cls.prospect = Partner.create(
            {
                "name": "Map Prospect",
                "user_id": cls.sales_manager.id,
                "is_prospect": True,
            }
            | located
        )
        cls.belgian = Partner.create(
            {"name": "Map Belgian", "company_id": cls.company_2.id, "is_prospect": True}
            | located
        )
        cls.contact = Partner.create(
            {"name": "Map Contact", "parent_id": cls.customer.id} | located
        )
        cls.Map = cls.env["crm.partner.map"]

    def _query(self, url):
        return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}

    def test_map_button_openstreetmap(self):
        """GEO-3, CFG-9: the Map button searches the address on OpenStreetMap."""
        action = self.partner.action_crm_open_map()
        self.assertEqual(
            (action["type"], action["target"]), ("ir.actions.act_url", "new")
        )
        self.assertTrue(
            action["url"].startswith("https://www.openstreetmap.org/search?")
        )
        self.assertEqual(
            self._query(action["url"])["query"],
            "Calle Real 1, 04001 Almería, Spain",
        )
        self.partner.write({"partner_latitude": 36.84, "partner_longitude": -2.46})
        url = self.partner.action_crm_open_map()["url"]
        self.assertEqual(self._query(url), {"mlat": "36.84", "mlon": "-2.46"})

    def test_map_button_google(self):
        """GEO-3, CFG-9: with Google Maps chosen, the button opens Google Maps."""
        self.company.crm_map_provider = "google"
        url = self.partner.action_crm_open_map()["url"]
        self.assertTrue(url.startswith("https://www.google.com/maps/search/?"))
        self.assertEqual(
            self._query(url),
            {"api": "1", "query": "Calle Real 1, 04001 Almería, Spain"},
        )
        self.partner.write({"partner_latitude": 36.84, "partner_longitude": -2.46})
        url = self.partner.action_crm_open_map()["url"]
        self.assertEqual(self._query(url)["query"], "36.84,-2.46")

    def test_map_button_without_address(self):
        """GEO-3: a partner without address gets a clear message."""
        nowhere = self.env["res.partner"].create({"name": "Nowhere"})
        with self.assertRaisesRegex(UserError, "Nowhere has no address"):
            nowhere.action_crm_open_map()

    def _markers(self, user=None, **filters):
        Map = self.Map.with_user(user) if user else self.Map
        return {
            marker["id"]: marker for marker in Map.get_map_data(**filters)["markers"]
        }

    def test_map_data_kinds_and_filters(self):
        """GEO-3: geolocated customers and prospects, coloured by kind, filtered by
        kind, salesperson and agency; contacts, users and companies stay off."""
        markers = self._markers()
        self.assertEqual(markers[self.customer.id]["kind"], "customer")
        self.assertEqual(markers[self.prospect.id]["kind"], "prospect")
        self.assertEqual(
            (markers[self.customer.id]["lat"], markers[self.customer.id]["lng"]),
            (36.84, -2.46),
        )
        self.assertNotIn(self.contact.id, markers)
        self.assertNotIn(self.partner.id, markers)  # not geolocated
        self.assertNotIn(self.env.user.partner_id.id, markers)
        self.assertNotIn(self.company.partner_id.id, markers)

        customers = self._markers(kind="customer")
        self.assertIn(self.customer.id, customers)
        self.assertNotIn(self.prospect.id, customers)
        self.assertNotIn(self.customer.id, self._markers(kind="prospect"))
        mine = self._markers(user_id=self.sales_manager.id)
        self.assertEqual(set(mine), {self.prospect.id})

        agency = self.env["crm.agency"].create({"name": "Almería"})
        self.customer.agency_id = agency
        self.assertEqual(set(self._markers(agency_id=agency.id)), {self.customer.id})

    def test_map_data_only_readable_and_bounded(self):
        """GEO-3, X-3: the map shows only the partners the user may read, at most
        the limit asked."""
        self.assertIn(self.belgian.id, self._markers())
        markers = self._markers(user=self.salesman)
        self.assertIn(self.customer.id, markers)
        self.assertNotIn(self.belgian.id, markers)
        data = self.Map.get_map_data(limit=1)
        self.assertEqual(len(data["markers"]), 1)
        self.assertTrue(data["truncated"])
        filters = self.Map.with_user(self.salesman).get_map_filters()
        user_ids = {user["id"] for user in filters["users"]}
        self.assertTrue({self.salesman.id, self.sales_manager.id} <= user_ids)

    def test_geolocation_from_address(self):
        """GEO-3: partners are geolocated from their address (base_geolocalize,
        provider mocked); a partner it cannot place is not retried every day."""
        nowhere = self.env["res.partner"].create(
            {"name": "Unknown place", "city": "Atlantis", "country_id": self.spain.id}
        )

        def geo_find(_self, address, **kw):
            return (36.84, -2.46) if "Almería" in address else None

        with (
            patch(GEO_FIND, geo_find),
            patch("odoo.addons.crm_prospection.models.res_partner.time.sleep"),
        ):
            done = self.Map._cron_geolocate_partners(batch=500)
            self.assertIn(self.partner, done)
            self.assertIn(nowhere, done)
            self.assertEqual(
                (self.partner.partner_latitude, self.partner.partner_longitude),
                (36.84, -2.46),
            )
            self.assertFalse(nowhere.partner_latitude)
            self.assertTrue(nowhere.date_localization)
            again = self.Map._cron_geolocate_partners(batch=500)
        self.assertNotIn(nowhere, again)
        self.assertNotIn(self.partner, again)

    def test_map_button_on_leads(self):
        """GEO-3: a lead's address opens on the company's map provider too."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Map lead",
                "type": "lead",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        action = lead.action_crm_open_map()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("openstreetmap.org/search", action["url"])
        self.assertIn("Lyon", action["url"])
