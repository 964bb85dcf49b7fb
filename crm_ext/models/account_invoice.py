# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from ..tools import insight_queries, prepared
from .res_partner import LOYALTY_READERS

# invoices whose figures the backfill stores per statement
INVOICE_FIGURES_BATCH = 50000
# the attribute of the cursor that holds the validation in progress
POSTING_STATE = "_crm_ext_loyalty_posting"
# operations in progress (see in_progress): the invoices whose journal
# entries are being made, those being cancelled (see account.move.unlink)
MOVES_IN_CREATION = "invoice_move_creation"
CANCELLING = "invoice_cancellation"


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    # double precision numbers, not decimals: the nightly customer figures
    # sum them over every invoice (see insight_queries.INVOICE_FIGURES)
    insight_net_signed = fields.Float(
        "Net Sales", readonly=True, copy=False,
        help="Untaxed amount of the invoice in the company currency when it was validated "
             "(negative for a refund), as the customer figures sum it.")
    insight_cost_signed = fields.Float(
        "Cost of Goods Sold", readonly=True, copy=False,
        help="Cost of the invoiced products at the company's cost on the day the invoice was "
             "validated, in the company currency (negative for a refund).")
    insight_discount_signed = fields.Float(
        "Discounts Given", readonly=True, copy=False,
        help="Discounts granted on the invoice lines, in the company currency (negative for "
             "a refund).")
    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "invoice_id", "Loyalty Points", readonly=True,
        groups=LOYALTY_READERS)
    complaint_id = fields.Many2one(
        "crm.complaint", readonly=True, index=True, copy=False, ondelete="set null",
        help="The complaint this credit note was made for.")
    # reckoned when the invoice is validated (see _loyalty_reckon)
    loyalty_points_full = fields.Float(
        "Loyalty Points of the Invoice", readonly=True, copy=False, groups=LOYALTY_READERS,
        help="What the whole invoice earns, reckoned when it is validated by the program's "
             "rules then and the tier the customer held before it: payments earn their share "
             "(when the program earns on payment), credit notes take theirs back.")
    loyalty_earn_multiplier = fields.Float(
        "Tier Multiplier", readonly=True, copy=False, groups=LOYALTY_READERS,
        help="The earn multiplier of the tier the customer held before this invoice.")

    @api.model_cr_context
    def _auto_init(self):
        result = super(AccountInvoice, self)._auto_init()
        # indexes only (idempotent): the figures of the invoices validated
        # before crm_ext are filled by hooks.post_init_hook and the migrations
        cr = self._cr
        # the refresh after each invoice reads one customer's invoices
        tools.create_index(cr, "account_invoice_commercial_partner_company_index",
                           self._table, ["commercial_partner_id", "company_id"])
        # the loyalty points of an invoice depend on its credit notes
        tools.create_index(cr, "account_invoice_refund_invoice_id_index",
                           self._table, ["refund_invoice_id"])
        return result

    @api.multi
    def write(self, vals):
        """As ``account.invoice.write``; the cost of the complaints of these
        credit notes follows them."""
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

        :raises ValidationError: they do.
        """
        self.ensure_one()
        currency = self.currency_id
        credited, unmatched = self._credited_by_line()
        for line, (quantity, amount) in credited.items():
            if tools.float_compare(quantity, line.quantity,
                                   precision_rounding=line.uom_id.rounding or 0.01) > 0 \
                    or currency.compare_amounts(amount, line.price_subtotal) > 0:
                raise ValidationError(_(
                    "%(line)s: the credit notes of %(invoice)s would credit %(quantity)s "
                    "for %(amount)s, more than the %(invoiced)s for %(invoiced_amount)s "
                    "invoiced.") % {
                        "line": line.name, "invoice": self.number or self.display_name,
                        "quantity": quantity, "amount": currency.round(amount),
                        "invoiced": line.quantity, "invoiced_amount": line.price_subtotal})
        total = sum(amount for _quantity, amount in credited.values()) + unmatched
        if currency.compare_amounts(total, self.amount_untaxed) > 0:
            raise ValidationError(_(
                "The credit notes of %(invoice)s would credit %(total)s, more than the "
                "%(invoiced)s it invoiced (untaxed).") % {
                    "invoice": self.number or self.display_name,
                    "total": currency.round(total), "invoiced": self.amount_untaxed})

    @api.multi
    def invoice_validate(self):
        """The last step of a validation (``action_invoice_open``), which
        has made the invoices' journal entries: the figures and points of
        the customers follow.

        :raises UserError: an invoice is not being validated (no journal
            entry yet, or already open, paid or cancelled): call
            ``action_invoice_open``.
        """
        if self.filtered(lambda inv: not inv.move_id
                         or inv.state not in ("draft", "proforma", "proforma2")):
            raise UserError(_("Validate invoices with their Validate button "
                              "(action_invoice_open): this step alone would mark them "
                              "open without their journal entries, or twice."))
        result = super(AccountInvoice, self).invoice_validate()
        customer_invoices = self._customer_invoices()
        if customer_invoices:
            self._store_insight_figures(customer_invoices.ids, validating=True)
        self._refresh_customer_insight()
        customer_invoices._sync_loyalty_points()
        return result

    def _customer_invoices(self):
        """The customer invoices and credit notes among ``self``: those that
        keep insight figures and whose customers' figures follow them."""
        return self.filtered(lambda inv: inv.type in ("out_invoice", "out_refund"))

    def _refresh_customer_insight(self):
        """Bring the raw figures of the customers of these invoices up to
        date (see ``crm.customer.insight._refresh_documents``)."""
        self.env["crm.customer.insight"]._refresh_documents(
            self._customer_invoices(), "commercial_partner_id")

    @api.model
    def _store_insight_figures(self, invoice_ids, validating=False):
        """Store the insight figures (net, cost, discounts; see
        ``insight_queries.INVOICE_FIGURES``) of the invoices ``invoice_ids``
        (a list of ids), as of today's costs.  ``validating``: a few
        invoices being validated, whose statement has its generic plan
        (planning it took 2-4 ms, three times running it)."""
        params = {"invoice_ids": list(invoice_ids),
                  "cost_field_id": self.env["ir.model.fields"]._get_id(
                      "product.product", "standard_price")}
        if validating:
            prepared.execute(self._cr, insight_queries.INVOICE_FIGURES, params, generic=True)
        else:
            self._cr.execute(insight_queries.INVOICE_FIGURES, params)
        self.invalidate_cache(
            ["insight_net_signed", "insight_cost_signed", "insight_discount_signed"], invoice_ids)

    @api.model
    def _backfill_insight_figures(self, batch_size=INVOICE_FIGURES_BATCH):
        """Store the insight figures of the posted customer invoices that
        have none (validated before crm_ext was installed, or by a version
        that did not keep them), ``batch_size`` invoices per statement; the
        net amount alone of those that have their cost and discounts.  The
        others keep theirs: run again, it changes nothing.  Called by
        ``hooks.post_init_hook`` and the migrations.  Returns the number of
        invoices whose figures it stored."""
        cr = self._cr
        done, after_id = 0, 0
        while True:
            cr.execute(insight_queries.INVOICE_FIGURES_MISSING,
                       {"after_id": after_id, "batch": batch_size})
            invoice_ids = [row[0] for row in cr.fetchall()]
            if not invoice_ids:
                break
            self._store_insight_figures(invoice_ids)
            done += len(invoice_ids)
            after_id = invoice_ids[-1]
        cr.execute(insight_queries.INVOICE_NET_MISSING)
        self.invalidate_cache(["insight_net_signed"])
        return done + cr.rowcount

    # loyalty points

    @api.multi
    def action_invoice_open(self):
        """Validate the invoices, as ``account.invoice.action_invoice_open``
        (their journal entries, then :meth:`invoice_validate`), with the
        loyalty points of the customer invoices reckoned while their
        journal entries are made.

        :returns: as ``account.invoice.action_invoice_open``.
        :raises UserError: as ``account.invoice.action_invoice_open`` (an
            invoice not in draft, without lines, ...).
        """
        # at_posting, {invoice id: (member, entry values)}: the points of the
        # customer invoices reckoned when their journal entries are made, to
        # book them in those entries (see finalize_invoice_move_lines)
        cr = self.env.cr
        previous = getattr(cr, POSTING_STATE, None)
        setattr(cr, POSTING_STATE, {"at_posting": {}, "posting_ids": ()})
        try:
            return super(AccountInvoice, self).action_invoice_open()
        finally:
            setattr(cr, POSTING_STATE, previous)
