# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLeadAccess(CrmLeadCase):
    """X-3 on leads: own documents, all documents, manager."""

    def test_own_documents_only(self):
        """X-3: a salesman (own documents) sees his and unassigned leads only."""
        mine = self._create_leads(user_id=self.salesman.id)
        others = self._create_leads(user_id=self.salesman_all.id)
        unassigned = self._create_leads(user_id=False)
        visible = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .search([("id", "in", (mine | others | unassigned).ids)])
        )
        self.assertEqual(visible, mine | unassigned)
        with self.assertRaises(AccessError):
            others.with_user(self.salesman).write(
                {"lead_status_id": self.status_sales.id}
            )

    def test_all_documents(self):
        """X-3: a salesman (all documents) works on every lead."""
        others = self._create_leads(user_id=self.salesman.id)
        others.with_user(self.salesman_all).write(
            {"lead_status_id": self.status_nurturing.id}
        )
        self.assertEqual(others.lead_status_id, self.status_nurturing)

    def test_statuses_configured_by_managers_only(self):
        """X-3: only sales managers configure statuses and lost reasons."""
        with self.assertRaises(AccessError):
            self.env["crm.lead.status"].with_user(self.salesman_all).create(
                {"name": "X"}
            )
        status = (
            self.env["crm.lead.status"]
            .with_user(self.sales_manager)
            .create({"name": "Qualification call", "sequence": 15})
        )
        self.assertTrue(status)

    def test_multi_company_leads(self):
        """X-3: leads of another company stay out of reach."""
        foreign = self._create_leads(company_id=self.company_2.id, user_id=False)
        visible = (
            self.env["crm.lead"]
            .with_user(self.salesman_all)
            .search([("id", "=", foreign.id)])
        )
        self.assertFalse(visible)
