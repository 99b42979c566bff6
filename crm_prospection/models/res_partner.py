# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = [
        "res.partner",
        "crm.assignable.mixin",
        "crm.agency.mixin",
        "crm.map.mixin",
    ]

    user_id = fields.Many2one(
        domain="[('share', '=', False),"
        " ('all_group_ids', 'in', crm_assignable_group_ids)]"
    )

    def _compute_user_id(self):
        """A contact takes its company's salesperson only when CFG-1 allows it."""
        unassigned = self.filtered(lambda partner: not partner.user_id)
        super()._compute_user_id()
        inherited = unassigned.filtered("user_id")
        for company, partners in inherited.grouped(
            lambda partner: partner._crm_assignment_company()
        ).items():
            allowed = self._crm_filter_assignable(partners.user_id, company)
            partners.filtered(
                lambda partner, allowed=allowed: partner.user_id not in allowed
            ).user_id = False
        return None
