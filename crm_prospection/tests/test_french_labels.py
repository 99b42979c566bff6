# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import EVERY_MONDAY_5_TIMES, CrmLeadCase, activate_french


@tagged("post_install", "-at_install")
class TestFrenchLabels(CrmLeadCase):
    """EVT-1, EVT-3, STAT-4, X-1: what the chatter and the event forms say, in
    the user's language and in the words of what happened."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        cls.lead = cls._create_leads(name="Lead of the events")
        # A Monday at 10:00 UTC, a week ahead.
        today = datetime.now().replace(hour=10, minute=0, second=0, microsecond=0)
        cls.start = today + timedelta(days=7 - today.weekday())

    def _event(self, event_type, lang="en_US", **values):
        return (
            self.env["calendar.event"]
            .with_context(lang=lang, crm_prospection_event=True)
            .create(
                dict(
                    {
                        "name": f"Planned {event_type}",
                        "crm_event_type": event_type,
                        "start": self.start,
                        "stop": self.start + timedelta(minutes=30),
                        "opportunity_id": self.lead.id,
                        "user_id": self.env.user.id,
                    },
                    **values,
                )
            )
        )

    def _last_line(self):
        message = self.lead.message_ids.filtered(lambda m: m.body)[:1]
        return " ".join(html2plaintext(message.body).split())

    def test_events_logged_with_their_kind_and_a_readable_date(self):
        """EVT-1: a call is logged as a call, a task as a task, with its date in
        the user's language and time zone, never in ISO."""
        self.env.user.tz = "Europe/Paris"
        self._event("call")
        line = self._last_line()
        self.assertIn("Call planned on", line)
        self.assertNotIn("Meeting", line)
        self.assertNotIn(self.start.strftime("%Y-%m-%d"), line)
        self.assertIn("Duration: 30 minutes", line)
        self._event("task", lang="fr_FR")
        line = self._last_line()
        self.assertIn("Tâche planifiée le", line)
        self.assertNotIn("Réunion", line)
        self.assertIn(self.start.strftime("%d/%m/%Y"), line)
        self.assertNotIn(self.start.strftime("%Y-%m-%d"), line)
        # 10:00 UTC is 11:00 or 12:00 in Paris.
        self.assertRegex(line, r"(11|12):00")
        self._event("meeting", lang="fr_FR")
        self.assertIn("Réunion planifiée le", self._last_line())

    def _tracked(self, records, action):
        """Run ``action`` on records of an earlier request, and log its tracking
        (Odoo posts tracking messages at the end of the request)."""
        self._end_request()
        action(records)
        self._end_request()

    def test_lost_lead_is_no_lost_opportunity(self):
        """STAT-4: a lead marked lost says “Lead lost”, an opportunity keeps
        Odoo's “Opportunity lost”."""
        lead = self._create_leads(name="Lost lead")
        reason = self._lost_reason()
        self._tracked(lead, lambda lead: lead.action_set_lost(lost_reason_id=reason.id))
        lost = self.env.ref("crm_prospection.mt_lead_status_lost")
        self.assertIn(lost, lead.message_ids.subtype_id)
        self.assertNotIn(self.env.ref("crm.mt_lead_lost"), lead.message_ids.subtype_id)
        self.assertEqual(lost.with_context(lang="fr_FR").description, "Piste perdue")
        self._tracked(lead, lambda lead: lead.action_restore())
        self.assertIn(
            self.env.ref("crm_prospection.mt_lead_status_restored"),
            lead.message_ids.subtype_id,
        )
        opportunity = self.env["crm.lead"].create(
            {"name": "Lost opportunity", "type": "opportunity"}
        )
        self._tracked(
            opportunity,
            lambda opportunity: opportunity.action_set_lost(lost_reason_id=reason.id),
        )
        self.assertIn(
            self.env.ref("crm.mt_lead_lost"), opportunity.message_ids.subtype_id
        )
        self.assertNotIn(lost, opportunity.message_ids.subtype_id)

    def test_recurrence_summary_in_the_readers_language(self):
        """EVT-3: the recurrence in correct words, in the reader's language."""
        event = self._event("meeting", **EVERY_MONDAY_5_TIMES)
        self.assertEqual(event.crm_recurrence_summary, "Every week on Monday, 5 times")
        self.assertEqual(
            event.with_context(lang="fr_FR").crm_recurrence_summary,
            "Toutes les semaines, le lundi, 5 fois",
        )
        fortnightly = self._event(
            "meeting",
            recurrency=True,
            rrule_type="weekly",
            interval=2,
            mon=True,
            wed=True,
            end_type="end_date",
            until="2030-06-28",
        )
        self.assertEqual(
            fortnightly.with_context(lang="fr_FR").crm_recurrence_summary,
            "Toutes les 2 semaines, le lundi et mercredi, jusqu'au 28/06/2030",
        )
        # The first Tuesday of next month, at 10:00.
        first = (self.start.replace(day=1) + timedelta(days=32)).replace(day=1)
        first_tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
        monthly = self._event(
            "meeting",
            start=first_tuesday,
            stop=first_tuesday + timedelta(minutes=30),
            recurrency=True,
            rrule_type="monthly",
            interval=1,
            month_by="day",
            byday="1",
            weekday="TUE",
            end_type="count",
            count=3,
        )
        self.assertEqual(
            monthly.with_context(lang="fr_FR").crm_recurrence_summary,
            "Tous les mois, le premier mardi, 3 fois",
        )
        self.assertEqual(
            monthly.crm_recurrence_summary,
            "Every month on the first Tuesday, 3 times",
        )
