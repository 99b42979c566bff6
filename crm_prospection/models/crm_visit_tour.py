# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..wizards import visit_route
from .crm_around_mixin import great_circle_km

MAX_STOPS = 25  # planned in at most a second (issue 27)
# Roads are longer than the great circle: travel times are those of the
# distance as the crow flies times this usual detour factor.
ROAD_FACTOR = 1.3


class CrmVisitTour(models.TransientModel):
    """A day of visits (issue 27): partners and leads visited in the order that
    drives least, from a start point to an end point, then the day's meetings
    created in that order and a route sheet printed."""

    _name = "crm.visit.tour"
    _description = "Day of visits"

    def _default_start_partner(self):
        agency = self.env.user.default_agency_id
        return agency.partner_id or self.env.company.partner_id

    date = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=1),
    )
    start_hour = fields.Float(
        string="Leave at", required=True, default=8.5, help="Hour of departure."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    start_partner_id = fields.Many2one(
        "res.partner",
        string="Start",
        required=True,
        default=_default_start_partner,
        help="Where the day starts: the salesperson's agency by default.",
    )
    end_partner_id = fields.Many2one(
        "res.partner",
        string="End",
        required=True,
        default=_default_start_partner,
        help="Where the day ends: the salesperson's agency by default.",
    )
    visit_duration = fields.Integer(
        string="Visit length (minutes)", required=True, default=45
    )
    speed_kmh = fields.Float(
        string="Average speed (km/h)",
        required=True,
        default=50,
        help="Travel times are those of the distance as the crow flies, times "
        "1.3 for the roads, at this speed.",
    )
    partner_ids = fields.Many2many("res.partner", string="Partners to visit")
    lead_ids = fields.Many2many("crm.lead", string="Leads to visit")
    line_ids = fields.One2many("crm.visit.tour.line", "tour_id", string="Stops")
    event_ids = fields.Many2many("calendar.event", string="Meetings", readonly=True)
    total_distance_km = fields.Float(string="Distance (km)", compute="_compute_totals")
    date_return = fields.Datetime(string="Back at", compute="_compute_totals")

    _check_visit_duration = models.Constraint(
        "CHECK(visit_duration > 0)", "A visit lasts at least a minute."
    )
    _check_speed = models.Constraint(
        "CHECK(speed_kmh > 0)", "The average speed must be more than 0 km/h."
    )

    @api.model
    def default_get(self, fields_list):
        """Opened from a selection of partners or leads, they are the stops."""
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "res.partner" and "partner_ids" in fields_list and ids:
            values["partner_ids"] = [Command.set(ids)]
        elif model == "crm.lead" and "lead_ids" in fields_list and ids:
            values["lead_ids"] = [Command.set(ids)]
        return values

    @api.depends("line_ids.distance_km", "line_ids.date_departure", "end_partner_id")
    def _compute_totals(self):
        for tour in self:
            lines = tour.line_ids.sorted("sequence")
            if not lines:
                tour.total_distance_km = 0
                tour.date_return = False
                continue
            last = lines[-1]
            back = great_circle_km(
                *last._crm_place(), *tour._crm_place(tour.end_partner_id)
            )
            tour.total_distance_km = sum(lines.mapped("distance_km")) + back
            tour.date_return = last.date_departure + tour._crm_travel_time(back)

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------

    def _crm_place(self, record):
        """(latitude, longitude) of a partner or lead, or ``None``."""
        if record._name == "crm.lead":
            if record.crm_latitude or record.crm_longitude:
                return record.crm_latitude, record.crm_longitude
            record = record.partner_id
        if record and (record.partner_latitude or record.partner_longitude):
            return record.partner_latitude, record.partner_longitude
        return None

    def _crm_travel_time(self, distance_km):
        self.ensure_one()
        return timedelta(hours=distance_km * ROAD_FACTOR / self.speed_kmh)

    def _crm_departure(self):
        """The start of the day, in UTC as Odoo stores datetimes."""
        self.ensure_one()
        timezone = pytz.timezone(self.user_id.tz or self.env.user.tz or "UTC")
        hours, minutes = divmod(round(self.start_hour * 60), 60)
        local = datetime.combine(self.date, time(min(hours, 23), minutes))
        return timezone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _crm_unplaced(self):
        """Names of the stops, start and end that are nowhere on the map."""
        self.ensure_one()
        return [
            record.display_name
            for record in [
                *self.partner_ids,
                *self.lead_ids,
                *(self.start_partner_id | self.end_partner_id),
            ]
            if not self._crm_place(record)
        ]

    def _crm_check(self):
        self.ensure_one()
        if not (self.partner_ids or self.lead_ids):
            raise UserError(self.env._("Select the partners or leads to visit."))
        count = len(self.partner_ids) + len(self.lead_ids)
        if count > MAX_STOPS:
            raise UserError(
                self.env._(
                    "A day of visits has at most %(max)s stops; %(count)s are "
                    "selected.",
                    max=MAX_STOPS,
                    count=count,
                )
            )
        unplaced = self._crm_unplaced()
        if unplaced:
            raise UserError(
                self.env._(
                    "These places are not on the map yet: %s. Give them a city "
                    "known to the city referential, or geolocate them.",
                    ", ".join(unplaced),
                )
            )

    def action_plan(self):
        """Order the stops so that the day drives least (issue 27), and time
        them: the legs at the average speed, each visit its length."""
        self.ensure_one()
        self._crm_check()
        stops = [*self.partner_ids, *self.lead_ids]
        places = [
            self._crm_place(self.start_partner_id),
            *(self._crm_place(stop) for stop in stops),
            self._crm_place(self.end_partner_id),
        ]
        matrix = [[great_circle_km(*a, *b) for b in places] for a in places]
        order = visit_route.solve(matrix, 0, range(1, len(stops) + 1), len(places) - 1)
        lines, previous = [], 0
        arrival = self._crm_departure()
        visit = timedelta(minutes=self.visit_duration)
        for sequence, index in enumerate(order, start=1):
            stop = stops[index - 1]
            distance = matrix[previous][index]
            arrival += self._crm_travel_time(distance)
            lines.append(
                {
                    "sequence": sequence,
                    "partner_id": (
                        stop.id if stop._name == "res.partner" else stop.partner_id.id
                    ),
                    "lead_id": stop.id if stop._name == "crm.lead" else False,
                    "distance_km": distance,
                    "date_arrival": arrival,
                    "date_departure": arrival + visit,
                }
            )
            arrival += visit
            previous = index
        self.line_ids = [Command.clear()] + [Command.create(line) for line in lines]
        return self._crm_reopen()

    def _crm_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan a tour"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Meetings and route sheet
    # ------------------------------------------------------------------

    def action_create_events(self):
        """One meeting per stop, in the planned order, with the stop's contact
        invited and linked to its lead or partner; the travel between them is
        left free in the agenda."""
        self.ensure_one()
        if not self.line_ids:
            self.action_plan()
        if self.event_ids:
            raise UserError(
                self.env._("The meetings of this tour are already created.")
            )
        lines = self.line_ids.sorted("sequence")
        model_ids = {
            name: self.env["ir.model"]._get_id(name)
            for name in ("res.partner", "crm.lead")
        }
        values = []
        for line in lines:
            record = line.lead_id or line.partner_id
            guests = self.user_id.partner_id | line.partner_id
            values.append(
                {
                    "name": self.env._(
                        "Visit %(sequence)s/%(count)s: %(name)s",
                        sequence=line.sequence,
                        count=len(lines),
                        name=record.display_name,
                    ),
                    "crm_event_type": "meeting",
                    "start": line.date_arrival,
                    "stop": line.date_departure,
                    "user_id": self.user_id.id,
                    "partner_ids": [Command.set(guests.ids)],
                    "location": line.address,
                    "res_model_id": model_ids[record._name],
                    "res_id": record.id,
                    "opportunity_id": line.lead_id.id or False,
                    "show_as": "busy",
                }
            )
        self.event_ids = self.env["calendar.event"].create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Meetings of the tour"),
            "res_model": "calendar.event",
            "view_mode": "list,calendar,form",
            "views": [(False, "list"), (False, "calendar"), (False, "form")],
            "domain": [("id", "in", self.event_ids.ids)],
            "context": {"initial_date": fields.Date.to_string(self.date)},
        }

    def action_print(self):
        """The route sheet (PDF, or a page where no PDF printer is installed)."""
        self.ensure_one()
        if not self.line_ids:
            self.action_plan()
        return self.env.ref("crm_prospection.report_visit_tour").report_action(self)
