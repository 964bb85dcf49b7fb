# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..models.crm_churn_action import ACTION_TYPES


class CrmChurnActionWizard(models.TransientModel):
    """A retention action on a churn alert: a call or visit logged, the
    win-back offer sent, or bonus points granted, with its cost (see
    crm.churn.alert ``_take_action``).  One wizard takes its action once."""

    _name = "crm.churn.action.wizard"
    _description = "Retention Action"

    alert_id = fields.Many2one("crm.churn.alert", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="alert_id.partner_id", readonly=True)
    currency_id = fields.Many2one(related="alert_id.currency_id", readonly=True)
    action_type = fields.Selection(ACTION_TYPES, "Action", required=True, default="call")
    cost = fields.Monetary(help="What the action costs, in the company currency (for "
                                "points, their value by the loyalty program).")
    points = fields.Float(help="Bonus points granted to the customer.")
    note = fields.Text()
    action_id = fields.Many2one("crm.churn.action", readonly=True)

    @api.multi
    def action_apply(self):
        """Take the action on the alert (once: applying the same wizard
        again, as a retried call does, does nothing more).  Returns the
        action that closes the wizard (a dict).

        :raises AccessError: the caller is no salesperson or may not change
            the alert.
        :raises UserError: the alert is closed or held out, a negative
            cost, an offer to a customer without email, or points that
            cannot be granted (no program, not positive, not whole, customer
            not enrolled).
        """
        self.ensure_one()
        if not self.action_id:
            self.action_id = self.alert_id._take_action(
                self.action_type, note=self.note, cost=self.cost or 0.0,
                points=self.points or 0.0)
        return {"type": "ir.actions.act_window_close"}
