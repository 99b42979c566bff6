# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmProspectionCase


@tagged("post_install", "-at_install")
class TestLeadStatusReferential(CrmProspectionCase):
    def test_standard_statuses(self):
        """STAT-4: the six standard statuses, their order, openness and roles."""
        statuses = self.env["crm.lead.status"].search([])
        standard = (
            self.status_to_process
            | self.status_marketing
            | self.status_sales
            | self.status_nurturing
            | self.status_converted
            | self.status_lost
        )
        self.assertEqual(statuses & standard, standard)
        self.assertEqual([s.sequence for s in standard], [10, 20, 30, 40, 50, 60])
        self.assertEqual(
            standard.filtered("is_open"),
            self.status_to_process
            | self.status_marketing
            | self.status_sales
            | self.status_nurturing,
        )
        self.assertEqual(
            self.env["crm.lead.status"].search([("allow_conversion", "=", True)]),
            self.status_sales,
        )
        self.assertEqual(self.status_converted.code, "converted")
        self.assertEqual(self.status_lost.code, "lost")

    def test_sequence_15_sits_between_10_and_20(self):
        """STAT-1, STAT-2: a status created at 15 is ordered between 10 and 20."""
        call = (
            self.env["crm.lead.status"]
            .with_user(self.sales_manager)
            .create({"name": "Qualification call", "sequence": 15})
        )
        ordered = self.env["crm.lead.status"].search([])
        position = list(ordered).index
        self.assertLess(position(self.status_to_process), position(call))
        self.assertLess(position(call), position(self.status_marketing))
        self.assertTrue(call.is_open)

    def test_standard_statuses_cannot_be_deleted(self):
        """STAT-4: Converted and Lost cannot be deleted, with a clear message."""
        for status in (self.status_converted, self.status_lost):
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                status.with_user(self.sales_manager).unlink()

    def test_standard_statuses_keep_role_and_openness(self):
        """STAT-4: Converted and Lost keep their role, open flag and stay active."""
        for vals in ({"code": False}, {"is_open": True}, {"active": False}):
            with self.assertRaisesRegex(UserError, "keeps its role"):
                self.status_lost.with_user(self.sales_manager).write(vals)
        with self.assertRaisesRegex(UserError, "keeps its role"):
            self.status_converted.with_user(self.sales_manager).write({"code": "lost"})

    def test_standard_statuses_can_be_renamed_and_moved(self):
        """STAT-4: renaming or reordering a standard status is allowed."""
        self.status_lost.with_user(self.sales_manager).write(
            {"name": "Abandoned", "sequence": 70, "is_open": False}
        )
        self.assertEqual(self.status_lost.name, "Abandoned")
        self.assertEqual(self.status_lost.code, "lost")

    def test_ordinary_statuses_are_editable(self):
        """STAT-4: the other standard statuses are ordinary records."""
        self.status_nurturing.with_user(self.sales_manager).write({"is_open": False})
        self.assertFalse(self.status_nurturing.is_open)
        unused = self.env["crm.lead.status"].create({"name": "Unused", "sequence": 45})
        unused.with_user(self.sales_manager).unlink()
        self.assertFalse(unused.exists())

    def test_one_status_per_role(self):
        """STAT-4: a second status cannot take the Converted role."""
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.lead.status"].create({"name": "Again", "code": "converted"})

    def test_salesman_reads_but_does_not_configure(self):
        """X-3: salesmen read statuses; only sales managers configure them."""
        Status = self.env["crm.lead.status"].with_user(self.salesman)
        self.assertTrue(Status.search([]))
        with self.assertRaises(AccessError):
            Status.create({"name": "Not mine"})

    def test_name_translated(self):
        """X-1: status names are translatable."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.status_to_process.update_field_translations("name", {"fr_FR": "À traiter"})
        self.assertEqual(
            self.status_to_process.with_context(lang="fr_FR").name, "À traiter"
        )
        self.assertEqual(
            self.status_to_process.with_context(lang="en_US").name, "To be processed"
        )
