# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import activate_french

GRENOBLE = (45.1885, 5.7245)
PLACES = {
    "Meylan": (45.2096, 5.7803),
    "Échirolles": (45.1436, 5.7183),
    "Vizille": (45.0780, 5.7710),
    "Voiron": (45.3640, 5.5890),
}


@tagged("post_install", "-at_install")
class TestUiFieldSales(HttpCase):
    """Issue 27, X-1, X-5: Around… and Plan a tour in the French web client."""

    browser_size = "1440x900"

    def fetch_proxy(self, url):
        # No internet in tests: map tiles come back empty, quietly.
        if "tile" in url:
            return self.make_fetch_proxy_response("")
        return super().fetch_proxy(url)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.write({"lang": "fr_FR", "tz": "Europe/Paris"})
        france = cls.env.ref("base.fr")
        city = cls.env["res.city"].create({"name": "Grenoble", "country_id": france.id})
        cls.env["res.city.zip"].create(
            {
                "name": "38000",
                "city_id": city.id,
                "latitude": GRENOBLE[0],
                "longitude": GRENOBLE[1],
            }
        )
        # The day starts and ends at the company, in Grenoble.
        cls.env.company.partner_id.write(
            {"partner_latitude": GRENOBLE[0], "partner_longitude": GRENOBLE[1]}
        )
        cls.prospects = cls.env["res.partner"].create(
            [
                {
                    "name": f"Visite {name}",
                    "is_prospect": True,
                    "city": name,
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                }
                for name, (latitude, longitude) in PLACES.items()
            ]
        )
        # Only the tour's prospects around Grenoble (demo data may have others).
        cls.env["res.partner"].search(
            [
                ("id", "not in", (cls.prospects | cls.env.company.partner_id).ids),
                ("partner_latitude", ">", 44.9),
                ("partner_latitude", "<", 45.5),
                ("partner_longitude", ">", 5.3),
                ("partner_longitude", "<", 6.1),
            ]
        ).write({"partner_latitude": 0, "partner_longitude": 0})

    def test_around_plan_events(self):
        """Issue 27: search → select → plan → events, in French: the meetings
        are created in route order, linked to the prospects visited."""
        self.start_tour("/odoo", "crm_prospection_field_sales", login="admin")
        events = self.env["calendar.event"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.prospects.ids)],
            order="start",
        )
        visited = self.prospects.filtered(
            lambda partner: partner.city in ("Meylan", "Vizille")
        )
        self.assertEqual(len(events), 2)
        self.assertEqual(set(events.mapped("res_id")), set(visited.ids))
        self.assertLess(events[0].stop, events[1].start)
        for event in events:
            self.assertIn(self.admin.partner_id, event.partner_ids)

    def test_around_on_the_map(self):
        """Issue 27: Around…'s results on the map, within their circle, with
        their distance."""
        self.start_tour("/odoo", "crm_prospection_field_sales_map", login="admin")
