# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from . import insight_queries

INVOICE_FIGURES_BATCH = 50000


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    insight_cost_signed = fields.Monetary(
        "Cost of Goods Sold", currency_field="company_currency_id", readonly=True,
        copy=False,
        help="Cost of the invoiced products at the company's cost on the day the invoice was "
             "validated, in the company currency (negative for a refund).")
    insight_discount_signed = fields.Monetary(
        "Discounts Given", currency_field="company_currency_id", readonly=True, copy=False,
        help="Discounts granted on the invoice lines, in the company currency (negative for "
             "a refund).")

    @api.model_cr_context
    def _auto_init(self):
        cr = self._cr
        new_columns = not tools.column_exists(cr, self._table, "insight_cost_signed")
        result = super(AccountInvoice, self)._auto_init()
        # the refresh after each invoice reads one customer's invoices
        tools.create_index(cr, "account_invoice_commercial_partner_company_index",
                           self._table, ["commercial_partner_id", "company_id"])
        if new_columns:
            cr.execute(insight_queries.INVOICE_FIGURES_ALL)
            invoice_ids = [row[0] for row in cr.fetchall()]
            for start in range(0, len(invoice_ids), INVOICE_FIGURES_BATCH):
                self._store_insight_figures(invoice_ids[start:start + INVOICE_FIGURES_BATCH])
        return result

    @api.model
    def _store_insight_figures(self, invoice_ids):
        cost_field = self.env["ir.model.fields"].search(
            [("model", "=", "product.product"), ("name", "=", "standard_price")], limit=1)
        self._cr.execute(insight_queries.INVOICE_FIGURES, {
            "invoice_ids": list(invoice_ids), "cost_field_id": cost_field.id})
        self.invalidate_cache(["insight_cost_signed", "insight_discount_signed"], invoice_ids)

    @api.multi
    def invoice_validate(self):
        result = super(AccountInvoice, self).invoice_validate()
        customer_invoices = self._customer_invoices()
        if customer_invoices:
            self._store_insight_figures(customer_invoices.ids)
        self._refresh_customer_insight()
        return result

    @api.multi
    def action_invoice_cancel(self):
        result = super(AccountInvoice, self).action_invoice_cancel()
        self._refresh_customer_insight()
        return result

    def _customer_invoices(self):
        return self.filtered(lambda inv: inv.type in ("out_invoice", "out_refund"))

    def _refresh_customer_insight(self):
        self.env["crm.customer.insight"].refresh_documents(
            self._customer_invoices(), "commercial_partner_id")
