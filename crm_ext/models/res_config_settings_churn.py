# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn settings of res.config.settings: the company's, see res_company_churn.py."""
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The churn risk, model and predicted value settings of the company."""

    # one concern of the settings per file
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    churn_weight_rhythm = fields.Float(
        related="company_id.churn_weight_rhythm",
        help="Points of the churn risk (0-100) a purchase overdue on the customer's "
             "rhythm gives at its strongest.")
    churn_weight_frequency = fields.Float(
        related="company_id.churn_weight_frequency",
        help="Points of the churn risk (0-100) fewer orders than in the 90 days "
             "before give at their strongest.")
    churn_weight_spend = fields.Float(
        related="company_id.churn_weight_spend",
        help="Points of the churn risk (0-100) a lower spend than in the 90 days "
             "before gives at its strongest.")
    churn_weight_interactions = fields.Float(
        related="company_id.churn_weight_interactions",
        help="Points of the churn risk (0-100) too few messages, calls and meetings "
             "give at their strongest.")
    churn_weight_complaints = fields.Float(
        related="company_id.churn_weight_complaints",
        help="Points of the churn risk (0-100) open complaints give at their "
             "strongest.")
    churn_weight_rating = fields.Float(
        related="company_id.churn_weight_rating",
        help="Points of the churn risk (0-100) a low last complaint rating gives.")
    churn_weight_overdue = fields.Float(
        related="company_id.churn_weight_overdue",
        help="Points of the churn risk (0-100) overdue receivables give at their "
             "strongest.")
    churn_weight_returns = fields.Float(
        related="company_id.churn_weight_returns",
        help="Points of the churn risk (0-100) returns and refunds give at their "
             "strongest.")
    churn_weight_tier = fields.Float(
        related="company_id.churn_weight_tier",
        help="Points of the churn risk (0-100) a loyalty tier lost gives.")
    churn_weight_points = fields.Float(
        related="company_id.churn_weight_points",
        help="Points of the churn risk (0-100) loyalty points about to expire give.")
    churn_weight_segment = fields.Float(
        related="company_id.churn_weight_segment",
        help="Points of the churn risk (0-100) a move to a lower segment gives.")
    churn_weight_p_alive = fields.Float(
        related="company_id.churn_weight_p_alive",
        help="Points of the churn risk (0-100) the churn model's probability of no "
             "more purchases (1 - P(alive)) gives at its strongest.")
    churn_rhythm_full_factor = fields.Float(related="company_id.churn_rhythm_full_factor")
    churn_drop_pct = fields.Float(related="company_id.churn_drop_pct")
    churn_interaction_min = fields.Integer(related="company_id.churn_interaction_min")
    churn_complaint_full = fields.Integer(related="company_id.churn_complaint_full")
    churn_rating_max = fields.Integer(related="company_id.churn_rating_max")
    churn_overdue_full_days = fields.Integer(
        related="company_id.churn_overdue_full_days",
        help="Receivables overdue by this many days weigh fully in the churn risk.")
    churn_return_full_pct = fields.Float(related="company_id.churn_return_full_pct")
    churn_points_days = fields.Integer(
        related="company_id.churn_points_days",
        help="Loyalty points expiring within this many days count in the churn risk.")
    churn_points_min = fields.Float(
        related="company_id.churn_points_min",
        help="Expiring loyalty points count in the churn risk from this many points.")
    churn_holdout_days = fields.Integer(related="company_id.churn_holdout_days")
    clv_horizon_months = fields.Integer(
        related="company_id.clv_horizon_months",
        help="Months ahead the predicted lifetime value of a customer covers.")
    clv_discount_rate = fields.Float(
        related="company_id.clv_discount_rate",
        help="Yearly rate the future purchases of the predicted lifetime value are "
             "discounted at.")
