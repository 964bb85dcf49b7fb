# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn settings of res.config.settings: the company's, see res_company_churn.py."""
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The churn risk, model and predicted value settings of the company."""

    # one concern of the settings per file
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    churn_weight_rhythm = fields.Float(related="company_id.churn_weight_rhythm")
    churn_weight_frequency = fields.Float(related="company_id.churn_weight_frequency")
    churn_weight_spend = fields.Float(related="company_id.churn_weight_spend")
    churn_weight_interactions = fields.Float(related="company_id.churn_weight_interactions")
    churn_weight_complaints = fields.Float(related="company_id.churn_weight_complaints")
    churn_weight_rating = fields.Float(related="company_id.churn_weight_rating")
    churn_weight_overdue = fields.Float(related="company_id.churn_weight_overdue")
    churn_weight_returns = fields.Float(related="company_id.churn_weight_returns")
    churn_weight_tier = fields.Float(related="company_id.churn_weight_tier")
    churn_weight_points = fields.Float(related="company_id.churn_weight_points")
    churn_weight_segment = fields.Float(related="company_id.churn_weight_segment")
    churn_weight_p_alive = fields.Float(related="company_id.churn_weight_p_alive")
    churn_rhythm_full_factor = fields.Float(related="company_id.churn_rhythm_full_factor")
    churn_drop_pct = fields.Float(related="company_id.churn_drop_pct")
    churn_interaction_min = fields.Integer(related="company_id.churn_interaction_min")
    churn_complaint_full = fields.Integer(related="company_id.churn_complaint_full")
    churn_rating_max = fields.Integer(related="company_id.churn_rating_max")
    churn_overdue_full_days = fields.Integer(related="company_id.churn_overdue_full_days")
    churn_return_full_pct = fields.Float(related="company_id.churn_return_full_pct")
    churn_points_days = fields.Integer(related="company_id.churn_points_days")
    churn_points_min = fields.Float(related="company_id.churn_points_min")
    churn_holdout_days = fields.Integer(related="company_id.churn_holdout_days")
    clv_horizon_months = fields.Integer(related="company_id.clv_horizon_months")
    clv_discount_rate = fields.Float(related="company_id.clv_discount_rate")
