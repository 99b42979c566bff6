# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

from odoo import api, fields, models

from .crm_map_mixin import OSM_URL


class CrmVisitTourLine(models.TransientModel):
    """A stop of a day of visits, in visiting order (issue 27)."""

    _name = "crm.visit.tour.line"
    _description = "Stop of a day of visits"
    _order = "tour_id, sequence, id"

    tour_id = fields.Many2one(
        "crm.visit.tour", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(string="#", default=1)
    partner_id = fields.Many2one("res.partner")
    lead_id = fields.Many2one("crm.lead")
    distance_km = fields.Float(
        string="Distance (km)",
        help="From the previous stop (or the start), as the crow flies.",
    )
    date_arrival = fields.Datetime(string="Arrival")
    date_departure = fields.Datetime(string="Departure")
    address = fields.Char(compute="_compute_stop_details")
    phone = fields.Char(compute="_compute_stop_details")
    date_last_event = fields.Datetime(
        string="Last event", compute="_compute_stop_details"
    )
    map_url = fields.Char(
        string="Map link",
        compute="_compute_stop_details",
        help="Opens the stop in OpenStreetMap.",
    )
    geo_url = fields.Char(
        string="Map application link",
        compute="_compute_stop_details",
        help="A geo: link: a phone opens it in its map application.",
    )

    @api.depends(
        "partner_id.partner_latitude",
        "lead_id.crm_latitude",
        "partner_id.phone",
        "lead_id.phone",
    )
    def _compute_stop_details(self):
        for line in self:
            record = line.lead_id or line.partner_id
            place = line.tour_id._crm_place(record) if record else None
            line.address = record._crm_map_address() if record else False
            line.phone = (
                record.phone or (line.lead_id and line.partner_id.phone) or False
            )
            line.date_last_event = record.date_last_event if record else False
            if place:
                latitude, longitude = place
                query = urlencode({"mlat": latitude, "mlon": longitude})
                line.map_url = f"{OSM_URL}?{query}#map=16/{latitude}/{longitude}"
                line.geo_url = f"geo:{latitude},{longitude}"
            else:
                line.map_url = line.geo_url = False

    def _crm_place(self):
        self.ensure_one()
        return self.tour_id._crm_place(self.lead_id or self.partner_id)
