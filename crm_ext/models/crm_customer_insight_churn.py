# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn concern of crm.customer.insight: risk, its reasons, P(alive)."""
from odoo import fields, models


class CrmCustomerInsight(models.Model):
    """The churn figures of a customer in a company, scored by the churn
    detection (see crm.churn.model for the BG/NBD fit behind P(alive))."""

    # one concern of the model per file
    _inherit = "crm.customer.insight"  # pylint: disable=consider-merging-classes-inherited

    churn_risk = fields.Integer(
        readonly=True, index=True, group_operator="avg",
        help="0 (no sign of leaving) to 100, the sum of the weighted risk factors of the "
             "company's settings; the top three are the reasons.")
    churn_reasons = fields.Text(
        readonly=True,
        help="The factors that weigh most in the churn risk, in words.")
    p_alive = fields.Float(
        "P(alive)", readonly=True, digits=(16, 4), group_operator="avg",
        help="Probability that the customer still buys (BG/NBD model of the company, "
             "Fader, Hardie & Lee 2005).")
    expected_purchases_90d = fields.Float(
        "Expected Purchases (90 Days)", readonly=True, digits=(16, 2),
        help="Purchases the BG/NBD model of the company expects in the next 90 days.")
    churn_scored_at = fields.Datetime("Churn Scored On", readonly=True)
