# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import (
    CrmLeadCase,
    activate_french,
    convert,
    email_lead,
    last_job,
    run_job,
)

START = datetime(2026, 6, 1, 9, 0)
LYON_LINES = [
    # GeoNames' names of Lyon's arrondissements (postal-code columns).
    "FR\t69001\tLyon 01\tAuvergne-Rhône-Alpes\t84\tRhône\t69\tLyon\t691\t"
    "45.7676\t4.8344\t5",
    "FR\t69002\tLyon 02\tAuvergne-Rhône-Alpes\t84\tRhône\t69\tLyon\t691\t"
    "45.7485\t4.827\t5",
]


class FrenchDayCase(CrmLeadCase):
    """A French company in a database created in English: Odoo's database-wide
    default language of partners is English, the salespeople speak French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_french(cls.env)
        Default = cls.env["ir.default"]
        Default.set("res.partner", "lang", "en_US")
        cls.company._crm_set_partner_lang(False)
        cls.salesman_all.lang = "fr_FR"
        cls.template = cls.env["mail.template"].create(
            {
                "name": "First contact (French day)",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "subject": "About {{ object.name }}",
                "body_html": "<p>Hello</p>",
                "lang": "{{ object.lang_id.code or object.partner_id.lang }}",
                "use_default_to": True,
            }
        )

    def setUp(self):
        super().setUp()
        self.lead = self.env["crm.lead"].create(
            {
                "name": "Demande de catalogue",
                "type": "lead",
                "lead_status_id": self.status_sales.id,
                "first_name": "Camille",
                "last_name": "Durand",
                "partner_name": "Tissages Durand",
                "email_from": "camille.durand@tissages-durand.example",
                "user_id": self.salesman_all.id,
            }
        )

    def _partners_of(self, email):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email", "=", email)])
        )

    def _email(self, lead, user):
        env = self.env(user=user, context=dict(self.env.context, lang=user.lang))
        wizard, composer_action, _composer = email_lead(
            lead.with_env(env), self.template
        )
        return wizard, composer_action


@tagged("post_install", "-at_install")
class TestFrenchDayLanguages(FrenchDayCase):
    """Languages follow the person, not the database (MAIL-1, EVT-1, CONV-2)."""

    def test_email_makes_a_french_contact(self):
        """MAIL-1: a French salesperson e-mails a lead without language in a
        database created in English: its contact and the lead are French, the
        template is rendered in French, the composer keeps the user's own
        language for its labels."""
        wizard, composer_action = self._email(self.lead, self.salesman_all)
        self.assertEqual(wizard.lang, "fr_FR")
        self.assertEqual(composer_action["context"]["template_preview_lang"], "fr_FR")
        self.assertNotIn("lang", composer_action["context"])
        contact = self.lead.partner_id
        self.assertEqual(contact.email, "camille.durand@tissages-durand.example")
        self.assertEqual(contact.lang, "fr_FR")
        self.assertEqual(self.lead.lang_id.code, "fr_FR")

    def test_meeting_dialog_discarded_changes_nothing(self):
        """EVT-1: opening the meeting dialog of a lead and discarding it makes
        no contact and leaves the lead's customer and language as they were;
        saving it makes the French contact and invites it."""
        action = (
            self.lead.with_user(self.salesman_all)
            .with_context(crm_event_type="meeting")
            .action_crm_new_event()
        )
        email = self.lead.email_from
        self.assertFalse(self._partners_of(email))
        self.assertFalse(self.lead.partner_id)
        self.assertFalse(self.lead.lang_id)

        meeting = (
            self.env["calendar.event"]
            .with_user(self.salesman_all)
            .with_context(**action["context"])
            .create({"start": START, "stop": START + timedelta(hours=1)})
        )
        contact = self._partners_of(email)
        self.assertEqual(len(contact), 1)
        self.assertEqual(self.lead.partner_id, contact)
        self.assertEqual(contact.lang, "fr_FR")
        self.assertEqual(meeting.partner_ids, contact | self.salesman_all.partner_id)
        self.assertEqual(meeting.attendee_ids.partner_id, meeting.partner_ids)

    def test_conversion_proposes_french(self):
        """CONV-2: the conversion of a lead without language proposes the
        salesperson's French, and makes French partners."""
        wizard = (
            self.env["crm.lead.convert"]
            .with_user(self.salesman_all)
            .with_context(default_lead_ids=self.lead.ids)
            .create({})
        )
        self.assertEqual(wizard.lang, "fr_FR")
        wizard.action_convert()
        self.assertEqual(self.lead.converted_partner_id.lang, "fr_FR")
        self.assertEqual(self.lead.converted_contact_id.lang, "fr_FR")

    def test_partner_by_hand_speaks_its_creators_language(self):
        """CFG: a partner created by hand speaks its creator's language, not
        the database's English; the settings say so."""
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman_all)
            .create({"name": "Client saisi à la main"})
        )
        self.assertEqual(partner.lang, "fr_FR")
        settings = (
            self.env["res.config.settings"].with_user(self.salesman_all).sudo().new()
        )
        self.assertFalse(settings.crm_partner_lang)
        self.assertIn("English", settings.crm_partner_lang_used)

    def test_company_setting_wins(self):
        """CFG: the company's own default language of new partners goes before
        the salesperson's, for e-mails, invitations and the conversion."""
        self.env["res.config.settings"].create({"crm_partner_lang": "en_US"}).execute()
        self.assertEqual(self.company._crm_partner_lang(), "en_US")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.crm_partner_lang, "en_US")
        self.assertIn("English", settings.crm_partner_lang_used)
        self._email(self.lead, self.salesman_all)
        self.assertEqual(self.lead.partner_id.lang, "en_US")

    def test_french_database(self):
        """CFG: in a database created in French, the scheduler's partners stay
        French (the database's default), and so do the French salespeople's;
        an English salesperson's new partner is English."""
        self.env["ir.default"].set("res.partner", "lang", "fr_FR")
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.sudo().create({"name": "Par le planificateur"}).lang, "fr_FR"
        )
        self.assertEqual(
            Partner.with_user(self.salesman_all).create({"name": "Par Alex"}).lang,
            "fr_FR",
        )
        self.assertEqual(
            Partner.with_user(self.sales_manager).create({"name": "By Morgan"}).lang,
            "en_US",
        )
        self._email(self.lead, self.salesman_all)
        self.assertEqual(self.lead.partner_id.lang, "fr_FR")


