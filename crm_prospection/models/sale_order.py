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
        """PART-2: confirming the first order makes a prospect a customer;
        CFG-7: it may close the order's opportunity won."""
        res = super()._action_confirm()
        self.partner_id._crm_become_customers()
        self._crm_win_opportunities()
        return res

    def _crm_win_opportunities(self):
        """CFG-7, OPP-5: when its company says so, confirming an order marks its
        opportunity won (once), with a message naming the order."""
        orders = self.filtered(
            lambda order: (
                order.company_id.crm_close_opportunity_on_order
                and order.opportunity_id.type == "opportunity"
                and order.opportunity_id.won_status != "won"
            )
        )
        if not orders:
            return
        orders.opportunity_id.action_set_won()
        for opportunity, won_by in orders.grouped("opportunity_id").items():
            opportunity.message_post(
                body=self.env._(
                    "Won: its order %s was confirmed.", won_by[0]._get_html_link()
                ),
                subtype_xmlid="mail.mt_note",
            )
