# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Zip bombs and other files that are no GeoNames file, refused while they
stream, before any background job or stored part is created."""

import base64
import tracemalloc
from unittest.mock import MagicMock, patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CITY_IMPORT, REQUESTS_GET, CrmProspectionCase, run_job, zip_archive
from .test_city_import import geonames_slice


@tagged("post_install", "-at_install")
class TestCityImportLimits(CrmProspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Any file beyond a line goes to the background: what is refused here
        # is refused before the job would be queued.
        cls.env.company.crm_batch_threshold = 0

    def _import(self, content, filename="BE.zip"):
        return (
            self.env["crm.city.import"]
            .create(
                {
                    "mode": "file",
                    "file": base64.b64encode(content),
                    "filename": filename,
                }
            )
            .action_import()
        )

    def _written(self):
        """What an import may leave behind: jobs, their stored parts, places."""
        return (
            self.env["crm.batch.job"].search_count([]),
            self.env["ir.attachment"].search_count(
                [("res_model", "in", ("crm.batch.job", "crm.city.import"))]
            ),
            self.env["res.city.zip"].search_count([]),
        )

    def _assert_refused(self, content, pattern, filename="BE.zip"):
        """Refused with a message matching ``pattern``; nothing queued, stored
        or imported; returns the peak of the memory Python allocated meanwhile
        (bytes)."""
        before = self._written()
        tracemalloc.start()
        try:
            with self.assertRaisesRegex(UserError, pattern):
                self._import(content, filename)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertEqual(self._written(), before, "something was queued or written")
        return peak

    def test_bomb_of_zeros(self):
        """GEO-2 (issue 25): 64 MB of zeros in a 64 kB zip, one endless line:
        refused on its first line, of which 4 kB are read, in bounded memory."""
        bomb = zip_archive({"BE.txt": b"0" * (64 * 1024 * 1024)})
        self.assertLess(len(bomb), 100_000)
        peak = self._assert_refused(
            bomb, r"BE.zip/BE.txt, line 1: the line is longer than 4,096 bytes"
        )
        self.assertLess(peak, 8 * 1024 * 1024, "the bomb was inflated in memory")

    def test_bomb_of_newlines(self):
        """GEO-2 (issue 25): 20 MB of newlines in a 20 kB zip: refused after the
        first thousand empty lines, not after millions; no job, no part."""
        bomb = zip_archive({"BE.txt": b"\n" * (20 * 1024 * 1024)})
        self.assertLess(len(bomb), 50_000)
        peak = self._assert_refused(
            bomb, r"line 1,001: more than 1,000 empty lines: this is not a GeoNames"
        )
        self.assertLess(peak, 8 * 1024 * 1024)

    def test_too_many_lines(self):
        """GEO-2 (issue 25): a file of valid lines beyond the line limit (here
        lowered to 50) is refused as it streams, before anything is queued."""
        content = geonames_slice("BE", 60)
        with patch(f"{CITY_IMPORT}.MAX_LINES", 50):
            self._assert_refused(
                zip_archive({"BE.txt": content}),
                r"line 51: the file goes beyond 50 lines, far more than any GeoNames",
            )
            self._assert_refused(content, r"line 51: .* beyond 50 lines", "BE.txt")

    def test_too_large(self):
        """GEO-2 (issue 25): a file expanding beyond the size limit (here lowered
        to 1 MB), whatever its zip announces, is refused as it streams."""
        content = geonames_slice("BE", 1000) * 15  # 1.2 MB of valid lines
        with patch(f"{CITY_IMPORT}.MAX_UNCOMPRESSED_SIZE", 1024 * 1024):
            self._assert_refused(
                content, r"the file goes beyond 1 MB, far more than any", "BE.txt"
            )

    def test_malformed_line_refused_before_queueing(self):
        """GEO-2 (issue 25): a file big enough for the background with a line
        that is no GeoNames line is refused at once, with its line number."""
        lines = geonames_slice("BE", 25).splitlines(keepends=True)
        lines[22] = b"BE\t1000\tBruxelles\n"
        with patch(f"{CITY_IMPORT}.BACKGROUND_PART", 10):
            self._assert_refused(
                b"".join(lines),
                r"BE.txt, line 23: 3 tab-separated columns instead of the 12",
                "BE.txt",
            )

    def test_bad_line_deep_in_a_large_file(self):
        """GEO-2 (issue 25): the whole file is checked a block at a time before
        it is queued; a bad line deep in it is still named exactly."""
        lines = geonames_slice("BE", 1000).splitlines(keepends=True) * 5
        lines[3999] = "BE\t1000\tBruxelles Liège".encode("latin-1") + lines[3999][15:]
        self.assertGreater(len(b"".join(lines[:3999])), 256 * 1024, "past a block")
        self._assert_refused(
            zip_archive({"BE.txt": b"".join(lines)}),
            r"BE.zip/BE.txt, line 4,000: this is not UTF-8 text",
        )

    def test_downloaded_bomb_fails_its_part(self):
        """GEO-2 (issue 25): a downloaded archive is checked the same way while
        it streams: the job's line fails with the reason, nothing is imported."""
        bomb = zip_archive({"BE.txt": b"\n" * (2 * 1024 * 1024)})
        response = MagicMock(status_code=200)
        response.iter_content.return_value = [bomb]
        zips = self.env["res.city.zip"].search_count([])
        with patch(REQUESTS_GET, return_value=response):
            self.env["crm.city.import"].create(
                {"mode": "download", "country_ids": self.env.ref("base.be").ids}
            ).action_import()
            job = self.env["crm.batch.job"].search([], order="id desc", limit=1)
            run_job(job)
        self.assertEqual((job.state, job.failed_count), ("failed", 1))
        self.assertIn("more than 1,000 empty lines", job.problem_line_ids.message)
        self.assertEqual(self.env["res.city.zip"].search_count([]), zips)

    def test_valid_file_still_goes_to_the_background(self):
        """GEO-2: a valid file of more lines than the company's limit is still
        queued, in parts, once it is read whole."""
        content = geonames_slice("BE", 25)
        with patch(f"{CITY_IMPORT}.BACKGROUND_PART", 10):
            self._import(zip_archive({"BE.txt": content}))
        job = self.env["crm.batch.job"].search([], order="id desc", limit=1)
        self.assertEqual((job.job_type, job.total_count), ("city_import", 3))
        self.assertEqual(
            job.line_ids.mapped("name"),
            [
                "BE.zip/BE.txt, lines 1 to 10",
                "BE.zip/BE.txt, lines 11 to 20",
                "BE.zip/BE.txt, lines 21 to 25",
            ],
        )
