# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Complaint give-backs of account.invoice: credit notes capped at what was sold."""
from odoo import api, fields, models, tools

from ..exceptions import CreditOverInvoiceError, CreditOverLineError


class AccountInvoice(models.Model):
    """Credit notes of complaints and what they credit of their invoice."""

    # a concern of its own (one concern per file)
    _inherit = "account.invoice"  # pylint: disable=consider-merging-classes-inherited

    complaint_id = fields.Many2one(
        "crm.complaint", readonly=True, index=True, copy=False, ondelete="set null",
        help="The complaint this credit note was made for.")

    @api.multi
    def write(self, vals):
        """Change invoices (``vals``: field values); the cost of the
        complaints of the credit notes among them follows.  Returns True."""
        result = super(AccountInvoice, self).write(vals)
        # the cost of a complaint follows its credit notes; a dependency on
        # every invoice's state and amounts would search complaints at each
        # write of every invoice
        complaints = self.filtered("complaint_id").mapped("complaint_id")
        if complaints:
            complaints._refresh_cost_amount()
        return result

    @api.constrains("state", "complaint_id", "refund_invoice_id", "currency_id")
    def _check_complaint_credit(self):
        """A complaint's credit note credits no more than its invoice sold:
        see :meth:`_check_credited_within_sold`."""
        refunds = self.filtered(lambda refund: refund.complaint_id
                                and refund.type == "out_refund" and refund.state != "cancel")
        for invoice in refunds.mapped("refund_invoice_id"):
            invoice._check_credited_within_sold()

    @api.multi
    def _credited_by_line(self):
        """What the credit notes of this customer invoice credit of it:
        ({invoice line: [quantity in the line's unit, untaxed amount in the
        invoice's currency]}, untaxed amount of the credit note lines that
        match none of its lines).  Every credit note of the invoice counts,
        drafts included, whoever made it, but the cancelled ones.  A credit
        note line matches the invoice lines of its product (of its
        description without product); several lines of one product take it
        in turn, each up to the quantity it invoiced."""
        self.ensure_one()
        lines = self.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
        credited = {line: [0.0, 0.0] for line in lines}
        by_key = {}
        for line in lines:
            by_key.setdefault(self._credit_match_key(line), []).append(line)
        unmatched = 0.0
        for refund_line in self._counted_refunds().mapped("invoice_line_ids"):
            refund = refund_line.invoice_id
            amount = refund.currency_id.with_context(date=refund.date_invoice).compute(
                refund_line.price_subtotal, self.currency_id, round=False)
            matches = by_key.get(self._credit_match_key(refund_line))
            if not matches:
                unmatched += amount
                continue
            quantity = refund_line.quantity
            if refund_line.uom_id and matches[0].uom_id:
                quantity = refund_line.uom_id._compute_quantity(
                    quantity, matches[0].uom_id, round=False)
            if not quantity:
                credited[matches[0]][1] += amount
                continue
            left = quantity
            for line in matches:
                take = left if line == matches[-1] else min(
                    left, max(0.0, line.quantity - credited[line][0]))
                credited[line][0] += take
                credited[line][1] += amount * take / quantity
                left -= take
                if not left:
                    break
        return credited, unmatched

    @api.multi
    def _counted_refunds(self):
        """The credit notes that count against this invoice: all but the
        cancelled ones, drafts included, whoever made them."""
        return self.sudo().refund_invoice_ids.filtered(
            lambda refund: refund.type == "out_refund" and refund.state != "cancel")

    @api.model
    def _credit_match_key(self, line):
        """What a credit note line and the invoice line it credits share
        (``line``: an account.invoice.line): the product, else the
        description.  Meant to be overridden by a module that matches the
        lines otherwise (by lot, by sale order line, ...)."""
        if line.product_id:
            return line.product_id.id, None
        return None, (line.name or "").strip()

    @api.multi
    def _credit_left(self):
        """{invoice line: (quantity credited, quantity that no credit note
        credits yet)}; what is left is the quantity not credited or the
        quantity the amount not credited pays for, whichever is smaller
        (rounded down to the unit)."""
        self.ensure_one()
        credited, _unmatched = self._credited_by_line()
        result = {}
        for line, (quantity, amount) in credited.items():
            left = line.quantity - quantity
            if line.quantity and line.price_subtotal:
                left = min(left, (line.price_subtotal - amount)
                           * line.quantity / line.price_subtotal)
            result[line] = (quantity, max(0.0, tools.float_round(
                left, precision_rounding=line.uom_id.rounding or 0.01,
                rounding_method="DOWN")))
        return result

    @api.multi
    def _check_credited_within_sold(self):
        """The credit notes of this invoice credit no more of a line than
        it invoiced (quantity and amount), and no more than the invoice in
        all.

        :raises CreditOverLineError: a line is credited beyond what it
            invoiced (quantity or amount).
        :raises CreditOverInvoiceError: the invoice is credited beyond its
            untaxed amount (both are ValidationError).
        """
        self.ensure_one()
        currency = self.currency_id
        credited, unmatched = self._credited_by_line()
        for line, (quantity, amount) in credited.items():
            if tools.float_compare(quantity, line.quantity,
                                   precision_rounding=line.uom_id.rounding or 0.01) > 0 \
                    or currency.compare_amounts(amount, line.price_subtotal) > 0:
                raise CreditOverLineError(self, line, quantity, amount)
        total = sum(amount for _quantity, amount in credited.values()) + unmatched
        if currency.compare_amounts(total, self.amount_untaxed) > 0:
            raise CreditOverInvoiceError(self, total)
