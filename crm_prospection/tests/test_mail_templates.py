# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import html2plaintext
from odoo.tools.safe_eval import safe_eval

from .common import CrmLeadCase, activate_french


def _text(html):
    return " ".join(html2plaintext(html or "").split())


@tagged("post_install", "-at_install")
class TestMailTemplates(CrmLeadCase):
    """MAIL-1, CFG-6, X-1: the e-mails of the prospecting
    situations (event, meeting, call, task, date changed, guests) speak the
    recipient's language and greet them by first name."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        cls.french, cls.english, cls.nameless = cls.env["crm.lead"].create(
            [
                {
                    "name": "Demande via le site",
                    "type": "lead",
                    "first_name": "Jeanne",
                    "last_name": "Martin",
                    "partner_name": "Bolt Industries",
                    "email_from": "jeanne@bolt.example",
                    "lang_id": cls.env.ref("base.lang_fr").id,
                    "user_id": cls.salesman_all.id,
                },
                {
                    "name": "Website enquiry",
                    "type": "lead",
                    "first_name": "John",
                    "last_name": "Smith",
                    "email_from": "john@smith.example",
                    "lang_id": cls.env.ref("base.lang_en").id,
                    "user_id": cls.salesman_all.id,
                },
                {
                    "name": "Sans contact",
                    "type": "lead",
                    "partner_name": "Atelier Sans Nom",
                    "email_from": "contact@atelier.example",
                    "lang_id": cls.env.ref("base.lang_fr").id,
                    "user_id": cls.salesman_all.id,
                },
            ]
        )
        cls.first_contact = cls.env.ref(
            "crm_prospection.mail_template_lead_first_contact"
        )

    def _create_an_email(self, lead, template):
        """The lead's “Create an e-mail”, its language left as proposed."""
        action = lead.with_user(self.salesman_all).action_crm_create_email()
        wizard = (
            self.env["crm.email.wizard"]
            .with_user(self.salesman_all)
            .with_context(**action["context"])
            .create({"template_id": template.id})
        )
        composer_action = wizard.action_compose()
        return (
            self.env["mail.compose.message"]
            .with_user(self.salesman_all)
            .with_context(**composer_action["context"])
            .create({})
        )

    def test_lead_templates_speak_the_leads_language(self):
        """MAIL-1, X-1: a French lead gets the French text with its first name,
        an English one the English text."""
        french = self._create_an_email(self.french, self.first_contact)
        self.assertIn("merci de votre intérêt", french.subject)
        self.assertIn("Bonjour Jeanne,", _text(french.body))
        self.assertIn("Bolt Industries", _text(french.body))
        self.assertNotIn("Hello", _text(french.body))
        english = self._create_an_email(self.english, self.first_contact)
        self.assertIn("thank you for your interest", english.subject)
        self.assertIn("Hello John,", _text(english.body))
        self.assertNotIn("Bonjour", _text(english.body))

    def test_no_name_no_dangling_comma(self):
        """MAIL-1: without a first name, the greeting stays correct ("Bonjour,",
        never "Bonjour ,")."""
        templates = self.env["mail.template"].search(
            [("model", "=", "crm.lead"), ("id", "in", self._lead_templates().ids)]
        )
        self.assertEqual(len(templates), 3)
        for template in templates:
            body = _text(self._create_an_email(self.nameless, template).body)
            self.assertTrue(body.startswith("Bonjour,"), body)
            self.assertNotRegex(body, r"Bonjour\s+,")

    def test_chatter_composer_renders_in_the_leads_language(self):
        """MAIL-1: Odoo's own composer (Send message, then a template) writes in
        the lead's language too, whatever the user's."""
        self.assertEqual(self.salesman_all.lang, "en_US")
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.salesman_all)
            .with_context(
                default_model="crm.lead",
                default_res_ids=self.french.ids,
                default_composition_mode="comment",
                default_template_id=self.env.ref(
                    "crm_prospection.mail_template_lead_call_follow_up"
                ).id,
            )
            .create({})
        )
        self.assertEqual(composer.subject, "Suite à notre appel")
        self.assertIn("Bonjour Jeanne,", _text(composer.body))

    def test_every_template_has_its_french(self):
        """X-1: subject and body of every template of the add-on are translated."""
        for template in self._lead_templates() | self._event_templates():
            english = template.with_context(lang="en_US")
            french = template.with_context(lang="fr_FR")
            self.assertNotEqual(french.subject, english.subject, template.name)
            self.assertNotEqual(french.body_html, english.body_html, template.name)
            self.assertRegex(_text(french.body_html), r"^Bonjour", template.name)

    def test_meeting_confirmation_in_each_guests_language(self):
        """CFG-6: the company's meeting confirmation reaches each guest in its
        language, greeted by name."""
        self.company.crm_meeting_template_id = self.env.ref(
            "crm_prospection.mail_template_event_meeting_confirmation"
        )
        nadia, john = self.env["res.partner"].create(
            [
                {
                    "name": "Nadia Morel",
                    "email": "nadia@orbit.example",
                    "lang": "fr_FR",
                },
                {"name": "John Smith", "email": "john@smith.example", "lang": "en_US"},
            ]
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=5)
        self.env["calendar.event"].with_user(self.salesman_all).create(
            {
                "name": "Démonstration sur site",
                "crm_event_type": "meeting",
                "start": start,
                "stop": start + timedelta(hours=2),
                "location": "Lyon",
                "partner_ids": [Command.set((nadia | john).ids)],
                "user_id": self.salesman_all.id,
            }
        )
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "calendar.event"),
                    ("partner_ids", "in", (nadia | john).ids),
                ]
            )
        )
        to_nadia = messages.filtered(lambda message: nadia in message.partner_ids)
        to_john = messages.filtered(lambda message: john in message.partner_ids)
        self.assertEqual(to_nadia.subject, "Confirmation : Démonstration sur site")
        self.assertIn("Bonjour Nadia Morel,", _text(to_nadia.body))
        self.assertIn("Je vous confirme notre rendez-vous", _text(to_nadia.body))
        self.assertEqual(to_john.subject, "Confirmation: Démonstration sur site")
        self.assertIn("Hello John Smith,", _text(to_john.body))
        self.assertIn(", at Lyon.", _text(to_john.body))

    def test_odoo_welcome_template_replaced(self):
        """MAIL-1: Odoo's sample lead e-mail ("Hi ," in English only) is no longer
        offered; the add-on's lead templates are."""
        offered = self.env["mail.template"].search([("model", "=", "crm.lead")])
        welcome = self.env.ref(
            "crm.mail_template_demo_crm_lead", raise_if_not_found=False
        )
        if welcome:  # crm's demo data
            self.assertNotIn(welcome, offered)
        self.assertLessEqual(self._lead_templates(), offered)

    def test_template_and_campaign_menus_without_developer_mode(self):
        """MAIL-1, MAIL-4: CRM › Configuration shows the e-mail templates of the
        CRM's records and the campaigns to sales managers, developer mode off."""
        no_one = self.env.ref("base.group_no_one")
        for xmlid in (
            "crm_prospection.menu_crm_mail_templates",
            "crm_prospection.menu_crm_campaign",
        ):
            menu = self.env.ref(xmlid)
            self.assertNotIn(no_one, menu.group_ids)
            visible = (
                self.env["ir.ui.menu"].with_user(self.sales_manager)._visible_menu_ids()
            )
            self.assertIn(menu.id, visible, xmlid)
        action = self.env.ref("crm_prospection.action_crm_mail_templates")
        templates = self.env["mail.template"].search(safe_eval(action.domain))
        self.assertLessEqual(
            self._lead_templates() | self._event_templates(), templates
        )

    def _lead_templates(self):
        return (
            self.first_contact
            | self.env.ref("crm_prospection.mail_template_lead_call_follow_up")
            | self.env.ref("crm_prospection.mail_template_lead_catalog")
        )

    def _event_templates(self):
        return (
            self.env.ref("crm_prospection.mail_template_event_meeting_confirmation")
            | self.env.ref("crm_prospection.mail_template_event_call_confirmation")
            | self.env.ref("crm_prospection.mail_template_event_reminder")
        )


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