@tagged("post_install", "-at_install")
class TestFrenchDayJobs(FrenchDayCase):
    """Background jobs speak their requester's language, and salespeople reach
    their own jobs (LEAD-8, CONV-6)."""

    def _french_job(self, count):
        self.company.crm_batch_threshold = 1
        leads = self._create_leads(count=count)
        env = self.env(user=self.salesman_all, context={"lang": "fr_FR"})
        env["crm.lead.mass.update"].create(
            {"lead_ids": [Command.set(leads.ids)], "user_id": self.salesman_all.id}
        ).action_apply()
        return last_job(self.env)

    def test_batch_lines_in_the_requesters_language(self):
        """The scheduler, in English, writes the batches' lines in the French
        requester's number format; one record is singular."""
        job = self._french_job(2)
        self.assertEqual(job.user_id, self.salesman_all)
        run_job(job)
        self.assertEqual(job.state, "done")
        self.assertRegex(job.batch_log, r"\d+,\d s")
        self.assertNotRegex(job.batch_log, r"\d+\.\d s")
        line = job.with_context(lang="en_US")._batch_log_line(job.line_ids[:1], 0)
        self.assertTrue(
            line.startswith("1 record in ") or line.startswith("1 enregistrement")
        )

    def test_batch_applied_in_the_requesters_language(self):
        """LEAD-8: the scheduler, in English, applies each batch in the French
        requester's language, so the problems it reports are in French."""
        job = self._french_job(2)
        Wizard = type(self.env["crm.lead.mass.update"])
        original = Wizard._batch_job_apply
        languages = []

        def apply(wizard, lines):
            languages.append(wizard.env.lang)
            return original(wizard, lines)

        with patch.object(Wizard, "_batch_job_apply", apply):
            run_job(job.with_context(lang="en_US"))
        self.assertEqual(job.state, "done")
        self.assertEqual(set(languages), {"fr_FR"})

    def test_end_message_and_menu(self):
        """The end of a job counts each outcome beside its label and points to a
        menu the salesperson has, listing their own jobs only."""
        job = self._french_job(2)
        run_job(job)
        job.user_id = self.sales_manager  # English
        text = job._finished_message()
        self.assertIn("Done: 2", text)
        self.assertIn("Failed: 0", text)
        self.assertIn("My Background Jobs", text)
        job.user_id = self.salesman_all
        menu = self.env.ref("crm_prospection.menu_crm_my_batch_jobs")
        visible = (
            self.env["ir.ui.menu"].with_user(self.salesman_all)._visible_menu_ids()
        )
        self.assertIn(menu.id, visible)
        action = self.env.ref("crm_prospection.crm_batch_job_action_my")
        Job = self.env["crm.batch.job"]
        for user, expected in ((self.salesman, Job), (self.salesman_all, job)):
            domain = safe_eval(action.domain, {"uid": user.id})
            self.assertEqual(Job.with_user(user).search(domain), expected)


@tagged("post_install", "-at_install")
class TestFrenchDayOpportunities(FrenchDayCase):
    """A converted lead is no opportunity of its prospect (PART-3, LEAD-10)."""

    def test_converted_lead_not_counted(self):
        """PART-3, CONV-5: the prospect's Opportunities button counts and lists
        its opportunity, not the lead it was converted from; the opportunity
        lists no similar lead that is its own source lead."""
        self._email(self.lead, self.salesman_all)
        convert(self.lead, create_opportunity=True)
        company = self.lead.converted_partner_id
        opportunity = self.lead.converted_opportunity_id
        self.assertTrue(opportunity)
        company.invalidate_recordset(["opportunity_count"])
        self.assertEqual(company.opportunity_count, 1)
        action = company.action_view_opportunity()
        listed = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(action["domain"])
        )
        self.assertEqual(listed, opportunity)
        self.assertEqual(company.crm_opportunity_ids, opportunity)
        self.assertNotIn(self.lead, opportunity.duplicate_lead_ids)
        self.assertEqual(opportunity.duplicate_lead_count, 0)


