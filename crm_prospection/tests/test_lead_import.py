# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import CrmLeadCase


@tagged("post_install", "-at_install")
class TestLeadImport(CrmLeadCase):
    """X-4: leads and referentials import from CSV with Odoo's importer."""

    def _import(self, model, fields_, rows):
        result = self.env[model].load(fields_, rows)
        self.assertFalse(
            [m for m in result["messages"] if m["type"] == "error"], result["messages"]
        )
        return self.env[model].browse(result["ids"])

    def test_import_leads_with_statuses_by_name(self):
        """X-4, STAT-1: statuses, industries and sources are matched by name."""
        industry = self.env["res.partner.industry"].create({"name": "Services (imp)"})
        leads = self._import(
            "crm.lead",
            [
                "name",
                "type",
                "first_name",
                "last_name",
                "partner_name",
                "lead_status_id",
                "industry_id",
                "is_key_account",
                "lead_score",
            ],
            [
                [
                    "Fair contact",
                    "lead",
                    "Léa",
                    "Roux",
                    "Roux SA",
                    "Marketing qualification",
                    "Services (imp)",
                    "1",
                    "3",
                ],
                [
                    "Web form",
                    "lead",
                    "Marc",
                    "Petit",
                    "Petit SARL",
                    "Nurturing",
                    "",
                    "0",
                    "0",
                ],
            ],
        )
        self.assertEqual(len(leads), 2)
        self.assertEqual(leads[0].lead_status_id, self.status_marketing)
        self.assertEqual(leads[0].industry_id, industry)
        self.assertEqual(leads[0].contact_name, "Léa Roux")
        self.assertTrue(leads[0].is_key_account)
        self.assertEqual(leads[0].lead_score, "3")
        self.assertEqual(leads[1].lead_status_id, self.status_nurturing)

    def test_import_referentials(self):
        """X-4: statuses, industries, job positions, departments, roles, agencies."""
        statuses = self._import(
            "crm.lead.status",
            ["name", "sequence", "is_open"],
            [["Discovery call (imp)", "15", "1"], ["Parked (imp)", "45", "0"]],
        )
        self.assertEqual(statuses.mapped("is_open"), [True, False])
        for model, rows in (
            ("res.partner.industry", [["Industry (imp)"], ["Public sector (imp)"]]),
            ("res.partner.job_position", [["Buyer (imp)"], ["CEO (imp)"]]),
            ("res.partner.department", [["Accounting (imp)"], ["Purchasing (imp)"]]),
            ("res.partner.role", [["Management (imp)"], ["Accounting (imp)"]]),
            ("crm.agency", [["Marseille"], ["Nantes"]]),
            ("crm.catalog.type", [["Children products"], ["Spare parts"]]),
        ):
            records = self._import(model, ["name"], rows)
            self.assertEqual(len(records), 2, model)

    def test_import_refuses_duplicate_job_position(self):
        """X-4, LEAD-1: an import repeating a job position in other case is refused."""
        self.env["res.partner.job_position"].create({"name": "Responsable achats"})
        result = self.env["res.partner.job_position"].load(
            ["name"], [["RESPONSABLE ACHATS"]]
        )
        self.assertTrue([m for m in result["messages"] if m["type"] == "error"], result)
