# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lifetime value concern of crm.customer.insight: historical, predicted, basis."""
import operator as py_operator

from odoo import _, api, fields, models
from odoo.tools.misc import formatLang

# the comparisons the predicted value can be searched with
OPERATORS = {"=": py_operator.eq, "!=": py_operator.ne, "<": py_operator.lt,
             "<=": py_operator.le, ">": py_operator.gt, ">=": py_operator.ge}


class CrmCustomerInsight(models.Model):
    """The lifetime value of a customer: the margin so far plus the predicted
    margin.  The prediction comes from the company's churn model (expected
    purchases over the horizon x expected spend x margin rate, discounted,
    written by ``_score_churn``); without a usable model, from the margin
    run rate x a retention factor of the lifecycle stage (written by the
    recompute)."""

    # one concern of the model per file
    _inherit = "crm.customer.insight"  # pylint: disable=consider-merging-classes-inherited

    clv_run_rate = fields.Monetary(
        "Margin Run Rate", readonly=True, help="Gross margin of the analysis window, per year.")
    clv_retention = fields.Float("Retention Factor", readonly=True)
    clv_model_value = fields.Monetary(
        "Predicted Value (Model)", readonly=True,
        help="Expected purchases over the company's horizon, each month's discounted, x "
             "expected spend per purchase x margin rate; empty without a usable churn model.")
    clv_model_purchases = fields.Float(
        "Expected Purchases (Horizon)", readonly=True, digits=(16, 2),
        help="Purchases the BG/NBD model expects over the company's horizon, discounted.")
    clv_model_spend = fields.Monetary(
        "Expected Spend per Purchase", readonly=True,
        help="The Gamma-Gamma model's expected amount of a purchase (untaxed).")
    clv_model_margin_rate = fields.Float("Margin Rate", readonly=True, digits=(16, 4))
    clv_historical = fields.Monetary(
        "Historical Value", compute="_compute_clv", help="All-time gross margin.")
    clv_predicted = fields.Monetary(
        "Predicted Value", compute="_compute_clv", search="_search_clv_predicted",
        help="Expected gross margin over the company's horizon (see its basis).")
    clv_value = fields.Monetary("Lifetime Value", compute="_compute_clv")
    clv_basis = fields.Char("Lifetime Value Basis", compute="_compute_clv")

    @api.depends("gross_margin_all", "clv_run_rate", "clv_retention", "lifecycle_stage",
                 "clv_model_value", "clv_model_purchases", "clv_model_spend",
                 "clv_model_margin_rate")
    def _compute_clv(self):
        stages = dict(self._fields["lifecycle_stage"]._description_selection(self.env))
        for insight in self:
            insight.clv_historical = insight.gross_margin_all
            model_based = insight._clv_model_based()
            insight.clv_predicted = (insight.clv_model_value if model_based
                                     else insight.clv_run_rate * insight.clv_retention)
            insight.clv_value = insight.clv_historical + insight.clv_predicted
            values = {
                "run_rate": insight.clv_run_rate,
                "retention": insight.clv_retention * 100,
                "stage": stages.get(insight.lifecycle_stage, "-"),
                "historical": insight.clv_historical,
            }
            if model_based:
                company = insight.company_id
                insight.clv_basis = _(
                    "%(purchases)s purchases expected in %(months)s months (discounted at "
                    "%(rate)s%% a year) x %(spend)s per purchase x %(margin)s%% margin, plus "
                    "%(historical).2f margin so far") % dict(
                        values, purchases=formatLang(self.env, insight.clv_model_purchases),
                        months=company.clv_horizon_months,
                        rate=formatLang(self.env, company.clv_discount_rate, digits=1),
                        spend=formatLang(self.env, insight.clv_model_spend),
                        margin=formatLang(self.env, insight.clv_model_margin_rate * 100,
                                          digits=1))
            else:
                insight.clv_basis = _(
                    "No churn model fitted on enough data: %(run_rate).2f margin per year x "
                    "%(retention).0f%% retention (stage: %(stage)s), plus %(historical).2f "
                    "margin so far") % values

    def _clv_model_based(self):
        """Whether the predicted value is the churn model's."""
        return bool(self.churn_model_id) and self.clv_model_purchases > 0

    def _search_clv_predicted(self, operator, value):
        if operator not in OPERATORS or isinstance(value, (list, tuple, bool)):
            return [("id", "=", 0)]
        # one statement: the prediction is the model's where there is one
        self.env.cr.execute("""
            SELECT id FROM crm_customer_insight
             WHERE CASE WHEN churn_model_id IS NOT NULL AND clv_model_value IS NOT NULL
                             AND clv_model_purchases > 0
                        THEN clv_model_value
                        ELSE COALESCE(clv_run_rate, 0) * COALESCE(clv_retention, 0) END
                   {operator} %s
        """.format(operator=operator), (value,))  # pylint: disable=sql-injection
        return [("id", "in", [row[0] for row in self.env.cr.fetchall()])]
