# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    insight_window_days = fields.Integer("Analysis Window (days)", default=365)
    insight_source = fields.Selection([
        ("invoice", "Posted invoices and refunds"),
        ("order", "Confirmed sale orders"),
    ], "Sales Figures From", default="invoice", required=True)
    insight_abc_measure = fields.Selection([
        ("margin", "Gross margin"),
        ("revenue", "Net invoiced"),
    ], "ABC Measure", default="margin", required=True)
    insight_abc_a_share = fields.Float("Class A Share (%)", default=80.0)
    insight_abc_b_share = fields.Float("Class B Share (%)", default=15.0)
    insight_new_days = fields.Integer("New Customer For (days)", default=90)
    insight_growth_pct = fields.Float("Growing From (%)", default=20.0)
    insight_decline_pct = fields.Float("Declining From (%)", default=30.0)
    insight_rhythm_factor = fields.Float("Overdue Rhythm Factor", default=1.5)
    insight_lost_factor = fields.Float("Lost Rhythm Factor", default=2.0)
    insight_lost_min_days = fields.Integer("Lost After At Least (days)", default=180)
    insight_weight_profit = fields.Float("Weight: Gross Profit", default=30.0)
    insight_weight_volume = fields.Float("Weight: Sales Volume", default=20.0)
    insight_weight_marketing_cost = fields.Float("Weight: Marketing Cost", default=10.0)
    insight_weight_industry = fields.Float("Weight: Industry Position", default=15.0)
    insight_weight_relationship = fields.Float("Weight: Relationship Length", default=15.0)
    insight_weight_satisfaction = fields.Float("Weight: Satisfaction", default=10.0)
    insight_financial_account_ids = fields.Many2many(
        "account.account", "res_company_insight_financial_account_rel", "company_id",
        "account_id", "Financial Expense Accounts",
        help="Expenses booked on these accounts with a customer as partner (cash discounts, "
             "bank charges, payment write-offs...) count in the customer's marketing cost, "
             "with the sales discounts.")
    insight_last_recompute = fields.Datetime("Customer Insight Computed On", readonly=True)

    @api.constrains(
        "insight_window_days", "insight_abc_a_share", "insight_abc_b_share",
        "insight_new_days", "insight_growth_pct", "insight_decline_pct",
        "insight_rhythm_factor", "insight_lost_factor", "insight_lost_min_days",
        "insight_weight_profit", "insight_weight_volume", "insight_weight_marketing_cost",
        "insight_weight_industry", "insight_weight_relationship",
        "insight_weight_satisfaction")
    def _check_insight_settings(self):
        for company in self:
            if company.insight_window_days < 1:
                raise ValidationError(_("The analysis window must be at least one day."))
            if (company.insight_abc_a_share <= 0 or company.insight_abc_b_share < 0
                    or company.insight_abc_a_share + company.insight_abc_b_share > 100):
                raise ValidationError(_("ABC shares: class A above 0%, class B not negative, "
                                        "and together at most 100%."))
            if min(company.insight_new_days, company.insight_lost_min_days) < 0 \
                    or min(company.insight_growth_pct, company.insight_decline_pct) < 0 \
                    or company.insight_decline_pct >= 100:
                raise ValidationError(_("Lifecycle thresholds cannot be negative, and a "
                                        "decline is less than 100%."))
            if company.insight_rhythm_factor <= 0 or company.insight_lost_factor <= 0:
                raise ValidationError(_("Rhythm factors must be above zero."))
            weights = [company.insight_weight_profit, company.insight_weight_volume,
                       company.insight_weight_marketing_cost, company.insight_weight_industry,
                       company.insight_weight_relationship,
                       company.insight_weight_satisfaction]
            if min(weights) < 0 or not sum(weights):
                raise ValidationError(_("Value score weights cannot be negative and at least "
                                        "one must be above zero."))
