# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountInvoiceLine(models.Model):
    _inherit = "account.invoice.line"

    @api.constrains("quantity", "price_unit", "discount", "product_id", "uom_id", "name",
                    "invoice_id")
    def _check_complaint_credit(self):
        """The lines of a complaint's credit note, however changed, credit
        no more than its invoice sold (see account.invoice)."""
        self.mapped("invoice_id")._check_complaint_credit()
