# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..tools import insight_queries, prepared

# invoices whose figures the backfill stores per statement
INVOICE_FIGURES_BATCH = 50000

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
        return result

    @api.multi
    def action_cancel(self):
        """Cancel the invoices, as ``account.invoice.action_cancel``; their
        customers' figures follow.  Returns True."""
        result = super(AccountInvoice, self).action_cancel()
        self._refresh_customer_insight()
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
