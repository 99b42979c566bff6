# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import logging
import os
import socket
import time
from collections import Counter, defaultdict

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, formatLang

_logger = logging.getLogger(__name__)

JOB_TYPES = [
    ("mass_update", "Mass update"),
    ("conversion", "Conversion"),
    ("city_import", "City import"),
]
# Leads of a job turned into lines per batch: ahead of the batches, and
# never a long statement in one of them.
LINES_PER_BATCH = 10000
CRON_XMLID = "crm_prospection.ir_cron_crm_batch_jobs"


class CrmBatchJob(models.Model):
    """A mass update, batch conversion or city import too large for one request:
    recorded by its wizard, then worked through by a scheduled action in
    committed batches. Each batch applies entirely or not at all; the lines
    say which records are done, so a stopped server resumes where it was.

    Its life, top to bottom in this file: queued by a wizard (a
    ``crm.batch.job.mixin``, which says what it needs: its records, how it
    applies a batch, how it describes itself), run batch after batch by the
    scheduled action, finished (the user notified), or cancelled by the user."""

    _name = "crm.batch.job"
    _description = "Background batch job"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    job_type = fields.Selection(JOB_TYPES, string="Type", required=True, readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Requested by",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    # What the job applies: the values of the wizard that queued it.
    values = fields.Json(readonly=True)
    summary = fields.Text(readonly=True, help="What the job applies, in words.")
    line_ids = fields.One2many("crm.batch.job.line", "job_id", readonly=True)
    problem_line_ids = fields.One2many(
        "crm.batch.job.line",
        "job_id",
        string="Problems",
        domain=[("state", "in", ("failed", "skipped"))],
        readonly=True,
    )
    lead_ids = fields.Many2many(
        "crm.lead",
        string="Leads",
        compute="_compute_lead_ids",
        search="_search_lead_ids",
    )
    total_count = fields.Integer(string="Records", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    skipped_count = fields.Integer(string="Left as they were", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    date_started = fields.Datetime(readonly=True)
    date_finished = fields.Datetime(readonly=True)
    batch_log = fields.Text(
        readonly=True, help="Each batch: its records, its duration and the server."
    )
    # {lead id: the values the job sets, as the lead had them when queued}: the
    # wizard answers at once; the batches turn it into lines, a part at a time.
    lead_snapshots = fields.Json(readonly=True, prefetch=False, copy=False)

    cancel_requested = fields.Boolean(
        compute="_compute_cancel_requested",
        help="Cancelled while a batch ran: the job stops after that batch.",
    )

    _state_idx = models.Index("(state, id) WHERE state IN ('queued', 'running')")

    def _compute_cancel_requested(self):
        requested = set(
            self.env["crm.batch.job.cancellation"]
            .sudo()
            .search([("job_id", "in", self.ids)])
            .mapped("job_id")
        )
        for job in self:
            job.cancel_requested = job.state in ("queued", "running") and (
                job.id in requested
            )

    @api.depends("line_ids.lead_id", "lead_snapshots")
    def _compute_lead_ids(self):
        for job in self:
            waiting = job.lead_snapshots or {}
            job.lead_ids = job.line_ids.lead_id | job.lead_ids.browse(map(int, waiting))

    def _search_lead_ids(self, operator, value):
        if operator != "in":
            return NotImplemented
        lead_ids = [str(lead_id) for lead_id in value if lead_id]
        self.flush_model(["lead_snapshots"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_batch_job WHERE lead_snapshots ?| %s::text[]",
                lead_ids,
            )
        )
        waiting = [row[0] for row in self.env.cr.fetchall()]
        return Domain("line_ids.lead_id", "in", value) | Domain("id", "in", waiting)

    @api.depends("total_count", "done_count", "failed_count", "skipped_count")
    def _compute_progress(self):
        for job in self:
            handled = job.done_count + job.failed_count + job.skipped_count
            job.progress = 100.0 * handled / job.total_count if job.total_count else 0

    # ------------------------------------------------------------------
    # Queueing (the wizards)
    # ------------------------------------------------------------------

    @api.model
    def _queue(self, wizard, parts=None):
        """Record a job running ``wizard`` (a ``crm.batch.job.mixin``) on its
        leads or on ``parts`` (see ``_batch_job_queue``), wake the scheduler
        and tell the user; answers at once whatever the number of records."""
        job_type = wizard._batch_job_type
        # The job's bookkeeping is the scheduler's: the user only reads it.
        values = {
            "user_id": self.env.uid,
            "company_id": self.env.company.id,
            "job_type": job_type,
            "values": wizard._batch_job_values(),
            "summary": wizard._batch_job_describe(),
        }
        if parts is None:
            leads = wizard._batch_job_leads()
            job = self.sudo().create(
                dict(
                    values,
                    name=self._job_name(job_type, len(leads)),
                    total_count=len(leads),
                )
            )
            job._store_lead_snapshots(leads, wizard._batch_job_snapshot_fields())
        else:
            # Its parts are counted as they are stored.
            job = self.sudo().create(dict(values, name=job_type))
            total = job._create_part_lines(parts)
            job.write({"name": self._job_name(job_type, total), "total_count": total})
        self.env.ref(CRON_XMLID).sudo()._trigger()
        return job.sudo(False)._action_queued_notification()

    def _wizard(self):
        """The wizard model that runs the jobs of this type."""
        self.ensure_one()
        for name, model in self.env.registry.items():
            if getattr(model, "_batch_job_type", None) == self.job_type:
                return self.env[name]
        raise UserError(
            self.env._("No wizard runs the jobs of type %s.", self.job_type)
        )

    def _job_name(self, job_type, count):
        kind = dict(self._fields["job_type"]._description_selection(self.env))
        if count == 1:
            return self.env._("%(kind)s of 1 record", kind=kind[job_type])
        return self.env._(
            "%(kind)s of %(count)s records",
            kind=kind[job_type],
            count=formatLang(self.env, count, digits=0),
        )

    def _requester_env(self):
        """The job's texts are written in the language of the user who asked
        for it, not in the scheduler's."""
        self.ensure_one()
        return self.with_context(lang=self.user_id.lang or self.env.lang).env

    def _create_part_lines(self, parts):
        """One line per part, its data stored as it comes (a part at a time in
        memory); returns the number of parts."""
        Attachment = self.env["ir.attachment"].sudo()
        values = []
        for part in parts:
            snapshot = dict(part)
            if "data" in snapshot:
                snapshot["attachment_id"] = Attachment.create(
                    {
                        "name": part["name"],
                        "raw": snapshot.pop("data"),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                ).id
            values.append({"name": part["name"], "snapshot": snapshot})
        self.line_ids = [Command.create(line) for line in values]
        return len(values)

    def _store_lead_snapshots(self, leads, snapshot_fields):
        """Keep, in one statement, each lead with the values of
        ``snapshot_fields`` it has now (to keep later hand edits)."""
        self.ensure_one()
        self.env["crm.lead"].flush_model(snapshot_fields)
        snapshot = SQL(
            "jsonb_build_object(%s)",
            SQL(", ").join(
                SQL("%s, %s", name, SQL.identifier(name)) for name in snapshot_fields
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_batch_job
                   SET lead_snapshots = (
                       SELECT jsonb_object_agg(id, %(snapshot)s)
                         FROM crm_lead WHERE id = ANY(%(ids)s))
                 WHERE id = %(job)s
                """,
                snapshot=snapshot,
                ids=leads.ids,
                job=self.id,
            )
        )
        self.invalidate_recordset(["lead_snapshots"])

    def _create_lead_lines(self, limit):
        """Turn up to ``limit`` of the leads waiting in the snapshots into
        pending lines, in the leads' order, in one statement (a lead deleted
        since the job was queued is no longer to do); returns whether leads
        still wait. A part at a time, so that no batch pays for them all."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                WITH waiting AS (
                    SELECT waiting.key, waiting.value
                      FROM crm_batch_job job, jsonb_each(job.lead_snapshots) waiting
                     WHERE job.id = %(job)s
                     ORDER BY waiting.key::integer
                     LIMIT %(limit)s
                ), inserted AS (
                    INSERT INTO crm_batch_job_line
                        (job_id, lead_id, state, snapshot, create_uid, create_date,
                         write_uid, write_date)
                    SELECT %(job)s, lead.id, 'pending', waiting.value, %(uid)s,
                           now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                      FROM waiting
                      JOIN crm_lead lead ON lead.id = waiting.key::integer
                     ORDER BY lead.id
                    RETURNING 1
                )
                UPDATE crm_batch_job
                   SET lead_snapshots = NULLIF(
                           lead_snapshots - ARRAY(SELECT key FROM waiting),
                           '{}'::jsonb),
                       total_count = total_count
                           - (SELECT count(*) FROM waiting)
                           + (SELECT count(*) FROM inserted)
                 WHERE id = %(job)s
             RETURNING lead_snapshots IS NOT NULL
                """,
                job=self.id,
                limit=limit,
                uid=self.env.uid,
            )
        )
        [waiting] = self.env.cr.fetchone()
        self.invalidate_recordset(
            [
                "lead_snapshots",
                "total_count",
                "line_ids",
                "problem_line_ids",
                "lead_ids",
            ]
        )
        return waiting

    def _carry_to_later_jobs(self, leads, values):
        """``values`` were just written on ``leads`` by this job: for the jobs
        queued after it, they are known values, not edits by hand (without
        this, a later job on the same leads would keep this job's values as
        hand edits). Jobs run in queue order, so the later ones still hold
        their snapshots, not lines: one statement sets ``values`` in the
        snapshots of ``leads`` that hold those fields."""
        self.ensure_one()
        self.flush_model(["lead_snapshots"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_batch_job
                   SET lead_snapshots = lead_snapshots || (
                       SELECT COALESCE(jsonb_object_agg(lead.key, lead.value || (
                                  SELECT jsonb_object_agg(new.key, new.value)
                                    FROM jsonb_each(%(values)s::jsonb) new
                                   WHERE lead.value ? new.key)), '{}'::jsonb)
                         FROM jsonb_each(lead_snapshots) lead
                        WHERE lead.key = ANY(%(keys)s) AND lead.value ?| %(names)s)
                 WHERE id > %(job)s AND lead_snapshots IS NOT NULL
                """,
                values=json.dumps(values),
                keys=[str(lead_id) for lead_id in leads.ids],
                names=list(values),
                job=self.id,
            )
        )
        self.invalidate_model(["lead_snapshots"])

    def _action_queued_notification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.name,
                "message": self.env._(
                    "It runs in the background; you will be notified when it ends. "
                    "Its progress is in CRM › Leads › My Background Jobs."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _cron_run_jobs(self):
        """Work through the queued jobs, oldest first, one committed batch at a
        time, until none is left or the scheduler's time is up."""
        Cron = self.env["ir.cron"]
        while True:
            job = self._next_job()
            if not job:
                Cron._commit_progress(remaining=0)
                return
            if job._cancel_requested():
                # Asked while the previous batch ran: stop between two batches.
                job._cancel()
                processed = 0
            else:
                processed = job._run_batch()
            remaining = self._remaining_count()
            if Cron._commit_progress(processed, remaining=remaining) <= 0:
                return

    @api.model
    def _next_job(self):
        """The oldest job waiting, locked for this transaction. Jobs run one at a
        time, in the order they were queued: two jobs on the same leads never
        interleave. (The scheduler runs this action on one server at a time; a
        job a cancel has locked is being cancelled: skipped, never waited for.)"""
        self.flush_model(["state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM crm_batch_job
                 WHERE state IN ('queued', 'running')
                 ORDER BY id
                 LIMIT 1
                   FOR NO KEY UPDATE SKIP LOCKED
                """
            )
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else self.browse()

    @api.model
    def _remaining_count(self):
        """Records left to handle, lines written or not yet."""
        counts = ["state", "total_count", "done_count", "failed_count", "skipped_count"]
        self.flush_model(counts)
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(sum(
                           total_count - COALESCE(done_count, 0)
                           - COALESCE(failed_count, 0) - COALESCE(skipped_count, 0)
                       ), 0)
                  FROM crm_batch_job
                 WHERE state IN ('queued', 'running')
                """
            )
        )
        return self.env.cr.fetchone()[0]

    def _run_batch(self):
        """Apply the job to its next batch of pending lines, as the user who
        queued it; returns how many lines were handled. The caller commits."""
        self.ensure_one()
        started = time.monotonic()
        Line = self.env["crm.batch.job.line"]
        waiting = self._create_lead_lines(LINES_PER_BATCH)
        lines = Line.search(
            [("job_id", "=", self.id), ("state", "=", "pending")],
            order="id",
            limit=self._wizard()._batch_job_size,
        )
        values = {}
        if self.state == "queued":
            values.update(state="running", date_started=fields.Datetime.now())
        if lines:
            # As its requester: their rights, company and language (the problems
            # a batch reports are their error messages).
            job = (
                self.with_user(self.user_id)
                .with_company(self.company_id)
                .with_context(lang=self.user_id.lang or self.env.lang)
            )
            counts = job._apply_to_lines(lines.with_env(job.env))
            values.update(
                done_count=self.done_count + counts["done"],
                failed_count=self.failed_count + counts["failed"],
                skipped_count=self.skipped_count + counts["skipped"],
                batch_log="\n".join(
                    filter(None, [self.batch_log, self._batch_log_line(lines, started)])
                ),
            )
        finished = not waiting and not Line.search_count(
            [("job_id", "=", self.id), ("state", "=", "pending")], limit=1
        )
        if finished:
            values.update(date_finished=fields.Datetime.now())
            failed = values.get("failed_count", self.failed_count)
            done = values.get("done_count", self.done_count)
            values["state"] = "failed" if failed and not done else "done"
        self.sudo().write(values)
        if finished:
            self._drop_files()
            self._drop_cancellations()
            self._notify_finished()
        return len(lines)

    def _batch_log_line(self, lines, started):
        env = self._requester_env()
        seconds = formatLang(env, time.monotonic() - started, digits=1)
        server = f"{socket.gethostname()}:{os.getpid()}"
        if len(lines) == 1:
            return env._(
                "1 record in %(seconds)s s on %(server)s",
                seconds=seconds,
                server=server,
            )
        return env._(
            "%(count)s records in %(seconds)s s on %(server)s",
            count=formatLang(env, len(lines), digits=0),
            seconds=seconds,
            server=server,
        )

    def _apply_to_lines(self, lines):
        """All lines at once; when that fails, each line on its own, so that one
        bad record fails alone, with its reason. Returns the count per state."""
        try:
            with self.env.cr.savepoint():
                problems = self._apply(lines)
        except Exception:  # noqa: BLE001 — any failure is retried line by line
            _logger.info("A batch of %s failed: retried line by line", self.name)
            problems = {}
            for line in lines:
                try:
                    with self.env.cr.savepoint():
                        problems.update(self._apply(line))
                except (UserError, ValidationError, AccessError) as error:
                    problems[line] = ("failed", str(error))
                except Exception as error:  # noqa: BLE001
                    _logger.exception("Job %s failed on %s", self.name, line.lead_id)
                    problems[line] = ("failed", repr(error))
        now = fields.Datetime.now()
        by_outcome = defaultdict(list)
        for line in lines:
            by_outcome[problems.get(line, ("done", False))].append(line.id)
        counts = Counter()
        Line = self.env["crm.batch.job.line"].sudo()
        for (state, message), ids in by_outcome.items():
            Line.browse(ids).write({"state": state, "message": message, "date": now})
            counts[state] += len(ids)
        return counts

    def _apply(self, lines):
        """Run the job's wizard on ``lines``; returns the problems of lines not
        done: {line: (state, message)}."""
        Wizard = self._wizard()
        return Wizard._batch_job_restore(dict(self.values), lines)._batch_job_apply(
            lines
        )

    def _notify_finished(self):
        """Tell the user who queued the job, wherever they are in the web client."""
        self.ensure_one()
        self.user_id._bus_send(
            "crm_prospection.batch_job_finished",
            {
                "job_id": self.id,
                "title": self.name,
                "message": self._finished_message(),
                "type": "warning" if self.failed_count else "success",
            },
        )

    def _finished_message(self):
        """The end of the job in words of the requester's language, each count
        beside its own label (no plural to agree), and where to find the job."""
        env = self._requester_env()
        counts = [
            (env._("Done"), self.done_count),
            (env._("Failed"), self.failed_count),
            (env._("Left as they were"), self.skipped_count),
        ]
        return env._(
            "%(counts)s. The job is in CRM › Leads › My Background Jobs.",
            counts=" · ".join(
                env._(
                    "%(label)s: %(count)s",
                    label=label,
                    count=formatLang(env, count, digits=0),
                )
                for label, count in counts
            ),
        )

    # ------------------------------------------------------------------
    # User actions
    # ------------------------------------------------------------------

    def action_cancel(self):
        """Stop the job: at once when no batch runs it now, else after the batch
        running now (within one batch); what is done stays done. Answers at
        once either way: it never waits for the batch's lock."""
        self.check_access("read")
        for job in self:
            if job.state not in ("queued", "running"):
                raise UserError(
                    self.env._("%s is no longer waiting or running.", job.name)
                )
        idle = self._lock_idle()
        idle._cancel()
        busy = self - idle
        if busy:
            # The worker holds the job's row: tell it, it stops between batches.
            self.env["crm.batch.job.cancellation"].sudo().create(
                [{"job_id": job.id} for job in busy]
            )
            self.env.ref(CRON_XMLID).sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Cancel the job"),
                "message": self.env._("The job stops after the batch running now.")
                if busy
                else self.env._("The job is cancelled."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _lock_idle(self):
        """The jobs of ``self`` that no batch is running now, locked for this
        transaction; the others are skipped, never waited for. A job a batch
        committed since this transaction began is left to the worker too."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT id FROM crm_batch_job
                         WHERE id = ANY(%s) AND state IN ('queued', 'running')
                           FOR NO KEY UPDATE SKIP LOCKED
                        """,
                        self.ids,
                    ),
                    log_exceptions=False,
                )
                return self.browse(row[0] for row in self.env.cr.fetchall())
        except psycopg2.errors.SerializationFailure:
            return self.browse()

    def _cancel(self):
        """Cancelled now: no more batches, its pending lines and its files
        dropped, the requests to cancel it honoured."""
        if not self:
            return
        self.sudo().write(
            {
                "state": "cancelled",
                "date_finished": fields.Datetime.now(),
                "lead_snapshots": False,
            }
        )
        self.env["crm.batch.job.line"].sudo().search(
            [("job_id", "in", self.ids), ("state", "=", "pending")]
        ).write({"state": "cancelled"})
        self._drop_files()
        self._drop_cancellations()

    def _drop_cancellations(self):
        self.env["crm.batch.job.cancellation"].sudo().search(
            [("job_id", "in", self.ids)]
        ).unlink()

    def _cancel_requested(self):
        self.ensure_one()
        return bool(
            self.env["crm.batch.job.cancellation"]
            .sudo()
            .search_count([("job_id", "=", self.id)], limit=1)
        )

    def _drop_files(self):
        """The files a job kept (the parts of an import) served their purpose."""
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()

    def action_open_leads(self):
        """The job's leads, in the leads' own views (whatever their status)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_prospection.action_leads_open"
        )
        action.update(
            name=self.name,
            domain=[("id", "in", self.lead_ids.ids)],
            context={"active_test": False, "create": False},
        )
        action.pop("path", None)
        return action

    def action_open_problems(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Problems of %s", self.name),
            "res_model": "crm.batch.job.line",
            "view_mode": "list",
            "domain": [
                ("job_id", "=", self.id),
                ("state", "in", ("failed", "skipped")),
            ],
        }
