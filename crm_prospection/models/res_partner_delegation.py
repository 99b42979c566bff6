# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

DELEGATION_TYPES = [
    ("invoicing", "Invoicing"),
    ("delivery", "Delivery"),
    ("payment", "Payment"),
    ("ordering", "Ordering"),
]


class ResPartnerDelegation(models.Model):
    """PART-6: a partner managing invoicing, delivery, payment or ordering for
    another one, e.g. a group's head office invoiced for its branches."""

    _name = "res.partner.delegation"
    _description = "Delegation between partners"
    _order = "partner_id, delegation_type, id"
    _rec_name = "delegate_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Managed partner",
        required=True,
        index=True,
        ondelete="cascade",
    )
    delegate_id = fields.Many2one(
        "res.partner",
        string="Managed by",
        required=True,
        index=True,
        ondelete="cascade",
    )
    delegation_type = fields.Selection(
        DELEGATION_TYPES, string="Type", required=True, default="invoicing"
    )

    # One delegate per type: an order knows which address to use.
    _unique_type_per_partner = models.UniqueIndex(
        "(partner_id, delegation_type)",
        "A partner has one delegate per type of delegation.",
    )

    @api.constrains("partner_id", "delegate_id", "delegation_type")
    def _check_no_cycle(self):
        """A partner never manages for itself, even through others."""
        for delegation in self:
            if delegation.partner_id == delegation.delegate_id:
                raise ValidationError(self.env._("A partner cannot manage for itself."))
            # Walk up the chain of delegates of the same type.
            seen = delegation.partner_id
            current = delegation.delegate_id
            while current:
                if current in seen:
                    raise ValidationError(
                        self.env._(
                            "%(delegate)s already depends on %(partner)s for "
                            "%(type)s: delegations cannot loop.",
                            delegate=delegation.delegate_id.display_name,
                            partner=delegation.partner_id.display_name,
                            type=dict(
                                self._fields["delegation_type"]._description_selection(
                                    self.env
                                )
                            )[delegation.delegation_type],
                        )
                    )
                seen |= current
                current = current.managed_by_ids.filtered(
                    lambda other, kind=delegation.delegation_type: (
                        other.delegation_type == kind
                    )
                ).delegate_id
