# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import Command, api, models


class CrmBatchJobMixin(models.AbstractModel):
    """What a wizard provides to run as a background job (``crm.batch.job``).

    A wizard too large for one request calls ``_batch_job_queue()``: the job
    keeps the wizard's values and one line per record (a lead, or a part of
    the work), and answers at once. The scheduled action then, batch after
    batch, recreates the wizard on the batch's lines (``_batch_job_restore``)
    and applies it (``_batch_job_apply``). The wizard that inherits this
    model declares:

    - ``_batch_job_type``: its ``crm.batch.job.job_type``, the job's way back
      to the wizard;
    - ``_batch_job_size``: its records per committed batch (a batch stays well
      under the scheduler's time limits, and a cancellation waits for one
      batch at most);
    - the records: its leads (``_batch_job_leads``, with the values each lead
      had when queued, ``_batch_job_snapshot_fields``), or the parts of the
      work it gives ``_batch_job_queue``;
    - how it describes itself (``_batch_job_describe``);
    - how it applies one batch (``_batch_job_apply``).
    """

    _name = "crm.batch.job.mixin"
    _description = "Wizard run as a background job"

    _batch_job_type = None
    _batch_job_size = 1000
    # Fields the job does not keep with the wizard's values: the records are
    # the job's lines (and a file, its parts).
    _batch_job_excluded_fields = ("lead_ids",)

    # ------------------------------------------------------------------
    # The records
    # ------------------------------------------------------------------

    def _batch_job_leads(self):
        """The leads the job works through, one line each."""
        self.ensure_one()
        if "lead_ids" in self._fields:
            return self.lead_ids
        return self.env["crm.lead"]

    def _batch_job_snapshot_fields(self):
        """The lead fields whose value at queueing time the job keeps per lead
        (a value changed since then is a hand edit, the wizard may keep it)."""
        return []

    # ------------------------------------------------------------------
    # How the wizard describes itself
    # ------------------------------------------------------------------

    def _batch_job_describe(self):
        """What the job applies, in words (the job's summary)."""
        raise NotImplementedError

    def _batch_job_values(self):
        """The wizard's values, as the job gives them back for each batch
        (dates as strings, commands as lists)."""
        self.ensure_one()
        excluded = [
            name for name in self._batch_job_excluded_fields if name in self._fields
        ]
        values = self.copy_data(dict.fromkeys(excluded, False))[0]
        for name in excluded:
            values.pop(name, None)
        return json.loads(json.dumps(values, default=str))

    # ------------------------------------------------------------------
    # Queueing, and one batch
    # ------------------------------------------------------------------

    def _batch_job_queue(self, parts=None):
        """Queue the wizard as a background job; returns the notification
        telling the user so.

        :param list parts: for a job on something else than leads, the parts
          of the work, one line each: dicts with a ``name``, and a ``data``
          the job keeps as a file (a part of a file to import)
        """
        self.ensure_one()
        return self.env["crm.batch.job"]._queue(self, parts=parts)

    @api.model
    def _batch_job_restore(self, values, lines):
        """The wizard of one batch: the values it kept, on the batch's leads."""
        if "lead_ids" in self._fields:
            values = dict(values, lead_ids=[Command.set(lines.lead_id.ids)])
        return self.create(values)

    def _batch_job_apply(self, lines):
        """Apply the wizard to the records of ``lines`` (one batch, in a
        savepoint: raising fails the batch, then each line is tried alone).

        :return: ``{line: (state, message)}`` for the lines not done (state
          'failed' or 'skipped'), or done with a message
        """
        raise NotImplementedError
