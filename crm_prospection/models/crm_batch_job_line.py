# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmBatchJobLine(models.Model):
    """One record of a background job: whether it is done, and why not."""

    _name = "crm.batch.job.line"
    _description = "Background batch job line"
    _order = "job_id, id"

    job_id = fields.Many2one(
        "crm.batch.job", required=True, readonly=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one("crm.lead", readonly=True, index=True, ondelete="cascade")
    # What a line without lead stands for (a part of a city import).
    name = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("skipped", "Left as it was"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
    )
    message = fields.Text(readonly=True)
    date = fields.Datetime(string="Handled on", readonly=True)
    # The values the job sets, as the lead had them when the job was queued (a
    # value changed since then was set by hand and is kept); for a line without
    # lead, the part of the work it stands for.
    snapshot = fields.Json(readonly=True)

    @api.depends("lead_id", "name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.name or line.lead_id.display_name

    _job_pending_idx = models.Index("(job_id, id) WHERE state = 'pending'")
