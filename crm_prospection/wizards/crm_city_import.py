# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The add-on's GeoNames import, set-based (GEO-1, GEO-2).

Its own wizard beside the OCA's (``base_location_geonames_import``, whose
button, download and deletions stay the OCA's): it reads the OCA's per-country
state columns and download address, and imports a download or an uploaded
file. The lines are validated while they stream into a temporary table
through one ``COPY``, then states, cities and zips are matched and created by
a handful of set-based statements, whatever the size of the file. Nothing is
written when a line is refused: the whole import runs in a savepoint. Nothing
is deleted either: a city or zip missing from a new file may still be in
partners' and leads' addresses.
"""

import base64
import io
import logging
import tempfile
import time
import zipfile
import zlib

import psycopg2
import requests

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.i18n import format_list
from odoo.tools.misc import babel_locale_parse, formatLang, get_lang

_logger = logging.getLogger(__name__)

COLUMNS = 12  # GeoNames postal-code files: see the wizard's help
URL_PARAMETER = "geonames.url"  # the OCA's system parameter
DEFAULT_URL = "https://download.geonames.org/export/zip/%s.zip"
# The OCA's default columns of the state: GeoNames' first level.
STATE_NAME_COLUMN = 3
STATE_CODE_COLUMN = 4
# Where the place is: GeoNames' latitude and longitude columns (GEO-3).
LATITUDE_COLUMN = 9
LONGITUDE_COLUMN = 10
DOWNLOAD_TIMEOUT = (10, 120)  # seconds to connect, seconds between two packets
DOWNLOAD_MAX_SIZE = 200 * 1024 * 1024
PROGRESS_EVERY = 10000  # lines between two progress messages in the log
# A file of more lines than this factor times the company's background threshold
# is imported in the background, in parts of this many lines.
BACKGROUND_FACTOR = 100
BACKGROUND_PART = 100_000
# Hostile files (zip bombs): a GeoNames line is about 80 bytes, and the whole
# world's file (allCountries.txt) 1.5 million lines, about 130 MB once unzipped.
# An archive announcing more than MAX_UNCOMPRESSED_SIZE is refused before
# anything is inflated (zipfile never inflates a member beyond its announced
# size); while a file streams, a line is never read beyond MAX_LINE_BYTES, and
# the file is refused as soon as it goes beyond these limits (FileGuard).
MAX_LINE_BYTES = 4096
MAX_UNCOMPRESSED_SIZE = 512 * 1024 * 1024
MAX_LINES = 3_000_000
# GeoNames files have no empty line: a few (a trailing one, an edited file) are
# skipped, a file of them is no GeoNames file.
MAX_BLANK_LINES = 1000
# A file is checked whole before it is queued, a block at a time: its lines are
# looked at one by one only in a block that fails a check of the whole block.
SCAN_BLOCK = 256 * 1024
LOCK_KEY = 7_120_342_019  # advisory lock: one city import at a time
DATE_PARAMETER = "crm_prospection.city_import_date"  # when the last import ran


def _number(env, value, digits=0):
    """A number as the user's language writes it (1,000 / 1 000)."""
    return formatLang(env, value, digits=digits)


def _plural(env, count, one, other):
    """``one`` or ``other`` (both translated already), as the plural rule of
    the user's language picks for ``count``: Odoo's ``_()`` has no plural
    forms, babel knows each language's rule (French: 0 and 1 are singular,
    English: 1 only)."""
    locale = babel_locale_parse(get_lang(env).code)
    return one if locale.plural_form(count) == "one" else other


class Refused(Exception):  # noqa: N818 - a refused file, not an error of the code
    """A file refused at a line. Its message is built by ``error()`` once the
    ``COPY`` reading the file is over: no query may run during a ``COPY``, and
    translating or formatting a number may read the database."""

    def __init__(self, env, source, line, reason):
        super().__init__(source, line)
        self.env, self.source, self.line, self.reason = env, source, line, reason

    def error(self):
        """The translated ``UserError``; ``reason`` is called for its text."""
        return UserError(
            self.env._(
                "%(file)s, line %(line)s: %(reason)s Nothing was imported.",
                file=self.source,
                line=_number(self.env, self.line),
                reason=self.reason(),
            )
        )


