# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @api.multi
    def post(self):
        result = super(AccountPayment, self).post()
        if self.env.context.get("crm_ext_no_insight_refresh"):
            return result
        customer_payments = self.filtered(lambda pay: pay.partner_type == "customer"
                                          and pay.partner_id)
        insight = self.env["crm.customer.insight"].sudo()
        for company in customer_payments.mapped("company_id"):
            partners = customer_payments.filtered(
                lambda pay: pay.company_id == company).mapped("partner_id")
            insight.refresh_partners(partners, company)
        return result
