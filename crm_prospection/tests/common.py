# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the add-on's tests share, as ``crm/tests/common.py`` is for Odoo's CRM:
users of the sales roles in two companies, the standard statuses, sample files,
and the helpers that convert leads, update them in mass or undo a savepoint.

Test modules import from here only, never from each other."""

import base64
import collections
import io
import logging
import re
import uuid
import zipfile
from contextlib import closing, contextmanager
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import Cursor, db_connect
from odoo.tests import BaseCase, TransactionCase
from odoo.tests.common import get_db_name
from odoo.tools import SQL

from odoo.addons.mail.tests.common import mail_new_test_user

_logger = logging.getLogger(__name__)


def _one_page_pdf():
    """A small but valid PDF (the browser's viewer renders it without error)."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=(200, 100))
    document.drawString(20, 50, "Spring catalog")
    document.save()
    return buffer.getvalue()


PDF = _one_page_pdf()
# A 1×1 picture.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg=="
)
# One line of a GeoNames postal-code file: a zip of Paris, its region, its
# department (the state for France) and its arrondissement.
FR_LINE = (
    "FR\t75001\tParis 01\tÎle-de-France\t11\tParis\t75\tParis\t751\t48.86\t2.34\t5"
)
# The city import's module, whose download and limits the tests patch.
CITY_IMPORT = "odoo.addons.crm_prospection.wizards.crm_city_import"
REQUESTS_GET = f"{CITY_IMPORT}.requests.get"
# A recurrence of calendar.event: every week on Monday, 5 times.
EVERY_MONDAY_5_TIMES = {
    "recurrency": True,
    "rrule_type": "weekly",
    "interval": 1,
    "end_type": "count",
    "count": 5,
    "mon": True,
}


def zip_archive(members):
    """A zip file holding ``members`` (name -> text), as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def activate_french(env):
    """French installed, with the add-on's terms (as a French company has them)."""
    env["res.lang"]._activate_lang("fr_FR")
    env["ir.module.module"]._load_module_terms(
        ["crm_prospection"], ["fr_FR"], overwrite=True
    )


def convert_wizard(leads, **values):
    """The conversion wizard of ``leads``, opened as the user of their
    environment (the Convert button's context), with ``values`` chosen."""
    return (
        leads.env["crm.lead.convert"]
        .with_context(default_lead_ids=leads.ids)
        .create(values)
    )


def convert(leads, **values):
    """Convert ``leads`` with the wizard's ``values``; returns its action."""
    return convert_wizard(leads, **values).action_convert()


def mass_update_wizard(leads, **values):
    """The mass update of ``leads``, opened as the user of their environment."""
    return leads.env["crm.lead.mass.update"].create(
        {"lead_ids": [Command.set(leads.ids)], **values}
    )


def mass_update(leads, **values):
    """Write ``values`` on ``leads`` through the mass update; returns its action."""
    return mass_update_wizard(leads, **values).action_apply()


def last_job(env):
    """The background job queued last."""
    return env["crm.batch.job"].search([], order="id desc", limit=1)


def run_job(job):
    """Run ``job`` batch after batch to its end, as the scheduled action does;
    returns the number of batches it took."""
    batches = 0
    while job.state in ("queued", "running"):
        job._run_batch()
        batches += 1
    return batches


def email_lead(lead, template):
    """``lead`` e-mailed from Create an e-mail with ``template``, as the user of
    its environment does; returns the wizard, the composer's action and the
    composer, sent."""
    env = lead.env
    action = lead.action_crm_create_email()
    wizard = (
        env["crm.email.wizard"]
        .with_context(**action["context"])
        .create({"template_id": template.id})
    )
    composer_action = wizard.action_compose()
    composer = (
        env["mail.compose.message"]
        .with_context(**composer_action["context"])
        .create({})
    )
    composer.action_send_mail()
    return wizard, composer_action, composer


def run_cron_in_test(test, cron):
    """Run the scheduled action ``cron`` inside ``test``: no commit there, the
    progress it reports is counted instead, and must be."""
    with patch(
        "odoo.addons.base.models.ir_cron.IrCron._commit_progress",
        return_value=1.0,
    ) as progress:
        cron.ir_actions_server_id.run()
    test.assertTrue(progress.called)


class Undo(Exception):
    """Raised at the end of a savepoint to roll it back once what it did is
    measured (``with suppress(Undo), cr.savepoint(): ...; raise Undo``)."""


class QueryCount:
    """The queries a ``countQueries`` block ran, set at its end."""

    count = 0
    queries = ()

    def __repr__(self):
        return str(self.count)


def _shape(query):
    """A query without the length of its lists of values."""
    return re.sub(r"VALUES .*", "VALUES ...", " ".join(query.split()))


