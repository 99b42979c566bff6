# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Cancelling a background job while one of its batches runs, on real
transactions: the worker's and the user's. Data is committed in ``setUp`` and
removed in a cleanup."""

import time
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models import crm_batch_job
from .common import CommittedLeadsCase, last_job


@tagged("post_install", "-at_install")
class TestJobCancel(CommittedLeadsCase):
    """LEAD-8, CONV-6: the owner cancels a job while a batch runs: the cancel
    answers at once (it never waits for the batch's lock, nor fails on it), the
    batch running ends and commits, and the job stops there, what is done kept."""

    tag_prefix = "Cancelled job"

    def _cleanup(self):
        with self._cursor() as cr:
            env = self._env(cr)
            jobs = env["crm.batch.job"].search(
                [("line_ids.lead_id", "in", self.lead_ids)]
            )
            env["crm.batch.job.cancellation"].search(
                [("job_id", "in", jobs.ids)]
            ).unlink()
            jobs.unlink()
            env["crm.lead"].browse(self.lead_ids).unlink()
            env["crm.team"].browse(self.team_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _queue(self):
        """A job of 5 leads (3 batches), queued in the background whatever the
        company's threshold."""
        with self._cursor() as cr:
            env = self._env(cr)
            wizard = env["crm.lead.mass.update"].create(
                {"lead_ids": [Command.set(self.lead_ids)], "team_id": self.team_id}
            )
            wizard._batch_job_queue()
            job_id = last_job(env).id
            cr.commit()  # pylint: disable=invalid-commit
        return job_id

    def _committed(self, job_id):
        """What another transaction sees: the job's state and done count, and
        how many leads it updated."""
        with self._cursor() as cr:
            env = self._env(cr)
            job = env["crm.batch.job"].browse(job_id)
            leads = env["crm.lead"].browse(self.lead_ids)
            updated = leads.filtered(lambda lead: lead.team_id.id == self.team_id)
            return job.state, job.done_count, len(updated)

    def _cancel_from_another_transaction(self, job_id):
        """The owner's click on Cancel, in a transaction of its own that refuses
        to wait for any lock more than 2 s; returns its duration in seconds."""
        started = time.monotonic()
        with self._cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = '2s'"))
            self._env(cr)["crm.batch.job"].browse(job_id).action_cancel()
            cr.commit()  # pylint: disable=invalid-commit
        return time.monotonic() - started

    def test_cancel_during_a_batch(self):
        job_id = self._queue()
        real_apply = crm_batch_job.CrmBatchJob._apply
        durations, seen = [], []

        def apply_and_cancel(job, lines):
            result = real_apply(job, lines)
            job.env.flush_all()
            if not durations:
                # The worker holds the job's row and has written its leads.
                durations.append(self._cancel_from_another_transaction(job_id))
                with self._cursor() as cr:
                    job_seen = self._env(cr)["crm.batch.job"].browse(job_id)
                    # The form says so while the batch still runs.
                    seen.append((job_seen.state, job_seen.cancel_requested))
            return result

        with (
            patch.object(crm_batch_job.CrmBatchJob, "_apply", apply_and_cancel),
            self._cursor() as cr,
        ):
            self._env(cr)["crm.batch.job"]._cron_run_jobs()
        self.assertLess(durations[0], 2)
        self.assertEqual(seen, [("queued", True)])
        # The batch running when the cancel came ended; no other one ran.
        self.assertEqual(self._committed(job_id), ("cancelled", 2, 2))
        with self._cursor() as cr:
            env = self._env(cr)
            lines = env["crm.batch.job"].browse(job_id).line_ids
            self.assertEqual(
                sorted(lines.mapped("state")), ["cancelled"] * 3 + ["done"] * 2
            )
            self.assertFalse(
                env["crm.batch.job.cancellation"].search([("job_id", "=", job_id)])
            )

    def test_cancel_between_batches(self):
        """A job no batch runs now is cancelled at once, from any transaction."""
        job_id = self._queue()
        with self._cursor() as cr:
            self._env(cr)["crm.batch.job"].browse(job_id)._run_batch()
            cr.commit()  # pylint: disable=invalid-commit
        self.assertLess(self._cancel_from_another_transaction(job_id), 2)
        self.assertEqual(self._committed(job_id), ("cancelled", 2, 2))
        with self._cursor() as cr:
            self._env(cr)["crm.batch.job"]._cron_run_jobs()
        self.assertEqual(self._committed(job_id), ("cancelled", 2, 2))
