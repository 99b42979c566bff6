# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import importlib.util
from datetime import datetime, timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import PNG, CrmLeadCase, convert

PHONENUMBERS = importlib.util.find_spec("phonenumbers") is not None


@tagged("post_install", "-at_install")
class TestLeadFields(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.country_fr = cls.env.ref("base.fr")
        cls.state_rhone = cls.env["res.country.state"].create(
            {"name": "Rhône (test)", "code": "T69", "country_id": cls.country_fr.id}
        )
        cls.city_lyon = cls.env["res.city"].create(
            {
                "name": "Lyon (test)",
                "country_id": cls.country_fr.id,
                "state_id": cls.state_rhone.id,
            }
        )
        cls.zip_lyon = cls.env["res.city.zip"].create(
            {"name": "69099", "city_id": cls.city_lyon.id}
        )

    def test_identity_and_full_name(self):
        """LEAD-1: first and last name make the contact's full name."""
        lead = self._create_leads(first_name="Jeanne", last_name="Martin")
        self.assertEqual(lead.contact_name, "Jeanne Martin")
        lead.first_name = "Anne"
        self.assertEqual(lead.contact_name, "Anne Martin")
        imported = self._create_leads(contact_name="Paul Durand")
        self.assertEqual(imported.last_name, "Paul Durand")
        self.assertEqual(imported.contact_name, "Paul Durand")

    def test_job_position_fills_function(self):
        """LEAD-1: the job position (controlled list) fills Odoo's function."""
        position = self.env["res.partner.job_position"].create({"name": "Buyer"})
        lead = self._create_leads(job_position_id=position.id)
        self.assertEqual(lead.function, "Buyer")

    def test_customer_names_the_lead(self):
        """LEAD-1: a contact chosen as the lead's customer names it, as Odoo's
        contact name follows the customer (first and last name too), and gives
        it its job position; the customer's function wins over the position's
        name, as Odoo's function follows the customer; a company as customer
        leaves the person's names as they are."""
        buyer = self.env["res.partner.job_position"].create({"name": "Buyer"})
        director = self.env["res.partner.job_position"].create({"name": "Director"})
        company = self.env["res.partner"].create(
            {"name": "Namer SA", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {
                "name": "Philippe Fry",
                "parent_id": company.id,
                "job_position_id": director.id,
                "function": "Delivery boy",
            }
        )
        lead = self._create_leads(
            first_name="Raoulette", last_name="Test", job_position_id=buyer.id
        )
        lead.partner_id = company
        self.assertEqual(lead.contact_name, "Raoulette Test")
        lead.partner_id = contact
        self.assertEqual(lead.contact_name, "Philippe Fry")
        self.assertFalse(lead.first_name)
        self.assertEqual(lead.last_name, "Philippe Fry")
        self.assertEqual(lead.job_position_id, director)
        self.assertEqual(lead.function, "Delivery boy")
        self.assertEqual(lead.partner_name, "Namer SA")

    def test_job_position_quick_create_refuses_duplicates(self):
        """LEAD-1: a position differing by case or accents is refused, named."""
        Position = self.env["res.partner.job_position"].with_user(self.salesman)
        Position.name_create("Directeur Général")
        for twin in ("directeur général", "DIRECTEUR GENERAL", " Directeur  General "):
            with (
                self.assertRaisesRegex(
                    ValidationError, "already exists as 'Directeur Général'"
                ),
                self.cr.savepoint(),
            ):
                Position.name_create(twin)
        self.assertTrue(Position.name_create("Directeur commercial"))

    def test_zip_completes_the_address(self):
        """LEAD-3: choosing a zip (crm_location's) fills city, state and country
        from the referential."""
        lead = self._create_leads(location_id=self.zip_lyon.id)
        self.assertEqual(lead.city, "Lyon (test)")
        self.assertEqual(lead.zip, "69099")
        self.assertEqual(lead.state_id, self.state_rhone)
        self.assertEqual(lead.country_id, self.country_fr)

    def test_zip_completion_in_the_form(self):
        """LEAD-3: the lead form has one zip picker, crm_location's, and the
        completion happens while typing (onchange)."""
        form = Form(
            self.env["crm.lead"].with_context(default_type="lead"),
            view="crm_prospection.crm_lead_view_form_lead",
        )
        form.name = "Form lead"
        form.location_id = self.zip_lyon
        self.assertEqual(form.city, "Lyon (test)")
        self.assertEqual(form.country_id, self.country_fr)
        lead = form.save()
        self.assertEqual(lead.state_id, self.state_rhone)
        arch = self.env["crm.lead"].get_view(
            self.env.ref("crm_prospection.crm_lead_view_form_lead").id
        )["arch"]
        self.assertEqual(arch.count('name="location_id"'), 1)
        self.assertNotIn('name="zip_id"', arch)

    def test_tag_colour_from_the_lead(self):
        """LEAD-6: a salesperson creates and edits a tag, its colour included,
        from the lead's tags (Create and edit, and a click on the tag)."""
        arch = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .get_view(self.env.ref("crm_prospection.crm_lead_view_form_lead").id)[
                "arch"
            ]
        )
        tags = etree.fromstring(arch).xpath("//field[@name='tag_ids']")
        self.assertEqual(len(tags), 1)
        options = safe_eval(tags[0].get("options", "{}"))
        self.assertEqual(options.get("color_field"), "color")
        self.assertFalse(options.get("no_create_edit") or options.get("no_create"))
        self.assertFalse(options.get("no_edit_color"))
        tag = (
            self.env["crm.tag"]
            .with_user(self.salesman)
            .create({"name": "Colour from the lead", "color": 4})
        )
        tag.color = 9
        lead = self._create_leads(tag_ids=tag.ids)
        self.assertEqual(lead.tag_ids.color, 9)

    @staticmethod
    def _convert(lead):
        convert(lead)
        return lead.converted_partner_id, lead.converted_contact_id

    def test_conversion_gives_the_zip_to_partners(self):
        """LEAD-3, CONV-2, CONV-3: the prospect and its contact get the lead's zip
        location (base_location's zip_id), so their city is the referential's;
        an address edited after the zip was chosen is kept as typed."""
        lead = self._create_leads(
            lead_status_id=self.status_sales.id,
            partner_name="Zip Industries",
            contact_name="Zoé Zip",
            location_id=self.zip_lyon.id,
        )
        partner, contact = self._convert(lead)
        for record in partner | contact:
            self.assertEqual(record.zip_id, self.zip_lyon)
            self.assertEqual(record.city_id, self.city_lyon)
            self.assertEqual(
                (record.zip, record.city, record.state_id),
                ("69099", "Lyon (test)", self.state_rhone),
            )

        edited = self._create_leads(
            lead_status_id=self.status_sales.id,
            partner_name="Typed Industries",
            location_id=self.zip_lyon.id,
        )
        edited.zip = "69100"
        partner, _contact = self._convert(edited)
        self.assertFalse(partner.zip_id)
        self.assertEqual((partner.zip, partner.city), ("69100", "Lyon (test)"))

    def test_do_not_flags_and_marketing_panel(self):
        """LEAD-2, LEAD-6: do-not flags and the marketing panel are stored."""
        category = self.env["res.partner.category"].create({"name": "SME"})
        tag = self.env["crm.tag"].create({"name": "Open Source", "color": 1})
        source = self.env["utm.source"].create({"name": "Trade fair"})
        lead = self._create_leads(
            do_not_call=True,
            do_not_email=True,
            lead_score="4",
            company_size="100_500",
            is_key_account=True,
            is_nurturing=True,
            source_id=source.id,
            partner_category_id=category.id,
            tag_ids=[Command.set(tag.ids)],
        )
        lead.invalidate_recordset()
        self.assertTrue(lead.do_not_call and lead.do_not_email)
        self.assertEqual(lead.lead_score, "4")
        self.assertEqual(lead.company_size, "100_500")
        self.assertTrue(lead.is_key_account and lead.is_nurturing)
        self.assertEqual(lead.source_id, source)
        self.assertEqual(lead.partner_category_id, category)
        self.assertEqual(lead.tag_ids.color, 1)

    def test_description_is_sanitized_html(self):
        """LEAD-4: the description keeps images and drops scripts."""
        lead = self._create_leads(
            description='<p>Hi <img src="/web/image/1"/></p><script>alert(1)</script>'
        )
        self.assertIn("<img", lead.description)
        self.assertNotIn("<script", lead.description)

    def test_search_shortcuts(self):
        """LEAD-7: Google and LinkedIn search the company name."""
        lead = self._create_leads(partner_name="Axelor & Co")
        self.assertEqual(
            lead.google_url, "https://www.google.com/search?q=Axelor+%26+Co"
        )
        self.assertIn("linkedin.com", lead.linkedin_url)
        self.assertIn("keywords=Axelor+%26+Co", lead.linkedin_url)

    def test_logo(self):
        """LEAD-7: the company logo is stored with its thumbnails."""
        lead = self._create_leads(image_1920=base64.b64encode(PNG))
        self.assertTrue(lead.image_128)

    def test_event_dates_follow_events(self):
        """LEAD-5, EVT-7: last done and next planned event dates follow the lead's
        events, those Odoo counts as its meetings and those that only name the
        lead as their related record (which Odoo does not count: neither does the
        add-on make them meetings)."""
        lead = self._create_leads()
        Event = self.env["calendar.event"]
        start = datetime(2026, 3, 2, 9, 0)
        done = Event.create(
            {
                "name": "Qualification call",
                "start": start,
                "stop": start + timedelta(hours=1),
                "opportunity_id": lead.id,
                "crm_state": "done",
            }
        )
        planned = Event.create(
            {
                "name": "Meeting",
                "start": start + timedelta(days=7),
                "stop": start + timedelta(days=7, hours=1),
                "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
            }
        )
        self.assertFalse(planned.opportunity_id)
        self.assertEqual(lead.calendar_event_ids, done)
        self.assertEqual(planned.crm_lead_id, lead)
        self.assertEqual(lead.crm_event_ids, done | planned)
        self.assertEqual(lead.date_last_event, start)
        self.assertEqual(lead.date_next_event, start + timedelta(days=7))
        planned.start = start + timedelta(days=3)
        planned.stop = start + timedelta(days=3, hours=1)
        self.assertEqual(lead.date_next_event, start + timedelta(days=3))
        planned.crm_state = "done"
        self.assertEqual(lead.date_last_event, start + timedelta(days=3))
        self.assertFalse(lead.date_next_event)
        (done | planned).unlink()
        self.assertFalse(lead.date_last_event)

    def test_cancelled_events_ignored(self):
        """LEAD-5: a cancelled event is neither the last nor the next one."""
        lead = self._create_leads()
        start = datetime(2026, 4, 1, 10, 0)
        self.env["calendar.event"].create(
            {
                "name": "Cancelled",
                "start": start,
                "stop": start + timedelta(hours=1),
                "opportunity_id": lead.id,
                "crm_state": "cancelled",
            }
        )
        self.assertFalse(lead.date_last_event)
        self.assertFalse(lead.date_next_event)

    def test_invalid_email_and_phone_flagged(self):
        """LEAD-1: invalid e-mails and phones are flagged as Odoo does."""
        lead = self._create_leads(email_from="not an email", phone="12")
        self.assertEqual(lead.email_state, "incorrect")
        if not PHONENUMBERS:
            self.skipTest("phonenumbers is not installed: Odoo validates no phone")
        self.assertEqual(lead.phone_state, "incorrect")
