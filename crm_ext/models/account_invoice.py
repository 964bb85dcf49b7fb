# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models, tools


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.model_cr_context
    def _auto_init(self):
        result = super(AccountInvoice, self)._auto_init()
        # the refresh after each invoice reads one customer's invoices
        tools.create_index(self._cr, "account_invoice_commercial_partner_company_index",
                           self._table, ["commercial_partner_id", "company_id"])
        return result

    @api.multi
    def invoice_validate(self):
        result = super(AccountInvoice, self).invoice_validate()
        self._refresh_customer_insight()
        return result

    @api.multi
    def action_invoice_cancel(self):
        result = super(AccountInvoice, self).action_invoice_cancel()
        self._refresh_customer_insight()
        return result

    def _refresh_customer_insight(self):
        self.env["crm.customer.insight"].refresh_documents(
            self.filtered(lambda inv: inv.type in ("out_invoice", "out_refund")),
            "commercial_partner_id")
