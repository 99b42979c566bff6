# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

# Fields of the standard statuses (Converted, Lost) that other code relies on.
PROTECTED_FIELDS = {"code", "is_open", "active"}


class CrmLeadStatus(models.Model):
    """A step of a lead's life (STAT-1), ordered by sequence in the workflow bar.

    Open statuses list the lead under CRM › Leads, the others under Lead history.
    Two statuses have a role, given by ``code``: Converted (set by the conversion
    only) and Lost (archives the lead with a reason).
    """

    _name = "crm.lead.status"
    _description = "Lead Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Order in the workflow bar. Use tens (10, 20, 30…): 15 sits between "
        "10 and 20.",
    )
    is_open = fields.Boolean(
        string="Open",
        default=True,
        help="Leads in an open status are listed under Leads; the others under "
        "Lead history.",
    )
    code = fields.Selection(
        [("converted", "Converted"), ("lost", "Lost")],
        string="Role",
        readonly=True,
        copy=False,
        help="The standard statuses the conversion and the lost flow rely on.",
    )
    allow_conversion = fields.Boolean(
        string="Allow conversion",
        help="Leads in this status can be converted into a partner, a contact and "
        "an opportunity.",
    )
    fold = fields.Boolean(
        string="Folded in kanban", help="Fold this column in the kanban view."
    )
    active = fields.Boolean(default=True)
    lead_count = fields.Integer(compute="_compute_lead_count", string="Leads")

    _unique_code = models.UniqueIndex(
        "(code) WHERE code IS NOT NULL",
        "There can only be one status per role (Converted, Lost).",
    )

    # The leads counted are those the user may read: never share the count
    # between users or company selections.
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("lead_status_id", "in", self.ids)],
                ["lead_status_id"],
                ["__count"],
            )
        )
        for status in self:
            status.lead_count = counts.get(status, 0)

    @api.model
    def _get_status(self, code):
        """The standard status of that role (``converted`` or ``lost``)."""
        status = self.with_context(active_test=False).search(
            [("code", "=", code)], limit=1
        )
        if not status:
            raise UserError(
                self.env._("The standard lead status '%s' is missing.", code)
            )
        return status

    @api.model
    def _get_default_open_status(self):
        """The open status with the lowest sequence: new and restored leads get it."""
        return self.search([("is_open", "=", True)], limit=1)

    def write(self, vals):
        standard = self.filtered("code")
        if standard and PROTECTED_FIELDS & set(vals):
            for status in standard:
                if any(
                    (vals[field] or False) != (status[field] or False)
                    for field in PROTECTED_FIELDS & set(vals)
                ):
                    raise UserError(
                        self.env._(
                            "The standard status '%(status)s' keeps its role, its "
                            "'open' flag and stays active; you may rename it or "
                            "move it in the sequence.",
                            status=status.name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_standard(self):
        standard = self.filtered("code")
        if standard:
            raise UserError(
                self.env._(
                    "The standard statuses %s cannot be deleted: the conversion and "
                    "the lost flow rely on them.",
                    ", ".join(standard.mapped("name")),
                )
            )
