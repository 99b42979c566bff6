# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import babel.dates
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.tools import format_date, format_list
from odoo.tools.misc import babel_locale_parse

EVENT_TYPES = [
    ("meeting", "Meeting"),
    ("call", "Call"),
    ("task", "Task"),
    ("note", "Note"),
]
# The recurrence's weekday switches and codes, Monday first (babel's order).
WEEKDAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_CODES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# Context key of the CRM entry points (record buttons, CRM › Events).
CRM_EVENT = "crm_prospection_event"
# Context key: the lead whose person is invited once the event is saved.
INVITE_LEAD_CONTACT = "crm_prospection_invite_lead_contact"
# What may make an event a call planned with a person who asked not to be called.
DO_NOT_CALL_FIELDS = {
    "crm_event_type",
    "crm_state",
    "call_dnc_override",
    "partner_ids",
    "opportunity_id",
    "res_model_id",
    "res_id",
}


class CalendarEvent(models.Model):
    """Odoo's events as the CRM's meetings, calls, tasks and notes (EVT-1…EVT-8)."""

    _inherit = "calendar.event"

    # Leads are linked through opportunity_id too (crm only offers opportunities).
    opportunity_id = fields.Many2one(
        domain="[('type', 'in', ('lead', 'opportunity'))]",
        string="Lead / Opportunity",
    )
    # EVT-4, EVT-7: the lead or opportunity the event is about, however it is
    # linked: by opportunity_id (Odoo's meetings of the lead) or only by its
    # related record (Odoo counts no meeting then; its dates and events tab do).
    crm_lead_id = fields.Many2one(
        "crm.lead",
        string="About the lead",
        compute="_compute_crm_lead_id",
        store=True,
        index="btree_not_null",
        ondelete="set null",
        groups="base.group_user",
    )
    crm_event_type = fields.Selection(
        EVENT_TYPES,
        string="Event type",
        default="meeting",
        required=True,
        index=True,
        tracking=True,
        groups="base.group_user",
    )
    call_direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")],
        string="Call direction",
        default="outbound",
        groups="base.group_user",
    )
    crm_priority = fields.Selection(
        [("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent")],
        string="Priority",
        default="normal",
        required=True,
        groups="base.group_user",
    )
    # Like the event itself, its status is shown to the guests (the lists of
    # events decorate their rows with it); the other CRM fields are internal.
    crm_state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        string="Event status",
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    call_dnc_override = fields.Boolean(
        string="Call anyway",
        help="The person asked not to be called: tick to plan the call all the same "
        "(it is logged).",
        copy=False,
        groups="base.group_user",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Quotation / order",
        index="btree_not_null",
        groups="base.group_user",
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        index="btree_not_null",
        ondelete="set null",
        groups="base.group_user",
    )
    # EVT-2: a personal reminder, as an activity of the organizer.
    crm_reminder_date = fields.Date(
        string="Remind me on", copy=False, groups="base.group_user"
    )
    crm_reminder_activity_id = fields.Many2one(
        "mail.activity",
        string="Reminder activity",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    crm_do_not_call = fields.Boolean(
        compute="_compute_crm_do_not_call", groups="base.group_user"
    )
    # The form offers a video link to meetings only; readable by whoever reads
    # the form (the type itself is internal).
    crm_is_meeting = fields.Boolean(
        string="Is a meeting", compute="_compute_crm_is_meeting"
    )
    # EVT-6: one colour per type in the calendar; EVT-3: the recurrence in words.
    crm_event_type_color = fields.Integer(
        compute="_compute_crm_event_type_color", groups="base.group_user"
    )
    crm_recurrence_summary = fields.Char(
        compute="_compute_crm_recurrence_summary",
        string="Recurrence summary",
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------

    @api.depends("crm_event_type")
    def _compute_crm_event_type_color(self):
        colors = {"meeting": 4, "call": 10, "task": 2, "note": 8}
        for event in self:
            event.crm_event_type_color = colors.get(event.crm_event_type, 0)

    @api.depends("opportunity_id", "res_model", "res_id")
    def _compute_crm_lead_id(self):
        """The lead or opportunity the event is related to, else Odoo's link:
        an event planned on a lead stays the lead's once the opportunity made
        from it counts it among its meetings."""
        referenced = self.filtered(
            lambda event: event.res_model == "crm.lead" and event.res_id
        )
        existing = set(
            self.env["crm.lead"].browse(referenced.mapped("res_id")).exists().ids
        )
        for event in self:
            if event in referenced and event.res_id in existing:
                event.crm_lead_id = event.res_id
            else:
                event.crm_lead_id = event.opportunity_id

    def _crm_follow_opportunity(self, lead, opportunity):
        """CONV-5: events of ``lead`` become the meetings of the opportunity
        made from it (Odoo's meetings button and dates count them) and stay
        related to the lead (its events and history keep them)."""
        self.filtered(
            lambda event: not (event.res_model == "crm.lead" and event.res_id)
        ).write(
            {
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
            }
        )
        self.with_context(no_mail_to_attendees=True).write(
            {"opportunity_id": opportunity.id}
        )

    @api.depends("crm_event_type")
    def _compute_crm_is_meeting(self):
        for event in self:
            event.crm_is_meeting = event.sudo().crm_event_type in (False, "meeting")

    @api.depends_context("lang")
    @api.depends(
        "recurrency",
        "rrule_type",
        "interval",
        "end_type",
        "count",
        "until",
        "month_by",
        "day",
        "byday",
        "weekday",
        *WEEKDAY_FIELDS,
    )
    def _compute_crm_recurrence_summary(self):
        """EVT-3: the recurrence in words of the reader's language, e.g. "Every
        week on Monday, 5 times" (Odoo's own summary reads "Every 1 Weeks on
        Monday for 5 events" and is stored in the language of its author)."""
        for event in self:
            event.crm_recurrence_summary = (
                event._crm_recurrence_summary() if event.recurrency else False
            )

    def _crm_recurrence_summary(self):
        self.ensure_one()
        interval = max(self.interval, 1)
        frequencies = {
            "daily": (
                self.env._("Every day"),
                self.env._("Every %(count)s days", count=interval),
            ),
            "weekly": (
                self.env._("Every week"),
                self.env._("Every %(count)s weeks", count=interval),
            ),
            "monthly": (
                self.env._("Every month"),
                self.env._("Every %(count)s months", count=interval),
            ),
            "yearly": (
                self.env._("Every year"),
                self.env._("Every %(count)s years", count=interval),
            ),
        }
        if self.rrule_type not in frequencies:
            return False
        rule = self._crm_recurrence_on(frequencies[self.rrule_type][interval > 1])
        if self.end_type == "count" and self.count == 1:
            return self.env._("%(rule)s, once", rule=rule)
        if self.end_type == "count" and self.count:
            return self.env._("%(rule)s, %(count)s times", rule=rule, count=self.count)
        if self.end_type == "end_date" and self.until:
            return self.env._(
                "%(rule)s, until %(date)s",
                rule=rule,
                date=format_date(self.env, self.until),
            )
        return rule

    def _crm_recurrence_on(self, rule):
        """The frequency ``rule`` with the days it repeats on: weekdays of a
        weekly event, the weekday or the day of the month of a monthly one."""
        locale = babel_locale_parse(self.env.lang or "en_US")
        day_names = babel.dates.get_day_names("wide", locale=locale)
        if self.rrule_type == "weekly":
            days = [
                day_names[index]
                for index, day in enumerate(WEEKDAY_FIELDS)
                if self[day]
            ]
            if days:
                rule = self.env._(
                    "%(frequency)s on %(days)s",
                    frequency=rule,
                    days=format_list(self.env, days),
                )
        elif self.rrule_type == "monthly" and self.month_by == "day":
            positions = {
                "1": self.env._("first"),
                "2": self.env._("second"),
                "3": self.env._("third"),
                "4": self.env._("fourth"),
                "-1": self.env._("last"),
            }
            weekday = WEEKDAY_CODES.index(self.weekday) if self.weekday else None
            if self.byday in positions and weekday is not None:
                rule = self.env._(
                    "%(frequency)s on the %(position)s %(weekday)s",
                    frequency=rule,
                    position=positions[self.byday],
                    weekday=day_names[weekday],
                )
        elif self.rrule_type == "monthly" and self.day:
            rule = self.env._(
                "%(frequency)s on day %(day)s", frequency=rule, day=self.day
            )
        return rule

    def _crm_related_records(self):
        """The lead/opportunity and partners the event is about (EVT-4): the
        lead it is related to and the opportunity it is a meeting of."""
        self.ensure_one()
        records = [self.crm_lead_id]
        if self.opportunity_id != self.crm_lead_id:
            records.append(self.opportunity_id)
        if self.res_model == "res.partner" and self.res_id:
            records.append(self.env["res.partner"].browse(self.res_id))
        return [record for record in records if record]

    @api.depends(
        "crm_lead_id.do_not_call",
        "opportunity_id.do_not_call",
        "partner_ids.do_not_call",
        "res_model",
        "res_id",
    )
    def _compute_crm_do_not_call(self):
        for event in self:
            records = event._crm_related_records()
            event.crm_do_not_call = any(
                record.do_not_call for record in records
            ) or any(event.partner_ids.mapped("do_not_call"))

    def _crm_unwanted_calls(self):
        """The planned calls, without “Call anyway”, with a person who asked not
        to be called (EVT-8)."""
        return self.filtered(
            lambda event: (
                event.crm_event_type == "call"
                and event.crm_state == "planned"
                and not event.call_dnc_override
                and event.crm_do_not_call
            )
        )

    def _crm_check_do_not_call(self, allowed=None):
        """EVT-8: no call is planned with a do-not-call person without an override.

        A call already planned when its person asked not to be called is not
        planned again by an edit that keeps it as it was (``allowed``): so a
        conversion, which names the person the lead's calls were about, plans no
        call, whoever runs it and however."""
        unwanted = self._crm_unwanted_calls() - (allowed or self.browse())
        if unwanted:
            event = unwanted[0]
            raise ValidationError(
                self.env._(
                    "%s asked not to be called: tick “Call anyway” to plan this "
                    "call all the same.",
                    ", ".join(
                        record.display_name
                        for record in [
                            *event._crm_related_records(),
                            *event.partner_ids,
                        ]
                        if record.do_not_call
                    ),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _get_activity_excluded_models(self):
        """CRM events carry their own status: no Meeting activity on the record."""
        excluded = super()._get_activity_excluded_models()
        if self.env.context.get(CRM_EVENT):
            excluded = [*excluded, "crm.lead", "res.partner", "sale.order"]
        return excluded

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("crm_prospection_require_link"):
            self._check_has_link(vals_list)
        if self.env.context.get(INVITE_LEAD_CONTACT):
            self._invite_lead_contact(vals_list)
        events = super().create(vals_list)
        events._crm_check_do_not_call()
        events._log_dnc_override()
        events.filtered("crm_reminder_date")._sync_reminder_activity()
        return events

    def write(self, vals):
        if "partner_ids" in vals:
            self._notify_removed_guests(vals)
        may_plan_call = not DO_NOT_CALL_FIELDS.isdisjoint(vals)
        unwanted_before = self._crm_unwanted_calls() if may_plan_call else None
        result = super().write(vals)
        if may_plan_call:
            self._crm_check_do_not_call(allowed=unwanted_before)
        if vals.get("call_dnc_override"):
            self._log_dnc_override()
        if {"crm_reminder_date", "user_id", "name"} & set(vals):
            self._sync_reminder_activity()
        if vals.get("crm_state") in ("done", "cancelled"):
            self.crm_reminder_activity_id.unlink()
            # Odoo's Meeting activities of the event follow its status.
            if vals["crm_state"] == "done":
                self.activity_ids.action_done()
            else:
                self.activity_ids.unlink()
        return result

    @api.model
    def _invite_lead_contact(self, vals_list):
        """EVT-1: the person of the lead the event is planned from is found or
        made when the event is saved, not when its dialog opens (a dialog
        closed with Discard makes no contact and leaves the lead as it was),
        and invited, before the recurrence copies the guests."""
        lead = self.env["crm.lead"].browse(self.env.context[INVITE_LEAD_CONTACT])
        try:
            if lead.partner_id:
                return
        except MissingError:  # deleted while the dialog was open
            return
        contact = lead._crm_find_or_create_contact()
        if not contact:
            return
        default_guests = self.env.context.get("default_partner_ids") or []
        for vals in vals_list:
            if "partner_ids" in vals:
                vals["partner_ids"] = [*vals["partner_ids"], Command.link(contact.id)]
            elif all(isinstance(guest, int) for guest in default_guests):
                vals["partner_ids"] = [Command.set([*default_guests, contact.id])]

    @api.model
    def _check_has_link(self, vals_list):
        """EVT-4: an event created from CRM › Events is about something."""
        for vals in vals_list:
            partners = _apply_many2many_commands([], vals.get("partner_ids"))
            partners.discard(self.env.user.partner_id.id)
            if (
                not (
                    vals.get("res_id")
                    or vals.get("opportunity_id")
                    or vals.get("sale_order_id")
                )
                and not partners
            ):
                raise UserError(
                    self.env._(
                        "Link the event to what it is about (a lead or an opportunity, "
                        "or a quotation / order), or invite a guest."
                    )
                )

    def _log_dnc_override(self):
        """EVT-8: planning a call despite “do not call” is written down."""
        for event in self.filtered(
            lambda event: (
                event.call_dnc_override
                and event.crm_event_type == "call"
                and event.crm_do_not_call
            )
        ):
            body = Markup(
                self.env._("%(user)s planned the call %(event)s despite “Do not call”.")
            ) % {"user": self.env.user.name, "event": event._get_html_link()}
            event.message_post(body=body, subtype_xmlid="mail.mt_note")
            for record in event._crm_related_records():
                record.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _sync_reminder_activity(self):
        """EVT-2: the personal reminder is a To-Do of the organizer on the record."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for event in self:
            activity = event.crm_reminder_activity_id
            record = (event._crm_related_records() or [None])[0]
            if not event.crm_reminder_date or not record or not todo:
                activity.unlink()
                continue
            values = {
                "summary": self.env._("Reminder: %s", event.name),
                "date_deadline": event.crm_reminder_date,
                "user_id": (event.user_id or self.env.user).id,
            }
            if activity:
                activity.write(values)
            else:
                event.crm_reminder_activity_id = record.activity_schedule(
                    activity_type_id=todo.id, **values
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_crm_done(self):
        """EVT-2: the event took place."""
        self.write({"crm_state": "done"})

    def action_crm_cancel(self):
        """EVT-2: the event will not take place."""
        self.write({"crm_state": "cancelled"})

    def action_crm_plan(self):
        """EVT-2: back to planned."""
        self.write({"crm_state": "planned"})

    # ------------------------------------------------------------------
    # E-mails (CFG-6)
    # ------------------------------------------------------------------

    def _crm_company(self):
        self.ensure_one()
        return (
            self.opportunity_id.company_id
            or self.user_id.company_id
            or self.env.company
        )

    def _crm_invitation_template(self, added=False):
        """The company's template for this kind of event, if it has one."""
        company = self._crm_company()
        if added and company.crm_meeting_guest_added_template_id:
            return company.crm_meeting_guest_added_template_id
        by_type = {
            "meeting": company.crm_meeting_template_id,
            "call": company.crm_call_template_id,
            "task": company.crm_task_template_id,
        }
        return by_type.get(self.crm_event_type) or company.crm_event_template_id

    def _notify_removed_guests(self, vals):
        """CFG-6: guests taken off an event get the company's template."""
        for event in self.filtered("active"):
            template = event._crm_company().crm_meeting_guest_removed_template_id
            if not template:
                continue
            kept = _apply_many2many_commands(event.partner_ids.ids, vals["partner_ids"])
            removed = event.attendee_ids.filtered(
                lambda attendee, kept=kept: attendee.partner_id.id not in kept
            )
            if removed:
                removed._notify_attendees(template, force_send=True)


def _apply_many2many_commands(ids, commands):
    """The ids a many2many holds once ``commands`` are applied to ``ids``."""
    result = set(ids)
    for command in commands or []:
        if isinstance(command, int):
            result.add(command)
        elif command[0] in (2, 3):
            result.discard(command[1])
        elif command[0] == 4:
            result.add(command[1])
        elif command[0] == 5:
            result.clear()
        elif command[0] == 6:
            result = set(command[2])
    return result
