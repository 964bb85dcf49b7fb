# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn alert concern of res.config.settings: the company's alert and crisis settings."""
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The churn alert settings of res.company (res_company_churn_alert.py)."""

    # one concern of the model per file
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    churn_alert_risk_threshold = fields.Integer(
        related="company_id.churn_alert_risk_threshold")
    churn_alert_p_alive_threshold = fields.Float(
        related="company_id.churn_alert_p_alive_threshold")
    churn_alert_lost_days = fields.Integer(related="company_id.churn_alert_lost_days")
    churn_alert_holdout_pct = fields.Float(related="company_id.churn_alert_holdout_pct")
    churn_crisis_window_days = fields.Integer(related="company_id.churn_crisis_window_days")
    churn_crisis_count = fields.Integer(related="company_id.churn_crisis_count")
