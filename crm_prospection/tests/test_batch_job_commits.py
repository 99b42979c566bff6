# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Background jobs on real transactions: each batch is committed on its own,
and a server stopped in the middle of a batch loses nothing and does nothing
twice. Data is committed in ``setUp`` and removed in a cleanup."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..models import crm_batch_job
from .common import CommittedLeadsCase, last_job


class ServerKilled(BaseException):
    """Stands for a server stopping mid-batch: nothing catches it."""


@tagged("post_install", "-at_install")
class TestBatchJobCommits(CommittedLeadsCase):
    """LEAD-8: a mass update in the background commits batch after batch and
    resumes, after a crash, at the first lead not done."""

    tag_prefix = "Batch job"

    def _set_up_committed(self, env):
        self.company_id = env.company.id
        self.threshold = env.company.crm_batch_threshold
        env.company.crm_batch_threshold = 2

    def _cleanup(self):
        with self._cursor() as cr:
            env = self._env(cr)
            env["crm.batch.job"].search(
                [("line_ids.lead_id", "in", self.lead_ids)]
            ).unlink()
            env["crm.lead"].browse(self.lead_ids).unlink()
            env["crm.team"].browse(self.team_id).unlink()
            env["res.company"].browse(
                self.company_id
            ).crm_batch_threshold = self.threshold
            cr.commit()  # pylint: disable=invalid-commit

    def _queue(self):
        with self._cursor() as cr:
            env = self._env(cr)
            env["crm.lead.mass.update"].create(
                {"lead_ids": [Command.set(self.lead_ids)], "team_id": self.team_id}
            ).action_apply()
            job_id = last_job(env).id
            cr.commit()  # pylint: disable=invalid-commit
        return job_id

    def _committed(self, job_id):
        """What another transaction sees: the job's counts and the leads updated,
        with the number of tracking messages of the change on each."""
        with self._cursor() as cr:
            env = self._env(cr)
            job = env["crm.batch.job"].browse(job_id)
            leads = env["crm.lead"].browse(self.lead_ids)
            updated = leads.filtered(lambda lead: lead.team_id.id == self.team_id)
            messages = env["mail.message"].search_count(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", self.lead_ids),
                    ("tracking_value_ids.field_id.name", "=", "team_id"),
                ]
            )
            return job.state, job.done_count, len(updated), messages

    def test_batches_committed_and_resumed_after_crash(self):
        """LEAD-8: the first batch is committed before the second runs; a crash in
        the second loses it entirely; the next run resumes there and each lead
        is updated, and tracked, once."""
        job_id = self._queue()
        real_apply = crm_batch_job.CrmBatchJob._apply
        calls = []

        def apply_then_crash(job, lines):
            calls.append(len(lines))
            result = real_apply(job, lines)
            if len(calls) == 2:
                job.env.flush_all()
                raise ServerKilled
            return result

        with (
            patch.object(crm_batch_job.CrmBatchJob, "_apply", apply_then_crash),
            self.assertRaises(ServerKilled),
            self._cursor() as cr,
        ):
            self._env(cr)["crm.batch.job"]._cron_run_jobs()
        self.assertEqual(self._committed(job_id), ("running", 2, 2, 2))

        with self._cursor() as cr:
            self._env(cr)["crm.batch.job"]._cron_run_jobs()
        self.assertEqual(self._committed(job_id), ("done", 5, 5, 5))

    def test_scheduled_action_runs_the_job(self):
        """LEAD-8: the scheduled action, run as the scheduler runs it, works the
        whole job through with its progress committed."""
        job_id = self._queue()
        with self._cursor() as cr:
            env = self._env(cr)
            cron = env.ref("crm_prospection.ir_cron_crm_batch_jobs")
            cron.method_direct_trigger()
            progress = env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual(progress.remaining, 0)
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._committed(job_id), ("done", 5, 5, 5))
