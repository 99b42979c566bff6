# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLeadQueryCounts(CrmLeadCase):
    """Hot paths carry query-count assertions: they must not grow with volume."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tags = cls.env["crm.tag"].create([{"name": f"Tag {i}"} for i in range(3)])
        cls.agency = cls.env["crm.agency"].create({"name": "Perf"})
        cls.sources = cls.env["utm.source"].create(
            [{"name": f"Perf source {i}"} for i in range(3)]
        )
        cls.extra_statuses = cls.env["crm.lead.status"].create(
            [{"name": f"Extra {i}", "sequence": 11 + i} for i in range(5)]
        )

    def _list_specification(self):
        view = self.env.ref("crm_prospection.crm_lead_view_list_lead")
        fields_ = self.env["crm.lead"].get_views([(view.id, "list")])["models"][
            "crm.lead"
        ]["fields"]
        relational = {"many2one", "many2many", "one2many"}
        return {
            name: {"fields": {"display_name": {}}} if info["type"] in relational else {}
            for name, info in fields_.items()
        }

    def _leads(self, count):
        statuses = self.status_to_process | self.status_marketing | self.extra_statuses
        return self.env["crm.lead"].create(
            [
                {
                    "name": f"Perf {index}",
                    "type": "lead",
                    "user_id": self.salesman_all.id,
                    "agency_id": self.agency.id,
                    "source_id": self.sources[index % 3].id,
                    "lead_status_id": statuses[index % len(statuses)].id,
                    "tag_ids": [Command.set(self.tags.ids)],
                    "email_from": f"perf{index}@example.com",
                }
                for index in range(count)
            ]
        )

    def _read_list(self, leads, specification):
        self.env.invalidate_all()
        return (
            self.env["crm.lead"]
            .with_user(self.salesman_all)
            .web_search_read([("id", "in", leads.ids)], specification, limit=80)
        )

    def test_list_read_constant(self):
        """LEAD-9: reading the list view of 80 leads costs the same as of 10."""
        specification = self._list_specification()
        self._read_list(self._leads(10), specification)  # warm caches
        small = self._leads(10)
        big = self._leads(80)
        self.env.flush_all()
        queries = []
        for leads in (small, big):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            result = self._read_list(leads, specification)
            queries.append(self.cr.sql_log_count - start)
            self.assertEqual(result["length"], len(leads))
        # A full page (80 of 80) adds the web client's count query, once.
        self.assertLessEqual(queries[1], queries[0] + 1, "list read grows with leads")
        self.assertLessEqual(queries[1], 20)

    def test_status_change_constant(self):
        """STAT-5: moving leads to another status costs the same for 1 or 50 leads."""
        one = self._leads(1)
        many = self._leads(50)
        self.env.flush_all()
        counts = []
        for leads, status in ((one, self.status_sales), (many, self.status_sales)):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            leads.write({"lead_status_id": status.id})
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        self.assertLessEqual(counts[1], counts[0] + 2)

    def test_single_status_change_bounded(self):
        """STAT-5: one click in the workflow bar stays within a fixed query budget."""
        lead = self._leads(1)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=8):
            lead.action_set_lead_status(self.status_nurturing.id)
            self.env.flush_all()
