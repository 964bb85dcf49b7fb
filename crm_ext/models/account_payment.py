# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.multi
    def post(self):
        """As ``account.payment.post``; the figures of the customers paying
        follow (see :meth:`_refresh_customer_insight`)."""
        result = super(AccountPayment, self).post()
        self._refresh_customer_insight()
        return result

    @api.multi
    def cancel(self):
        """As ``account.payment.cancel``; the figures of the customers
        follow."""
        result = super(AccountPayment, self).cancel()
        self._refresh_customer_insight()
        return result

    def _refresh_customer_insight(self):
        """Bring the raw figures of the customers of these customer payments
        up to date (see ``crm.customer.insight._refresh_documents``)."""
        self.env["crm.customer.insight"]._refresh_documents(
            self.filtered(lambda pay: pay.partner_type == "customer" and pay.partner_id),
            "partner_id")
