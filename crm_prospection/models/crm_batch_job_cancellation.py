# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmBatchJobCancellation(models.Model):
    """A user's request to stop a job that a batch is running now: the
    scheduled action reads it between two batches and stops the job there.

    Its own table, and no foreign key to the job: recording it neither waits
    for nor locks the job's row, which the running batch holds until it
    commits (a cancel answers at once, and never fights the batch)."""

    _name = "crm.batch.job.cancellation"
    _description = "Cancellation request of a background job"
    _log_access = False

    job_id = fields.Integer(required=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Requested by", default=lambda self: self.env.user
    )
    date = fields.Datetime(default=fields.Datetime.now)
