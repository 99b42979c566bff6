# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name

LEAD_NAME = "Concurrent conversion lead"
PARTNER_NAME = "Concurrent Conversion SA"


@tagged("post_install", "-at_install")
class TestConversionConcurrency(BaseCase):
    """CONV-5: two users converting the same lead at once: one wins, the other
    gets a clear message, and nothing is duplicated. Real, separate transactions."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            status = env.ref("crm_prospection.lead_status_sales_qualification")
            lead = env["crm.lead"].create(
                {
                    "name": LEAD_NAME,
                    "type": "lead",
                    "partner_name": PARTNER_NAME,
                    "contact_name": "Ana Lopez",
                    "lead_status_id": status.id,
                    "user_id": False,
                }
            )
            self.lead_id = lead.id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            lead = env["crm.lead"].browse(self.lead_id)
            opportunities = env["crm.lead"].search([("origin_lead_id", "=", lead.id)])
            partners = env["res.partner"].search(
                [("name", "in", (PARTNER_NAME, "Ana Lopez"))]
            )
            env["calendar.event"].search([("opportunity_id", "=", lead.id)]).unlink()
            (lead | opportunities).unlink()
            partners.filtered("parent_id").unlink()
            partners.exists().unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _convert(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        wizard = (
            env["crm.lead.convert"]
            .with_context(default_lead_ids=[self.lead_id])
            .create({"create_opportunity": True})
        )
        return wizard.action_convert()

    def test_two_conversions_of_one_lead(self):
        """CONV-5: simultaneous conversions create the partner once."""
        with closing(self.db.cursor()) as first, closing(self.db.cursor()) as second:
            self._convert(first)
            with self.assertRaisesRegex(UserError, "being converted or edited"):
                self._convert(second)
            second.rollback()
            first.commit()  # pylint: disable=invalid-commit
        # Later, the same lead cannot be converted again.
        with closing(self.db.cursor()) as third:
            with self.assertRaisesRegex(UserError, "already converted"):
                self._convert(third)
            third.rollback()
        with closing(self.db.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                env["res.partner"].search_count([("name", "=", PARTNER_NAME)]), 1
            )
            self.assertEqual(
                env["crm.lead"].search_count([("origin_lead_id", "=", self.lead_id)]), 1
            )
