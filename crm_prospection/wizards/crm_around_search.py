# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

MAX_RESULTS = 500  # lines of a search; the nearest ones


class CrmAroundSearch(models.TransientModel):
    """ "Around…" (issue 27): the partners or leads within a radius of a city,
    a partner or the user's own position, nearest first, with the usual
    filters; then a day of visits planned from a selection of them."""

    _name = "crm.around.search"
    _description = "Search around a place"

    target = fields.Selection(
        [("partner", "Prospects and customers"), ("lead", "Leads")],
        string="Search",
        required=True,
        default="partner",
    )
    center = fields.Selection(
        [
            ("zip", "A city or zip"),
            ("partner", "A partner"),
            ("position", "My position"),
        ],
        string="Around",
        required=True,
        default="zip",
    )
    zip_id = fields.Many2one(
        "res.city.zip",
        string="City or zip",
        domain="['|', ('latitude', '!=', 0), ('longitude', '!=', 0)]",
    )
    center_partner_id = fields.Many2one("res.partner", string="Partner")
    latitude = fields.Float(
        digits=(10, 7), compute="_compute_position", store=True, readonly=False
    )
    longitude = fields.Float(
        digits=(10, 7), compute="_compute_position", store=True, readonly=False
    )
    radius_km = fields.Float(string="Radius (km)", required=True, default=20)
    # The usual filters.
    lead_status_ids = fields.Many2many("crm.lead.status", string="Statuses")
    agency_id = fields.Many2one("crm.agency")
    user_id = fields.Many2one(
        "res.users", string="Salesperson", domain="[('share', '=', False)]"
    )
    partner_kind = fields.Selection(
        [
            ("all", "Prospects and customers"),
            ("prospect", "Prospects"),
            ("customer", "Customers"),
        ],
        string="Kind",
        required=True,
        default="all",
    )
    no_event_days = fields.Integer(
        string="No event for (days)",
        help="Only those without any event done in that many days (0: all).",
    )
    line_ids = fields.One2many("crm.around.search.line", "search_id", string="Results")
    result_count = fields.Integer(compute="_compute_result_count")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if (
            self.env.context.get("active_model") == "crm.lead"
            and "target" in fields_list
        ):
            values["target"] = "lead"
        return values

    @api.depends("center", "zip_id", "center_partner_id")
    def _compute_position(self):
        for search in self:
            if search.center == "zip" and search.zip_id:
                search.latitude = search.zip_id.latitude
                search.longitude = search.zip_id.longitude
            elif search.center == "partner" and search.center_partner_id:
                search.latitude = search.center_partner_id.partner_latitude
                search.longitude = search.center_partner_id.partner_longitude

    @api.depends("line_ids")
    def _compute_result_count(self):
        for search in self:
            search.result_count = len(search.line_ids)

    def _crm_domain(self):
        """The filters as a domain of the searched model."""
        self.ensure_one()
        domain = Domain.TRUE
        if self.agency_id:
            domain &= Domain("agency_id", "=", self.agency_id.id)
        if self.user_id:
            domain &= Domain("user_id", "=", self.user_id.id)
        if self.no_event_days > 0:
            since = fields.Datetime.now() - timedelta(days=self.no_event_days)
            domain &= Domain("date_last_event", "=", False) | Domain(
                "date_last_event", "<", since
            )
        if self.target == "lead":
            domain &= Domain("type", "=", "lead")
            if self.lead_status_ids:
                domain &= Domain("lead_status_id", "in", self.lead_status_ids.ids)
            return domain
        kinds = self.env["crm.partner.map"]._crm_map_partner_kind()
        if self.partner_kind in kinds:
            return domain & kinds[self.partner_kind]
        return domain & Domain("parent_id", "=", False) & Domain.OR(kinds.values())

    def _crm_check_center(self):
        self.ensure_one()
        if self.latitude or self.longitude:
            return
        if self.center == "zip":
            message = self.env._("Choose the city or zip to search around.")
        elif self.center == "partner" and self.center_partner_id:
            message = self.env._(
                "%s is not on the map yet: geolocate it, or give it a city known "
                "to the city referential.",
                self.center_partner_id.display_name,
            )
        elif self.center == "partner":
            message = self.env._("Choose the partner to search around.")
        else:
            message = self.env._(
                "Your position is not known: allow the browser to tell it "
                '("Use my position").'
            )
        raise UserError(message)

    def action_search(self):
        """Fill the results: the records within the radius, nearest first."""
        self.ensure_one()
        self._crm_check_center()
        model = "crm.lead" if self.target == "lead" else "res.partner"
        found = self.env[model]._crm_search_around(
            self.latitude,
            self.longitude,
            self.radius_km,
            domain=self._crm_domain(),
            limit=MAX_RESULTS,
        )
        link = "lead_id" if self.target == "lead" else "partner_id"
        self.line_ids = [Command.clear()] + [
            Command.create(
                {"sequence": sequence, link: record_id, "distance_km": distance}
            )
            for sequence, (record_id, distance) in enumerate(found, start=1)
        ]
        return self._crm_reopen()

    def _crm_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Around…"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": dict(self.env.context, dialog_size="extra-large"),
        }

    def _crm_selected_lines(self):
        lines = self.line_ids.filtered("selected")
        if not lines:
            raise UserError(self.env._("Tick the results to visit first."))
        return lines

    def action_plan_tour(self):
        """ "Plan a tour" with the ticked results as its stops."""
        self.ensure_one()
        lines = self._crm_selected_lines()
        tour = self.env["crm.visit.tour"].create(
            {
                "partner_ids": [Command.set(lines.partner_id.ids)],
                "lead_ids": [Command.set(lines.lead_id.ids)],
            }
        )
        # A start or end not on the map: the user chooses another in the
        # tour's window, and plans it there.
        if not tour._crm_unplaced():
            tour.action_plan()
        return tour._crm_reopen()

    def action_show_map(self):
        """The results on the map, with their distance, the circle drawn."""
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "crm_prospection.partner_map",
            "name": self.env._("Around…"),
            "params": {
                "around": {
                    "model": "crm.lead" if self.target == "lead" else "res.partner",
                    "latitude": self.latitude,
                    "longitude": self.longitude,
                    "radius_km": self.radius_km,
                    "ids": self.line_ids.lead_id.ids or self.line_ids.partner_id.ids,
                }
            },
        }

    def action_open_list(self):
        """The results as an ordinary list, for the usual actions on them."""
        self.ensure_one()
        model = "crm.lead" if self.target == "lead" else "res.partner"
        ids = self.line_ids.lead_id.ids or self.line_ids.partner_id.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Around…"),
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", ids)],
        }
