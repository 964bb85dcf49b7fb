# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn alert concern of res.company: when an alert is raised, held out, lost, and a crisis."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """The settings of the churn alerts of a company (see crm.churn.alert
    and crm.churn.crisis); the risk's weights live with the risk score."""

    # one concern of the model per file
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    churn_alert_risk_threshold = fields.Integer(
        "Alert From Churn Risk", default=70,
        help="An alert is raised for a customer whose churn risk (0-100) reaches this.")
    churn_alert_p_alive_threshold = fields.Float(
        "Alert Below P(alive)", default=0.3, digits=(16, 2),
        help="An alert is raised for a customer whose probability of still buying falls "
             "below this (0-1; 0 raises none on it).")
    churn_alert_lost_days = fields.Integer(
        "Lost After Silence (days)", default=90,
        help="An open alert whose customer buys nothing for this many days after it was "
             "raised closes as lost.")
    churn_alert_holdout_pct = fields.Float(
        "Hold-Out Share (%)", default=10.0,
        help="Share of the new alerts held out at random: recorded, but nobody acts on "
             "them, so that the retention of the others can be compared with theirs.")
    churn_crisis_window_days = fields.Integer(
        "Crisis Window (days)", default=14,
        help="A crisis is raised when enough customers of one segment, product category, "
             "salesperson or region turn at risk within this many days.")
    churn_crisis_count = fields.Integer(
        "Crisis From (customers)", default=5,
        help="The number of customers turning at risk within the window that raises a "
             "crisis.")

    @api.constrains("churn_alert_risk_threshold", "churn_alert_p_alive_threshold",
                    "churn_alert_lost_days", "churn_alert_holdout_pct",
                    "churn_crisis_window_days", "churn_crisis_count")
    def _check_churn_alert_settings(self):
        for company in self:
            if not 0 < company.churn_alert_risk_threshold <= 100:
                raise ValidationError(_("The churn risk of an alert is above 0 and at most "
                                        "100."))
            if not 0.0 <= company.churn_alert_p_alive_threshold <= 1.0:
                raise ValidationError(_("The P(alive) of an alert is between 0 and 1."))
            if not 0.0 <= company.churn_alert_holdout_pct <= 50.0:
                raise ValidationError(_("The hold-out share is between 0% and 50%."))
            if min(company.churn_alert_lost_days, company.churn_crisis_window_days,
                   company.churn_crisis_count) < 1:
                raise ValidationError(_("The silence before lost, the crisis window and the "
                                        "crisis count are at least 1."))
