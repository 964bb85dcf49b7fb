# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..exceptions import ChurnDismissReasonError


class CrmChurnDismissWizard(models.TransientModel):
    """Dismiss churn alerts, with the reason kept on each."""

    _name = "crm.churn.dismiss.wizard"
    _description = "Dismiss Churn Alerts"

    alert_ids = fields.Many2many("crm.churn.alert", string="Alerts", required=True)
    reason = fields.Text(required=True)

    @api.multi
    def action_apply(self):
        """Dismiss the alerts with the reason (idempotent: alerts dismissed
        already are left as they are).  Returns the action that closes the
        wizard (a dict).

        :raises ChurnDismissReasonError: (a UserError) no reason given.
        :raises AccessError: the caller is no salesperson or may not change
            the alerts.
        :raises UserError: an alert is retained or lost.
        """
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise ChurnDismissReasonError(self.env)
        alerts = self.alert_ids.filtered(lambda alert: alert.state != "dismissed")
        alerts._check_open()
        alerts._dismiss(reason)
        return {"type": "ir.actions.act_window_close"}
