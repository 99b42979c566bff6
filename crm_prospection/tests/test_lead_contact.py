# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CrmLeadCase, email_lead

START = datetime(2026, 6, 1, 9, 0)


@tagged("post_install", "-at_install")
class TestLeadContact(CrmLeadCase):
    """One contact per lead: the partner an e-mail or an invitation makes for a
    lead is the contact its conversion completes, in the lead's language,
    agency and company (MAIL-1, EVT-1, CONV-2, CONV-3, CONV-5, PART-8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.agency_lyon = cls.env["crm.agency"].create({"name": "Lyon (contact)"})
        cls.agency_paris = cls.env["crm.agency"].create({"name": "Paris (contact)"})
        # The creator works in Paris; the lead is Lyon's.
        cls.salesman_all.crm_agency_ids = cls.agency_paris
        cls.position = cls.env["res.partner.job_position"].create(
            {"name": "Buyer (contact)"}
        )
        cls.template = cls.env["mail.template"].create(
            {
                "name": "First contact (contact)",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "subject": "About {{ object.name }}",
                "body_html": "<p>Hello</p>",
                "use_default_to": True,
            }
        )

    def setUp(self):
        super().setUp()
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Catalogue request",
                "type": "lead",
                "lead_status_id": self.status_sales.id,
                "first_name": "Jeanne",
                "last_name": "Martin",
                "partner_name": "Bolt Contact Industries",
                "email_from": "jeanne.martin@bolt-contact.example",
                "phone": "+33 4 72 00 00 01",
                "job_position_id": self.position.id,
                "lang_id": self.env.ref("base.lang_fr").id,
                "agency_id": self.agency_lyon.id,
                "user_id": self.salesman_all.id,
            }
        )

    def _email(self, lead, user=None):
        """The lead e-mailed from Create an e-mail, with a template, as a user does."""
        env = self.env(user=user or self.salesman_all)
        return email_lead(lead.with_env(env), self.template)[2]

    def _convert(self, lead, **values):
        return (
            self.env["crm.lead.convert"]
            .with_user(self.salesman_all)
            .with_context(default_lead_ids=lead.ids)
            .create(values)
        )

    def _named(self, name):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("name", "=", name)])
        )

    def test_email_then_convert_one_contact(self):
        """MAIL-1, CONV-3, CONV-5: e-mailing a lead before converting it (the
        usual order) makes its contact, in French, of Lyon, first name kept;
        the conversion proposes and completes it: one Jeanne Martin, the
        company's contact, the lead's customer and converted contact."""
        composer = self._email(self.lead)
        contact = self.lead.partner_id
        self.assertIn(contact, composer.partner_ids)
        self.assertEqual(contact.name, "Jeanne Martin")
        self.assertEqual(contact.lang, "fr_FR")
        self.assertEqual(contact.agency_id, self.agency_lyon)
        self.assertEqual(self.lead.lang_id.code, "fr_FR")
        self.assertEqual(
            (self.lead.first_name, self.lead.last_name), ("Jeanne", "Martin")
        )

        wizard = self._convert(self.lead, create_opportunity=True)
        self.assertEqual(wizard.lead_contact_id, contact)
        self.assertEqual(wizard.partner_action, "create")
        self.assertEqual(wizard.lang, "fr_FR")
        wizard.action_convert()

        company = self.lead.converted_partner_id
        self.assertEqual(self._named("Jeanne Martin"), contact)
        self.assertEqual(self.lead.converted_contact_id, contact)
        self.assertEqual(self.lead.partner_id, contact)
        self.assertEqual(self.lead.converted_opportunity_id.partner_id, contact)
        self.assertEqual(contact.parent_id, company)
        self.assertFalse(contact.company_name)
        self.assertEqual(contact.job_position_id, self.position)
        self.assertEqual((company.lang, contact.lang), ("fr_FR", "fr_FR"))
        self.assertEqual(company.agency_id, self.agency_lyon)
        self.assertEqual(contact.agency_id, self.agency_lyon)
        self.assertEqual(company.company_id, self.lead.company_id)

    def test_conversion_proposes_the_leads_contact(self):
        """CONV-3: the conversion window proposes the lead's own contact as the
        existing contact of the new company (not "Create a new contact", which
        the note above contradicted); a lead of a private person is that person
        instead, and a second lead gets no one's contact."""
        self._email(self.lead)
        contact = self.lead.partner_id
        wizard = self._convert(self.lead)
        self.assertEqual((wizard.partner_action, wizard.is_company), ("create", True))
        self.assertEqual((wizard.contact_action, wizard.contact_id), ("exist", contact))
        wizard.is_company = False
        self.assertEqual(wizard.contact_action, "create")
        wizard.is_company = True
        self.assertEqual((wizard.contact_action, wizard.contact_id), ("exist", contact))
        wizard.action_convert()
        self.assertEqual(self.lead.converted_contact_id, contact)
        self.assertEqual(self._named("Jeanne Martin"), contact)
        self.assertEqual(contact.parent_id, self.lead.converted_partner_id)

    def test_corrected_details_complete_the_contact(self):
        """CONV-3: the conversion window's details, filled in or corrected by the
        user, are the contact's, whether it is made or completed."""
        self._email(self.lead)
        contact = self.lead.partner_id
        other_position = self.env["res.partner.job_position"].create(
            {"name": "Chief buyer (contact)"}
        )
        wizard = self._convert(self.lead)
        self.assertEqual(
            (
                wizard.contact_first_name,
                wizard.contact_last_name,
                wizard.contact_email,
                wizard.contact_job_position_id,
            ),
            ("Jeanne", "Martin", "jeanne.martin@bolt-contact.example", self.position),
        )
        wizard.write(
            {
                "contact_first_name": "Jeanne-Marie",
                "contact_phone": "+33 6 00 00 00 02",
                "contact_job_position_id": other_position.id,
                "lang": "en_US",
            }
        )
        wizard.action_convert()
        self.assertEqual(self.lead.converted_contact_id, contact)
        self.assertEqual(contact.name, "Jeanne-Marie Martin")
        self.assertEqual(contact.phone, "+33 6 00 00 00 02")
        self.assertEqual(contact.job_position_id, other_position)
        self.assertEqual(contact.lang, "en_US")

    def test_individual_lead_contact_becomes_the_partner(self):
        """CONV-2: a lead of a private person, e-mailed first, is converted into
        that same person, made a prospect: no second partner."""
        self.lead.partner_name = False
        self._email(self.lead)
        person = self.lead.partner_id
        wizard = self._convert(self.lead)
        self.assertFalse(wizard.is_company)
        wizard.action_convert()
        self.assertEqual(self.lead.converted_partner_id, person)
        self.assertFalse(self.lead.converted_contact_id)
        self.assertTrue(person.is_prospect)
        self.assertEqual(person.user_id, self.salesman_all)
        self.assertEqual(self._named("Jeanne Martin"), person)

    def test_invitation_invites_and_is_the_contact(self):
        """EVT-1, CONV-3: a call planned from a lead with an e-mail invites its
        contact, made as an e-mail would make it; a later e-mail and the
        conversion use the same one."""
        action = (
            self.lead.with_user(self.salesman_all)
            .with_context(crm_event_type="call")
            .action_crm_new_event()
        )
        call = (
            self.env["calendar.event"]
            .with_user(self.salesman_all)
            .with_context(**action["context"])
            .create({"start": START, "stop": START + timedelta(hours=1)})
        )
        contact = self.lead.partner_id
        self.assertEqual(contact.email, "jeanne.martin@bolt-contact.example")
        self.assertIn(contact, call.partner_ids)
        self.assertEqual((contact.lang, contact.agency_id), ("fr_FR", self.agency_lyon))
        composer = self._email(self.lead)
        self.assertIn(contact, composer.partner_ids)
        self._convert(self.lead).action_convert()
        self.assertEqual(self.lead.converted_contact_id, contact)
        self.assertEqual(self._named("Jeanne Martin"), contact)

    def test_lead_without_email_invites_nobody(self):
        """EVT-1: a lead without e-mail has no one to invite before its
        conversion: no partner is made for it."""
        self.lead.email_from = False
        self.lead.with_context(crm_event_type="call").action_crm_new_event()
        self.assertFalse(self.lead.partner_id)

    def test_own_contact_needs_a_company(self):
        """CONV-3: the lead's own contact joins a company, never an individual."""
        self._email(self.lead)
        wizard = self._convert(
            self.lead,
            is_company=False,
            contact_action="exist",
            contact_id=self.lead.partner_id.id,
        )
        with self.assertRaisesRegex(UserError, "can only join a company"):
            wizard.action_convert()

    def test_lead_of_an_existing_company_contact(self):
        """CONV-2, CONV-3: a lead whose customer is a contact of a company is
        converted into that company and that contact by default, as in Odoo."""
        company = self.env["res.partner"].create(
            {"name": "Existing Contact Group", "is_company": True}
        )
        person = self.env["res.partner"].create(
            {"name": "Paul Durand", "parent_id": company.id}
        )
        self.lead.partner_id = person
        wizard = self._convert(self.lead)
        self.assertEqual((wizard.partner_action, wizard.partner_id), ("exist", company))
        self.assertEqual((wizard.contact_action, wizard.contact_id), ("exist", person))
        wizard.action_convert()
        self.assertEqual(self.lead.converted_partner_id, company)
        self.assertEqual(self.lead.converted_contact_id, person)

    def test_new_contact_takes_the_leads_agency(self):
        """PART-8: the prospect and its contact made by the conversion take the
        lead's agency, not their creator's default one."""
        self.assertEqual(
            self.salesman_all.with_company(self.company).default_agency_id,
            self.agency_paris,
        )
        self._convert(self.lead).action_convert()
        self.assertEqual(self.lead.converted_partner_id.agency_id, self.agency_lyon)
        self.assertEqual(self.lead.converted_contact_id.agency_id, self.agency_lyon)

    def test_events_follow_to_the_opportunity(self):
        """EVT-7, CONV-5: the call planned on the lead is the opportunity's
        meeting too (Odoo's meetings button and dates, the events tab) and stays
        the lead's (its events and history)."""
        action = self.lead.with_context(crm_event_type="call").action_crm_new_event()
        call = (
            self.env["calendar.event"]
            .with_context(**action["context"])
            .create(
                {
                    "start": datetime.now() + timedelta(days=3),
                    "stop": datetime.now() + timedelta(days=3, hours=1),
                }
            )
        )
        self._convert(self.lead, create_opportunity=True).action_convert()
        opportunity = self.lead.converted_opportunity_id
        self.assertIn(call, opportunity.calendar_event_ids)
        self.assertIn(call, opportunity.crm_event_ids)
        self.assertEqual(opportunity.meeting_display_date, call.start.date())
        self.assertEqual(opportunity.date_next_event, call.start)
        self.assertEqual(call.crm_lead_id, self.lead)
        self.assertIn(call, self.lead.crm_event_ids)
        self.assertEqual(self.lead.date_next_event, call.start)

    def test_default_language_of_new_partners(self):
        """CFG: the default language of new partners, a setting per company;
        a lead without language is e-mailed and converted in it."""
        settings = self.env["res.config.settings"].create({"crm_partner_lang": "fr_FR"})
        settings.execute()
        self.assertEqual(self.company._crm_partner_lang(), "fr_FR")
        self.assertEqual(
            self.env["res.config.settings"].create({}).crm_partner_lang, "fr_FR"
        )
        self.assertEqual(
            self.env["res.partner"].create({"name": "New partner (lang)"}).lang,
            "fr_FR",
        )
        self.lead.lang_id = False
        wizard = self._convert(self.lead)
        self.assertEqual(wizard.lang, "fr_FR")
        self.env["res.config.settings"].create({"crm_partner_lang": False}).execute()
        self.assertFalse(self.company._crm_partner_lang())

    def test_company_reminder_template(self):
        """CFG-6: the e-mail reminder of an event is the company's template
        when it has one, in the guest's language; Odoo's otherwise."""
        self.env["ir.module.module"]._load_module_terms(
            ["crm_prospection"], ["fr_FR"], overwrite=True
        )
        guest = self.env["res.partner"].create(
            {"name": "Reminded guest", "email": "reminded@example.com", "lang": "fr_FR"}
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=5)
        meeting = self.env["calendar.event"].create(
            {
                "name": "Demo on site",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, guest.ids)],
                "user_id": self.salesman_all.id,
            }
        )
        attendee = meeting.attendee_ids.filtered(lambda a: a.partner_id == guest)
        reminder = self.env.ref("calendar.calendar_template_meeting_reminder")

        def subjects():
            return (
                self.env["mail.message"]
                .sudo()
                .search([("model", "=", "calendar.event"), ("res_id", "=", meeting.id)])
                .mapped("subject")
            )

        attendee._notify_attendees(reminder)
        odoo_subjects = subjects()
        self.assertTrue(odoo_subjects)
        self.assertNotIn("Rappel : Demo on site", odoo_subjects)
        self.company.crm_reminder_template_id = self.env.ref(
            "crm_prospection.mail_template_event_reminder"
        )
        attendee._notify_attendees(reminder)
        self.assertIn("Rappel : Demo on site", subjects())
