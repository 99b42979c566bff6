# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The add-on's read-only entry points: declared so, they are served by a
PostgreSQL replica when the server has one (``db_replica_host``), and they must
write nothing there. Each is called as the web client calls it
(``/web/dataset/call_kw``), on the read-only cursor Odoo's tests give a
read-only request: a write raises ``ReadOnlySqlTransaction``."""

from contextlib import contextmanager

from psycopg2.errors import ReadOnlySqlTransaction

from odoo.service.model import call_kw
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CrmLeadCase, mass_update_wizard

LOCATED = {"partner_latitude": 45.76, "partner_longitude": 4.84}


@tagged("post_install", "-at_install")
class TestReadonlyPaths(CrmLeadCase):
    """GEO-3, PIPE-1, LEAD-10, LEAD-8 and the city referential's zips: their
    read entry points go to the replica and write nothing (issue 28)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agency = cls.env["crm.agency"].create(
            {"name": "Lyon (replica)", "company_id": cls.company.id}
        )
        cls.customer = Partner.create(
            {
                "name": "Replica Printing Works",
                "is_company": True,
                "customer_rank": 1,
                "email": "hello@replica-printing.example",
                "user_id": cls.salesman_all.id,
                "agency_id": cls.agency.id,
            }
            | LOCATED
        )
        cls.lead, cls.twin = cls._create_leads(
            2,
            partner_name="Replica Printing Works",
            email_from="jane@replica-printing.example",
            user_id=cls.salesman_all.id,
            agency_id=cls.agency.id,
        )
        cls.zip_lyon = cls.env["res.city.zip"].create(
            {
                "name": "69099",
                "city_id": cls.env["res.city"]
                .create(
                    {"name": "Lyon (replica)", "country_id": cls.env.ref("base.fr").id}
                )
                .id,
                "latitude": 45.76,
                "longitude": 4.84,
            }
        )

    @contextmanager
    def _replica(self, user):
        """An environment of ``user`` on a read-only cursor, as a request that
        Odoo serves from the replica gets (its writes rolled back at the end)."""
        with self.enter_registry_test_mode(), self.registry.cursor(readonly=True) as cr:
            yield self.env(cr=cr, user=user)

    def _call(self, user, model, method, args=(), kwargs=None):
        """Call ``model.method`` as the web client does, once it has checked that
        Odoo routes it to the replica; every pending write is flushed inside."""
        routed = getattr(type(self.env[model]), method)
        self.assertTrue(
            getattr(routed, "_readonly", False),
            f"{model}.{method} is not declared read-only: the primary serves it",
        )
        with self._replica(user) as env:
            result = call_kw(env[model], method, list(args), kwargs or {})
            env.flush_all()
        return result

    @mute_logger("odoo.sql_db")
    def test_harness_rejects_writes(self):
        """The read-only cursor of these tests refuses a write: a method that
        wrote would fail them."""
        with (
            self.assertRaises(ReadOnlySqlTransaction),
            self._replica(self.salesman_all) as env,
        ):
            env["crm.lead"].browse(self.lead.id).write({"name": "Written"})
            env.flush_all()

    def test_map_data(self):
        """GEO-3: the map's markers and filters come from the replica."""
        data = self._call(
            self.salesman_all,
            "crm.partner.map",
            "get_map_data",
            kwargs={"agency_id": self.agency.id},
        )
        self.assertEqual([m["id"] for m in data["markers"]], [self.customer.id])
        filters = self._call(self.salesman_all, "crm.partner.map", "get_map_filters")
        self.assertIn(self.salesman_all.id, [user["id"] for user in filters["users"]])

    def test_pipeline_tracking_counts(self):
        """PIPE-1: the counts of the tracking screen, computed as the criteria
        are chosen (the form's onchange), come from the replica."""
        spec = {
            name: {}
            for name in (
                "target",
                "agency_ids",
                "record_count",
                "opportunity_count",
                "event_count",
            )
        }
        result = self._call(
            self.sales_manager,
            "crm.pipeline.tracking",
            "onchange",
            [
                [],
                {"target": "lead", "agency_ids": [[6, 0, [self.agency.id]]]},
                ["agency_ids"],
                spec,
            ],
        )
        self.assertEqual(result["value"]["record_count"], 2)
        self.assertEqual(result["value"]["opportunity_count"], 0)

    def test_similar_leads_and_contacts(self):
        """LEAD-10: the similar leads and contacts of a lead, their counts on
        the form and the buttons that list them, come from the replica."""
        values = self._call(
            self.salesman_all,
            "crm.lead",
            "web_read",
            [
                self.lead.ids,
                {"duplicate_lead_count": {}, "duplicate_partner_count": {}},
            ],
        )[0]
        self.assertEqual(values["duplicate_lead_count"], 1)
        self.assertEqual(values["duplicate_partner_count"], 1)
        action = self._call(
            self.salesman_all,
            "crm.lead",
            "action_show_potential_duplicates",
            [self.lead.ids],
        )
        self.assertIn(self.twin.id, action["domain"][0][2])
        action = self._call(
            self.salesman_all,
            "crm.lead",
            "action_show_duplicate_partners",
            [self.lead.ids],
        )
        self.assertEqual(action["domain"], [("id", "in", [self.customer.id])])

    def test_zip_completion(self):
        """GEO-3: completing a zip (the address's zip field) reads the city
        referential on the replica."""
        found = self._call(
            self.salesman_all,
            "res.city.zip",
            "web_name_search",
            ["69099", {"display_name": {}}],
        )
        self.assertEqual([zip_["id"] for zip_ in found], [self.zip_lyon.id])

    def test_job_progress(self):
        """LEAD-8: the progress of a background job, as its form shows it,
        comes from the replica."""
        self.company.crm_batch_threshold = 1
        mass_update_wizard(
            (self.lead | self.twin).with_user(self.sales_manager),
            user_id=self.salesman.id,
        ).action_apply()
        job = self.env["crm.batch.job"].search([], order="id desc", limit=1)
        values = self._call(
            self.sales_manager,
            "crm.batch.job",
            "web_read",
            [
                job.ids,
                {"state": {}, "progress": {}, "total_count": {}, "done_count": {}},
            ],
        )[0]
        self.assertEqual((values["state"], values["total_count"]), ("queued", 2))
        self.assertEqual(values["progress"], 0)

    def test_around_markers(self):
        """GEO-3 (issue 27): the map's search around a place, partners and
        leads, comes from the replica, nearest first with its distance."""
        data = self._call(
            self.salesman_all,
            "res.partner",
            "get_around_markers",
            [45.77, 4.85, 5],
            {"ids": [self.customer.id]},
        )
        self.assertEqual([m["id"] for m in data["markers"]], [self.customer.id])
        self.assertLess(data["markers"][0]["distance"], 5)
        self._call(
            self.salesman_all, "crm.lead", "get_around_markers", [45.77, 4.85, 5]
        )
