# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent users, as separate real transactions on separate cursors.

Each test commits its data in ``setUp`` and removes it in a cleanup. Odoo runs
every request in a REPEATABLE READ transaction and retries it when PostgreSQL
reports a lock not available, a serialization failure or a deadlock: here a
refused transaction is rolled back and "retried" on a new cursor, as Odoo would.
One thread drives every cursor: a cursor that would wait for a row lock another
one holds gets ``lock_timeout`` instead of waiting forever.
"""

import base64
import uuid
from contextlib import ExitStack, closing

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from .common import convert, mass_update

START, STOP = "2026-03-02 09:00:00", "2026-03-02 10:00:00"
# Retried by Odoo's RPC layer (odoo.service.model.retrying).
RETRIED = (errors.LockNotAvailable, errors.SerializationFailure)


@tagged("post_install", "-at_install")
class TestConcurrency(BaseCase):
    """CONV-5, LEAD-8, GEO-2, LEAD-5, STAT-5: conversions (of one lead by two
    users, or against a mass update), mass updates, city imports, status changes
    and event recomputes racing each other never duplicate a record nor lose an
    update; the loser gets a clear error or is retried by Odoo."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        self.tag = f"Concurrency {uuid.uuid4().hex[:8]}"
        with self._cursor() as cr:
            env = self._env(cr)
            status = env.ref("crm_prospection.lead_status_sales_qualification")
            self.industry_id = (
                env["res.partner.industry"].create({"name": f"{self.tag} industry"}).id
            )
            leads = env["crm.lead"].create(
                [
                    {
                        "name": f"{self.tag} lead {index}",
                        "type": "lead",
                        "partner_name": f"{self.tag} SA {index}",
                        "contact_name": f"{self.tag} contact {index}",
                        "lead_status_id": status.id,
                        "user_id": False,
                    }
                    for index in range(3)
                ]
            )
            self.lead_ids = leads.ids
            event = env["calendar.event"].create(
                {
                    "name": f"{self.tag} meeting",
                    "start": START,
                    "stop": STOP,
                    "opportunity_id": leads[0].id,
                }
            )
            self.event_id = event.id
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._cursor() as cr:
            env = self._env(cr, {"active_test": False})
            pattern = f"{self.tag}%"
            leads = env["crm.lead"].search(
                [
                    "|",
                    ("name", "=like", pattern),
                    ("origin_lead_id", "in", self.lead_ids),
                ]
            )
            env["calendar.event"].search([("name", "=like", pattern)]).unlink()
            leads.unlink()
            partners = env["res.partner"].search([("name", "=like", pattern)])
            partners.filtered("parent_id").unlink()
            partners.exists().unlink()
            cities = env["res.city"].search([("name", "=like", pattern)])
            env["res.city.zip"].search([("city_id", "in", cities.ids)]).unlink()
            cities.unlink()
            env["res.partner.industry"].search([("name", "=like", pattern)]).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _cursor(self):
        return closing(self.db.cursor())

    @staticmethod
    def _env(cr, context=None):
        return api.Environment(cr, SUPERUSER_ID, dict(context or {}, lang="en_US"))

    @staticmethod
    def _no_wait(cr):
        """This transaction fails after 2 s instead of waiting for a row lock."""
        cr.execute("SET LOCAL lock_timeout = '2s'")

    def _leads(self, cr, *indexes):
        env = self._env(cr)
        return env["crm.lead"].browse([self.lead_ids[index] for index in indexes])

    def _convert(self, cr, *indexes):
        return convert(self._leads(cr, *indexes), create_opportunity=True)

    def _mass_update(self, cr, index, **values):
        mass_update(self._leads(cr, index), **values)
        self._env(cr).flush_all()

    def _state(self, *fields_):
        """The committed values of ``fields_`` on the leads, in a fresh cursor."""
        with self._cursor() as cr:
            leads = self._env(cr)["crm.lead"].browse(self.lead_ids)
            return [tuple(lead[name] for name in fields_) for lead in leads]

    def _count(self, model, domain):
        with self._cursor() as cr:
            return self._env(cr, {"active_test": False})[model].search_count(domain)

    def _partners(self):
        return self._count("res.partner", [("name", "=like", f"{self.tag} SA%")])

    # ------------------------------------------------------------------
    # Two conversions of one lead
    # ------------------------------------------------------------------

    def test_two_conversions_of_one_lead(self):
        """CONV-5: two users converting the same lead at once: one wins, the
        other gets a clear message at once; later, the lead cannot be converted
        again; its partner and its opportunity exist once."""
        with self._cursor() as first, self._cursor() as second:
            self._convert(first, 0)
            self._no_wait(second)
            with self.assertRaisesRegex(UserError, "being converted or edited"):
                self._convert(second, 0)
            second.rollback()
            first.commit()  # pylint: disable=invalid-commit
        with self._cursor() as third:
            with self.assertRaisesRegex(UserError, "already converted"):
                self._convert(third, 0)
            third.rollback()
        self.assertEqual(
            self._count("res.partner", [("name", "=", f"{self.tag} SA 0")]), 1
        )
        self.assertEqual(
            self._count("crm.lead", [("origin_lead_id", "=", self.lead_ids[0])]), 1
        )

    # ------------------------------------------------------------------
    # Conversion against mass update
    # ------------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_conversion_racing_mass_update(self):
        """CONV-5, LEAD-8: a mass update holding the lead makes the conversion
        refuse clearly; a conversion holding the lead makes the mass update wait
        (then retried): both land, once; a mass update from a snapshot older
        than the conversion is refused by PostgreSQL, never lost."""
        # 1. The mass update writes first: the conversion is refused at once.
        with self._cursor() as update, self._cursor() as convert:
            self._mass_update(update, 0, industry_id=self.industry_id)
            with self.assertRaisesRegex(UserError, "being converted or edited"):
                self._convert(convert, 0)
            convert.rollback()
            update.commit()  # pylint: disable=invalid-commit
        with self._cursor() as retry:
            self._convert(retry, 0)
            retry.commit()  # pylint: disable=invalid-commit

        # 2. The conversion holds the lead: the mass update cannot write.
        with self._cursor() as convert, self._cursor() as update:
            self._convert(convert, 1)
            self._no_wait(update)
            with self.assertRaises(errors.LockNotAvailable):
                self._mass_update(update, 1, industry_id=self.industry_id)
            update.rollback()
            convert.commit()  # pylint: disable=invalid-commit
        with self._cursor() as retry:
            self._mass_update(retry, 1, industry_id=self.industry_id)
            retry.commit()  # pylint: disable=invalid-commit
        # ... and a status can no longer be set on the converted lead.
        with self._cursor() as late:
            nurturing = self._env(late).ref("crm_prospection.lead_status_nurturing")
            with self.assertRaisesRegex(UserError, "is converted"):
                self._mass_update(late, 1, lead_status_id=nurturing.id)
            late.rollback()

        # 3. An update prepared before the conversion committed is refused.
        with self._cursor() as stale, self._cursor() as convert:
            self._leads(stale, 2).read(["name"])  # its snapshot starts here
            self._convert(convert, 2)
            convert.commit()  # pylint: disable=invalid-commit
            nurturing = self._env(stale).ref("crm_prospection.lead_status_nurturing")
            with self.assertRaises(errors.SerializationFailure):
                self._mass_update(stale, 2, lead_status_id=nurturing.id)
            stale.rollback()

        converted = self._env_ref_id("crm_prospection.lead_status_converted")
        industry = self._state("industry_id")
        statuses = self._state("lead_status_id")
        for index in range(3):
            self.assertEqual(statuses[index][0].id, converted, index)
        self.assertEqual(industry[0][0].id, self.industry_id)
        self.assertEqual(industry[1][0].id, self.industry_id)
        self.assertEqual(self._partners(), 3)
        self.assertEqual(
            self._count("crm.lead", [("origin_lead_id", "in", self.lead_ids)]), 3
        )

    def _env_ref_id(self, xmlid):
        with self._cursor() as cr:
            return self._env(cr).ref(xmlid).id

    def test_overlapping_batch_conversions(self):
        """CONV-5, CONV-6: two batches sharing a lead: the second skips it (and
        says so), converts its other lead; every lead is converted once."""
        with self._cursor() as first, self._cursor() as second:
            self._convert(first, 0, 1)
            self._no_wait(second)
            result = self._convert(second, 1, 2)
            message = result["params"]["message"]
            self.assertIn("1 lead(s) converted", message)
            self.assertIn("being edited by another user", message)
            first.commit()  # pylint: disable=invalid-commit
            second.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._partners(), 3)
        self.assertEqual(
            self._count("crm.lead", [("origin_lead_id", "in", self.lead_ids)]), 3
        )
        partners = self._state("converted_partner_id")
        self.assertEqual(len({partner for (partner,) in partners}), 3)

    # ------------------------------------------------------------------
    # Two imports of the same country
    # ------------------------------------------------------------------

    def _import_cities(self, cr, lines=20):
        env = self._env(cr)
        content = "".join(
            f"AD\tAD9{index:02d}\t{self.tag} town {index}\t\t\t\t\t\t\t42.5\t1.5\t6\n"
            for index in range(lines)
        )
        return (
            env["crm.city.import"]
            .create(
                {
                    "mode": "file",
                    "file": base64.b64encode(content.encode()),
                    "filename": "AD.txt",
                }
            )
            ._crm_import()
        )

    def _cities(self):
        return self._count("res.city", [("name", "=like", f"{self.tag} town%")])

    def _zips(self):
        return self._count("res.city.zip", [("city_id.name", "=like", f"{self.tag}%")])

    def test_two_imports_of_one_country(self):
        """GEO-2: one import at a time: the second is refused at once with a clear
        error; one whose snapshot predates a committed import is refused by
        PostgreSQL (Odoo retries it), never creating the cities twice."""
        with self._cursor() as first, self._cursor() as second:
            counts = self._import_cities(first)
            self.assertEqual(counts["cities_created"], 20)
            with self.assertRaisesRegex(UserError, "Another city import is running"):
                self._import_cities(second)
            second.rollback()
            first.commit()  # pylint: disable=invalid-commit
        with self._cursor() as again:
            counts = self._import_cities(again)
            self.assertEqual((counts["cities_created"], counts["zips_created"]), (0, 0))
            again.commit()  # pylint: disable=invalid-commit

        # A stale transaction: it started before the import below committed.
        with ExitStack() as stack:
            stale = stack.enter_context(self._cursor())
            self._env(stale)["res.city"].search_count([])  # its snapshot
            with self._cursor() as other:
                self._import_cities(other, lines=25)
                other.commit()  # pylint: disable=invalid-commit
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(errors.SerializationFailure),
            ):
                self._import_cities(stale, lines=25)
            stale.rollback()
        self.assertEqual(self._cities(), 25)
        self.assertEqual(self._zips(), 25)

    # ------------------------------------------------------------------
    # Status changes against event recomputes
    # ------------------------------------------------------------------

    def _set_status(self, cr, xmlid):
        env = self._env(cr)
        self._leads(cr, 0).write({"lead_status_id": env.ref(xmlid).id})
        env.flush_all()

    def _event_done(self, cr):
        env = self._env(cr)
        env["calendar.event"].browse(self.event_id).action_crm_done()
        env.flush_all()

    @mute_logger("odoo.sql_db")
    def test_status_change_racing_event_recompute(self):
        """STAT-5, LEAD-5, EVT-7: a status change and an event marked done on the
        same lead, in both orders and from a stale snapshot: the lead ends with
        both the new status and the new event dates."""
        nurturing = "crm_prospection.lead_status_nurturing"
        marketing = "crm_prospection.lead_status_marketing_qualification"
        # 1. The status change holds the lead; the recompute must wait.
        with self._cursor() as status, self._cursor() as event:
            self._set_status(status, nurturing)
            self._no_wait(event)
            with self.assertRaises(errors.LockNotAvailable):
                self._event_done(event)
            event.rollback()
            status.commit()  # pylint: disable=invalid-commit
        with self._cursor() as retry:
            self._event_done(retry)
            retry.commit()  # pylint: disable=invalid-commit
        [(lead_status, last_event)] = self._state("lead_status_id", "date_last_event")[
            :1
        ]
        self.assertEqual(lead_status.id, self._env_ref_id(nurturing))
        self.assertEqual(str(last_event), START)

        # 2. The recompute holds the lead; the status change must wait.
        with self._cursor() as event, self._cursor() as status:
            self._env(event)["calendar.event"].browse(self.event_id).write(
                {"crm_state": "planned"}
            )
            self._env(event).flush_all()
            self._no_wait(status)
            with self.assertRaises(errors.LockNotAvailable):
                self._set_status(status, marketing)
            status.rollback()
            event.commit()  # pylint: disable=invalid-commit
        # 3. A stale status change (its snapshot predates the recompute) is
        # refused by PostgreSQL rather than overwriting the dates.
        with self._cursor() as stale:
            self._leads(stale, 0).read(["name"])
            with self._cursor() as event:
                self._event_done(event)
                event.commit()  # pylint: disable=invalid-commit
            with self.assertRaises(errors.SerializationFailure):
                self._set_status(stale, marketing)
            stale.rollback()
        with self._cursor() as retry:
            self._set_status(retry, marketing)
            retry.commit()  # pylint: disable=invalid-commit
        [(lead_status, last_event, next_event)] = self._state(
            "lead_status_id", "date_last_event", "date_next_event"
        )[:1]
        self.assertEqual(lead_status.id, self._env_ref_id(marketing))
        self.assertEqual(str(last_event), START)
        self.assertFalse(next_event)
