# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    insight_window_days = fields.Integer(related="company_id.insight_window_days")
    insight_source = fields.Selection(related="company_id.insight_source")
    insight_abc_measure = fields.Selection(related="company_id.insight_abc_measure")
    insight_abc_a_share = fields.Float(related="company_id.insight_abc_a_share")
    insight_abc_b_share = fields.Float(related="company_id.insight_abc_b_share")
    insight_new_days = fields.Integer(related="company_id.insight_new_days")
    insight_growth_pct = fields.Float(related="company_id.insight_growth_pct")
    insight_decline_pct = fields.Float(related="company_id.insight_decline_pct")
    insight_rhythm_factor = fields.Float(related="company_id.insight_rhythm_factor")
    insight_lost_factor = fields.Float(related="company_id.insight_lost_factor")
    insight_lost_min_days = fields.Integer(related="company_id.insight_lost_min_days")
    insight_weight_profit = fields.Float(related="company_id.insight_weight_profit")
    insight_weight_volume = fields.Float(related="company_id.insight_weight_volume")
    insight_weight_marketing_cost = fields.Float(
        related="company_id.insight_weight_marketing_cost")
    insight_weight_industry = fields.Float(related="company_id.insight_weight_industry")
    insight_weight_relationship = fields.Float(
        related="company_id.insight_weight_relationship")
    insight_weight_satisfaction = fields.Float(
        related="company_id.insight_weight_satisfaction")
    insight_financial_account_ids = fields.Many2many(
        related="company_id.insight_financial_account_ids")
    insight_last_recompute = fields.Datetime(related="company_id.insight_last_recompute")
