# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

from ..tools import clock

_logger = logging.getLogger(__name__)

# Stand-in churn figures of the demo customers, for a database without the
# churn score (crm.customer.insight ``_score_churn``, which the detection
# runs first when it exists and which then gives the real ones): the
# customers the demo made drift away (declining, lost) are at risk.
DEMO_SCORES = """
    UPDATE crm_customer_insight
       SET churn_risk = CASE lifecycle_stage WHEN 'lost' THEN 90 ELSE 75 END,
           p_alive = CASE lifecycle_stage WHEN 'lost' THEN 0.1 ELSE 0.4 END,
           churn_reasons = 'No order for ' || (%(today)s - last_invoice_date) || ' days'
                           || COALESCE(', usually every ' || ROUND(avg_interval_days)::int,
                                       '')
     WHERE company_id = %(company)s
       AND last_invoice_date IS NOT NULL
       AND lifecycle_stage IN ('declining', 'lost')
"""


class CrmChurnDemo(models.AbstractModel):
    """Builds the demo churn alerts: the detection run on the demo
    customers (after the customer demo), a few retention actions and a
    dismissal, so that alerts, a crisis and KPIs show when the demo opens."""

    _name = "crm.churn.demo"
    _description = "Churn Alert Demo Data"

    @api.model
    def _generate(self):
        company = self.env.ref("base.main_company")
        insight = self.env["crm.customer.insight"]
        if not hasattr(insight, "_score_churn"):
            self.env.cr.execute(DEMO_SCORES, {"company": company.id,
                                              "today": clock.now(self.env).date()})
            insight.invalidate_cache()
        alerts = self.env["crm.churn.alert"]._detect(company)
        acted = alerts.filtered(lambda alert: not alert.held_out)
        for alert, cost in zip(acted[:3], (15.0, 40.0, 15.0)):
            alert._take_action("call", note="Asked how we could do better.", cost=cost)
        if len(acted) > 3:
            acted[3]._dismiss("The customer closed its shop.")
        _logger.info("Churn demo: %d alerts", len(alerts))
