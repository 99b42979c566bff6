# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class CrmStage(models.Model):
    """OPP-1: opportunity stages stay configurable, but opportunities can always be
    won: the last won stage can neither be deleted nor lose its won flag."""

    _inherit = "crm.stage"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_won_stage(self):
        self._check_keeps_a_won_stage()

    def write(self, vals):
        if "is_won" in vals and not vals["is_won"]:
            self._check_keeps_a_won_stage()
        return super().write(vals)

    def _check_keeps_a_won_stage(self):
        won = self.filtered("is_won")
        if won and not self.search_count(
            [("is_won", "=", True), ("id", "not in", self.ids)], limit=1
        ):
            raise UserError(
                self.env._(
                    "%s is the last won stage: without it, opportunities could no "
                    "longer be won. Mark another stage as won first.",
                    won[0].name,
                )
            )
