# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.depends("partner_id")
    def _compute_partner_invoice_id(self):
        """PART-6: an invoicing delegation makes the delegate the invoice address."""
        res = super()._compute_partner_invoice_id()
        for order in self.filtered("partner_id"):
            delegation = order.partner_id.commercial_partner_id.managed_by_ids.filtered(
                lambda delegation: delegation.delegation_type == "invoicing"
            )[:1]
            if delegation:
                order.partner_invoice_id = delegation.delegate_id.address_get(
                    ["invoice"]
                )["invoice"]
        return res

    def _action_confirm(self):
        """PART-2: confirming the first order makes a prospect a customer."""
        res = super()._action_confirm()
        self.partner_id._crm_become_customers()
        return res
