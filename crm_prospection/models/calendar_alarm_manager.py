# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class CalendarAlarmManager(models.AbstractModel):
    _inherit = "calendar.alarm_manager"

    def _get_notify_alert_extra_conditions(self):
        """EVT-2: e-mail reminders only for events still planned."""
        self.env["calendar.event"].flush_model(["crm_state"])
        return SQL(
            "%s AND event.crm_state = 'planned'",
            super()._get_notify_alert_extra_conditions(),
        )

    @api.model
    def get_next_notif(self):
        """EVT-2: no pop-up reminder for events done or cancelled."""
        notifications = super().get_next_notif()
        if not notifications:
            return notifications
        planned = (
            self.env["calendar.event"]
            .browse({notification["event_id"] for notification in notifications})
            .filtered(lambda event: event.crm_state == "planned")
        )
        return [n for n in notifications if n["event_id"] in planned.ids]