@tagged("post_install", "-at_install")
class TestFrenchDayPostal(FrenchDayCase):
    """French postal usage: the commune's delivery name, the NF Z10-011
    envelope (LEAD-3, GEO-1, GEO-4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.company.partner_id.write(
            {
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.france.id,
            }
        )
        content = "\n".join(LYON_LINES).encode()
        cls.env["crm.city.import"].create(
            {"mode": "file", "file": base64.b64encode(content), "filename": "FR.txt"}
        )._crm_import()
        cls.zip_69001 = cls.env["res.city.zip"].search(
            [("name", "=", "69001"), ("city_id.country_id", "=", cls.france.id)]
        )

    def test_zip_fills_the_commune(self):
        """LEAD-3: 69001 fills Lyon on partners and leads; the arrondissement
        stays the referential's name, which a search finds."""
        self.assertEqual(self.zip_69001.city_id.name, "Lyon 01")
        self.assertEqual(self.zip_69001.city_id.crm_delivery_name, "Lyon")
        partner = self.env["res.partner"].create(
            {"name": "Soierie", "zip_id": self.zip_69001.id}
        )
        self.assertEqual((partner.zip, partner.city), ("69001", "Lyon"))
        lead = self._create_leads(location_id=self.zip_69001.id)
        self.assertEqual((lead.zip, lead.city), ("69001", "Lyon"))
        found = self.env["res.city.zip"].search([("city_id.name", "ilike", "Lyon 01")])
        self.assertIn(self.zip_69001, found)

    def test_envelope_follows_the_french_norm(self):
        """GEO-4: the locality line in capitals with the commune ("69001
        LYON"), no country on a letter within France, the country in capitals
        on a letter abroad."""
        partner = self.env["res.partner"].create(
            {
                "name": "Soierie Lyonnaise",
                "street": "5 rue de la République",
                "zip_id": self.zip_69001.id,
            }
        )
        Report = self.env["report.crm_prospection.envelope_partner_document"]
        values = Report._get_report_values(partner.ids)
        (envelope,) = values["envelopes"]
        self.assertIn("69001 LYON", envelope["recipient"])
        self.assertNotIn("France", " ".join(envelope["recipient"]))
        self.assertNotIn("France", " ".join(envelope["sender"]))
        self.assertIn("69002 LYON", envelope["sender"])
        belgian = self.env["res.partner"].create(
            {
                "name": "Tissus de Bruxelles",
                "street": "Rue Royale 10",
                "zip": "1000",
                "city": "Bruxelles",
                "country_id": self.env.ref("base.be").id,
            }
        )
        (envelope,) = Report._get_report_values(belgian.ids)["envelopes"]
        self.assertEqual(envelope["recipient"][-1], "BELGIUM")
        self.assertIn("FRANCE", envelope["sender"])

    def test_demo_city_not_duplicated(self):
        """GEO-1: the demo's Lyon 69002 is GeoNames' Lyon 02: importing Lyon
        again completes it, adding no second 69002."""
        zips = self.env["res.city.zip"].search(
            [("name", "=", "69002"), ("city_id.country_id", "=", self.france.id)]
        )
        self.assertEqual(len(zips), 1)
        self.assertEqual(zips.city_id.crm_delivery_name, "Lyon")


@tagged("post_install", "-at_install")
class TestFrenchDayDemo(FrenchDayCase):
    """X-2: the demo of a database created in French is a French company's."""

    def test_french_demo(self):
        """X-2: in a French database the demo's company is in Lyon, its users
        speak French, Odoo's English demo leads and meetings are archived; a
        database created in English keeps Odoo's demo as it is."""
        company = self.env.ref("base.main_company")
        name = company.name
        self.env["res.company"]._crm_demo_french_day()
        self.assertEqual(company.name, name)

        self.env["ir.default"].set("res.partner", "lang", "fr_FR")
        self.env["res.company"]._crm_demo_french_day()
        self.assertEqual(company.name, "Rhône Prospection")
        self.assertEqual((company.city, company.country_id.code), ("Lyon", "FR"))
        self.assertEqual(self.env.ref("base.user_admin").lang, "fr_FR")
        odoo_demo = self.env.ref("crm.crm_case_1", raise_if_not_found=False)
        if odoo_demo:
            self.assertFalse(odoo_demo.active)
            self.assertNotIn(
                odoo_demo,
                self.env["crm.lead"].search([("lead_status_id.is_open", "=", True)]),
            )
