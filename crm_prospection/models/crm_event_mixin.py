# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .calendar_event import CRM_EVENT, EVENT_TYPES


class CrmEventMixin(models.AbstractModel):
    """Create a meeting, call, task or note about a record (EVT-1)."""

    _name = "crm.event.mixin"
    _description = "Events and e-mails about a record (EVT-1, MAIL-1)"

    # LEAD-5, EVT-7: each model computes them from its own events.
    date_last_event = fields.Datetime(
        string="Last event",
        compute="_compute_event_dates",
        store=True,
        help="Start of the latest event done.",
        groups="base.group_user",
    )
    date_next_event = fields.Datetime(
        string="Next event",
        compute="_compute_event_dates",
        store=True,
        index="btree_not_null",
        help="Start of the earliest event still planned.",
        groups="base.group_user",
    )

    # EVT-5: the events tab and its "All events" list; each model finds its own.
    crm_event_ids = fields.Many2many(
        "calendar.event",
        string="Events",
        compute="_compute_crm_event_ids",
        groups="base.group_user",
    )
    # MAIL-2, MAIL-4
    crm_email_message_ids = fields.Many2many(
        "mail.message",
        string="E-mails",
        compute="_compute_crm_email_message_ids",
        groups="base.group_user",
    )
    crm_campaign_ids = fields.Many2many(
        "utm.campaign",
        string="Campaigns",
        compute="_compute_crm_campaign_ids",
        groups="base.group_user",
    )

    def _compute_event_dates(self):
        raise NotImplementedError

    def _compute_crm_event_ids(self):
        raise NotImplementedError

    def _compute_crm_campaign_ids(self):
        raise NotImplementedError

    def _crm_event_partner(self):
        """Who is invited: the record's contact or partner (none for a bare lead)."""
        raise NotImplementedError

    def _crm_event_organizer(self):
        return self.user_id or self.env.user

    def _crm_event_context(self, event_type):
        self.ensure_one()
        organizer = self._crm_event_organizer()
        guests = organizer.partner_id | self._crm_event_partner()
        label = dict(
            self.env["calendar.event"]
            ._fields["crm_event_type"]
            ._description_selection(self.env)
        )
        context = {
            CRM_EVENT: True,
            "default_crm_event_type": event_type,
            "default_name": self.env._(
                "%(type)s: %(record)s", type=label[event_type], record=self.display_name
            ),
            "default_res_model_id": self.env["ir.model"]._get_id(self._name),
            "default_res_id": self.id,
            "default_user_id": organizer.id,
            "default_partner_ids": guests.ids,
        }
        return context

    def action_crm_new_event(self):
        """The Meeting / Call / Task / Note buttons of the events tab."""
        self.ensure_one()
        event_type = self.env.context.get("crm_event_type", "meeting")
        if event_type not in dict(EVENT_TYPES):
            event_type = "meeting"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New event"),
            "res_model": "calendar.event",
            "view_mode": "form",
            "views": [(self.env.ref("calendar.view_calendar_event_form").id, "form")],
            "target": "new",
            "context": self._crm_event_context(event_type),
        }

    def action_crm_create_email(self):
        """MAIL-1: Create an e-mail: language and template first."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create an e-mail"),
            "res_model": "crm.email.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_id": self.id},
        }

    def action_crm_view_events(self):
        """EVT-5: the record's events in CRM › Events, to edit them fully."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_prospection.action_crm_events"
        )
        action["domain"] = [("id", "in", self.crm_event_ids.ids)]
        action["context"] = dict(
            self._crm_event_context("meeting"), search_default_planned=0
        )
        return action

    def _crm_message_domain(self):
        """MAIL-2: the e-mails of the record (sent or received), not notes."""
        return [
            ("model", "=", self._name),
            ("res_id", "in", self.ids),
        ]

    def _compute_crm_email_message_ids(self):
        comment = self.env.ref("mail.mt_comment")
        Message = self.env["mail.message"]
        for record in self:
            record.crm_email_message_ids = Message.search(
                record._crm_message_domain()
                + [
                    "|",
                    ("message_type", "in", ("email", "email_outgoing")),
                    "&",
                    ("message_type", "=", "comment"),
                    ("subtype_id", "=", comment.id),
                ],
                limit=200,
            )
