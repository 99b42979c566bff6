# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged, users, warmup

from .common import PNG, CrmLeadCase, convert, convert_wizard


@tagged("post_install", "-at_install")
class TestConversion(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.industry = cls.env["res.partner.industry"].create(
            {"name": "Software (conv)"}
        )
        cls.position = cls.env["res.partner.job_position"].create(
            {"name": "Purchasing manager (conv)"}
        )
        cls.department = cls.env["res.partner.department"].create(
            {"name": "Purchasing (conv)"}
        )
        cls.role = cls.env["res.partner.role"].create(
            {"name": "General management (conv)"}
        )
        cls.agency = cls.env["crm.agency"].create({"name": "Lyon (conv)"})
        cls.source = cls.env["utm.source"].create({"name": "Trade fair (conv)"})
        cls.category = cls.env["res.partner.category"].create({"name": "SME (conv)"})
        cls.tag = cls.env["crm.tag"].create({"name": "Open Source (conv)", "color": 3})
        cls.team = cls.env["crm.team"].create({"name": "Prospection team"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Catalog request",
                "type": "lead",
                "lead_status_id": cls.status_sales.id,
                "first_name": "Jeanne",
                "last_name": "Martin",
                "partner_name": "Bolt Industries",
                "email_from": "jeanne.martin@bolt.example",
                "phone": "+33 4 72 00 00 01",
                "website": "https://bolt.example",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "industry_id": cls.industry.id,
                "job_position_id": cls.position.id,
                "department_id": cls.department.id,
                "agency_id": cls.agency.id,
                "source_id": cls.source.id,
                "partner_category_id": cls.category.id,
                "tag_ids": [Command.set(cls.tag.ids)],
                "lead_score": "4",
                "company_size": "100_500",
                "is_key_account": True,
                "is_nurturing": True,
                "do_not_call": True,
                "do_not_email": True,
                "image_1920": base64.b64encode(PNG),
                "description": "<p>Wants the 2026 catalog</p>",
                "user_id": cls.salesman_all.id,
                "team_id": cls.team.id,
                "lang_id": cls.env.ref("base.lang_fr").id,
            }
        )

    def test_company_contact_and_opportunity(self):
        """CONV-2, CONV-3, CONV-4, CONV-5: a new prospect company, its contact and
        an opportunity, with every value copied from the lead."""
        wizard = convert_wizard(
            self.lead,
            create_opportunity=True,
            expected_revenue=12000,
            probability=30,
            date_deadline="2026-12-31",
            role_ids=[Command.set(self.role.ids)],
        )
        self.assertTrue(wizard.is_company)
        self.assertEqual(wizard.lang, "fr_FR")
        self.assertEqual(wizard.user_id, self.salesman_all)
        self.assertEqual(wizard.opportunity_name, "Catalog request")
        action = wizard.action_convert()

        lead = self.lead
        partner, contact = lead.converted_partner_id, lead.converted_contact_id
        opportunity = lead.converted_opportunity_id
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["res_id"], partner.id)
        # CONV-2
        self.assertTrue(partner.is_company)
        self.assertTrue(partner.is_prospect)
        self.assertEqual(partner.name, "Bolt Industries")
        self.assertEqual(partner.email, "jeanne.martin@bolt.example")
        self.assertEqual(partner.phone, "+33 4 72 00 00 01")
        self.assertEqual(partner.website, "https://bolt.example")
        self.assertEqual(partner.street, "12 rue de la République")
        self.assertEqual((partner.zip, partner.city), ("69002", "Lyon"))
        self.assertEqual(partner.country_id, self.env.ref("base.fr"))
        self.assertEqual(partner.industry_id, self.industry)
        self.assertEqual(partner.agency_id, self.agency)
        self.assertEqual(partner.source_id, self.source)
        self.assertIn(self.category, partner.category_id)
        self.assertIn("Open Source (conv)", partner.category_id.mapped("name"))
        self.assertEqual(partner.lead_score, "4")
        self.assertEqual(partner.company_size, "100_500")
        self.assertTrue(partner.is_key_account and partner.is_nurturing)
        self.assertTrue(partner.do_not_call and partner.do_not_email)
        self.assertTrue(partner.image_128)
        self.assertIn("Wants the 2026 catalog", partner.comment)
        self.assertEqual(partner.lang, "fr_FR")
        self.assertEqual(partner.user_id, self.salesman_all)
        # CONV-3
        self.assertEqual(contact.parent_id, partner)
        self.assertFalse(contact.is_company)
        self.assertEqual(contact.name, "Jeanne Martin")
        self.assertEqual(contact.job_position_id, self.position)
        self.assertEqual(contact.function, "Purchasing manager (conv)")
        self.assertEqual(contact.department_id, self.department)
        self.assertEqual(contact.role_ids, self.role)
        self.assertEqual(contact.email, "jeanne.martin@bolt.example")
        self.assertTrue(contact.do_not_call and contact.do_not_email)
        # CONV-4
        self.assertEqual(opportunity.type, "opportunity")
        self.assertEqual(opportunity.partner_id, contact)
        self.assertEqual(opportunity.origin_lead_id, lead)
        self.assertEqual(opportunity.expected_revenue, 12000)
        self.assertEqual(opportunity.probability, 30)
        self.assertEqual(str(opportunity.date_deadline), "2026-12-31")
        self.assertEqual(opportunity.team_id, self.team)
        self.assertEqual(opportunity.user_id, self.salesman_all)
        self.assertFalse(opportunity.lead_status_id)
        # CONV-5
        self.assertEqual(lead.lead_status_id, self.status_converted)
        self.assertTrue(lead.active)
        self.assertEqual(partner.opportunity_count, 1, "the lead is no opportunity")
        self.assertEqual(partner.crm_opportunity_ids, opportunity)
        self.assertEqual(partner.origin_lead_ids, lead)
        self.assertIn(
            partner.name, lead.message_ids[0].body, "the lead's chatter tells it"
        )
        for record in (partner, contact, opportunity):
            self.assertIn("Created from the lead", record.message_ids[0].body)

    def test_individual_is_one_partner(self):
        """CONV-2: an individual is a single partner, without a separate contact."""
        convert(self.lead, is_company=False)
        partner = self.lead.converted_partner_id
        self.assertFalse(partner.is_company)
        self.assertEqual(partner.name, "Jeanne Martin")
        self.assertEqual(partner.job_position_id, self.position)
        self.assertFalse(self.lead.converted_contact_id)
        self.assertFalse(partner.child_ids)

    def test_customer_and_supplier(self):
        """CONV-2: the new partner can be a customer or a supplier instead."""
        convert(self.lead, partner_kind="customer")
        customer = self.lead.converted_partner_id
        self.assertGreater(customer.customer_rank, 0)
        self.assertFalse(customer.is_prospect)
        other = self.lead.copy({"name": "Supplier lead", "partner_name": "Nuts SA"})
        other.lead_status_id = self.status_sales
        convert(other, partner_kind="supplier")
        supplier = other.converted_partner_id
        self.assertGreater(supplier.supplier_rank, 0)
        self.assertFalse(supplier.is_prospect)

    def test_existing_partner_new_contact(self):
        """CONV-2, CONV-3: into an existing company, with a new contact."""
        existing = self.env["res.partner"].create(
            {"name": "Bolt Group", "is_company": True}
        )
        convert(self.lead, partner_action="exist", partner_id=existing.id)
        self.assertEqual(self.lead.converted_partner_id, existing)
        contact = self.lead.converted_contact_id
        self.assertEqual(contact.parent_id, existing)
        self.assertEqual(contact.name, "Jeanne Martin")
        self.assertFalse(existing.is_prospect, "an existing partner keeps its kind")
        self.assertIn("was converted into this partner", existing.message_ids[0].body)

    def test_existing_partner_existing_contact(self):
        """CONV-3: an existing contact, chosen among the existing company's."""
        existing = self.env["res.partner"].create(
            {"name": "Bolt Group", "is_company": True}
        )
        jeanne = self.env["res.partner"].create(
            {"name": "Jeanne M.", "parent_id": existing.id}
        )
        convert(
            self.lead,
            partner_action="exist",
            partner_id=existing.id,
            contact_action="exist",
            contact_id=jeanne.id,
            create_opportunity=True,
        )
        self.assertEqual(self.lead.converted_contact_id, jeanne)
        self.assertEqual(self.lead.converted_opportunity_id.partner_id, jeanne)
        self.assertEqual(existing.child_ids, jeanne)

    def test_existing_contact_only_among_partner_contacts(self):
        """CONV-3: a contact of another company, or without an existing company,
        is refused."""
        existing = self.env["res.partner"].create({"name": "Bolt", "is_company": True})
        stranger = self.env["res.partner"].create({"name": "Stranger"})
        wizard = convert_wizard(
            self.lead,
            partner_action="exist",
            partner_id=existing.id,
            contact_action="exist",
            contact_id=stranger.id,
        )
        with self.assertRaisesRegex(UserError, "is not a contact of Bolt"):
            wizard.action_convert()
        wizard = convert_wizard(
            self.lead, contact_action="exist", contact_id=stranger.id
        )
        with self.assertRaisesRegex(UserError, "contacts of an existing company"):
            wizard.action_convert()
        self.assertEqual(self.lead.lead_status_id, self.status_sales)
        contact_domain = self.env["crm.lead.convert"]._fields["contact_id"].domain
        self.assertIn("parent_id", contact_domain)

    def test_existing_individual_gets_no_contact(self):
        """CONV-3: converting into an existing individual adds no contact."""
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        convert(self.lead, partner_action="exist", partner_id=person.id)
        self.assertEqual(self.lead.converted_partner_id, person)
        self.assertFalse(self.lead.converted_contact_id)

    def test_without_opportunity(self):
        """CONV-4: the opportunity is optional."""
        convert(self.lead, create_opportunity=False)
        self.assertFalse(self.lead.converted_opportunity_id)
        self.assertEqual(self.lead.lead_status_id, self.status_converted)

    def test_refusals(self):
        """CONV-1: other statuses, converted leads, opportunities, other companies."""
        early = self._create_leads(lead_status_id=self.status_marketing.id)
        with self.assertRaisesRegex(UserError, "leads are converted from Sales qual"):
            early.action_convert()
        convert(self.lead)
        with self.assertRaisesRegex(UserError, "already converted"):
            self.lead.action_convert()
        with self.assertRaisesRegex(UserError, "already converted"):
            convert(self.lead)
        foreign = self._create_leads(
            lead_status_id=self.status_sales.id, company_id=self.company_2.id
        )
        with self.assertRaisesRegex(UserError, "belongs to Prospection Belgium"):
            foreign.with_context(allowed_company_ids=self.company.ids).action_convert()

    def test_convert_button_opens_the_wizard(self):
        """CONV-1: Convert opens the wizard on that lead."""
        action = self.lead.action_convert()
        self.assertEqual(action["res_model"], "crm.lead.convert")
        self.assertEqual(action["context"]["default_lead_ids"], self.lead.ids)

    def test_events_follow_the_contact(self):
        """CONV-5: the contact becomes the attendee of the lead's events."""
        start = datetime(2026, 5, 4, 9, 0)
        event = self.env["calendar.event"].create(
            {
                "name": "Call Jeanne",
                "start": start,
                "stop": start + timedelta(minutes=30),
                "opportunity_id": self.lead.id,
                "partner_ids": [],
            }
        )
        convert(self.lead)
        self.assertIn(self.lead.converted_contact_id, event.partner_ids)

    def test_do_not_call_lead_with_a_planned_call_converts(self):
        """CONV-5, EVT-8: a lead that asked not to be called after a call was
        planned converts; its contact joins the call, without an invitation."""
        self.lead.do_not_call = False
        start = datetime(2026, 5, 4, 9, 0)
        call = self.env["calendar.event"].create(
            {
                "name": "Call Jeanne",
                "crm_event_type": "call",
                "start": start,
                "stop": start + timedelta(minutes=30),
                "opportunity_id": self.lead.id,
                "partner_ids": [],
            }
        )
        self.lead.do_not_call = True
        Mail = self.env["mail.mail"]
        last_mail = Mail.search([], order="id desc", limit=1)
        convert(self.lead)
        contact = self.lead.converted_contact_id
        self.assertTrue(contact.do_not_call)
        self.assertIn(contact, call.partner_ids)
        # Odoo tells the salesperson of the assignments; the contact gets nothing.
        new_mails = Mail.search([("id", ">", last_mail.id)])
        self.assertNotIn(contact, new_mails.recipient_ids)
        self.assertNotIn(
            contact.email, " ".join(filter(None, new_mails.mapped("email_to")))
        )
        # A new call with the contact still needs "Call anyway".
        with self.assertRaisesRegex(ValidationError, "asked not to be called"):
            call.copy({"partner_ids": [Command.set(contact.ids)]})

    def test_batch_converts_together_and_logs_each_lead(self):
        """CONV-5, CONV-6: a batch creates every partner, contact and
        opportunity and tells each lead's story in its chatter and theirs."""
        leads = self.lead | self._create_leads(
            3, lead_status_id=self.status_sales.id, contact_name="Paul Martin"
        )
        convert(leads, create_opportunity=True)
        self.assertEqual(leads.lead_status_id, self.status_converted)
        for lead in leads:
            records = [
                lead.converted_partner_id,
                lead.converted_contact_id,
                lead.converted_opportunity_id,
            ]
            self.assertTrue(all(records))
            notes = lead.message_ids.filtered(lambda message: message.body)
            self.assertIn("Converted into:", notes[0].body)
            for record in records:
                self.assertIn(lead.display_name, record.message_ids[0].body)
        self.assertEqual(len(leads.converted_partner_id), 4)

    def test_batch_logs_creations_without_notifying_each(self):
        """CONV-5, CONV-6: one conversion posts Odoo's creation message of the
        opportunity, which notifies the followers of the team's "Opportunity
        created"; a batch notifies no one of each opportunity: their chatter
        tells where they come from in a note logged by Odoo's batch log. In both,
        the salesperson and the team's followers follow the opportunity, and
        Odoo's tracking logs each lead's status change."""
        self.team.message_subscribe(
            partner_ids=self.salesman.partner_id.ids,
            subtype_ids=self.env.ref("crm.mt_salesteam_lead").ids,
        )
        created = self.env.ref("crm.mt_lead_create")
        note = self.env.ref("mail.mt_note")
        single = self.lead
        batch = self._create_leads(
            2,
            lead_status_id=self.status_sales.id,
            partner_name="Nuts SA",
            contact_name="Paul Martin",
            user_id=self.salesman_all.id,
            team_id=self.team.id,
        )
        self._end_request()
        for leads in (single, batch):
            convert_wizard(leads, create_opportunity=True).action_convert()
            self._end_request()
        for lead in single | batch:
            opportunity = lead.converted_opportunity_id
            creation = opportunity.message_ids.filtered(
                lambda message: message.subtype_id == created
            )
            origin = opportunity.message_ids.filtered(
                lambda message: (
                    message.subtype_id == note
                    and "Created from the lead" in message.body
                )
            )
            self.assertEqual(len(origin), 1)
            self.assertIn(self.salesman_all.partner_id, opportunity.message_partner_ids)
            self.assertIn(self.salesman.partner_id, opportunity.message_partner_ids)
            if lead == single:
                self.assertEqual(len(creation), 1)
                self.assertIn(
                    self.salesman.partner_id, creation.notification_ids.res_partner_id
                )
            else:
                self.assertFalse(creation, "no creation message to notify per record")
                self.assertFalse(origin.notification_ids)
            status = lead.message_ids.tracking_value_ids.filtered(
                lambda value: value.field_id.name == "lead_status_id"
            )
            self.assertEqual(len(status), 1)
            self.assertEqual(status.old_value_integer, self.status_sales.id)
            self.assertEqual(status.new_value_integer, self.status_converted.id)

    def test_batch_reports_failures_and_converts_the_rest(self):
        """CONV-6: several leads at once; a failing one is named, the others convert."""
        second = self.lead.copy({"name": "Second", "partner_name": "Nuts SA"})
        second.lead_status_id = self.status_sales
        blocked = self._create_leads(
            name="Not ready", lead_status_id=self.status_to_process.id
        )
        leads = self.lead | second | blocked
        result = convert(leads, create_opportunity=True)
        self.assertEqual((self.lead | second).lead_status_id, self.status_converted)
        self.assertEqual(blocked.lead_status_id, self.status_to_process)
        self.assertEqual(second.converted_opportunity_id.name, "Second")
        message = result["params"]["message"]
        self.assertIn("2 lead(s) converted", message)
        self.assertIn("Not ready", message)
        self.assertEqual(
            self.env["res.partner"].search(result["params"]["next"]["domain"]),
            self.lead.converted_partner_id | second.converted_partner_id,
        )

    def test_proposes_similar_partners(self):
        """CONV-2: partners looking like the lead are proposed."""
        twin = self.env["res.partner"].create(
            {"name": "Bolt Industries SAS", "is_company": True}
        )
        colleague = self.env["res.partner"].create(
            {"name": "Marc", "email": "marc@bolt.example"}
        )
        wizard = convert_wizard(self.lead)
        self.assertIn(twin, wizard.proposed_partner_ids)
        self.assertIn(colleague.commercial_partner_id, wizard.proposed_partner_ids)

    def test_salesman_converts_own_lead(self):
        """CONV-5, X-3: a salesman converts the lead assigned to him."""
        self.lead.user_id = self.salesman
        convert(
            self.lead.with_user(self.salesman),
            create_opportunity=True,
            user_id=self.salesman.id,
        )
        self.assertEqual(self.lead.lead_status_id, self.status_converted)
        self.assertEqual(self.lead.converted_partner_id.user_id, self.salesman)

    @users("user_sales_leads")
    @warmup
    def test_conversion_query_count(self):
        """CONV-5: one conversion (company, contact, opportunity, the lead and
        their messages) costs a bounded few queries more than Odoo's own
        conversion of the same lead (its customer created, the lead turned
        into an opportunity), measured beside it."""
        lead = self.lead.with_env(self.env)
        theirs = lead.copy()
        self.env.flush_all()
        wizard = convert_wizard(lead, create_opportunity=True)
        odoo_wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_context(
                active_model="crm.lead", active_id=theirs.id, active_ids=theirs.ids
            )
            .create({"name": "convert", "action": "create"})
        )
        self.env.invalidate_all()
        with self.countQueries() as odoo:
            odoo_wizard.action_apply()
        self.assertEqual(theirs.type, "opportunity")
        self.env.invalidate_all()
        with self.countQueries() as ours:
            wizard.action_convert()
        self.assertTrue(lead.converted_opportunity_id)
        # Ours creates two partners (company and contact) and a new
        # opportunity, and logs the conversion on each (8 more when written).
        self.assertQueriesAtMost(odoo, ours, margin=20)

    def test_converted_lead_is_not_its_own_duplicate(self):
        """LEAD-10, CONV-5: what a lead became is not shown as a duplicate of it."""
        convert(self.lead, create_opportunity=True)
        lead = self.lead
        lead.invalidate_recordset()
        self.assertNotIn(lead.converted_partner_id, lead.duplicate_partner_ids)
        self.assertNotIn(lead.converted_contact_id, lead.duplicate_partner_ids)
        self.assertNotIn(lead.converted_opportunity_id, lead.duplicate_lead_ids)
