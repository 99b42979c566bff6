# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmProspectionCase


@tagged("post_install", "-at_install")
class TestPartners(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.prospect = Partner.create(
            {"name": "Prospect SARL", "is_company": True, "is_prospect": True}
        )
        cls.prospect_contact = Partner.create(
            {"name": "Paul Prospect", "parent_id": cls.prospect.id}
        )
        cls.head_office = Partner.create({"name": "Axelor", "is_company": True})
        cls.branch = Partner.create({"name": "Axelor France", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Catalog service", "list_price": 100, "type": "service"}
        )

    def _order(self, partner):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": self.product.id})],
            }
        )

    def test_prospect_becomes_customer_on_first_confirmed_order(self):
        """PART-2: a quotation keeps the prospect; its confirmation makes a customer."""
        order = self._order(self.prospect_contact)
        self.assertTrue(self.prospect.is_prospect)
        self.assertFalse(self.prospect.customer_rank)
        order.action_confirm()
        self.assertFalse(self.prospect.is_prospect)
        self.assertGreater(self.prospect.customer_rank, 0)

    def test_menus_list_the_right_partners(self):
        """PART-1: Prospects, Customers and Contacts list what their names say."""
        Partner = self.env["res.partner"]

        def listed(xmlid):
            return Partner.search(literal_eval(self.env.ref(xmlid).domain))

        self.assertIn(self.prospect, listed("crm_prospection.action_prospects"))
        self.assertNotIn(self.head_office, listed("crm_prospection.action_prospects"))
        self._order(self.prospect).action_confirm()
        self.assertIn(self.prospect, listed("crm_prospection.action_customers"))
        self.assertNotIn(self.prospect, listed("crm_prospection.action_prospects"))
        contacts = listed("crm_prospection.action_contacts")
        self.assertIn(self.prospect_contact, contacts)
        self.assertNotIn(self.prospect, contacts)

    def test_invoicing_delegation_on_orders(self):
        """PART-6: the delegate is the invoice address of the managed one's orders."""
        self.env["res.partner.delegation"].create(
            {
                "partner_id": self.branch.id,
                "delegate_id": self.head_office.id,
                "delegation_type": "invoicing",
            }
        )
        order = self._order(self.branch)
        self.assertEqual(order.partner_invoice_id, self.head_office)
        self.assertEqual(order.partner_shipping_id, self.branch)
        self.assertEqual(self.head_office.delegation_ids.partner_id, self.branch)
        self.assertEqual(self.branch.managed_by_ids.delegate_id, self.head_office)

    def test_delegation_rules(self):
        """PART-6: one delegate per type, never oneself, never a loop."""
        Delegation = self.env["res.partner.delegation"]
        Delegation.create(
            {"partner_id": self.branch.id, "delegate_id": self.head_office.id}
        )
        with self.assertRaisesRegex(ValidationError, "cannot loop"):
            Delegation.create(
                {"partner_id": self.head_office.id, "delegate_id": self.branch.id}
            )
        with self.assertRaisesRegex(ValidationError, "for itself"):
            Delegation.create(
                {
                    "partner_id": self.prospect.id,
                    "delegate_id": self.prospect.id,
                    "delegation_type": "payment",
                }
            )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            Delegation.create(
                {"partner_id": self.branch.id, "delegate_id": self.prospect.id}
            )
        # Another type is another delegate.
        Delegation.create(
            {
                "partner_id": self.branch.id,
                "delegate_id": self.prospect.id,
                "delegation_type": "delivery",
            }
        )

    def test_subsidiaries_keep_their_own_identity(self):
        """PART-5: subsidiaries are grouped without Odoo's commercial sync."""
        self.head_office.vat = "FR23334175221"
        self.branch.parent_company_id = self.head_office
        self.assertEqual(self.head_office.subsidiary_ids, self.branch)
        self.assertEqual(self.branch.commercial_partner_id, self.branch)
        self.assertFalse(self.branch.vat)
        with self.assertRaisesRegex(ValidationError, "own parent company"):
            self.head_office.parent_company_id = self.branch

    def test_contact_other_companies(self):
        """PART-4: a contact works with other companies, attached and detached."""
        contact = self.prospect_contact
        contact.other_company_ids = self.head_office
        self.assertIn(contact, self.head_office.other_contact_ids)
        contact.other_company_ids = False
        self.assertFalse(self.head_office.other_contact_ids)
        with self.assertRaisesRegex(ValidationError, "only contacts"):
            self.head_office.other_company_ids = self.branch

    def test_create_opportunity_from_partner(self):
        """PART-3: Create opportunity opens an opportunity form for the partner."""
        action = self.prospect.action_crm_create_opportunity()
        self.assertEqual(action["context"]["default_partner_id"], self.prospect.id)
        self.assertEqual(action["context"]["default_type"], "opportunity")

    def test_contact_roles(self):
        """PART-4: contacts carry roles from a controlled list, which sales managers
        keep and salespeople only pick from."""
        Role = self.env["res.partner.role"]
        role = Role.with_user(self.sales_manager).create({"name": "Accounting"})
        contact = self.prospect_contact.with_user(self.salesman)
        contact.role_ids = role
        self.assertEqual(contact.role_ids, role)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base"):
            Role.with_user(self.salesman).create({"name": "Free text role"})
