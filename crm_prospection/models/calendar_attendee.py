# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _notify_attendees(self, mail_template, notify_author=False, force_send=False):
        """CFG-6: Odoo's invitation, date-change and reminder e-mails use the
        event company's templates when it has them, Odoo's own otherwise."""
        invitation = self.env.ref(
            "calendar.calendar_template_meeting_invitation", raise_if_not_found=False
        )
        date_change = self.env.ref(
            "calendar.calendar_template_meeting_changedate", raise_if_not_found=False
        )
        reminder = self.env.ref(
            "calendar.calendar_template_meeting_reminder", raise_if_not_found=False
        )
        if not mail_template or mail_template not in (
            invitation | date_change | reminder
        ):
            return super()._notify_attendees(
                mail_template, notify_author=notify_author, force_send=force_send
            )
        added = not self.env.context.get("is_calendar_event_new")
        by_template = {}
        for attendee in self:
            event = attendee.event_id
            if mail_template == date_change:
                template = event._crm_company().crm_meeting_date_change_template_id
            elif mail_template == reminder:
                template = event._crm_company().crm_reminder_template_id
            else:
                template = event._crm_invitation_template(added=added)
            by_template.setdefault(template or mail_template, self.browse())
            by_template[template or mail_template] |= attendee
        result = False
        for template, attendees in by_template.items():
            result = super(CalendarAttendee, attendees)._notify_attendees(
                template, notify_author=notify_author, force_send=force_send
            )
        return result
