# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestEventTemplates(CrmLeadCase):
    """CFG-6: each company's event templates, Odoo's defaults otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.guest = cls.env["res.partner"].create(
            {"name": "Guest", "email": "guest@example.com"}
        )
        cls.other_guest = cls.env["res.partner"].create(
            {"name": "Other guest", "email": "other@example.com"}
        )
        model_id = cls.env["ir.model"]._get_id("calendar.attendee")

        def template(subject):
            return cls.env["mail.template"].create(
                {
                    "name": subject,
                    "model_id": model_id,
                    "subject": subject + ": {{ object.event_id.name }}",
                    "body_html": "<p>{{ object.event_id.name }}</p>",
                    "email_to": "{{ object.partner_id.email }}",
                }
            )

        cls.templates = {
            "crm_meeting_template_id": template("Company meeting"),
            "crm_call_template_id": template("Company call"),
            "crm_event_template_id": template("Company event"),
            "crm_meeting_date_change_template_id": template("Company new date"),
            "crm_meeting_guest_added_template_id": template("Company welcome"),
            "crm_meeting_guest_removed_template_id": template("Company goodbye"),
        }
        cls.start = datetime.now().replace(microsecond=0) + timedelta(days=10)

    def _subjects(self):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "calendar.event"),
                    ("partner_ids", "in", (self.guest | self.other_guest).ids),
                ]
            )
            .mapped("subject")
        )

    def _event(self, event_type="meeting", partners=None):
        return self.env["calendar.event"].create(
            {
                "name": f"Demo {event_type}",
                "crm_event_type": event_type,
                "start": self.start,
                "stop": self.start + timedelta(hours=1),
                "partner_ids": [Command.set((partners or self.guest).ids)],
                "user_id": self.salesman_all.id,
            }
        )

    def test_odoo_templates_without_company_ones(self):
        """CFG-6: without company templates, Odoo's own invitation is sent."""
        self._event()
        self.assertFalse(
            [subject for subject in self._subjects() if subject.startswith("Company")]
        )
        self.assertTrue(self._subjects())

    def test_company_templates_per_type_and_change(self):
        """CFG-6: the company's templates by type, for new dates, added and
        removed guests."""
        self.company.write({key: t.id for key, t in self.templates.items()})
        meeting = self._event("meeting")
        self._event("call")
        self._event("note")
        subjects = self._subjects()
        self.assertIn("Company meeting: Demo meeting", subjects)
        self.assertIn("Company call: Demo call", subjects)
        self.assertIn("Company event: Demo note", subjects)
        meeting.write(
            {
                "start": self.start + timedelta(days=1),
                "stop": self.start + timedelta(days=1, hours=1),
            }
        )
        self.assertIn("Company new date: Demo meeting", self._subjects())
        meeting.partner_ids = [Command.link(self.other_guest.id)]
        self.assertIn("Company welcome: Demo meeting", self._subjects())
        meeting.partner_ids = [Command.unlink(self.other_guest.id)]
        self.assertIn("Company goodbye: Demo meeting", self._subjects())