def _queries_added(small, large, limit=8):
    """The queries ``large`` ran that ``small`` did not (a multiset), shortened:
    what a failed budget shows to say where the cost is."""
    left = collections.Counter(map(_shape, small.queries))
    added = []
    for query in map(_shape, large.queries):
        if left[query]:
            left[query] -= 1
        else:
            added.append(query[:160])
    more = [f"... and {len(added) - limit} more"] if len(added) > limit else []
    return "\n  ".join(["", *added[:limit], *more]) if added else ""


class QueryBudgets:
    """Query budgets that hold in any database and on any Odoo 19.0.

    An exact count changes by one with an unrelated module or an Odoo patch
    release; what users rely on does not: the count of a screen stays the same
    as records grow (``assertQueriesConstant``), an action costs a bounded
    number of queries per record (``assertQueriesPerRecord``), and ours costs
    no more than Odoo's own operation of the same kind, measured in the same
    test on the same database (``assertQueriesAtMost``).

    Measure with ``countQueries`` inside a ``@warmup`` test: the assertions
    only judge the warm run, as ``assertQueryCount`` does."""

    @contextmanager
    def countQueries(self, flush=True):
        """Count the queries of the block, pending writes included (as
        ``assertQueryCount``); yields a ``QueryCount``."""
        counter = QueryCount()
        queries = []
        cursor = self.env.cr
        execute = Cursor.execute

        def recording(cr, query, params=None, log_exceptions=True):
            if cr is cursor:
                queries.append(query.code if isinstance(query, SQL) else query)
            return execute(cr, query, params, log_exceptions)

        # Odoo's bus cleans its table at random: never inside a measure.
        with (
            patch("random.random", lambda: 1),
            patch("odoo.sql_db.Cursor.execute", recording),
        ):
            if flush:
                self.env.flush_all()
                cursor.flush()
            start = len(queries)
            yield counter
            if flush:
                self.env.flush_all()
                cursor.flush()
            counter.queries = tuple(queries[start:])
            counter.count = len(counter.queries)

    def _judged(self):
        """Cold caches (the first run of ``@warmup``) are not judged."""
        return getattr(self, "warm", True)

    @staticmethod
    def _counts(counts):
        return {size: int(getattr(q, "count", q)) for size, q in counts.items()}

    def assertQueriesConstant(self, counts, msg=None):
        """``counts`` ({size: QueryCount or queries}, sizes 1:10 apart) are all
        equal: no query per record. Odoo inserts rows 100 at a time: a size
        that creates more than 100 rows of a table adds an insert."""
        if not self._judged():
            return
        measures = counts
        counts = self._counts(counts)
        _logger.info("%s: queries by size %s", self._testMethodName, counts)
        if len(set(counts.values())) == 1:
            return
        small, large = measures[min(counts)], measures[max(counts)]
        added = ""
        if isinstance(small, QueryCount) and isinstance(large, QueryCount):
            added = _queries_added(small, large)
        self.fail(
            msg or f"queries grow with the records: {counts} (size: queries){added}"
        )

    def queriesPerRecord(self, counts):
        """The queries each record adds between the smallest and the largest
        size of ``counts``."""
        counts = self._counts(counts)
        small, large = min(counts), max(counts)
        return (counts[large] - counts[small]) / (large - small)

    def assertQueriesPerRecord(self, counts, at_most, msg=None):
        """Between the smallest and the largest size of ``counts``, each record
        adds at most ``at_most`` queries (e.g. Odoo's own per record,
        ``queriesPerRecord`` of its operation measured beside)."""
        if not self._judged():
            return
        per_record = self.queriesPerRecord(counts)
        counts = self._counts(counts)
        _logger.info("%s: queries by size %s", self._testMethodName, counts)
        self.assertLessEqual(
            per_record,
            at_most,
            msg or f"{per_record:.2f} queries per record > {at_most}: {counts}",
        )

    def assertQueriesAtMost(self, odoo, ours, margin=0, msg=None):
        """Ours costs at most Odoo's own operation plus ``margin`` queries;
        both a count or {size: queries} (compared size by size)."""
        if not self._judged():
            return
        if not isinstance(odoo, dict):
            odoo, ours = {None: odoo}, {None: ours}
        odoo, ours = self._counts(odoo), self._counts(ours)
        _logger.info("%s: Odoo's %s, ours %s", self._testMethodName, odoo, ours)
        for size, count in ours.items():
            self.assertLessEqual(
                count,
                odoo[size] + margin,
                msg
                or f"ours {count} > Odoo's {odoo[size]} + {margin} queries"
                + (f" at size {size} (Odoo's {odoo}, ours {ours})" if size else ""),
            )


