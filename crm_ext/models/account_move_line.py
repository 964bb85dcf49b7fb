# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.multi
    def reconcile(self, writeoff_acc_id=False, writeoff_journal_id=False):
        """Odoo's reconciliation; then the points of the invoices it settles
        follow their payments and credit notes.  Returns as Odoo's."""
        residuals = self._residuals()
        result = super(AccountMoveLine, self).reconcile(
            writeoff_acc_id=writeoff_acc_id, writeoff_journal_id=writeoff_journal_id)
        # payments and credit notes settle invoices: their points and the
        # customers' receivables follow (a call that matched nothing moves
        # nothing)
        self._follow_residuals(residuals)
        return result

    @api.multi
    def remove_move_reconcile(self):
        """Odoo's unreconciliation; then the points of the invoices it
        re-opens follow."""
        lines = (self | self.mapped("matched_debit_ids.debit_move_id")
                 | self.mapped("matched_credit_ids.credit_move_id"))
        residuals = lines._residuals()
        result = super(AccountMoveLine, self).remove_move_reconcile()
        # only the items it re-opened move (a call on an item matched with
        # nothing, or on lines another invoice's button keeps, moves nothing)
        lines._follow_residuals(residuals)
        return result

    def _residuals(self):
        """{item id: its residual amount}, before a reconciliation changes
        them (see :meth:`_follow_residuals`)."""
        return {line.id: line.amount_residual for line in self}

    def _follow_residuals(self, residuals):
        """The points of the invoices and the figures of the customers of
        the items among ``self`` whose residual is no longer the one in
        ``residuals`` (see :meth:`_residuals`) follow."""
        moved = self.exists().filtered(
            lambda line: line.company_id.currency_id.compare_amounts(
                line.amount_residual, residuals[line.id]) != 0)
        moved.mapped("invoice_id")._sync_loyalty_points()
        moved._refresh_customer_insight()

    def _refresh_customer_insight(self):
        """The figures of the customers of these receivable items."""
        self.env["crm.customer.insight"]._refresh_documents(
            self.filtered(lambda line: line.partner_id
                          and line.account_id.internal_type == "receivable"), "partner_id")
