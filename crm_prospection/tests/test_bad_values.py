# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Values a careless or hostile caller sends: a clear, translated error instead
of a traceback, nothing half-written, and nothing the user gave dropped."""

import base64
from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PDF, CrmLeadCase, convert

HTML = b"<html><body><script>alert('catalog')</script></body></html>"


@tagged("post_install", "-at_install")
class TestBadValues(CrmLeadCase):
    def test_pipeline_tracking_calendar_ends(self):
        """PIPE-1: the first and last days of the calendar, saved or typed in
        the form, filter as any other day (no OverflowError)."""
        lead = self._create_leads(name="Tracked lead")
        for user_tz in ("Europe/Paris", "America/New_York", "UTC"):
            self.env.user.tz = user_tz
            for date_from, date_to in (
                (date(1, 1, 1), date(9999, 12, 31)),
                (date(9999, 12, 31), date(9999, 12, 31)),
                (date(1, 1, 1), date(1, 1, 1)),
            ):
                with self.subTest(tz=user_tz, date_from=date_from, date_to=date_to):
                    tracking = self.env["crm.pipeline.tracking"].create(
                        {"target": "lead", "date_from": date_from, "date_to": date_to}
                    )
                    self.assertEqual(
                        lead in self.env["crm.lead"].search(tracking._records_domain()),
                        date_from.year == 1 and date_to.year == 9999,
                    )
                    self.assertIsInstance(tracking.record_count, int)
                    tracking.action_open_records()
                    tracking.action_open_events()
            with self.subTest(tz=user_tz, form=True):
                form = Form(self.env["crm.pipeline.tracking"])
                form.date_to = date(9999, 12, 31)
                form.date_from = date(1, 1, 1)
                self.assertGreaterEqual(form.record_count, 1)

    def test_recurring_end_past_year_9999(self):
        """OPP-3: a recurring revenue ending after 9999 is refused with a clear
        error, typed in the form (no crash while typing) or saved."""
        opportunity = self.env["crm.lead"].create(
            {"name": "Forever", "type": "opportunity"}
        )
        with (
            self.assertRaisesRegex(ValidationError, "9999"),
            self.env.cr.savepoint(),
        ):
            opportunity.write(
                {"recurring_start_date": date(9999, 6, 1), "recurring_duration": 12}
            )
        self.assertFalse(opportunity.recurring_start_date)
        with Form(opportunity) as form:
            form.recurring_start_date = date(9990, 1, 1)
            form.recurring_duration = 240
            self.assertFalse(form.recurring_end_date)
            form.recurring_duration = 12
            self.assertEqual(form.recurring_end_date, date(9991, 1, 1))

    def test_map_data_arguments(self):
        """GEO-3: a non-integer agency, salesperson or limit, or an unknown kind,
        is a clear error; the usual ones still work."""
        Map = self.env["crm.partner.map"].with_user(self.salesman)
        for arguments in (
            {"agency_id": "abc"},
            {"agency_id": [1]},
            {"user_id": "1; DROP TABLE"},
            {"user_id": 1.5},
            {"limit": "many"},
            {"limit": -3},
            {"limit": 10**30},
            {"kind": ["customer"]},
            {"kind": "ghost"},
        ):
            with self.subTest(arguments=arguments):
                with self.assertRaises(UserError):
                    Map.get_map_data(**arguments)
        data = Map.get_map_data(
            kind="customer", user_id=str(self.salesman.id), limit="5"
        )
        self.assertEqual(data["limit"], 5)

    def test_set_lead_status_bad_id(self):
        """STAT-2: the workflow bar given anything but a status id answers with a
        clear error and runs no bad SQL query."""
        lead = self._create_leads(name="Status bar").with_user(self.salesman)
        lead.sudo().user_id = self.salesman
        for status_id in ("abc", None, [1], 1.5, -1, 2**40, "1 OR 1=1"):
            with self.subTest(status_id=status_id):
                with self.assertNoLogs("odoo.sql_db", "ERROR"):
                    with self.assertRaisesRegex(UserError, "no longer exists"):
                        lead.action_set_lead_status(status_id)
        lead.action_set_lead_status(str(self.status_marketing.id))
        self.assertEqual(lead.lead_status_id, self.status_marketing)

    def test_catalog_attachment_stays_a_pdf(self):
        """CAT-1: the file behind a catalog is refused when it is not a PDF,
        even written on its attachment directly, by content or by type."""
        self.env["res.config.settings"].create({"group_crm_catalog": True}).execute()
        catalog = (
            self.env["crm.catalog"]
            .with_user(self.sales_manager)
            .create({"name": "Spring", "pdf_file": base64.b64encode(PDF)})
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.sales_manager)
            .search(
                [
                    ("res_model", "=", "crm.catalog"),
                    ("res_id", "=", catalog.id),
                    ("res_field", "=", "pdf_file"),
                ]
            )
        )
        self.assertEqual(len(attachment), 1)
        for values in (
            {"raw": HTML},
            {"datas": base64.b64encode(HTML)},
            {"mimetype": "text/html"},
        ):
            with self.subTest(values=list(values)):
                with self.assertRaises(ValidationError):
                    attachment.write(values)
        with self.assertRaises(ValidationError):
            self.env["ir.attachment"].with_user(self.sales_manager).create(
                {
                    "name": "catalog.pdf",
                    "raw": HTML,
                    "res_model": "crm.catalog",
                    "res_id": catalog.id,
                    "res_field": "pdf_file",
                }
            )
        other = self.env["ir.attachment"].create({"name": "page.html", "raw": HTML})
        with self.assertRaises(ValidationError):
            other.write(
                {
                    "res_model": "crm.catalog",
                    "res_id": catalog.id,
                    "res_field": "pdf_file",
                }
            )
        attachment.invalidate_recordset()
        self.assertEqual(attachment.raw, PDF)
        attachment.write({"raw": PDF})

    def test_full_name_with_first_name_keeps_last_name(self):
        """LEAD-1, CONV-2: a full name given with its first name only (an import
        with both columns, an API call) keeps the rest as the last name, and the
        conversion creates "Jean Dupont"."""
        lead = self._create_leads(
            name="Named",
            contact_name="Jean Dupont",
            first_name="Jean",
            lead_status_id=self.status_sales.id,
        )
        self.assertEqual((lead.first_name, lead.last_name), ("Jean", "Dupont"))
        self.assertEqual(lead.contact_name, "Jean Dupont")
        other = self._create_leads(contact_name="Jean Dupont", last_name="Dupont")
        self.assertEqual((other.first_name, other.last_name), ("Jean", "Dupont"))
        odd = self._create_leads(contact_name="Jean Dupont", first_name="Paul")
        self.assertEqual(odd.contact_name, "Paul Jean Dupont")
        result = self.env["crm.lead"].load(
            ["name", "type", "contact_name", "first_name"],
            [["Imported", "lead", "Marie Curie", "Marie"]],
        )
        imported = self.env["crm.lead"].browse(result["ids"])
        self.assertEqual(imported.last_name, "Curie")
        convert(lead, partner_kind="prospect", is_company=False)
        person = lead.converted_contact_id or lead.converted_partner_id
        self.assertEqual(person.name, "Jean Dupont")