class CrmProspectionCase(QueryBudgets, TransactionCase):
    """Users of the three sales roles in two companies, and the standard statuses.

    The sales users have the logins of Odoo's CRM tests (``user_sales_manager``,
    ``user_sales_leads``, ``user_sales_salesman``), for ``@users`` and
    ``@users("user_sales_leads")`` as Odoo's tests write them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # English messages whatever languages the database has loaded; tracking
        # on, as users run the add-on.
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.company = cls.env.ref("base.main_company")
        cls.company_2 = cls.env["res.company"].create({"name": "Prospection Belgium"})
        cls.salesman = cls._new_user(
            "user_sales_salesman", "Sam Own Documents", "sales_team.group_sale_salesman"
        )
        cls.salesman_all = cls._new_user(
            "user_sales_leads",
            "Alex All Documents",
            "sales_team.group_sale_salesman_all_leads",
        )
        cls.sales_manager = cls._new_user(
            "user_sales_manager",
            "Morgan Sales Manager",
            "sales_team.group_sale_manager",
        )
        cls.user_company_2 = cls._new_user(
            "cp_salesman_be",
            "Bea Belgian Salesman",
            "sales_team.group_sale_salesman_all_leads",
            company=cls.company_2,
        )
        cls.employee = cls._new_user(
            "cp_employee", "Eli Plain Employee", "base.group_user"
        )
        Status = cls.env["crm.lead.status"]
        cls.status_to_process = cls.env.ref("crm_prospection.lead_status_to_process")
        cls.status_marketing = cls.env.ref(
            "crm_prospection.lead_status_marketing_qualification"
        )
        cls.status_sales = cls.env.ref(
            "crm_prospection.lead_status_sales_qualification"
        )
        cls.status_nurturing = cls.env.ref("crm_prospection.lead_status_nurturing")
        cls.status_converted = Status._get_status("converted")
        cls.status_lost = Status._get_status("lost")

    @classmethod
    def _new_user(cls, login, name, groups, company=None):
        """A user of ``groups`` (XML ids) in ``company`` only (default: the main
        one), in English."""
        company = company or cls.company
        return mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            lang="en_US",
        )

    @classmethod
    def _set_feature_group(cls, group_field, value):
        """Toggle a database-wide switch of Settings (CFG-3, CFG-5, CFG-8)."""
        cls.env["res.config.settings"].create({group_field: value}).execute()

    def _end_request(self):
        """What the end of a request runs: the pending writes, then Odoo's
        tracking messages (a record created in a transaction is tracked from
        the next one on)."""
        self.env.flush_all()
        self.env.cr.precommit.run()


class CrmLeadCase(CrmProspectionCase):
    """Leads helpers on top of the users and statuses."""

    @classmethod
    def _create_leads(cls, count=1, **values):
        return cls.env["crm.lead"].create(
            [
                dict({"name": f"Lead {index}", "type": "lead"}, **values)
                for index in range(count)
            ]
        )

    @classmethod
    def _lost_reason(cls, name="Too expensive", require_feedback=False):
        return cls.env["crm.lost.reason"].create(
            {"name": name, "require_feedback": require_feedback}
        )

    def _mark_lost(self, leads, reason, feedback=False):
        wizard = (
            self.env["crm.lead.lost"]
            .with_context(default_lead_ids=leads.ids)
            .create({"lost_reason_id": reason.id, "lost_feedback": feedback})
        )
        return wizard.action_lost_reason_apply()


class CommittedLeadsCase(BaseCase):
    """Background jobs on real transactions: a team and 5 leads committed in
    ``setUp`` (tagged ``tag_prefix`` and a random suffix), the mass update's
    batches of 2 leads. Subclasses remove their data in ``_cleanup``."""

    tag_prefix = "Committed leads"

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        self.tag = f"{self.tag_prefix} {uuid.uuid4().hex[:8]}"
        with self._cursor() as cr:
            env = self._env(cr)
            self._set_up_committed(env)
            self.team_id = env["crm.team"].create({"name": f"{self.tag} team"}).id
            self.lead_ids = (
                env["crm.lead"]
                .create(
                    [
                        {"name": f"{self.tag} {index}", "type": "lead"}
                        for index in range(5)
                    ]
                )
                .ids
            )
            cr.commit()  # pylint: disable=invalid-commit
            wizard = env.registry["crm.lead.mass.update"]
        self.addCleanup(self._cleanup)
        self.startPatcher(patch.object(wizard, "_batch_job_size", 2))

    def _set_up_committed(self, env):
        """What a subclass commits with the leads, before them."""

    def _cleanup(self):
        raise NotImplementedError

    def _cursor(self):
        return closing(self.db.cursor())

    @staticmethod
    def _env(cr):
        return api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
