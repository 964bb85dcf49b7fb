# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.multi
    def post(self):
        result = super(AccountPayment, self).post()
        self._refresh_customer_insight()
        return result

    @api.multi
    def cancel(self):
        result = super(AccountPayment, self).cancel()
        self._refresh_customer_insight()
        return result

    def _refresh_customer_insight(self):
        self.env["crm.customer.insight"]._refresh_documents(
            self.filtered(lambda pay: pay.partner_type == "customer" and pay.partner_id),
            "partner_id")
