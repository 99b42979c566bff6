# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users, warmup

from .common import EVERY_MONDAY_5_TIMES, CrmLeadCase

START = datetime(2026, 6, 1, 9, 0)  # a Monday


@tagged("post_install", "-at_install")
class TestEvents(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Evt Industries", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Eva Contact", "parent_id": cls.company_partner.id}
        )
        cls.lead = cls._create_leads(name="Event lead", user_id=cls.salesman_all.id)

    def _event_from(self, record, event_type, **values):
        action = record.with_context(crm_event_type=event_type).action_crm_new_event()
        self.assertEqual(action["res_model"], "calendar.event")
        Event = self.env["calendar.event"].with_context(**action["context"])
        return Event.create(
            dict({"start": START, "stop": START + timedelta(hours=1)}, **values)
        )

    def test_buttons_create_linked_events(self):
        """EVT-1: a call from a lead is linked to it, organised by its salesperson;
        from a contact, the contact is invited."""
        call = self._event_from(self.lead, "call")
        self.assertEqual(call.crm_event_type, "call")
        self.assertEqual(call.opportunity_id, self.lead)
        self.assertEqual(call.res_model, "crm.lead")
        self.assertEqual(call.res_id, self.lead.id)
        self.assertEqual(call.user_id, self.salesman_all)
        self.assertEqual(call.partner_ids, self.salesman_all.partner_id)
        self.assertEqual(call.call_direction, "outbound")
        self.assertIn(call, self.lead.calendar_event_ids)
        meeting = self._event_from(self.contact, "meeting")
        self.assertIn(self.contact, meeting.partner_ids)
        self.assertEqual(meeting.res_model, "res.partner")
        self.assertIn(meeting, self.contact.crm_event_ids)
        self.assertIn(meeting, self.company_partner.crm_event_ids)
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
            ),
            "a CRM event is followed by its own status, not by a Meeting activity",
        )

    def test_events_tab_keeps_privacy(self):
        """EVT-5: the events tab lists every event of the lead, another user's
        private one as "Busy", and checks the privacy of the lines it shows,
        not of every event of the lead."""
        Event = self.env["calendar.event"]
        Event.create(
            [
                {
                    "name": f"Public call {day}",
                    "start": START + timedelta(days=day),
                    "stop": START + timedelta(days=day, hours=1),
                    "opportunity_id": self.lead.id,
                }
                for day in range(5)
            ]
        )
        private = Event.with_user(self.sales_manager).create(
            {
                "name": "Secret negotiation",
                "privacy": "private",
                "start": START + timedelta(days=10),
                "stop": START + timedelta(days=10, hours=1),
                "opportunity_id": self.lead.id,
            }
        )
        self.env.invalidate_all()
        CalendarEvent = type(Event)
        with patch.object(
            CalendarEvent,
            "_check_private_event_conditions",
            autospec=True,
            side_effect=CalendarEvent._check_private_event_conditions,
        ) as check:
            lines = (
                self.lead.with_user(self.salesman_all)
                .web_read({"crm_event_ids": {"fields": {"name": {}}, "limit": 2}})[0]
                .get("crm_event_ids")
            )
        self.assertEqual(len(lines), 6)
        self.assertEqual(lines[0], {"id": private.id, "name": "Busy"})
        self.assertLessEqual(check.call_count, 2, "privacy of the lines shown only")
        private.active = False
        self.assertNotIn(private, self.lead.crm_event_ids, "archived: off the tab")

    def test_every_type_and_type_changeable(self):
        """EVT-1, EVT-2: meeting, call, task and note; the type can change later."""
        for event_type in ("meeting", "call", "task", "note"):
            event = self._event_from(self.lead, event_type)
            self.assertEqual(event.crm_event_type, event_type)
        self.assertFalse(event.crm_is_meeting, "a note has no attendees' fields")
        note_color = event.crm_event_type_color
        event.crm_event_type = "meeting"
        # The change is what the calendar and the form follow: a meeting shows its
        # attendees and takes the meeting colour.
        self.assertTrue(event.crm_is_meeting)
        self.assertNotEqual(event.crm_event_type_color, note_color)

    def test_event_fields(self):
        """EVT-2: priority, availability, privacy, location, description, alarms."""
        alarm = self.env.ref("calendar.alarm_notif_1")
        event = self._event_from(
            self.lead,
            "meeting",
            crm_priority="urgent",
            show_as="free",
            privacy="private",
            location="Lyon office",
            description="<p>Minutes</p>",
            alarm_ids=[Command.set(alarm.ids)],
        )
        self.assertEqual(
            (event.crm_priority, event.show_as, event.privacy, event.location),
            ("urgent", "free", "private", "Lyon office"),
        )
        self.assertEqual(event.alarm_ids, alarm)

    def test_done_and_cancel_move_the_dates(self):
        """EVT-2, EVT-7: Done makes the last event, Cancel removes the next one."""
        first = self._event_from(self.lead, "call")
        second = self._event_from(
            self.lead,
            "meeting",
            start=START + timedelta(days=2),
            stop=START + timedelta(days=2, hours=1),
        )
        self.assertEqual(self.lead.date_next_event, START)
        first.action_crm_done()
        self.assertEqual(self.lead.date_last_event, START)
        self.assertEqual(self.lead.date_next_event, START + timedelta(days=2))
        second.action_crm_cancel()
        self.assertFalse(self.lead.date_next_event)
        second.action_crm_plan()
        self.assertEqual(self.lead.date_next_event, START + timedelta(days=2))

    def test_partner_dates_gather_contacts_leads_and_attendance(self):
        """EVT-7: a partner's dates cover its contacts' events, its opportunities'
        and the events its people attend."""
        opportunity = self.env["crm.lead"].create(
            {"name": "Opp", "type": "opportunity", "partner_id": self.contact.id}
        )
        self._event_from(opportunity, "meeting")  # contact invited as opp partner
        self.assertEqual(self.company_partner.date_next_event, START)
        other = self.env["calendar.event"].create(
            {
                "name": "Trade fair",
                "start": START - timedelta(days=3),
                "stop": START - timedelta(days=3, hours=-2),
                "partner_ids": [Command.set(self.contact.ids)],
                "crm_state": "done",
            }
        )
        self.assertEqual(self.company_partner.date_last_event, other.start)
        self.assertEqual(self.contact.date_last_event, other.start)
        other.unlink()
        self.assertFalse(self.company_partner.date_last_event)

    def test_recurrence(self):
        """EVT-3: every week on Monday, 5 times, with its summary."""
        event = self._event_from(self.lead, "meeting", **EVERY_MONDAY_5_TIMES)
        events = event.recurrence_id.calendar_event_ids
        self.assertEqual(len(events), 5)
        self.assertEqual(
            sorted(events.mapped("start")),
            [START + timedelta(weeks=week) for week in range(5)],
        )
        self.assertEqual(events.opportunity_id, self.lead)
        self.assertIn("5", event.crm_recurrence_summary)
        self.assertEqual(self.lead.date_next_event, START)

    def test_recurrence_done_in_batch(self):
        """EVT-7: marking 50 occurrences done recomputes the lead's dates once;
        per occurrence remains only the tracking message of its status (2
        queries today, 3 allowed), as for 5 occurrences."""
        counts, calls = {}, []
        original = type(self.lead)._compute_event_dates

        def counting(leads):
            calls.append(len(leads))
            return original(leads)

        for count in (5, 50):
            lead = self._create_leads(name=f"Recurring {count}")
            event = self._event_from(
                lead,
                "call",
                recurrency=True,
                rrule_type="daily",
                interval=1,
                end_type="count",
                count=count,
            )
            events = event.recurrence_id.calendar_event_ids
            self.assertEqual(len(events), count)
            self.env.flush_all()
            calls.clear()
            with (
                patch.object(type(self.lead), "_compute_event_dates", counting),
                self.countQueries() as counts[count],
            ):
                events.action_crm_done()
            self.assertEqual(calls, [1], "one recompute for the lead, not per event")
            self.assertEqual(lead.date_last_event, max(events.mapped("start")))
        self.assertQueriesPerRecord(counts, 3)

    def test_do_not_call(self):
        """EVT-8: no call planned with a do-not-call lead without the override,
        which is logged."""
        self.lead.do_not_call = True
        with self.assertRaisesRegex(ValidationError, "asked not to be called"):
            self._event_from(self.lead, "call")
        self._event_from(self.lead, "meeting")  # other types are fine
        call = self._event_from(self.lead, "call", call_dnc_override=True)
        self.assertIn("despite", self.lead.message_ids[0].body)
        self.assertIn("despite", call.message_ids[0].body)

    def test_do_not_call_on_edit(self):
        """EVT-8: an edit that plans a call with a do-not-call person is refused
        as a creation is (a meeting turned into a call, the override unticked,
        the person invited); a call planned before the person asked stays
        editable as it is."""
        planned_before = self._event_from(self.lead, "call")
        meeting = self._event_from(self.lead, "meeting")
        overridden = self._event_from(self.lead, "call")
        self.lead.do_not_call = True
        overridden.call_dnc_override = True
        for event, values in (
            (meeting, {"crm_event_type": "call"}),
            (overridden, {"call_dnc_override": False}),
        ):
            with self.assertRaisesRegex(ValidationError, "asked not to be called"):
                event.write(values)
        other = self._create_leads(name="Other lead")
        other_call = self._event_from(other, "call")
        with self.assertRaisesRegex(ValidationError, "asked not to be called"):
            other_call.opportunity_id = self.lead
        planned_before.write({"name": "Call moved", "start": START + timedelta(days=1)})
        self.assertEqual(planned_before.crm_state, "planned")

    def test_link_required_from_crm_events(self):
        """EVT-4, EVT-6: an event created from CRM › Events needs a link or a guest."""
        Event = self.env["calendar.event"].with_context(
            crm_prospection_require_link=True
        )
        values = {
            "name": "Floating",
            "start": START,
            "stop": START + timedelta(hours=1),
        }
        with self.assertRaisesRegex(UserError, "Link the event"):
            Event.create(values)
        Event.create(dict(values, opportunity_id=self.lead.id))
        Event.create(dict(values, partner_ids=[Command.set(self.contact.ids)]))

    def test_sale_order_and_campaign_links(self):
        """EVT-4, MAIL-4: an event links an order and a campaign; the lead lists
        its events' campaigns."""
        campaign = self.env["utm.campaign"].create({"name": "Spring fair"})
        order = self.env["sale.order"].create({"partner_id": self.contact.id})
        event = self._event_from(
            self.lead, "meeting", sale_order_id=order.id, campaign_id=campaign.id
        )
        self.assertEqual(event.sale_order_id, order)
        self.assertIn(campaign, self.lead.crm_campaign_ids)

    def test_personal_reminder_activity(self):
        """EVT-2: a personal reminder is a To-Do of the organizer on the lead."""
        event = self._event_from(self.lead, "task", crm_reminder_date="2026-05-29")
        activity = event.crm_reminder_activity_id
        self.assertEqual(activity.res_id, self.lead.id)
        self.assertEqual(activity.user_id, self.salesman_all)
        self.assertEqual(str(activity.date_deadline), "2026-05-29")
        event.action_crm_done()
        self.assertFalse(activity.exists())

    def test_reminders_only_for_planned_events(self):
        """EVT-2: e-mail reminders skip events done or cancelled."""
        alarm = self.env["calendar.alarm"].create(
            {
                "name": "Mail 1h",
                "alarm_type": "email",
                "duration": 1,
                "interval": "hours",
            }
        )
        now = datetime.now()
        values = {
            "start": now + timedelta(minutes=30),
            "stop": now + timedelta(minutes=90),
            "alarm_ids": [Command.set(alarm.ids)],
        }
        planned = self._event_from(self.lead, "meeting", **values)
        done = self._event_from(self.lead, "meeting", **values)
        done.action_crm_done()
        due = (
            self.env["calendar.alarm_manager"]
            .with_context(lastcall=now - timedelta(hours=2))
            ._get_events_by_alarm_to_notify("email")
        )
        self.assertIn(planned.id, due.get(alarm.id, []))
        self.assertNotIn(done.id, due.get(alarm.id, []))

    def test_crm_events_views(self):
        """EVT-6: CRM › Events: a list, a calendar coloured by type, a kanban."""
        action = self.env.ref("crm_prospection.action_crm_events")
        self.assertEqual(action.view_mode, "list,calendar,kanban,form")
        event = self._event_from(self.lead, "call")
        self.assertEqual(event.crm_event_type_color, 10)
        self.assertNotEqual(
            event.crm_event_type_color,
            self._event_from(self.lead, "meeting").crm_event_type_color,
        )

    def test_form_shows_the_call_direction(self):
        """EVT-2: the event form edits the CRM fields."""
        form = Form(
            self.env["calendar.event"].with_context(
                **self.lead.with_context(crm_event_type="call").action_crm_new_event()[
                    "context"
                ]
            )
        )
        form.start = START
        form.call_direction = "inbound"
        form.crm_priority = "high"
        event = form.save()
        self.assertEqual(event.call_direction, "inbound")
        self.assertEqual(event.opportunity_id, self.lead)

    @users("user_sales_leads")
    @warmup
    def test_event_creation_query_count(self):
        """EVT-1: creating an event from a lead costs a few queries more than
        creating Odoo's meeting from an opportunity (its Meeting button),
        measured beside it: the event's CRM type and status (3 or 4 more)."""
        lead = self.lead.with_env(self.env)
        opportunity = self._create_leads(
            name="Event opportunity", type="opportunity", user_id=self.salesman_all.id
        ).with_env(self.env)
        values = {"start": START, "stop": START + timedelta(hours=1)}
        context = lead.with_context(crm_event_type="call").action_crm_new_event()[
            "context"
        ]
        odoo_context = opportunity.action_schedule_meeting()["context"]
        Event = self.env["calendar.event"]
        self.env.invalidate_all()
        with self.countQueries() as odoo:
            Event.with_context(**odoo_context).create(dict(values))
        self.env.invalidate_all()
        with self.countQueries() as ours:
            Event.with_context(**context).create(dict(values))
        self.assertQueriesAtMost(odoo, ours, margin=8)

    def test_done_completes_odoos_meeting_activity(self):
        """EVT-2: an event planned from Odoo's own paths has a Meeting activity on
        the lead; marking the event done completes it, cancelling removes it."""
        Event = self.env["calendar.event"]
        values = {
            "start": START,
            "stop": START + timedelta(hours=1),
            "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
            "res_id": self.lead.id,
            "user_id": self.salesman_all.id,
        }
        done = Event.create(dict(values, name="Done meeting"))
        cancelled = Event.create(dict(values, name="Cancelled meeting"))
        self.assertTrue(done.activity_ids and cancelled.activity_ids)
        activities = done.activity_ids | cancelled.activity_ids
        done.action_crm_done()
        cancelled.action_crm_cancel()
        self.assertFalse(activities.exists().filtered("active"))
        self.assertFalse(self.lead.activity_ids)
