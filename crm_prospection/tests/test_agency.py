# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmProspectionCase


@tagged("post_install", "-at_install")
class TestAgency(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["crm.agency"]
        cls.agency_lyon = Agency.create(
            {"name": "Lyon", "code": "T-LYO", "company_id": cls.company.id}
        )
        cls.agency_annecy = Agency.create(
            {"name": "Annecy", "code": "T-ANN", "company_id": cls.company.id}
        )
        cls.agency_brussels = Agency.create(
            {"name": "Brussels", "code": "T-BRU", "company_id": cls.company_2.id}
        )

    def test_default_agency_is_first_in_current_company(self):
        """PART-8: a user's default agency is its first agency in the company."""
        self.salesman.crm_agency_ids = self.agency_lyon | self.agency_annecy
        self.assertEqual(self.salesman.default_agency_id, self.agency_annecy)
        self.assertEqual(
            self.agency_lyon.user_ids | self.agency_annecy.user_ids, self.salesman
        )
        self.salesman.crm_agency_ids = self.agency_brussels
        self.assertFalse(self.salesman.with_company(self.company).default_agency_id)
        self.assertEqual(
            self.salesman.with_company(self.company_2).default_agency_id,
            self.agency_brussels,
        )

    def test_leads_and_partners_default_to_user_agency(self):
        """PART-8: new leads and partners get their creator's default agency."""
        self.salesman.crm_agency_ids = self.agency_lyon
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "Agency lead", "type": "lead"})
        )
        self.assertEqual(lead.agency_id, self.agency_lyon)
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "Agency partner"})
        )
        self.assertEqual(partner.agency_id, self.agency_lyon)
        self.assertFalse(
            self.env["crm.lead"]
            .with_user(self.salesman_all)
            .create({"name": "No agency", "type": "lead"})
            .agency_id
        )

    def test_agency_of_another_company_refused(self):
        """PART-8: a record cannot take an agency of another company."""
        lead = self.env["crm.lead"].create(
            {"name": "Lead", "type": "lead", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to Prospection Belgium"):
            lead.agency_id = self.agency_brussels

    def test_agencies_isolated_per_company(self):
        """X-3: users only see the agencies of their companies."""
        visible = self.env["crm.agency"].with_user(self.salesman).search([])
        self.assertIn(self.agency_lyon, visible)
        self.assertNotIn(self.agency_brussels, visible)
        visible_be = self.env["crm.agency"].with_user(self.user_company_2).search([])
        self.assertEqual(
            visible_be & (self.agency_lyon | self.agency_brussels), self.agency_brussels
        )

    def test_only_managers_configure_agencies(self):
        """X-3: salesmen read agencies, sales managers create them."""
        with self.assertRaises(AccessError):
            self.env["crm.agency"].with_user(self.salesman_all).create({"name": "No"})
        agency = (
            self.env["crm.agency"]
            .with_user(self.sales_manager)
            .create({"name": "Grenoble"})
        )
        self.assertEqual(agency.company_id, self.company)

    def test_code_unique_per_company(self):
        """PART-8: agency codes are unique within a company, not across companies."""
        self.env["crm.agency"].create(
            {"name": "Lyon BE", "code": "T-LYO", "company_id": self.company_2.id}
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.agency"].create(
                {"name": "Lyon 2", "code": "T-LYO", "company_id": self.company.id}
            )

    def test_filters_and_group_by(self):
        """PART-8: leads and partners are searchable and groupable by agency."""
        self.env["crm.lead"].create(
            [
                {"name": "L1", "type": "lead", "agency_id": self.agency_lyon.id},
                {"name": "L2", "type": "lead", "agency_id": self.agency_lyon.id},
                {"name": "A1", "type": "lead", "agency_id": self.agency_annecy.id},
            ]
        )
        groups = dict(
            self.env["crm.lead"]._read_group(
                [("agency_id", "!=", False)], ["agency_id"], ["__count"]
            )
        )
        self.assertEqual(groups[self.agency_lyon], 2)
        self.assertEqual(groups[self.agency_annecy], 1)
