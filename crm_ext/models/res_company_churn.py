# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn settings of res.company: risk weights and thresholds, model, value."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.churn_risk import FACTORS, THRESHOLDS


class ResCompany(models.Model):
    """The weights (points of the risk at full severity) and thresholds of
    the churn risk factors (see tools/churn_risk.py), the holdout of the
    churn model's card, and the horizon and discount rate of the predicted
    lifetime value."""

    # one concern of the company per file
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    churn_weight_rhythm = fields.Float("Weight: Purchase Rhythm", default=20.0)
    churn_weight_frequency = fields.Float("Weight: Order Frequency", default=10.0)
    churn_weight_spend = fields.Float("Weight: Spend", default=10.0)
    churn_weight_interactions = fields.Float("Weight: Interactions", default=5.0)
    churn_weight_complaints = fields.Float("Weight: Complaints", default=10.0)
    churn_weight_rating = fields.Float("Weight: Last Rating", default=5.0)
    churn_weight_overdue = fields.Float("Weight: Overdue Receivables", default=10.0)
    churn_weight_returns = fields.Float("Weight: Returns", default=5.0)
    churn_weight_tier = fields.Float("Weight: Tier Lost", default=5.0)
    churn_weight_points = fields.Float("Weight: Expiring Points", default=5.0)
    churn_weight_segment = fields.Float("Weight: Segment Down", default=5.0)
    churn_weight_p_alive = fields.Float("Weight: 1 - P(alive)", default=10.0)
    churn_rhythm_full_factor = fields.Float(
        "Full Risk at Usual Interval x", default=3.0,
        help="The purchase rhythm weighs fully when the days since the last purchase reach "
             "this multiple of the customer's usual days between purchases.")
    churn_drop_pct = fields.Float(
        "Drop Counted From (%)", default=25.0,
        help="Orders and spend of the last 90 days count against the 90 before from this "
             "drop.")
    churn_interaction_min = fields.Integer(
        "Expected Interactions (90 Days)", default=1,
        help="Fewer messages, calls and meetings than this in 90 days raise the risk.")
    churn_complaint_full = fields.Integer(
        "Full Risk at Complaints", default=3,
        help="Open complaints (those past their deadline counted twice) that weigh fully.")
    churn_rating_max = fields.Integer(
        "Low Rating Up To (stars)", default=2,
        help="A last complaint rating of at most this many stars raises the risk.")
    churn_overdue_full_days = fields.Integer(
        "Full Risk at Days Overdue", default=90)
    churn_return_full_pct = fields.Float(
        "Full Risk at Returns (%)", default=50.0,
        help="Refunds of the last 90 days, as a share of its sales, that weigh fully.")
    churn_points_days = fields.Integer(
        "Points Expiring Within (days)", default=30)
    churn_points_min = fields.Float("Expiring Points From", default=100.0)
    churn_holdout_days = fields.Integer(
        "Model Card Holdout (days)", default=182,
        help="The card of each fitted model judges a model fitted this many days earlier "
             "on the purchases since; a history shorter than twice this is insufficient.")
    clv_horizon_months = fields.Integer("Predicted Value Horizon (months)", default=12)
    clv_discount_rate = fields.Float("Annual Discount Rate (%)", default=10.0)
    history_import_journal_id = fields.Many2one(
        "account.journal", "Purchase History Journal", readonly=True,
        help="Where the purchase history import posts the invoices of past purchases, both "
             "sides on its clearing account: made by the first import, numbered without a "
             "lock so that its chunks run side by side.")

    @api.constrains(*([field for _code, field, _default in FACTORS] + list(THRESHOLDS.values())
                      + ["churn_points_days", "churn_holdout_days", "clv_horizon_months",
                         "clv_discount_rate"]))
    def _check_churn_settings(self):
        for company in self:
            if min(company[field] for _code, field, _default in FACTORS) < 0:
                raise ValidationError(_("Churn risk weights cannot be negative."))
            if company.churn_rhythm_full_factor <= 1:
                raise ValidationError(_("The purchase rhythm weighs fully after more than "
                                        "one usual interval."))
            if not 0 <= company.churn_drop_pct <= 100 \
                    or min(company.churn_interaction_min, company.churn_points_days,
                           company.churn_points_min) < 0 \
                    or min(company.churn_complaint_full, company.churn_overdue_full_days,
                           company.churn_return_full_pct) <= 0 \
                    or not 0 <= company.churn_rating_max <= 5:
                raise ValidationError(_("Churn risk thresholds: a drop of 0-100%, ratings of "
                                        "0-5 stars, full-risk levels above zero, nothing "
                                        "negative."))
            if company.churn_holdout_days < 7 or not 1 <= company.clv_horizon_months <= 120 \
                    or company.clv_discount_rate < 0:
                raise ValidationError(_("The model card's holdout is at least a week, the "
                                        "predicted value's horizon 1 to 120 months and its "
                                        "discount rate not negative."))