class FileGuard:
    """The lines of a GeoNames text as it streams, each refused at once when it
    cannot be GeoNames': a line longer than ``MAX_LINE_BYTES`` (never read
    further), not UTF-8, holding a NUL, without the 12 tab-separated columns;
    or the file beyond ``MAX_LINES`` lines, ``MAX_UNCOMPRESSED_SIZE`` bytes or
    ``MAX_BLANK_LINES`` empty lines. Only a line at a time is in memory.

    A part of a file (a background import's batch) numbers its lines from
    ``first_line``, as in the whole file.
    """

    def __init__(self, env, source, stream, first_line=0):
        self.env = env
        self.source = source
        self.stream = stream
        self.first_line = first_line
        self.line_number = first_line
        self.size = 0
        self.blank = 0

    def __iter__(self):
        try:
            while raw := self.stream.readline(MAX_LINE_BYTES + 1):
                self.line_number += 1
                self._check(raw)
                yield raw
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            env, cause = self.env, str(error)
            self.line_number -= 1  # the last line read whole
            self._refuse(lambda: env._("the file could not be read further: %s", cause))

    def _refuse(self, reason):
        """Stop at this line; ``reason()`` says why (see Refused)."""
        raise Refused(self.env, self.source, self.line_number, reason)

    def scan(self):
        """Check the whole stream as ``__iter__`` does, but a block of lines at
        a time with bytes' own C methods (a line-by-line loop would give a bomb
        of 3 million valid lines a minute of the server's time); returns the
        number of lines. Only a block failing a check is looked at line by
        line, which refuses the right line with its reason."""
        rest = b""
        try:
            while True:
                block = self.stream.read(SCAN_BLOCK)
                data = rest + block
                if not block:
                    if not data:
                        return self.line_number - self.first_line
                    data, rest = data + b"\n", b""  # the last line, unended
                else:
                    cut = data.rfind(b"\n") + 1
                    data, rest = data[:cut], data[cut:]
                self._scan_block(data)
                if len(rest) > MAX_LINE_BYTES:
                    # A line still unended: no need to read more of it.
                    self.line_number += 1
                    self._check(rest[: MAX_LINE_BYTES + 1])
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            env, cause = self.env, str(error)
            self._refuse(lambda: env._("the file could not be read further: %s", cause))

    def _scan_block(self, data):
        """Check ``data``, whole lines ending with a newline."""
        lines = data.split(b"\n")
        lines.pop()  # what follows the last newline: nothing
        blank = lines.count(b"") + lines.count(b"\r")
        whole_ok = (
            max(map(len, lines), default=0) + 1 <= MAX_LINE_BYTES
            and self.size + len(data) <= MAX_UNCOMPRESSED_SIZE
            and self.line_number - self.first_line + len(lines) <= MAX_LINES
            and self.blank + blank <= MAX_BLANK_LINES
            and b"\x00" not in data
            and data.count(b"\t") == (COLUMNS - 1) * (len(lines) - blank)
        )
        if whole_ok:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                whole_ok = False
        if whole_ok:
            self.line_number += len(lines)
            self.size += len(data)
            self.blank += blank
            return
        for line in lines:
            self.line_number += 1
            self._check(line + b"\n")

    def _check(self, raw):
        env = self.env
        self.size += len(raw)
        if len(raw) > MAX_LINE_BYTES:
            self._refuse(
                lambda: env._(
                    "the line is longer than %s bytes: this is not a GeoNames "
                    "postal-code file.",
                    _number(env, MAX_LINE_BYTES),
                )
            )
        if self.size > MAX_UNCOMPRESSED_SIZE:
            self._refuse(
                lambda: env._(
                    "the file goes beyond %s MB, far more than any GeoNames file.",
                    _number(env, MAX_UNCOMPRESSED_SIZE // (1024 * 1024)),
                )
            )
        if self.line_number - self.first_line > MAX_LINES:
            self._refuse(
                lambda: env._(
                    "the file goes beyond %s lines, far more than any GeoNames file.",
                    _number(env, MAX_LINES),
                )
            )
        if not raw.strip():
            self.blank += 1
            if self.blank > MAX_BLANK_LINES:
                self._refuse(
                    lambda: env._(
                        "more than %s empty lines: this is not a GeoNames "
                        "postal-code file.",
                        _number(env, MAX_BLANK_LINES),
                    )
                )
            return
        if b"\x00" in raw:
            self._refuse(
                lambda: env._(
                    "the line holds a NUL character; GeoNames files are text."
                )
            )
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            self._refuse(
                lambda: env._("this is not UTF-8 text; GeoNames files are UTF-8.")
            )
        columns = raw.count(b"\t") + 1
        if columns != COLUMNS:
            self._refuse(
                lambda: env._(
                    "%(found)s tab-separated columns instead of the %(expected)s of "
                    "a GeoNames postal-code file.",
                    found=_number(env, columns),
                    expected=COLUMNS,
                )
            )


class GeonamesRows:
    """File-like object read by ``COPY``: GeoNames lines in, checked rows out.

    A refused line ends the stream and is kept in ``error``: the caller raises it
    once ``COPY`` is over (an exception raised inside ``COPY`` would lose it).
    """

    def __init__(self, wizard, source, lines, countries, allowed, first_line=0):
        self.env = wizard.env
        self.wizard = wizard
        self.source = source
        self.lines = FileGuard(wizard.env, source, lines, first_line)
        self.countries = countries  # code -> country
        self.country_ids = {code: country.id for code, country in countries.items()}
        self.state_columns = {}  # code -> (state name, state code) columns
        self.allowed = allowed  # country ids to import, all when empty
        self.first_line = first_line
        # A part of a file (a background import's batch) numbers its lines as
        # in the whole file.
        self.line_number = first_line
        self.copied = 0
        self.skipped = 0
        self.error = None

    def read(self, size=65536):  # pylint: disable=method-required-super
        if self.error:
            return ""
        chunk = []
        length = 0
        try:
            for raw in self.lines:
                self.line_number += 1
                row = self._row(raw)
                if row is None:
                    continue
                chunk.append(row)
                length += len(row)
                if self.line_number % PROGRESS_EVERY == 0:
                    _logger.info(
                        "City import: %s, %d lines read", self.source, self.line_number
                    )
                if length >= size:
                    break
        except (Refused, UserError) as error:
            self.error = error
            return ""
        return "".join(chunk)

    readline = read

    def _refuse(self, reason):
        """Stop at this line; ``reason()`` says why (see Refused)."""
        raise Refused(self.env, self.source, self.line_number, reason)

    def _row(self, raw):
        """The COPY line of a GeoNames line, ``None`` to skip it (its shape
        is checked already: FileGuard)."""
        text = raw.decode("utf-8")
        if self.line_number == self.first_line + 1:
            text = text.lstrip("\ufeff")
        text = text.rstrip("\r\n")
        if not text.strip():
            self.skipped += 1
            return None
        columns = text.split("\t")
        code = columns[0].strip().upper()
        if code not in self.country_ids:
            self._refuse(lambda: self.env._("unknown country code '%s'.", columns[0]))
        country_id = self.country_ids[code]
        if self.allowed and country_id not in self.allowed:
            self.skipped += 1
            return None
        zip_code, city = columns[1].strip(), columns[2].strip()
        if not zip_code or not city:
            self._refuse(
                lambda: self.env._("the postal code or the place name is empty.")
            )
        if code not in self.state_columns:
            self.state_columns[code] = self.wizard._crm_state_columns(
                self.countries[code]
            )
        name_column, code_column = self.state_columns[code]
        latitude, longitude = self._coordinates(columns)
        # GEO-1: where the states are a lower level (French départements),
        # GeoNames' first level is their region.
        region = (STATE_CODE_COLUMN, STATE_NAME_COLUMN) != (code_column, name_column)
        self.copied += 1
        values = (
            zip_code,
            city,
            columns[code_column].strip(),
            columns[name_column].strip(),
            columns[STATE_CODE_COLUMN].strip() if region else "",
            columns[STATE_NAME_COLUMN].strip() if region else "",
        )
        escaped = "\t".join(
            value.replace("\\", "\\\\").replace("\r", "\\r") for value in values
        )
        return f"{self.line_number}\t{country_id}\t{escaped}\t{latitude}\t{longitude}\n"

    def _coordinates(self, columns):
        """The line's latitude and longitude as COPY reads them (``\\N`` when
        the line has none)."""
        texts = (columns[LATITUDE_COLUMN].strip(), columns[LONGITUDE_COLUMN].strip())
        if not any(texts):
            return "\\N", "\\N"
        try:
            latitude, longitude = (float(text) for text in texts)
        except ValueError:
            latitude = longitude = None
        if (
            latitude is None
            or not -90 <= latitude <= 90
            or not -180 <= longitude <= 180
        ):
            self._refuse(
                lambda: self.env._(
                    "'%(latitude)s, %(longitude)s' are not a latitude and a longitude.",
                    latitude=texts[0],
                    longitude=texts[1],
                )
            )
        return repr(latitude), repr(longitude)


def _zipped(name, lines):
    """A part of a file as a zip archive of its own: a fifth of its size, and
    stored as a file rather than indexed as text."""
    member = name.rsplit("/", 1)[-1]
    if not member.lower().endswith(".txt"):
        member += ".txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, b"\n".join(lines) + b"\n")
    return buffer.getvalue()


class CrmCityImport(models.TransientModel):
    """Import cities: GeoNames' postal-code files, downloaded or uploaded,
    imported set-based (GEO-1, GEO-2)."""

    _name = "crm.city.import"
    _description = "Import cities from GeoNames"
    _inherit = ["crm.batch.job.mixin"]
    # A country or a part of a file per batch; the file is kept as the parts.
    _batch_job_type = "city_import"
    _batch_job_size = 1
    _batch_job_excluded_fields = ("file",)

    mode = fields.Selection(
        [("download", "Download from GeoNames"), ("file", "Upload a file")],
        default="download",
        required=True,
    )
    country_ids = fields.Many2many(
        "res.country",
        string="Countries",
        help="Download mode: the countries to download. File mode: only these "
        "countries of the file are imported (all of them when empty).",
    )
    # In the wizard's own table, as Odoo's import wizard keeps its file: an
    # attachment would index the text of the whole file.
    file = fields.Binary(
        attachment=False,
        help="A GeoNames postal-code file, .txt or .zip, as published on "
        "https://download.geonames.org/export/zip/",
    )
    filename = fields.Char()

    def action_import(self):
        """Import, then tell what was done in a notification.

        :return: a ``display_notification`` client action; its message gives the
          counts of created, updated and skipped records, also logged.
        """
        self.ensure_one()
        parts = self._crm_background_parts()
        if parts:
            return self._batch_job_queue(parts)
        started = time.monotonic()
        counts = self._crm_import()
        message = self._crm_counts_message(counts, time.monotonic() - started)
        _logger.info("City import done: %s", message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Cities imported"),
                "message": message,
                "type": "success",
                "sticky": True,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _crm_counts_message(self, counts, duration=None):
        """What the import did, in the user's language: each count with its
        own plural (French: 0 and 1 are singular) and written as the language
        writes numbers."""
        env = self.env
        read = _number(env, counts["lines"])
        lines = _plural(
            env,
            counts["lines"],
            env._("%s line read", read),
            env._("%s lines read", read),
        )
        if duration is not None:
            lines = env._(
                "%(lines)s in %(duration)s s",
                lines=lines,
                duration=_number(env, duration, digits=1),
            )
        return env._(
            "%(lines)s: %(details)s.",
            lines=lines,
            details=format_list(env, self._crm_counts_details(counts)),
        )

    def _crm_counts_details(self, counts):
        """The counts of what was created, located and skipped, each with its
        own plural, for the import's message."""
        env = self.env
        n = {key: _number(env, value) for key, value in counts.items()}

        def plural(key, one, other):
            return _plural(env, counts[key], one, other)

        details = [
            plural(
                "states_created",
                env._("%s state created", n["states_created"]),
                env._("%s states created", n["states_created"]),
            ),
            plural(
                "cities_created",
                env._("%s city created", n["cities_created"]),
                env._("%s cities created", n["cities_created"]),
            ),
            plural(
                "cities_updated",
                env._("%s city completed with its state", n["cities_updated"]),
                env._("%s cities completed with their state", n["cities_updated"]),
            ),
            plural(
                "zips_created",
                env._("%s zip created", n["zips_created"]),
                env._("%s zips created", n["zips_created"]),
            ),
        ]
        if counts.get("zips_located"):
            details.append(
                plural(
                    "zips_located",
                    env._("%s zip located", n["zips_located"]),
                    env._("%s zips located", n["zips_located"]),
                )
            )
        details.append(
            plural(
                "skipped",
                env._("%s line skipped (already imported or repeated)", n["skipped"]),
                env._("%s lines skipped (already imported or repeated)", n["skipped"]),
            )
        )
        return details

    # ------------------------------------------------------------------
    # In the background (crm.batch.job)
    # ------------------------------------------------------------------

    def _crm_background_parts(self):
        """The parts of a background import, one batch each, or none when the
        import runs at once: a download runs in the background country by
        country; a file, in parts of ``BACKGROUND_PART`` lines (each kept as its
        own file: a batch reads its part only), when it holds more than a
        hundred times the company's threshold.

        The whole file is read here first, its shape checked (FileGuard.scan)
        before anything is queued: a zip bomb or a file that is no GeoNames file
        is refused at once, and no job or part is created. Memory holds a block
        of the file then, and a part of raw lines at most while the parts are
        made, the parts before it zipped (a fifth of their size)."""
        if self.mode == "download":
            if not self.country_ids:
                raise UserError(self.env._("Choose the countries to download."))
            return [
                {"name": country.name, "country_id": country.id}
                for country in self.country_ids
            ]
        limit = BACKGROUND_FACTOR * self.env.company.crm_batch_threshold
        total = 0
        try:
            for name, stream in self._crm_sources():
                total += FileGuard(self.env, name, stream).scan()
        except Refused as refused:
            raise refused.error() from None
        if total <= limit:
            return []
        # Valid and large: read again, in parts, each zipped as it is read.
        return [self._crm_part_values(*part) for part in self._crm_file_parts()]

    def _crm_file_parts(self):
        """``(file name, first line number, lines)`` of each part of the files
        to import, read when asked for."""
        for name, stream in self._crm_sources():
            for first_line, lines in self._crm_split(name, stream):
                yield name, first_line, lines

    def _crm_part_values(self, name, first_line, lines):
        """A part as the job keeps it: zipped (only a file imported in the
        background is zipped, by part)."""
        return {
            "name": self.env._(
                "%(file)s, lines %(first)s to %(last)s",
                file=name,
                first=_number(self.env, first_line + 1),
                last=_number(self.env, first_line + len(lines)),
            ),
            "first_line": first_line,
            "data": _zipped(name, lines),
        }

    def _crm_split(self, name, stream):
        """``(first line number, lines without their newline)`` of each part of
        a file whose shape was checked already (FileGuard.scan), read a block
        at a time."""
        first_line, lines, rest = 0, [], b""
        while True:
            block = stream.read(SCAN_BLOCK)
            data = rest + block
            if block:
                cut = data.rfind(b"\n") + 1
                data, rest = data[:cut], data[cut:]
            chunk = data.split(b"\n")
            if chunk[-1] == b"":
                chunk.pop()
            while chunk:
                room = BACKGROUND_PART - len(lines)
                lines.extend(chunk[:room])
                chunk = chunk[room:]
                if len(lines) == BACKGROUND_PART:
                    yield first_line, lines
                    first_line, lines = first_line + len(lines), []
            if not block:
                break
        if lines:
            yield first_line, lines

    def _crm_describe(self):
        if self.mode == "download":
            return self.env._(
                "Download from GeoNames: %s", ", ".join(self.country_ids.mapped("name"))
            )
        return self.env._("File %s", self.filename or "")

    def _batch_job_describe(self):
        return self._crm_describe()

    def _batch_job_apply(self, lines):
        """Import the part of each line (one a batch): a country to download, or
        a part of a file; its counts become the line's message."""
        problems = {}
        for line in lines:
            part = line.snapshot
            if part.get("country_id"):
                self.country_ids = self.env["res.country"].browse(part["country_id"])
                counts = self._crm_import()
            else:
                attachment = (
                    self.env["ir.attachment"].sudo().browse(part["attachment_id"])
                )
                self.file = attachment.datas
                counts = self._crm_import(first_line=part["first_line"])
            problems[line] = ("done", self._crm_counts_message(counts))
        return problems

    # ------------------------------------------------------------------
    # Sources
    # ------------------------------------------------------------------

    def _crm_sources(self):
        """Yield ``(name, binary stream of lines)`` for each file to import."""
        if self.mode == "download":
            if not self.country_ids:
                raise UserError(self.env._("Choose the countries to download."))
            for country in self.country_ids:
                archive = self._crm_download(country)
                yield from self._crm_archive_members(
                    archive, f"{country.code}.zip", f"{country.code}.txt"
                )
            return
        content = self.with_context(bin_size=False).file
        if not content:
            raise UserError(self.env._("Choose the GeoNames file to import."))
        data = base64.b64decode(content)
        name = self.filename or "file"
        if not data or data.isspace():  # no copy of the file to know it
            raise UserError(self.env._("The file %s is empty.", name))
        if data.startswith(b"PK") or name.lower().endswith(".zip"):
            yield from self._crm_archive_members(io.BytesIO(data), name)
        else:
            yield name, io.BytesIO(data)

    def _crm_archive_members(self, archive, name, member=None):
        try:
            zip_file = zipfile.ZipFile(archive)
        except zipfile.BadZipFile as error:
            raise UserError(
                self.env._("%s is not a valid zip archive.", name)
            ) from error
        if member:
            members = [member] if member in zip_file.namelist() else []
        else:
            members = [
                info.filename
                for info in zip_file.infolist()
                if info.filename.lower().endswith(".txt")
                and info.filename.lower().rsplit("/", 1)[-1] != "readme.txt"
            ]
        if not members:
            raise UserError(
                self.env._(
                    "The archive %(archive)s holds no GeoNames file (%(member)s).",
                    archive=name,
                    member=member or "XX.txt",
                )
            )
        size = sum(zip_file.getinfo(member_name).file_size for member_name in members)
        if size > MAX_UNCOMPRESSED_SIZE:
            raise UserError(
                self.env._(
                    "The archive %(archive)s would expand to %(size)s MB, far more "
                    "than any GeoNames file (at most %(limit)s MB): it is refused.",
                    archive=name,
                    size=_number(self.env, size // (1024 * 1024)),
                    limit=_number(self.env, MAX_UNCOMPRESSED_SIZE // (1024 * 1024)),
                )
            )
        with zip_file:
            for member_name in members:
                with zip_file.open(member_name) as stream:
                    yield f"{name}/{member_name}", stream

    def _crm_download(self, country):
        """The GeoNames archive of a country, in a temporary file."""
        url_pattern = (
            self.env["ir.config_parameter"].sudo().get_param(URL_PARAMETER)
            or DEFAULT_URL
        )
        url = url_pattern % country.code
        _logger.info("City import: downloading %s", url)
        archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        try:
            response = requests.get(url, timeout=DOWNLOAD_TIMEOUT, stream=True)
            try:
                if response.status_code != 200:
                    raise UserError(
                        self.env._(
                            "GeoNames has no file for %(country)s: %(url)s answered "
                            "%(status)s.",
                            country=country.name,
                            url=url,
                            status=response.status_code,
                        )
                    )
                size = 0
                for chunk in response.iter_content(chunk_size=1024 * 1024):
                    size += len(chunk)
                    if size > DOWNLOAD_MAX_SIZE:
                        raise UserError(
                            self.env._("%s is too large to be a GeoNames file.", url)
                        )
                    archive.write(chunk)
            finally:
                response.close()
        except requests.RequestException as error:
            raise UserError(
                self.env._(
                    "Could not download %(url)s: %(error)s. Check that this server "
                    "can reach the internet, or download the file yourself and "
                    "import it with 'Upload a file'.",
                    url=url,
                    error=error,
                )
            ) from error
        archive.seek(0)
        return archive

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def _crm_check_rights(self):
        """The statements below bypass the ORM: check its rights first."""
        for model in ("crm.region", "res.country.state", "res.city", "res.city.zip"):
            self.env[model].check_access("create")
        for model in ("res.country.state", "res.city", "res.city.zip"):
            self.env[model].check_access("write")

    def _crm_import(self, first_line=0):
        """Import every source in one savepoint; return the counts. The lines of
        a part of a file are numbered from ``first_line``."""
        self._crm_check_rights()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        if not cr.fetchone()[0]:
            raise UserError(
                self.env._("Another city import is running: try again when it is done.")
            )
        self._crm_stamp_import()
        Country = self.env["res.country"].with_context(active_test=False)
        state_columns = ["geonames_state_name_column", "geonames_state_code_column"]
        countries = Country.search_fetch([], ["name", "code", *state_columns])
        codes = {country.code.upper(): country for country in countries}
        allowed = set(self.country_ids.ids) if self.mode == "file" else set()
        lines = skipped = copied = 0
        with cr.savepoint(flush=False):
            cr.execute("DROP TABLE IF EXISTS crm_city_import_row")
            cr.execute(
                """CREATE TEMPORARY TABLE crm_city_import_row (
                    line integer, country_id integer, zip varchar, city varchar,
                    state_code varchar, state_name varchar, state_id integer,
                    city_id integer, region_code varchar, region_name varchar,
                    latitude double precision, longitude double precision)"""
            )
            for name, stream in self._crm_sources():
                rows = GeonamesRows(self, name, stream, codes, allowed, first_line)
                self._crm_copy(rows)
                if isinstance(rows.error, Refused):
                    raise rows.error.error()
                if rows.error:
                    raise rows.error
                _logger.info("City import: %s, %d lines read", name, rows.line_number)
                lines += rows.line_number - first_line
                skipped += rows.skipped
                copied += rows.copied
            if not copied and not skipped:
                raise UserError(self.env._("The file holds no GeoNames line."))
            counts = self._crm_upsert()
            cr.execute("DROP TABLE crm_city_import_row")
        for model in ("crm.region", "res.country.state", "res.city", "res.city.zip"):
            self.env[model].invalidate_model()
        counts.update(lines=lines, skipped=lines - counts["zips_created"])
        return counts

    def _crm_state_columns(self, country):
        """The columns of the country's state name and code (GEO-1): its GeoNames
        settings, else GeoNames' first level, as the OCA's import reads them."""
        name_column = country.geonames_state_name_column or STATE_NAME_COLUMN
        code_column = country.geonames_state_code_column or STATE_CODE_COLUMN
        if not all(0 < column < COLUMNS for column in (name_column, code_column)):
            raise UserError(
                self.env._(
                    "The GeoNames state columns of %(country)s (%(name)d, %(code)d) "
                    "are not columns of a GeoNames postal-code file (1 to "
                    "%(last)d): correct them on the country.",
                    country=country.name,
                    name=name_column,
                    code=code_column,
                    last=COLUMNS - 1,
                )
            )
        return name_column, code_column

    def _crm_stamp_import(self):
        """Write down the date of this import, and so make sure that this
        transaction sees every import committed before it.

        The lock is ours, but this transaction's snapshot may predate an import
        committed while it waited: it would not see that import's cities and
        would create them again. Such a transaction fails here (the parameter was
        written after its snapshot: a serialization failure, which Odoo retries
        with a fresh snapshot) instead.
        """
        now = self.env.cr.now()
        self.env.cr.execute(
            """
            INSERT INTO ir_config_parameter
                   (key, value, create_uid, create_date, write_uid, write_date)
            VALUES (%(key)s, %(value)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
            ON CONFLICT (key) DO UPDATE
               SET value = EXCLUDED.value, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date
            """,
            {
                "key": DATE_PARAMETER,
                "value": fields.Datetime.to_string(now),
                "uid": self.env.uid,
                "now": now,
            },
        )
        self.env["ir.config_parameter"].invalidate_model()

    def _crm_copy(self, rows):
        # Like the ORM's own COPY (ir.model.data), without gevent's wait callback.
        callback = psycopg2.extensions.get_wait_callback()
        psycopg2.extensions.set_wait_callback(None)
        try:
            self.env.cr.copy_expert(
                "COPY crm_city_import_row (line, country_id, zip, city, state_code, "
                "state_name, region_code, region_name, latitude, longitude) FROM STDIN",
                rows,
                size=65536,
            )
        finally:
            psycopg2.extensions.set_wait_callback(callback)

    def _crm_upsert_regions(self, params):
        """GEO-1: the regions of the file, matched by code (created when
        missing), and each state of the file linked to its region."""
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO crm_region
                   (country_id, code, name, create_uid, create_date, write_uid,
                    write_date)
            SELECT DISTINCT ON (r.country_id, upper(r.region_code))
                   r.country_id, r.region_code,
                   COALESCE(NULLIF(r.region_name, ''), r.region_code),
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_city_import_row r
             WHERE r.region_code <> ''
               AND NOT EXISTS (
                    SELECT 1 FROM crm_region g
                     WHERE g.country_id = r.country_id
                       AND upper(g.code) = upper(r.region_code))
             ORDER BY r.country_id, upper(r.region_code), r.line
            """,
            params,
        )
        cr.execute(
            """
            UPDATE res_country_state s
               SET crm_region_id = link.region_id,
                   write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT r.state_id, g.id AS region_id
                      -- each state's first line, then its region: a few
                      -- states to join, not every line
                      FROM (SELECT DISTINCT ON (state_id)
                                   state_id, country_id, region_code
                              FROM crm_city_import_row
                             WHERE state_id IS NOT NULL AND region_code <> ''
                             ORDER BY state_id, line) r
                      JOIN crm_region g
                        ON g.country_id = r.country_id
                       AND upper(g.code) = upper(r.region_code)) link
             WHERE s.id = link.state_id
               AND s.crm_region_id IS DISTINCT FROM link.region_id
            """,
            params,
        )

    def _crm_upsert(self):
        """Match and create states, cities and zips from the rows, set-based."""
        params = {"uid": self.env.uid, "now": self.env.cr.now()}
        self.env.cr.execute("ANALYZE crm_city_import_row")
        states_created = self._crm_upsert_states(params)
        self._crm_upsert_regions(params)
        cities_updated = self._crm_adopt_stateless_cities(params)
        cities_created = self._crm_upsert_cities(params)
        zips_created, zips_located = self._crm_upsert_zips(params)
        if zips_created or zips_located:
            # Partners can be placed from the referential now (GEO-3).
            self.env.registry.clear_cache()
        return {
            "states_created": states_created,
            "cities_created": cities_created,
            "cities_updated": cities_updated,
            "zips_created": zips_created,
            "zips_located": zips_located,
        }

    def _crm_upsert_states(self, params):
        """Create the file's missing states, then link each row to its state."""
        cr = self.env.cr
        # States: matched by code, else by name; created when missing.
        cr.execute(
            """
            WITH file_state AS (
                SELECT DISTINCT ON (country_id, key) country_id, code, name
                  FROM (SELECT country_id, line,
                               state_code AS code, state_name AS name,
                               upper(COALESCE(NULLIF(state_code, ''), state_name))
                                   AS key
                          FROM crm_city_import_row
                         WHERE state_code <> '' OR state_name <> '') AS named
                 ORDER BY country_id, key, line
            )
            INSERT INTO res_country_state
                   (country_id, code, name, create_uid, create_date, write_uid,
                    write_date)
            SELECT f.country_id, COALESCE(NULLIF(f.code, ''), f.name),
                   COALESCE(NULLIF(f.name, ''), f.code),
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM file_state f
             WHERE NOT EXISTS (
                    SELECT 1 FROM res_country_state s
                     WHERE s.country_id = f.country_id
                       AND (upper(s.code) = upper(f.code)
                            OR (f.name <> '' AND lower(s.name) = lower(f.name))))
            ON CONFLICT (country_id, code) DO NOTHING
            """,
            params,
        )
        states_created = cr.rowcount
        cr.execute(
            """
            UPDATE crm_city_import_row r SET state_id = s.id
              FROM res_country_state s
             WHERE s.country_id = r.country_id
               AND upper(s.code)
                   = upper(COALESCE(NULLIF(r.state_code, ''), r.state_name))
            """
        )
        cr.execute(
            """
            UPDATE crm_city_import_row r SET state_id = s.id
              FROM (SELECT DISTINCT ON (country_id, lower(name))
                           id, country_id, lower(name) AS name
                      FROM res_country_state
                     ORDER BY country_id, lower(name), id) s
             WHERE r.state_id IS NULL AND r.state_name <> ''
               AND s.country_id = r.country_id AND s.name = lower(r.state_name)
            """
        )
        return states_created

    def _crm_adopt_stateless_cities(self, params):
        """Give the file's state to the matching cities that have none."""
        cr = self.env.cr
        # Cities without state (typed by hand, imported without states) get the
        # state of the file, once per name and state: partners keep their city.
        cr.execute(
            """
            WITH stateless AS MATERIALIZED (
                SELECT id, country_id, lower(name->>'en_US') AS name
                  FROM res_city
                 WHERE state_id IS NULL
                   AND country_id IN (
                        SELECT DISTINCT country_id FROM crm_city_import_row)
            ), candidate AS MATERIALIZED (
                SELECT DISTINCT ON (s.country_id, r.state_id, s.name)
                       s.id, s.country_id, s.name, r.state_id
                  FROM stateless s
                  JOIN crm_city_import_row r
                    ON r.country_id = s.country_id AND lower(r.city) = s.name
                 WHERE r.state_id IS NOT NULL
                 ORDER BY s.country_id, r.state_id, s.name, s.id, r.line
            ), adopted AS (
                SELECT DISTINCT ON (k.id) k.id, k.state_id
                  FROM candidate k
                 WHERE NOT EXISTS (
                        SELECT 1 FROM res_city o
                         WHERE o.country_id = k.country_id
                           AND o.state_id = k.state_id
                           AND lower(o.name->>'en_US') = k.name)
                 ORDER BY k.id, k.state_id
            )
            UPDATE res_city c
               SET state_id = a.state_id, write_uid = %(uid)s, write_date = %(now)s
              FROM adopted a
             WHERE c.id = a.id
            """,
            params,
        )
        return cr.rowcount

    def _crm_upsert_cities(self, params):
        """Create the file's missing cities, then link each row to its city."""
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO res_city
                   (country_id, state_id, name, create_uid, create_date, write_uid,
                    write_date)
            SELECT DISTINCT ON (r.country_id, r.state_id, lower(r.city))
                   r.country_id, r.state_id, jsonb_build_object('en_US', r.city),
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_city_import_row r
             WHERE NOT EXISTS (
                    SELECT 1 FROM res_city c
                     WHERE c.country_id = r.country_id
                       AND COALESCE(c.state_id, 0) = COALESCE(r.state_id, 0)
                       AND lower(c.name->>'en_US') = lower(r.city))
             ORDER BY r.country_id, r.state_id, lower(r.city), r.line
            """,
            params,
        )
        cities_created = cr.rowcount
        cr.execute(
            """
            UPDATE crm_city_import_row r SET city_id = c.id
              FROM (SELECT DISTINCT ON (country_id, COALESCE(state_id, 0),
                                        lower(name->>'en_US'))
                           id, country_id, COALESCE(state_id, 0) AS state_id,
                           lower(name->>'en_US') AS name
                      FROM res_city
                     WHERE country_id IN (
                            SELECT DISTINCT country_id FROM crm_city_import_row)
                     ORDER BY country_id, COALESCE(state_id, 0),
                              lower(name->>'en_US'), id) c
             WHERE c.country_id = r.country_id
               AND c.state_id = COALESCE(r.state_id, 0)
               AND c.name = lower(r.city)
            """
        )
        return cities_created

    def _crm_upsert_zips(self, params):
        """Locate the zips already there, create the missing ones (GEO-3)."""
        cr = self.env.cr
        # GEO-3: zips already there (an import before the coordinates, or
        # typed by hand) take the file's coordinates.
        cr.execute(
            """
            UPDATE res_city_zip z
               SET latitude = r.latitude, longitude = r.longitude,
                   write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT DISTINCT ON (city_id, zip)
                           city_id, zip, latitude, longitude
                      FROM crm_city_import_row
                     WHERE latitude IS NOT NULL
                     ORDER BY city_id, zip, line) r
             WHERE z.city_id = r.city_id AND z.name = r.zip
               AND (z.latitude IS DISTINCT FROM r.latitude
                    OR z.longitude IS DISTINCT FROM r.longitude)
            """,
            params,
        )
        zips_located = cr.rowcount
        cr.execute(
            """
            INSERT INTO res_city_zip
                   (city_id, name, latitude, longitude, create_uid, create_date,
                    write_uid, write_date)
            SELECT DISTINCT ON (r.city_id, r.zip)
                   r.city_id, r.zip, r.latitude, r.longitude,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM crm_city_import_row r
             WHERE NOT EXISTS (
                    SELECT 1 FROM res_city_zip z
                     WHERE z.city_id = r.city_id AND z.name = r.zip)
             ORDER BY r.city_id, r.zip, r.line
            """,
            params,
        )
        zips_created = cr.rowcount
        return zips_created, zips_located
