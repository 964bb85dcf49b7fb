# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer insight settings of res.config.settings: the company's, see res_company.py."""
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The customer insight settings of the company; each says what it
    governs (the company fields' own help, where they have one, otherwise
    here)."""

    _inherit = "res.config.settings"

    insight_window_days = fields.Integer(
        related="company_id.insight_window_days",
        help="Days of sales history the figures, RFM scores and ABC classes are computed on.")
    insight_source = fields.Selection(
        related="company_id.insight_source",
        help="Whether the figures read posted invoices and refunds, or confirmed sale "
             "orders.")
    insight_abc_measure = fields.Selection(
        related="company_id.insight_abc_measure",
        help="What ranks customers into classes A, B and C: their gross margin or their "
             "net invoiced amount over the analysis window.")
    insight_abc_a_share = fields.Float(
        related="company_id.insight_abc_a_share",
        help="Class A: the best customers who together make this share of the measure.")
    insight_abc_b_share = fields.Float(
        related="company_id.insight_abc_b_share",
        help="Class B: the next customers who make this share of the measure; the rest are "
             "class C.")
    insight_new_days = fields.Integer(
        related="company_id.insight_new_days",
        help="A customer whose first purchase is this recent is in the New stage.")
    insight_growth_pct = fields.Float(
        related="company_id.insight_growth_pct",
        help="Growing: sales of the last half of the window up by at least this share on the "
             "half before.")
    insight_decline_pct = fields.Float(
        related="company_id.insight_decline_pct",
        help="Declining: sales of the last half of the window down by at least this share on "
             "the half before.")
    insight_rhythm_factor = fields.Float(
        related="company_id.insight_rhythm_factor",
        help="Declining too: no purchase for this multiple of the customer's usual days "
             "between purchases.")
    insight_lost_factor = fields.Float(
        related="company_id.insight_lost_factor",
        help="Lost: no purchase for this multiple of the customer's usual days between "
             "purchases (and at least the days below).")
    insight_lost_min_days = fields.Integer(
        related="company_id.insight_lost_min_days",
        help="A customer is never lost before this many days without a purchase.")
    insight_weight_profit = fields.Float(
        related="company_id.insight_weight_profit",
        help="Points of the value score (0-100) the gross profit gives at its best.")
    insight_weight_volume = fields.Float(
        related="company_id.insight_weight_volume",
        help="Points of the value score (0-100) the sales volume gives at its best.")
    insight_weight_marketing_cost = fields.Float(
        related="company_id.insight_weight_marketing_cost",
        help="Points of the value score (0-100) a low marketing cost (discounts, financial "
             "expenses) gives at its best.")
    insight_weight_industry = fields.Float(
        related="company_id.insight_weight_industry",
        help="Points of the value score (0-100) the customer's industry position (a manual "
             "rating) gives at its best.")
    insight_weight_relationship = fields.Float(
        related="company_id.insight_weight_relationship",
        help="Points of the value score (0-100) the length of the relationship gives at its "
             "best.")
    insight_weight_satisfaction = fields.Float(
        related="company_id.insight_weight_satisfaction",
        help="Points of the value score (0-100) the customer's satisfaction gives at its "
             "best.")
    insight_financial_account_ids = fields.Many2many(
        related="company_id.insight_financial_account_ids")
    insight_last_recompute = fields.Datetime(
        related="company_id.insight_last_recompute",
        help="When the nightly job (or a recompute) last computed the figures of the "
             "company's customers.")
