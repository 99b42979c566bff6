# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
import zipfile
from pathlib import Path
from unittest.mock import MagicMock, patch

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import formatLang

from .common import (
    CITY_IMPORT,
    FR_LINE,
    REQUESTS_GET,
    CrmProspectionCase,
    activate_french,
    last_job,
    run_job,
    zip_archive,
)

# Real GeoNames files, cut to their first 1,000 lines (see the README there).
GEONAMES_DIR = Path(__file__).resolve().parent / "data" / "geonames"


def geonames_slice(country_code, lines):
    """The first ``lines`` lines of the real GeoNames file of a country, as
    bytes (at most the 1,000 lines of the sample)."""
    with zipfile.ZipFile(GEONAMES_DIR / f"{country_code}.zip") as archive:
        with archive.open(f"{country_code}.txt") as source:
            return b"".join(source.readline() for _line in range(lines))


@tagged("post_install", "-at_install")
class TestCityImport(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spain = cls.env.ref("base.es")
        cls.belgium = cls.env.ref("base.be")
        cls.france = cls.env.ref("base.fr")

    def _slice(self, country_code, lines):
        content = geonames_slice(country_code, lines)
        self.assertEqual(len(content.splitlines()), lines, "the sample is shorter")
        return content

    def _wizard(self, content, filename="ES.txt", **values):
        return self.env["crm.city.import"].create(
            {
                "mode": "file",
                "file": base64.b64encode(content),
                "filename": filename,
                **values,
            }
        )

    def _import(self, content, filename="ES.txt", **values):
        return self._wizard(content, filename, **values)._crm_import()

    def _totals(self):
        return (
            self.env["res.country.state"].search_count([]),
            self.env["res.city"].search_count([]),
            self.env["res.city.zip"].search_count([]),
        )

    @staticmethod
    def _pairs(content):
        """Distinct zips (zip, place, province) of GeoNames lines (level 2)."""
        rows = [line.split("\t") for line in content.decode().splitlines()]
        return {(row[1], row[2].lower(), row[6]) for row in rows}

    def test_import_creates_states_cities_zips(self):
        """GEO-1, GEO-2: a slice of the Spanish file creates its cities and zips,
        in Odoo's provinces (second GeoNames level for Spain)."""
        content = self._slice("ES", 300)
        provinces_before = self.spain.state_ids
        counts = self._import(content)
        pairs = self._pairs(content)
        self.assertEqual(counts["lines"], 300)
        self.assertEqual(counts["zips_created"], len(pairs))
        self.assertEqual(counts["skipped"], 300 - len(pairs))
        self.assertEqual(counts["states_created"], 0)
        self.assertEqual(self.spain.state_ids, provinces_before)
        zips = self.env["res.city.zip"].search([("name", "=", "04002")])
        self.assertEqual(sorted(zips.mapped("city_id.name")), ["Almeria", "El Palmer"])
        self.assertEqual(zips.city_id.state_id, self.env.ref("base.state_es_al"))
        self.assertEqual(zips.city_id.country_id, self.spain)

    def test_state_level_per_country(self):
        """GEO-1: the country's GeoNames columns (the OCA's setting) choose the
        state: regions by default, French departments (second level) here."""
        self.assertEqual(
            (
                self.france.geonames_state_name_column,
                self.france.geonames_state_code_column,
            ),
            (5, 6),
        )
        self.assertNotIn("geonames_state_level", self.env["res.country"]._fields)
        self._import(FR_LINE.encode(), "FR.txt")
        city = self.env["res.city.zip"].search([("name", "=", "75001")]).city_id
        self.assertEqual((city.state_id.code, city.state_id.name), ("75", "Paris"))

        self.spain.write(
            {"geonames_state_name_column": 0, "geonames_state_code_column": 0}
        )
        self._import(self._slice("ES", 3))
        city = self.env["res.city"].search(
            [("name", "=", "Almeria"), ("country_id", "=", self.spain.id)]
        )
        self.assertEqual(city.state_id.name, "Andalucia")
        self.assertEqual(city.state_id.code, "AN")

    def test_belgian_provinces_matched_by_code(self):
        """GEO-1: Belgian lines land in Odoo's provinces (codes VAN, VBR…)."""
        content = self._slice("BE", 1000)
        provinces = self.belgium.state_ids
        counts = self._import(content, "BE.txt")
        self.assertEqual(counts["lines"], 1000)
        # Brussels is no province: its GeoNames second level becomes a state.
        self.assertEqual(counts["states_created"], 1)
        used = self.env["res.city"].search([("country_id", "=", self.belgium.id)])
        self.assertEqual(len(used.state_id - provinces), 1)
        # The sample's five Flemish provinces, each found by its code.
        self.assertEqual(
            sorted((used.state_id & provinces).mapped("code")),
            ["VAN", "VBR", "VLI", "VOV", "VWV"],
        )

    def test_reimport_is_idempotent(self):
        """GEO-2: importing the same file again creates nothing."""
        content = self._slice("ES", 300)
        self._import(content)
        totals = self._totals()
        counts = self._import(content)
        self.assertEqual(self._totals(), totals)
        self.assertEqual((counts["states_created"], counts["cities_created"]), (0, 0))
        self.assertEqual((counts["zips_created"], counts["cities_updated"]), (0, 0))
        self.assertEqual(counts["skipped"], 300)

    def test_reimport_updates_and_keeps_partner_city(self):
        """GEO-2: a longer file adds the new lines; a city typed without state is
        completed, not duplicated, and its partner keeps it."""
        self._import(self._slice("ES", 100))
        stateless = self.env["res.city"].create(
            {"name": "Abrucena", "country_id": self.spain.id}
        )
        partner = self.env["res.partner"].create(
            {"name": "Almería customer", "city_id": stateless.id}
        )
        before = self._totals()
        content = self._slice("ES", 400)
        counts = self._import(content)
        self.assertGreater(counts["zips_created"], 0)
        self.assertEqual(counts["cities_updated"], 1)
        self.assertTrue(stateless.exists())
        self.assertEqual(stateless.state_id, self.env.ref("base.state_es_al"))
        self.assertEqual(partner.city_id, stateless)
        self.assertEqual(self._totals()[2], before[2] + counts["zips_created"])
        self.assertEqual(
            self.env["res.city"].search_count(
                [("name", "=", "Abrucena"), ("country_id", "=", self.spain.id)]
            ),
            1,
        )

    def test_zip_archive(self):
        """GEO-2: a GeoNames .zip as GeoNames publishes it (its XX.txt beside a
        readme.txt) is read like the .txt."""
        archive = (GEONAMES_DIR / "BE.zip").read_bytes()
        counts = self._import(archive, "BE.zip")
        self.assertEqual(counts["lines"], 1000)
        content = self._slice("BE", 1000)
        self.assertEqual(counts["zips_created"], len(self._pairs(content)))

    def test_country_filter_in_file_mode(self):
        """GEO-2: with countries chosen, a file's other countries are skipped."""
        content = self._slice("BE", 20) + FR_LINE.encode() + b"\n"
        counts = self._import(content, "mixed.txt", country_ids=self.france.ids)
        self.assertEqual((counts["lines"], counts["zips_created"]), (21, 1))
        self.assertEqual(counts["skipped"], 20)

    def test_bad_files_import_nothing(self):
        """GEO-2: a malformed file is refused with its line, and nothing is
        imported, not even its valid lines."""
        good = self._slice("ES", 200)
        lines = good.splitlines(keepends=True)
        short = b"\t".join(lines[149].split(b"\t")[:11]) + b"\n"
        cases = {
            "line 150: 11 tab-separated columns": b"".join(
                lines[:149] + [short] + lines[150:]
            ),
            "line 120: this is not UTF-8": b"".join(
                lines[:119] + ["ES\t1\tCádiz".encode("latin-1") + b"\n"] + lines[120:]
            ),
            "line 3: unknown country code 'XX'": b"".join(
                lines[:2] + [b"XX" + lines[2][2:]] + lines[3:]
            ),
            "is empty": b"\n",
        }
        before = self._totals()
        for message, content in cases.items():
            with self.subTest(message), self.assertRaisesRegex(UserError, message):
                self._import(content)
            self.assertEqual(self._totals(), before)
        with self.assertRaisesRegex(UserError, "ES.zip is not a valid zip archive"):
            self._import(good, "ES.zip")
        with self.assertRaisesRegex(UserError, "holds no GeoNames file"):
            self._import(zip_archive({"readme.txt": "nothing"}), "ES.zip")
        self.assertEqual(self._totals(), before)

    def _download_response(self, content, status=200):
        response = MagicMock(status_code=status)
        response.iter_content.return_value = [content[:100], content[100:]]
        return response

    def _run_job(self, action):
        """The background job a download queued, run to its end."""
        job = last_job(self.env)
        self.assertEqual(action["params"]["title"], job.name)
        self.assertEqual(job.job_type, "city_import")
        run_job(job)
        return job

    def test_download_mocked(self):
        """GEO-2: download mode fetches each country's archive from the URL of
        the system parameter (no network in tests: mocked), in the background,
        one country a batch."""
        self.env["ir.config_parameter"].set_param(
            "geonames.url", "https://mirror.example.com/zip/%s.zip"
        )
        content = self._slice("BE", 30)
        archive = zip_archive({"BE.txt": content, "readme.txt": "GeoNames"})
        wizard = self.env["crm.city.import"].create(
            {"mode": "download", "country_ids": self.belgium.ids}
        )
        zips_before = self._totals()[2]
        with patch(REQUESTS_GET) as get:
            action = wizard.action_import()
            get.assert_not_called()  # the wizard answers before downloading
            get.return_value = self._download_response(archive)
            job = self._run_job(action)
        self.assertEqual(get.call_args.args[0], "https://mirror.example.com/zip/BE.zip")
        self.assertEqual((job.state, job.done_count), ("done", 1))
        self.assertEqual(job.line_ids.name, "Belgium")
        self.assertIn("30 lines read", job.line_ids.message)
        self.assertEqual(self._totals()[2], zips_before + len(self._pairs(content)))

    def test_download_errors_are_clear(self):
        """GEO-2: network errors and missing files are reported clearly on the
        job, and nothing is imported."""
        before = self._totals()
        failure = requests.ConnectionError("Name or service not known")
        cases = [
            ({"side_effect": failure}, "Could not download .*BE.zip.*internet"),
            (
                {"return_value": self._download_response(b"", 404)},
                "GeoNames has no file for Belgium",
            ),
            (
                {"return_value": self._download_response(b"<html>")},
                "BE.zip is not a valid zip archive",
            ),
        ]
        for mock, pattern in cases:
            with self.subTest(pattern), patch(REQUESTS_GET, **mock):
                action = (
                    self.env["crm.city.import"]
                    .create({"mode": "download", "country_ids": self.belgium.ids})
                    .action_import()
                )
                job = self._run_job(action)
                self.assertEqual((job.state, job.failed_count), ("failed", 1))
                self.assertRegex(job.problem_line_ids.message, pattern)
        self.assertEqual(self._totals(), before)

    def test_large_file_in_background_parts(self):
        """GEO-2: a file of more lines than a hundred times the threshold is
        imported in the background, one part of the file a batch, with the same
        result as at once."""
        content = self._slice("BE", 25)
        self.env.company.crm_batch_threshold = 0
        zips_before = self._totals()[2]
        with patch(f"{CITY_IMPORT}.BACKGROUND_PART", 10):
            action = self._wizard(content, "BE.txt").action_import()
        parts = self.env["ir.attachment"].search([("res_model", "=", "crm.batch.job")])
        self.assertEqual(
            [
                len(zipfile.ZipFile(io.BytesIO(part.raw)).read("BE.txt").splitlines())
                for part in parts.sorted("id")
            ],
            [10, 10, 5],
        )
        # Memory bounded: neither the upload nor its parts indexed as text.
        self.assertFalse(any(parts.mapped("index_content")))
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "crm.city.import")])
        )
        job = self._run_job(action)
        self.assertEqual(
            job.line_ids.mapped("name"),
            [
                f"BE.txt, lines {first} to {last}"
                for first, last in ((1, 10), (11, 20), (21, 25))
            ],
        )
        self.assertEqual((job.state, job.done_count, job.total_count), ("done", 3, 3))
        Attachment = self.env["ir.attachment"]
        self.assertFalse(
            Attachment.search([("res_model", "=", job._name), ("res_id", "=", job.id)]),
            "the parts of the file are removed once imported",
        )
        self.assertEqual(self._totals()[2], zips_before + len(self._pairs(content)))
        self.assertIn("5 lines read", job.line_ids[-1].message)

    def test_small_file_at_once(self):
        """GEO-2: below a hundred times the threshold, a file is imported in the
        request, as before."""
        content = self._slice("BE", 25)
        self.env.company.crm_batch_threshold = 1
        action = self._wizard(content, "BE.txt").action_import()
        self.assertIn("25 lines read", action["params"]["message"])
        self.assertRegex(action["params"]["message"], r"\d+ cities created")
        self.assertFalse(self.env["crm.batch.job"].search([]))

    def test_counts_message_plurals_and_numbers(self):
        """GEO-2 (issue 26): the end message gives the cities created and
        completed, each count with its own plural as the user's language counts
        (French: 0 and 1 are singular, English: 1 only), and numbers as the
        language writes them."""
        counts = {
            "lines": 1000,
            "states_created": 0,
            "cities_created": 1,
            "cities_updated": 2,
            "zips_created": 1000,
            "zips_located": 0,
            "skipped": 1,
        }
        english = self.env["crm.city.import"].with_context(lang="en_US")
        self.assertEqual(
            english._crm_counts_message(counts, 2.14),
            "1,000 lines read in 2.1 s: 0 states created, 1 city created, 2 cities "
            "completed with their state, 1,000 zips created, and 1 line skipped "
            "(already imported or repeated).",
        )
        activate_french(self.env)
        french = english.with_context(lang="fr_FR")
        message = french._crm_counts_message(counts, 2.14)
        self.assertIn(formatLang(french.env, 1000, digits=0), message)
        self.assertIn(formatLang(french.env, 2.14, digits=1), message)
        self.assertNotIn("1,000", message)
        self.assertNotIn("2.1", message)
        # French counts 0 as singular: "0 état créé" (whatever its translation).
        self.assertIn(french.env._("%s state created", "0"), message)
        self.assertIn(french.env._("%s city created", "1"), message)
        self.assertIn(
            french.env._("%s cities completed with their state", "2"), message
        )

    def test_query_count_is_constant(self):
        """GEO-2: the import runs a fixed number of queries, whatever the number
        of lines (no query per line)."""
        small = self._wizard(self._slice("ES", 10))
        large = self._wizard(self._slice("ES", 1000))
        self.env.flush_all()

        def queries(wizard):
            before = self.env.cr.sql_log_count
            counts = wizard._crm_import()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before, counts["lines"]

        self.assertEqual(queries(small)[0], queries(large)[0])
        self.assertEqual(queries(large)[1], 1000)

    def test_only_administrators(self):
        """GEO-2: only settings administrators import cities."""
        with self.assertRaises(AccessError):
            self.env["crm.city.import"].with_user(self.sales_manager).create(
                {"mode": "download"}
            )

    def test_own_importer_beside_the_oca(self):
        """GEO-2: the add-on's import is its own action and menu (CRM ›
        Configuration › Partners › Import Cities, and the button of the list of
        cities); the OCA's "Import from Geonames" keeps its action, form and
        menu, none of them changed by the add-on."""
        action = self.env.ref("crm_prospection.crm_city_import_action")
        self.assertEqual((action.res_model, action.target), ("crm.city.import", "new"))
        menus = self.env["ir.ui.menu"].search(
            [("action", "=", f"ir.actions.act_window,{action.id}")]
        )
        self.assertEqual(menus, self.env.ref("crm_prospection.menu_crm_city_import"))
        self.assertEqual(
            menus.parent_id, self.env.ref("crm_prospection.menu_crm_city").parent_id
        )
        visible = self.env["ir.ui.menu"].with_user(self.sales_manager)
        self.assertNotIn(menus.id, visible._visible_menu_ids())
        arch = self.env["res.city"].get_view(
            self.env.ref("base_address_extended.view_city_tree").id
        )["arch"]
        self.assertIn(f'name="{action.id}"', arch)

        oca_action = self.env.ref(
            "base_location_geonames_import.city_zip_geonames_import_action"
        )
        self.assertEqual(oca_action.res_model, "city.zip.geonames.import")
        self.assertTrue(
            self.env["ir.ui.menu"].search(
                [("action", "=", f"ir.actions.act_window,{oca_action.id}")]
            )
        )
        oca_form = self.env.ref(
            "base_location_geonames_import.city_zip_geonames_import_form"
        )
        self.assertFalse(oca_form.inherit_children_ids)
        oca_fields = self.env["city.zip.geonames.import"]._fields
        self.assertFalse({"mode", "file", "filename"} & set(oca_fields))

    def test_oca_wizard_keeps_its_semantics(self):
        """GEO-2: the OCA's button still does what the OCA promises: it downloads
        the country's file, applies the letter case, refuses a country GeoNames
        does not have, and deletes the zips and cities a full import no longer
        lists."""
        oca_module = "odoo.addons.base_location_geonames_import.wizard.geonames_import"
        content = self._slice("BE", 30)
        archive = zip_archive({"BE.txt": content, "readme.txt": "GeoNames"})
        stale_city = self.env["res.city"].create(
            {"name": "Not in GeoNames", "country_id": self.belgium.id}
        )
        stale_zip = self.env["res.city.zip"].create(
            {"name": "0000", "city_id": stale_city.id}
        )
        wizard = self.env["city.zip.geonames.import"].create(
            {"country_ids": self.belgium.ids, "letter_case": "upper"}
        )
        with patch(f"{oca_module}.requests.get") as get:
            get.return_value = MagicMock(status_code=200, content=archive)
            wizard.run_import()
            self.assertIn("BE.zip", get.call_args.args[0])
            get.return_value = MagicMock(status_code=404, content=b"")
            with self.assertRaises(UserError):
                wizard.run_import()
        cities = self.env["res.city"].search([("country_id", "=", self.belgium.id)])
        self.assertIn("BRUXELLES", cities.mapped("name"))
        self.assertEqual(
            cities.mapped("name"), [name.upper() for name in cities.mapped("name")]
        )
        self.assertFalse(stale_zip.exists(), "the OCA deletes what GeoNames dropped")
        self.assertFalse(stale_city.exists())
        self.assertEqual(
            self.env["res.city.zip"].search_count(
                [("city_id.country_id", "=", self.belgium.id)]
            ),
            len(self._pairs(content)),
        )

    def test_bad_state_columns_are_named(self):
        """GEO-1: a country whose state columns are not GeoNames columns is
        named in a clear error, and nothing is imported."""
        self.spain.geonames_state_code_column = 14
        before = self._totals()
        with self.assertRaisesRegex(
            UserError, "The GeoNames state columns of Spain .* correct them"
        ):
            self._import(self._slice("ES", 5))
        self.assertEqual(self._totals(), before)
