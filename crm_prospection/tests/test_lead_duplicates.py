# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util

from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLeadDuplicates(CrmLeadCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.prospect = Partner.create(
            {
                "name": "Bolt Industries",
                "is_company": True,
                "email": "info@bolt.example",
            }
        )
        cls.contact = Partner.create(
            {
                "name": "Nina Bolt",
                "parent_id": cls.prospect.id,
                "email": "nina@bolt.example",
                "phone": "+33 4 72 00 00 01",
            }
        )
        cls.gmail_user = Partner.create(
            {"name": "Someone Else", "email": "someone@gmail.com"}
        )

    def test_same_company_name(self):
        """LEAD-10: a lead named like an existing prospect warns about it."""
        lead = self._create_leads(partner_name="bolt industries")
        self.assertIn(self.prospect, lead.duplicate_partner_ids)
        self.assertEqual(lead.duplicate_partner_count, len(lead.duplicate_partner_ids))

    def test_same_email_domain(self):
        """LEAD-10: the same company e-mail domain matches the company's people."""
        lead = self._create_leads(email_from="sales@bolt.example")
        self.assertEqual(
            lead.duplicate_partner_ids & (self.prospect | self.contact),
            self.prospect | self.contact,
        )

    def test_public_webmail_domain_ignored(self):
        """LEAD-10: a public webmail domain alone is no match; the same address is."""
        lead = self._create_leads(email_from="another@gmail.com")
        self.assertNotIn(self.gmail_user, lead.duplicate_partner_ids)
        same = self._create_leads(email_from="Someone@gmail.com")
        self.assertIn(self.gmail_user, same.duplicate_partner_ids)

    def test_same_phone(self):
        """LEAD-10: the same phone number matches, whatever its formatting."""
        if not importlib.util.find_spec("phonenumbers"):
            self.skipTest("phonenumbers is not installed: Odoo normalises no phone")
        lead = self._create_leads(phone="+33472000001")
        self.assertIn(self.contact, lead.duplicate_partner_ids)

    def test_same_name_lead(self):
        """LEAD-10: another lead with the same contact name is a similar lead."""
        first = self._create_leads(first_name="Nina", last_name="Bolt")
        second = self._create_leads(contact_name="nina bolt")
        self.assertIn(first, second.duplicate_lead_ids)
        self.assertEqual(second.duplicate_lead_count, 1)
        self.assertIn(self.contact, second.duplicate_partner_ids)

    def test_no_match(self):
        """LEAD-10: an unrelated lead shows no warning."""
        lead = self._create_leads(
            partner_name="Unrelated SARL", email_from="x@unrelated.example"
        )
        self.assertFalse(lead.duplicate_partner_ids)
        self.assertEqual(lead.duplicate_lead_count, 0)

    def test_action_lists_the_matches(self):
        """LEAD-10: the warning's link lists the matching contacts."""
        lead = self._create_leads(partner_name="Bolt Industries")
        action = lead.action_show_duplicate_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), lead.duplicate_partner_ids
        )
