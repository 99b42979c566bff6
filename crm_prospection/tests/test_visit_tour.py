# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import itertools
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.crm_prospection.models.crm_around_mixin import great_circle_km
from odoo.addons.crm_prospection.wizards import visit_route

from .common import CrmLeadCase

AGENCY = (45.1885, 5.7245)  # Grenoble
# In an order that drives far more than needed: north, south, north, south.
STOPS = {
    "Voiron": (45.3640, 5.5890),
    "Vizille": (45.0780, 5.7710),
    "Meylan": (45.2096, 5.7803),
    "Échirolles": (45.1436, 5.7183),
}


@tagged("post_install", "-at_install")
class TestVisitTour(CrmLeadCase):
    """Issue 27: "Plan a tour", its meetings and its route sheet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agency_address = Partner.create(
            {
                "name": "Grenoble agency",
                "partner_latitude": AGENCY[0],
                "partner_longitude": AGENCY[1],
            }
        )
        cls.agency = cls.env["crm.agency"].create(
            {
                "name": "Grenoble",
                "partner_id": cls.agency_address.id,
                "user_ids": [Command.link(cls.salesman.id)],
            }
        )
        cls.stops = Partner.create(
            [
                {
                    "name": f"Prospect of {name}",
                    "is_prospect": True,
                    "phone": f"+33 4 76 00 00 0{index}",
                    "city": name,
                    "partner_latitude": latitude,
                    "partner_longitude": longitude,
                    "user_id": cls.salesman.id,
                }
                for index, (name, (latitude, longitude)) in enumerate(STOPS.items())
            ]
        )
        cls.salesman.tz = "Europe/Paris"

    def _tour(self, **values):
        Tour = self.env["crm.visit.tour"].with_user(self.salesman)
        return Tour.with_context(
            active_model="res.partner", active_ids=self.stops.ids
        ).create(dict({"date": "2026-03-10"}, **values))

    def test_defaults_from_the_selection(self):
        """Issue 27: from a selection of partners, they are the stops; the day
        starts and ends at the salesperson's agency, tomorrow."""
        tour = self._tour()
        self.assertEqual(tour.partner_ids, self.stops)
        self.assertEqual(tour.start_partner_id, self.agency_address)
        self.assertEqual(tour.end_partner_id, self.agency_address)
        tomorrow = self.env["crm.visit.tour"].with_user(self.salesman).create({})
        self.assertEqual(
            tomorrow.date, fields.Date.context_today(tomorrow) + timedelta(days=1)
        )

    def test_plan_orders_and_times_the_stops(self):
        """Issue 27: the stops are ordered so the day drives least (as short as
        the best of every order), timed from the departure at the average
        speed (roads 1.3 × the great circle), each visit its length."""
        tour = self._tour(start_hour=8.5, visit_duration=30, speed_kmh=60)
        tour.action_plan()
        lines = tour.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("sequence"), [1, 2, 3, 4])
        self.assertEqual(lines.partner_id, lines.partner_id | self.stops)
        places = [AGENCY] + [
            (partner.partner_latitude, partner.partner_longitude)
            for partner in lines.partner_id
        ]
        planned = sum(
            great_circle_km(*a, *b)
            for a, b in zip(places, places[1:] + [AGENCY], strict=True)
        )
        self.assertAlmostEqual(tour.total_distance_km, planned, places=3)
        # The reverse of an optimal round trip is optimal too: compare lengths.
        every = [
            [great_circle_km(*a, *b) for b in [AGENCY, *STOPS.values(), AGENCY]]
            for a in [AGENCY, *STOPS.values(), AGENCY]
        ]
        best = min(
            visit_route.path_length(every, 0, order, 5)
            for order in itertools.permutations(range(1, 5))
        )
        self.assertAlmostEqual(planned, best, places=3)
        # 8:30 in Paris in March is 7:30 UTC; the first leg at 60 km/h.
        first = lines[0]
        expected = datetime(2026, 3, 10, 7, 30) + timedelta(
            hours=first.distance_km * 1.3 / 60
        )
        self.assertAlmostEqual(first.date_arrival, expected, delta=timedelta(seconds=1))
        self.assertEqual(
            first.date_departure - first.date_arrival, timedelta(minutes=30)
        )
        for previous, line in zip(lines[:-1], lines[1:], strict=True):
            self.assertGreaterEqual(line.date_arrival, previous.date_departure)
        self.assertGreater(tour.date_return, lines[-1].date_departure)

    def test_events_created_in_order(self):
        """Issue 27, EVT-1: one meeting per stop in the planned order, the
        stop's contact invited with the salesperson, linked to the partner or
        the lead; the travel between them left free."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Lead in Meylan",
                "type": "lead",
                "user_id": self.salesman.id,
                "partner_id": self.stops[2].id,
            }
        )
        tour = self._tour()
        tour.partner_ids = self.stops - self.stops[2]
        tour.lead_ids = lead
        # The lead is placed at its partner's place when it has none of its own.
        tour.action_plan()
        tour.action_create_events()
        events = tour.event_ids.sorted("start")
        lines = tour.line_ids.sorted("sequence")
        self.assertEqual(len(events), 4)
        self.assertEqual(events.mapped("start"), lines.mapped("date_arrival"))
        for event, line in zip(events, lines, strict=True):
            self.assertEqual(event.stop, line.date_departure)
            self.assertEqual(event.crm_event_type, "meeting")
            self.assertEqual(event.user_id, self.salesman)
            self.assertEqual(
                event.partner_ids, self.salesman.partner_id | line.partner_id
            )
            self.assertTrue(event.name.startswith(f"Visit {line.sequence}/4"))
            if line.lead_id:
                self.assertEqual(event.res_model, "crm.lead")
                self.assertEqual(event.res_id, lead.id)
                self.assertEqual(event.opportunity_id, lead)
            else:
                self.assertEqual(event.res_model, "res.partner")
                self.assertEqual(event.res_id, line.partner_id.id)
        # Free travel: no meeting overlaps the next one's travel.
        for previous, event in zip(events[:-1], events[1:], strict=True):
            self.assertLess(previous.stop, event.start)
        self.assertEqual(
            lead.date_next_event,
            events.filtered(lambda event: event.res_model == "crm.lead").start,
        )
        with self.assertRaisesRegex(UserError, "already created"):
            tour.action_create_events()

    def test_unplaced_stop_refused(self):
        """Issue 27: a stop that is nowhere on the map is named in a clear
        error, and nothing is planned."""
        nowhere = self.env["res.partner"].create({"name": "Nowhere Ltd"})
        tour = self._tour()
        tour.partner_ids |= nowhere
        with self.assertRaisesRegex(UserError, "Nowhere Ltd"):
            tour.action_plan()
        self.assertFalse(tour.line_ids)
        with self.assertRaisesRegex(UserError, "Select the partners"):
            self._tour(partner_ids=[Command.clear()]).action_plan()

    def test_route_sheet(self):
        """Issue 27: the route sheet gives per stop the address, the phone, the
        last event and links to open it in a map application."""
        tour = self._tour()
        tour.action_plan()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.salesman)
            ._render_qweb_html("crm_prospection.report_visit_tour", tour.ids)[0]
            .decode()
        )
        for partner in self.stops:
            self.assertIn(partner.name, html)
            self.assertIn(partner.phone, html)
            self.assertIn(
                f"geo:{partner.partner_latitude},{partner.partner_longitude}", html
            )
        self.assertIn("openstreetmap.org", html)
        self.assertIn("Route sheet", html)

    def test_access(self):
        """Issue 27, X-3: a salesman cannot plan a visit to a lead they may not
        read; a plain employee cannot plan tours."""
        other_lead = self.env["crm.lead"].create(
            {"name": "Someone else's", "type": "lead", "user_id": self.salesman_all.id}
        )
        with self.assertRaises(AccessError):
            self._tour(lead_ids=[Command.set(other_lead.ids)]).action_plan()
        with self.assertRaises(AccessError):
            self.env["crm.visit.tour"].with_user(self.employee).create({})
