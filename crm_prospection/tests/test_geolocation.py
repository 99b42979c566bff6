# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from unittest.mock import patch

import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLeadCase, run_cron_in_test

GEOCODER = "odoo.addons.base_geolocalize.models.base_geocoder.BaseGeocoder"
FRANCE_LINES = [
    # country, zip, place, region name, region code, department, its code, ...,
    # latitude, longitude, accuracy (GeoNames' postal-code columns)
    "FR\t69002\tLyon Geo\tAuvergne-Rhône-Alpes\t84\tRhône\t69\tLyon\t691\t"
    "45.7485\t4.827\t5",
    "FR\t69003\tLyon Geo\tAuvergne-Rhône-Alpes\t84\tRhône\t69\tLyon\t691\t"
    "45.7597\t4.8422\t5",
    "FR\t38000\tGrenoble Geo\tAuvergne-Rhône-Alpes\t84\tIsère\t38\tGrenoble\t381\t"
    "45.1885\t5.7245\t5",
]


def _unreachable(geocoder, address, **kw):
    """The geocoding service out of reach, as base_geolocalize's providers
    raise it when the request fails."""
    try:
        raise requests.ConnectionError("Max retries exceeded")
    except requests.ConnectionError as error:
        geocoder._raise_query_error(error)


@tagged("post_install", "-at_install")
class TestGeolocation(CrmLeadCase):
    """GEO-3 offline: partners and leads placed from the city referential."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls._import(FRANCE_LINES)
        cls.zip_lyon = cls.env["res.city.zip"].search(
            [("name", "=", "69002"), ("city_id.name", "=", "Lyon Geo")]
        )

    @classmethod
    def _import(cls, lines):
        content = "\n".join(lines).encode()
        wizard = cls.env["crm.city.import"].create(
            {
                "mode": "file",
                "file": base64.b64encode(content),
                "filename": "FR.txt",
            }
        )
        return wizard._crm_import()

    def _partner(self, **values):
        return self.env["res.partner"].create(
            dict({"name": "Geo partner", "is_prospect": True}, **values)
        )

    def test_import_keeps_coordinates(self):
        """GEO-2, GEO-3: the import stores GeoNames' latitude and longitude on
        each zip, and a re-import fills the zips already there."""
        self.assertAlmostEqual(self.zip_lyon.latitude, 45.7485)
        self.assertAlmostEqual(self.zip_lyon.longitude, 4.827)
        self.zip_lyon.write({"latitude": 0.0, "longitude": 0.0})
        counts = self._import(FRANCE_LINES)
        self.assertEqual(counts["zips_created"], 0)
        self.assertEqual(counts["zips_located"], 1)
        self.zip_lyon.invalidate_recordset()
        self.assertAlmostEqual(self.zip_lyon.latitude, 45.7485)

    def test_import_fills_regions(self):
        """GEO-1: where the states are départements, GeoNames' first level
        becomes their region, listed under Regions beside the cities."""
        region = self.env["crm.region"].search(
            [("country_id", "=", self.france.id), ("code", "=", "84")]
        )
        self.assertEqual(region.name, "Auvergne-Rhône-Alpes")
        self.assertEqual(
            set(region.state_ids.mapped("code")) & {"69", "38"}, {"69", "38"}
        )
        self.assertEqual(region.state_count, len(region.state_ids))
        self._import(FRANCE_LINES)
        self.assertEqual(
            self.env["crm.region"].search_count(
                [("country_id", "=", self.france.id), ("code", "=", "84")]
            ),
            1,
        )

    def test_regions_and_states_menus(self):
        """GEO-1: Regions and States sit beside Cities in CRM › Configuration ›
        Partners, for a sales manager, developer mode off."""
        visible = (
            self.env["ir.ui.menu"].with_user(self.sales_manager)._visible_menu_ids()
        )
        cities = self.env.ref("crm_prospection.menu_crm_city")
        for xmlid, model in (
            ("crm_prospection.menu_crm_region", "crm.region"),
            ("crm_prospection.menu_crm_country_state", "res.country.state"),
        ):
            menu = self.env.ref(xmlid)
            self.assertIn(menu.id, visible, xmlid)
            self.assertEqual(menu.parent_id, cities.parent_id)
            self.assertEqual(menu.action.res_model, model)

    def test_bad_coordinates_import_nothing(self):
        """GEO-2: a line whose coordinates are no coordinates is refused, and
        nothing is imported."""
        line = FRANCE_LINES[0].replace("69002", "69009").replace("45.7485", "north")
        with self.assertRaisesRegex(UserError, "not a latitude and a longitude"):
            self._import([line])
        self.assertFalse(self.env["res.city.zip"].search([("name", "=", "69009")]))

    def test_placed_on_creation_and_address_change(self):
        """GEO-3: a new partner is placed at its zip and city, approximately; a
        new address moves it; an address the referential does not know leaves
        it unplaced."""
        partner = self._partner(zip="69002", city="Lyon Geo", country_id=self.france.id)
        self.assertAlmostEqual(partner.partner_latitude, 45.7485)
        self.assertTrue(partner.geo_approximate)
        partner.write({"zip": "38000", "city": "Grenoble Geo"})
        self.assertAlmostEqual(partner.partner_longitude, 5.7245)
        # By city alone: the middle of its zips.
        partner.write({"zip": False, "city": "lyon geo"})
        self.assertAlmostEqual(partner.partner_latitude, (45.7485 + 45.7597) / 2)
        partner.write({"city": "Atlantis"})
        self.assertEqual((partner.partner_latitude, partner.partner_longitude), (0, 0))
        self.assertFalse(partner.geo_approximate)

    def test_precise_coordinates_stay(self):
        """GEO-3: coordinates of a geocoding are not replaced by the
        referential's, and are not approximate."""
        partner = self._partner(
            city="Lyon Geo",
            country_id=self.france.id,
            partner_latitude=45.76,
            partner_longitude=4.83,
        )
        self.assertEqual(partner.partner_latitude, 45.76)
        self.assertFalse(partner.geo_approximate)
        partner.write({"partner_latitude": 45.7, "partner_longitude": 4.8})
        self.assertFalse(partner.geo_approximate)

    def test_batch_places_existing_partners(self):
        """GEO-3: the scheduled action places the partners there before the
        referential had coordinates, batch by batch."""
        partners = self._partner(
            city="Grenoble Geo", country_id=self.france.id
        ) | self._partner(city="Atlantis", country_id=self.france.id)
        self.env.cr.execute(
            "UPDATE res_partner SET partner_latitude = 0, partner_longitude = 0, "
            "geo_approximate = FALSE WHERE id = ANY(%s)",
            [partners.ids],
        )
        partners.invalidate_recordset()
        Partner = self.env["res.partner"]
        placed, after_id = Partner._crm_place_batch(
            after_id=partners[0].id - 1, limit=2
        )
        self.assertEqual(placed, partners[0])
        self.assertEqual(after_id, partners[1].id)
        self.assertTrue(partners[0].geo_approximate)
        self.assertAlmostEqual(partners[0].partner_latitude, 45.1885)

    def test_lead_placed_and_converted_prospect_too(self):
        """GEO-3, CONV-2: a lead is placed from the referential, and the
        prospect its conversion makes is placed there."""
        lead = self._create_leads(
            name="Geo lead",
            partner_name="Geo Lyon SA",
            zip="69002",
            city="Lyon Geo",
            country_id=self.france.id,
            lead_status_id=self.status_sales.id,
        )
        self.assertAlmostEqual(lead.crm_latitude, 45.7485)
        self.env["crm.lead.convert"].with_context(default_lead_ids=lead.ids).create(
            {}
        ).action_convert()
        prospect = lead.converted_partner_id
        self.assertAlmostEqual(prospect.partner_latitude, 45.7485)
        self.assertTrue(prospect.geo_approximate)

    def test_map_counts_unplaced_partners(self):
        """GEO-3: the map says how many partners it cannot show, and why."""
        Map = self.env["crm.partner.map"]
        before = Map.get_map_data(kind="prospect")["unplaced"]
        self._partner(name="No address (map)")
        self._partner(city="Atlantis", country_id=self.france.id)
        placed = self._partner(city="Lyon Geo", country_id=self.france.id)
        data = Map.get_map_data(kind="prospect")
        self.assertEqual(data["unplaced"]["no_address"], before["no_address"] + 1)
        self.assertEqual(data["unplaced"]["not_found"], before["not_found"] + 1)
        marker = next(m for m in data["markers"] if m["id"] == placed.id)
        self.assertTrue(marker["approximate"])

    def test_geolocate_when_the_service_is_unreachable(self):
        """GEO-3: Geolocate says in words that the geocoding service could not
        be reached (no Python error) and places the partners from the
        referential instead."""
        partner = self._partner(
            street="1 place Bellecour", city="Atlantis", country_id=self.france.id
        )
        partner.city = "Lyon Geo"
        partner.write({"partner_latitude": 0.0, "partner_longitude": 0.0})

        with patch(f"{GEOCODER}.geo_find", _unreachable):
            action = partner.action_crm_geolocate()
        message = action["params"]["message"]
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("could not be reached", message)
        self.assertNotIn("Max retries", message)
        self.assertIn("placed approximately", message)
        self.assertTrue(partner.geo_approximate)

    def test_geolocate_error_in_french(self):
        """GEO-3: a French user reads Geolocate's report in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        partner = self._partner(
            street="1 place Bellecour", city="Lyon Geo", country_id=self.france.id
        )

        with patch(f"{GEOCODER}.geo_find", _unreachable):
            action = partner.with_context(lang="fr_FR").action_crm_geolocate()
        self.assertEqual(action["params"]["title"], "Géolocalisation")
        message = action["params"]["message"]
        self.assertIn("Le service de géolocalisation est injoignable", message)
        self.assertNotIn("could not be reached", message)

    def test_scheduled_action_places_existing_partners(self):
        """GEO-3: the scheduled action, as the scheduler runs it, places every
        partner that has an address and no coordinates, committing each batch."""
        partners = self._partner(
            zip="69003", city="Lyon Geo", country_id=self.france.id
        ) | self._partner(city="Grenoble Geo", country_id=self.france.id)
        self.env.cr.execute(
            "UPDATE res_partner SET partner_latitude = 0, partner_longitude = 0, "
            "geo_approximate = FALSE WHERE id = ANY(%s)",
            [partners.ids],
        )
        partners.invalidate_recordset()
        cron = self.env.ref("crm_prospection.ir_cron_partner_place_from_referential")
        self.assertTrue(cron.active)
        run_cron_in_test(self, cron)
        self.assertAlmostEqual(partners[0].partner_latitude, 45.7597)
        self.assertAlmostEqual(partners[1].partner_longitude, 5.7245)
        self.assertEqual(partners.mapped("geo_approximate"), [True, True])

    def test_geolocate_precisely(self):
        """GEO-3: a geocoding found places the partner precisely."""
        partner = self._partner(
            street="1 place Bellecour", city="Lyon Geo", country_id=self.france.id
        )
        self.assertTrue(partner.geo_approximate)
        with patch(f"{GEOCODER}.geo_find", return_value=(45.7578, 4.832)):
            action = partner.action_crm_geolocate()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(partner.partner_latitude, 45.7578)
        self.assertFalse(partner.geo_approximate)
