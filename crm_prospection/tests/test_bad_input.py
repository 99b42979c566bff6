# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad input into every wizard and import: each is answered with a clear error
(or, for HTML, safely escaped or sanitized) and the database is left unchanged.

``_refused`` runs one bad input in a savepoint and counts the records of every
model the add-on writes to right after the error, before the savepoint is rolled
back: a wizard that created part of its work before refusing is caught even
though Odoo would roll it back at the end of the request. Refusals by a
constraint, which Odoo checks once the record is inserted, are counted after the
rollback instead, as a request would leave the database (``strict=False``).
"""

import base64
import io
import logging
import struct
import zipfile
from contextlib import suppress
from unittest.mock import MagicMock, patch

import psycopg2
import requests
from lxml import html

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import (
    CITY_IMPORT,
    FR_LINE,
    PDF,
    PNG,
    REQUESTS_GET,
    CrmLeadCase,
    Undo,
    convert,
    last_job,
    mass_update,
    run_job,
    zip_archive,
)

_logger = logging.getLogger(__name__)
COUNTED_MODELS = (
    "crm.lead",
    "crm.lead.status",
    "crm.agency",
    "crm.catalog",
    "res.partner",
    "res.partner.delegation",
    "calendar.event",
    "mail.message",
    "res.country.state",
    "res.city",
    "res.city.zip",
)
SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src="x" onerror="alert(1)">'


@tagged("post_install", "-at_install")
class TestBadInput(CrmLeadCase):
    """GEO-2, CONV-*, LEAD-8, PIPE-1, MAIL-1, STAT-4, CAT-1, X-4: every wizard and
    import refuses bad input clearly and writes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Bad input lead",
                "type": "lead",
                "partner_name": "Bad Input SA",
                "contact_name": "Bea Input",
                "email_from": "bea@bad-input.example.com",
                "lead_status_id": cls.status_sales.id,
                "company_id": cls.company.id,
                "user_id": False,
            }
        )
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Existing Company SA", "is_company": True}
        )
        cls.other_company_contact = cls.env["res.partner"].create(
            {
                "name": "Someone Else",
                "parent_id": cls.env["res.partner"]
                .create({"name": "Other Company SA", "is_company": True})
                .id,
            }
        )
        cls.agency = cls.env["crm.agency"].create(
            {"name": "Bad input agency", "company_id": cls.company.id}
        )
        cls.foreign_agency = cls.env["crm.agency"].create(
            {"name": "Foreign agency", "company_id": cls.company_2.id}
        )
        cls.foreign_team = cls.env["crm.team"].create(
            {"name": "Foreign team", "company_id": cls.company_2.id}
        )
        cls.refused = 0

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _counts(self):
        return {
            model: self.env[model].with_context(active_test=False).search_count([])
            for model in COUNTED_MODELS
        }

    def _refused(
        self, label, function, pattern, exception=UserError, model=None, strict=True
    ):
        """``function`` must raise ``exception`` whose message matches ``pattern``,
        and leave every count unchanged. For errors of the database itself
        (``model`` given), the message is the one Odoo's RPC layer shows."""
        before = self._counts()
        caught = after = None
        with suppress(Undo), self.env.cr.savepoint():
            try:
                function()
            except exception as error:
                caught = error
                if strict and not isinstance(error, psycopg2.Error):
                    after = self._counts()
            raise Undo
        self.env.invalidate_all()
        self.assertIsNotNone(caught, f"{label}: accepted")
        if after is None:
            after = self._counts()
        if isinstance(caught, psycopg2.Error):
            message = self.env[model]._sql_error_to_message(caught)
        else:
            message = str(caught.args[0]) if caught.args else ""
        self.assertRegex(message, pattern, label)
        self.assertEqual(after, before, f"{label}: something was written")
        type(self).refused += 1

    def _city_import(self, content, filename="FR.txt", **values):
        return (
            self.env["crm.city.import"]
            .create(
                {
                    "mode": "file",
                    "file": content and base64.b64encode(content),
                    "filename": filename,
                    **values,
                }
            )
            .action_import()
        )

    # ------------------------------------------------------------------
    # Wizards
    # ------------------------------------------------------------------

    @mute_logger("odoo.sql_db")
    def test_conversion(self):
        """CONV-1…CONV-5: missing, wrong, foreign, archived or out-of-range
        options of the conversion are refused and nothing is created."""
        converted = self.env["crm.lead"].create(
            {"name": "Already", "type": "lead", "lead_status_id": self.status_sales.id}
        )
        convert(converted)
        opportunity = self.env["crm.lead"].create(
            {"name": "An opportunity", "type": "opportunity"}
        )
        fresh = self.env["crm.lead"].create({"name": "Too early", "type": "lead"})
        archived = self.env["res.partner"].create(
            {"name": "Gone SA", "is_company": True, "active": False}
        )
        foreign = self.env["res.partner"].create(
            {"name": "Foreign SA", "is_company": True, "company_id": self.company_2.id}
        )
        Convert = self.env["crm.lead.convert"]
        cases = [
            ("no lead", lambda: Convert.create({}).action_convert(), "Select the"),
            ("lead too early", lambda: convert(fresh), "converted from"),
            ("lead converted", lambda: convert(converted), "already converted"),
            ("opportunity", lambda: convert(opportunity), "not a lead"),
            (
                "deleted lead",
                lambda: convert(self.env["crm.lead"].browse(987654321)),
                "does not exist|deleted",
            ),
            (
                "existing partner missing",
                lambda: convert(self.lead, partner_action="exist"),
                "Select the existing partner",
            ),
            (
                "existing contact without company",
                lambda: convert(self.lead, contact_action="exist"),
                "contacts of an existing company",
            ),
            (
                "contact of another partner",
                lambda: convert(
                    self.lead,
                    partner_action="exist",
                    partner_id=self.company_partner.id,
                    contact_action="exist",
                    contact_id=self.other_company_contact.id,
                ),
                "is not a contact of",
            ),
            (
                "blank opportunity name",
                lambda: convert(
                    self.lead, create_opportunity=True, opportunity_name="  "
                ),
                "Give the opportunity a name",
            ),
            (
                "archived partner",
                lambda: convert(
                    self.lead, partner_action="exist", partner_id=archived.id
                ),
                "is archived",
            ),
            (
                "partner of another company",
                lambda: convert(
                    self.lead, partner_action="exist", partner_id=foreign.id
                ),
                "compan",
            ),
            (
                "team of another company",
                lambda: convert(
                    self.lead, create_opportunity=True, team_id=self.foreign_team.id
                ),
                "compan",
            ),
            (
                "unknown partner kind",
                lambda: convert(self.lead, partner_kind="alien"),
                "Wrong value",
                ValueError,
            ),
            (
                "language not installed",
                lambda: convert(self.lead, lang="xx_XX"),
                "not installed",
            ),
        ]
        for label, function, pattern, *exception in cases:
            with self.subTest(label):
                self._refused(label, function, pattern, *exception)
        self._refused(
            "probability 150 %",
            lambda: convert(self.lead, create_opportunity=True, probability=150),
            "probability must be between 0 and 100",
            psycopg2.IntegrityError,
            model="crm.lead.convert",
        )
        self.assertEqual(self.lead.lead_status_id, self.status_sales)

    def test_mass_update(self):
        """LEAD-8, CFG-1, STAT-4: empty, protected, foreign, archived or
        unassignable values are refused before anything is written."""
        archived_status = self.env["crm.lead.status"].create(
            {"name": "Old status", "sequence": 45, "active": False}
        )
        archived_agency = self.env["crm.agency"].create(
            {"name": "Closed agency", "company_id": self.company.id, "active": False}
        )
        archived_user = mail_new_test_user(
            self.env,
            login="cp_gone",
            groups="sales_team.group_sale_salesman_all_leads",
            active=False,
        )
        opportunity = self.env["crm.lead"].create(
            {"name": "Opportunity", "type": "opportunity"}
        )
        self.company.write(
            {
                "crm_assignable_users": "groups",
                "crm_assignable_group_ids": [
                    Command.set(self.env.ref("sales_team.group_sale_manager").ids)
                ],
            }
        )
        Update = self.env["crm.lead.mass.update"]
        cases = [
            (
                "no lead",
                lambda: Update.create(
                    {"lead_status_id": self.status_nurturing.id}
                ).action_apply(),
                "Select the leads",
            ),
            ("no value", lambda: mass_update(self.lead), "at least one value"),
            (
                "Lost",
                lambda: mass_update(self.lead, lead_status_id=self.status_lost.id),
                "Mark Lost",
            ),
            (
                "Converted",
                lambda: mass_update(self.lead, lead_status_id=self.status_converted.id),
                "Mark Lost or Convert",
            ),
            (
                "status on opportunities only",
                lambda: mass_update(
                    opportunity, lead_status_id=self.status_nurturing.id
                ),
                "only applies to leads",
            ),
            (
                "team of another company",
                lambda: mass_update(self.lead, team_id=self.foreign_team.id),
                "belongs to",
            ),
            (
                "agency of another company",
                lambda: mass_update(self.lead, agency_id=self.foreign_agency.id),
                "belongs to",
            ),
            (
                "unassignable user (CFG-1)",
                lambda: mass_update(self.lead, user_id=self.salesman.id),
                "cannot be assigned",
            ),
            (
                "archived status",
                lambda: mass_update(self.lead, lead_status_id=archived_status.id),
                "is archived",
            ),
            (
                "archived agency",
                lambda: mass_update(self.lead, agency_id=archived_agency.id),
                "is archived",
            ),
            (
                "archived user",
                lambda: mass_update(self.lead, user_id=archived_user.id),
                "is archived",
            ),
        ]
        for label, function, pattern in cases:
            with self.subTest(label):
                self._refused(label, function, pattern)
        self.assertEqual(self.lead.lead_status_id, self.status_sales)
        self.assertFalse(self.lead.agency_id)

    def test_pipeline_tracking(self):
        """PIPE-1: a reversed period and an unknown target are refused."""
        Tracking = self.env["crm.pipeline.tracking"]
        self._refused(
            "period ending before it starts",
            lambda: Tracking.create(
                {"date_from": "2026-06-30", "date_to": "2026-06-01"}
            ),
            "must start before it ends",
            ValidationError,
        )
        self._refused(
            "unknown target",
            lambda: Tracking.create({"target": "everything"}),
            "Wrong value",
            ValueError,
        )

    @mute_logger("odoo.sql_db")
    def test_email_and_lost(self):
        """MAIL-1, MAIL-3, STAT-4: the e-mail wizard refuses unknown models,
        missing records, foreign templates, do-not-e-mail and missing
        languages; the lost wizard a missing reason or explanation."""
        Email = self.env["crm.email.wizard"]
        partner_template = self.env["mail.template"].create(
            {
                "name": "Partner template",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
            }
        )
        blocked = self.env["crm.lead"].create(
            {"name": "Blocked", "type": "lead", "do_not_email": True}
        )

        def compose(res_model="crm.lead", res_id=None, **values):
            return Email.create(
                {
                    "res_model": res_model,
                    "res_id": res_id or self.lead.id,
                    "lang": "en_US",
                    **values,
                }
            ).action_compose()

        cases = [
            ("unknown model", lambda: compose("no.such.model"), "No e-mail"),
            ("model without chatter", lambda: compose("res.country"), "No e-mail"),
            ("deleted record", lambda: compose(res_id=987654321), "no longer exists"),
            (
                "template of another model",
                lambda: compose(template_id=partner_template.id),
                "another kind of record",
            ),
            ("do not e-mail", lambda: compose(res_id=blocked.id), "Do not e-mail"),
            (
                "language not installed",
                lambda: compose(lang="xx_XX"),
                "not installed",
            ),
        ]
        reason = self._lost_reason("Needs words", require_feedback=True)
        Lost = self.env["crm.lead.lost"].with_context(default_lead_ids=self.lead.ids)
        cases += [
            (
                "no lost reason",
                lambda: Lost.create({}).action_lost_reason_apply(),
                "Choose why",
            ),
            (
                "empty explanation",
                lambda: Lost.create(
                    {"lost_reason_id": reason.id, "lost_feedback": "<p><br></p>"}
                ).action_lost_reason_apply(),
                "asks for an explanation",
            ),
        ]
        for label, function, pattern, *exception in cases:
            with self.subTest(label):
                self._refused(label, function, pattern, *exception)
        self._refused(
            "no language",
            lambda: Email.create({"res_model": "crm.lead", "res_id": 987654321}),
            "Missing required value for the field 'Language'",
            psycopg2.IntegrityError,
            model="crm.email.wizard",
        )
        self.assertTrue(self.lead.active)

    def test_statuses_and_catalogs(self):
        """STAT-4, STAT-5, CAT-1: the standard statuses keep their role, a lead
        never becomes Converted by hand, a catalog needs a real PDF."""
        Catalog = self.env["crm.catalog"]
        emptied = Catalog.create(
            {"name": "To be emptied", "pdf_file": base64.b64encode(PDF)}
        )
        cases = [
            (
                "delete Converted",
                lambda: self.status_converted.unlink(),
                "cannot be deleted",
            ),
            (
                "reopen Lost",
                lambda: self.status_lost.write({"is_open": True}),
                "keeps its role",
            ),
            (
                "Converted by hand",
                lambda: self.lead.write({"lead_status_id": self.status_converted.id}),
                "only through the Convert button",
            ),
            (
                "catalog without PDF",
                lambda: Catalog.create({"name": "Empty catalog"}),
                "needs its PDF",
            ),
            (
                "catalog PDF removed",
                lambda: emptied.write({"pdf_file": False}),
                "needs its PDF",
            ),
            (
                "PNG as a catalog",
                lambda: Catalog.create(
                    {"name": "Picture", "pdf_file": base64.b64encode(PNG)}
                ),
                "not a PDF",
            ),
            (
                "HTML page named .pdf",
                lambda: Catalog.create(
                    {
                        "name": "Page",
                        "pdf_file": base64.b64encode(f"<html>{SCRIPT}".encode()),
                        "pdf_filename": "catalog.pdf",
                    }
                ),
                "not a PDF",
            ),
        ]
        for label, function, pattern in cases:
            with self.subTest(label):
                # A new catalog is refused once inserted, as any constraint.
                strict = label not in (
                    "catalog without PDF",
                    "PNG as a catalog",
                    "HTML page named .pdf",
                )
                self._refused(label, function, pattern, strict=strict)
        self.assertTrue(emptied.pdf_file)

    def test_lead_import(self):
        """X-4, STAT-4: Odoo's importer reports bad rows and imports nothing."""
        # (label, column, bad value, good value): the good row is not imported
        # either, the file being refused as a whole.
        rows = [
            ("status Converted", "lead_status_id", "Converted", "Nurturing"),
            ("unknown status", "lead_status_id", "Nope", "Nurturing"),
            ("score out of range", "lead_score", "9", "2"),
            ("unknown company size", "company_size", "huge", "1_20"),
        ]
        Lead = self.env["crm.lead"].with_context(default_type="lead")
        for label, column, bad, good in rows:
            with self.subTest(label):
                before = self._counts()
                result = Lead.load(
                    ["name", column], [["Imported", bad], ["Fine lead", good]]
                )
                errors = [m for m in result["messages"] if m["type"] == "error"]
                self.assertTrue(errors, label)
                self.assertTrue(errors[0]["message"].strip(), label)
                self.assertFalse(result["ids"], label)
                self.assertEqual(self._counts(), before, label)
                type(self).refused += 1

    # ------------------------------------------------------------------
    # City import: malformed and hostile files
    # ------------------------------------------------------------------

    def test_city_import_bad_files(self):
        """GEO-2: missing, empty, malformed, misencoded, hostile files are refused
        with a clear error, and no state, city or zip is created."""
        not_zip = b"PK\x03\x04 this is no archive"
        corrupted = bytearray(zip_archive({"FR.txt": (FR_LINE + "\n") * 200}))
        corrupted[40:60] = b"\xff" * 20
        cases = [
            ("no file", lambda: self._city_import(False), "Choose the GeoNames file"),
            ("empty file", lambda: self._city_import(b""), "Choose the GeoNames file"),
            ("blank file", lambda: self._city_import(b" \n\n "), "is empty"),
            (
                "CSV columns",
                lambda: self._city_import(b"country,zip,city\nFR,75001,Paris\n"),
                "tab-separated columns",
            ),
            (
                "Latin-1 text",
                lambda: self._city_import(FR_LINE.encode("latin-1")),
                "not UTF-8",
            ),
            (
                "unknown country",
                lambda: self._city_import(FR_LINE.replace("FR", "ZZ", 1).encode()),
                "unknown country code",
            ),
            (
                "empty place",
                lambda: self._city_import(FR_LINE.replace("Paris 01", " ").encode()),
                "place name is empty",
            ),
            (
                "NUL character",
                lambda: self._city_import(
                    FR_LINE.replace("Paris 01", "Par\x00is").encode()
                ),
                "NUL character",
            ),
            (
                "a 5 MB line",
                lambda: self._city_import(b"FR\t" + b"7" * 5_000_000),
                "longer than 4,096 bytes",
            ),
            (
                "a PDF",
                lambda: self._city_import(PDF, "catalog.txt"),
                "columns|UTF-8",
            ),
            (
                "not a zip",
                lambda: self._city_import(not_zip, "FR.zip"),
                "not a valid zip archive",
            ),
            (
                "zip without GeoNames file",
                lambda: self._city_import(
                    zip_archive({"readme.txt": "x", "a.csv": "y"}), "FR.zip"
                ),
                "holds no GeoNames file",
            ),
            (
                "corrupted zip",
                lambda: self._city_import(bytes(corrupted), "FR.zip"),
                "could not be read|not a valid zip",
            ),
            (
                "download without country",
                lambda: (
                    self.env["crm.city.import"]
                    .create({"mode": "download"})
                    .action_import()
                ),
                "Choose the countries",
            ),
            (
                "unknown mode",
                lambda: self.env["crm.city.import"].create({"mode": "ftp"}),
                "Wrong value",
                ValueError,
            ),
        ]
        for label, function, pattern, *exception in cases:
            with self.subTest(label):
                self._refused(label, function, pattern, *exception)

    def test_city_import_zip_bomb(self):
        """GEO-2: an archive announcing an absurd uncompressed size is refused
        before any of it is inflated: a real bomb (the limit lowered to 1 MB for a
        20 MB member) and a forged header announcing 4 GB."""
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("FR.txt", b"\n" * (20 * 1024 * 1024))
        self.assertLess(len(bomb.getvalue()), 100_000)
        forged = bytearray(zip_archive({"FR.txt": FR_LINE + "\n"}))
        header = forged.index(b"PK\x01\x02")  # the central directory
        forged[header + 24 : header + 28] = struct.pack("<I", 0xFFFFFFF0)
        with patch.object(zipfile.ZipFile, "open") as inflate:
            with patch(f"{CITY_IMPORT}.MAX_UNCOMPRESSED_SIZE", 1024 * 1024):
                self._refused(
                    "zip bomb",
                    lambda: self._city_import(bomb.getvalue(), "FR.zip"),
                    r"would expand to 20 MB",
                )
            self._refused(
                "forged 4 GB header",
                lambda: self._city_import(bytes(forged), "FR.zip"),
                r"would expand to 4,095 MB",
            )
            inflate.assert_not_called()

    def test_city_import_download_failures(self):
        """GEO-2: GeoNames answering 404, unreachable or sending too much."""
        france = self.env.ref("base.fr")

        def download():
            # In the background: the job's failure is what the user reads.
            self.env["crm.city.import"].create(
                {"mode": "download", "country_ids": [Command.set(france.ids)]}
            ).action_import()
            job = last_job(self.env)
            run_job(job)
            if job.failed_count:
                raise UserError(job.problem_line_ids.message)

        not_found = MagicMock(status_code=404)
        endless = MagicMock(status_code=200)
        endless.iter_content.return_value = iter([b"x" * 1024] * 3000)
        cases = [
            ("404", {"return_value": not_found}, "has no file"),
            (
                "unreachable",
                {"side_effect": requests.ConnectionError("refused")},
                "Could not download",
            ),
            ("endless download", {"return_value": endless}, "too large"),
        ]
        # 1 MB stands for the 200 MB a download may weigh.
        with patch(f"{CITY_IMPORT}.DOWNLOAD_MAX_SIZE", 1024 * 1024):
            for label, mock, pattern in cases:
                with self.subTest(label), patch(REQUESTS_GET, **mock):
                    self._refused(label, download, pattern)

    # ------------------------------------------------------------------
    # HTML and JavaScript in names and descriptions
    # ------------------------------------------------------------------

    def test_html_sanitized_or_escaped(self):
        """LEAD-4, GEO-4, CONV-5: scripts in a description are removed; HTML in
        names is printed as text on envelopes and in the conversion messages."""
        lead = self.env["crm.lead"].create(
            {
                "name": f"Lead {IMG}",
                "type": "lead",
                "partner_name": f"Evil {SCRIPT} SA",
                "contact_name": f"Eve {IMG}",
                "street": f"1 {SCRIPT} street",
                "city": "Lyon",
                "description": f"<p>Keep me</p>{SCRIPT}<p {IMG[5:-1]}>x</p>",
                "lead_status_id": self.status_sales.id,
            }
        )
        self.assertIn("Keep me", lead.description)
        self.assertNotIn("<script", lead.description)
        self.assertNotIn("onerror", lead.description)
        partner = self.env["res.partner"].create(
            {"name": f"Partner {IMG}", "street": SCRIPT, "city": "Lyon"}
        )
        for report, record in (
            ("crm_prospection.report_lead_envelope", lead),
            ("crm_prospection.report_partner_envelope", partner),
        ):
            content, _type = self.env["ir.actions.report"]._render_qweb_html(
                report, record.ids
            )
            envelope = html.fromstring(content).find_class("o_crm_envelope")[0]
            self.assertFalse(envelope.xpath(".//script | .//img"), report)
            self.assertIn("alert", envelope.text_content(), report)
        convert(lead, create_opportunity=True)
        for record in (lead, lead.converted_partner_id):
            body = record.message_ids[:1].body
            self.assertNotIn("<img", body)
            self.assertIn("&lt;img", body)
        type(self).refused += 3

    @classmethod
    def tearDownClass(cls):
        # The figure docs/reliability.md quotes.
        _logger.info("Bad input: %d inputs refused or escaped", cls.refused)
        super().tearDownClass()
