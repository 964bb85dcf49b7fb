# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class CrmChurnDemo(models.AbstractModel):
    """Builds the demo churn alerts: the detection run on the demo
    customers (after the customer demo), a few retention actions and a
    dismissal, so that alerts, a crisis and KPIs show when the demo opens."""

    _name = "crm.churn.demo"
    _description = "Churn Alert Demo Data"

    @api.model
    def _generate(self):
        company = self.env.ref("base.main_company")
        alerts = self.env["crm.churn.alert"]._detect(company)
        acted = alerts.filtered(lambda alert: not alert.held_out)
        for alert, cost in zip(acted[:3], (15.0, 40.0, 15.0)):
            alert._take_action("call", note="Asked how we could do better.", cost=cost)
        if len(acted) > 3:
            acted[3]._dismiss("The customer closed its shop.")
        _logger.info("Churn demo: %d alerts", len(alerts))
