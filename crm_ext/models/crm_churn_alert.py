# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The record of crm.churn.alert: a customer turning at risk, its owner, outcome and cost."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

from ..exceptions import ChurnAlertClosedError, ChurnAlertHeldOutError
from ..tools import access, clock
from ..tools.churn_alert_queries import OPEN_STATES

ALERT_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("retained", "Retained"),
    ("lost", "Lost"),
    ("dismissed", "Dismissed"),
]
# the fields only the detection, the closing and the actions write (with
# sudo): a salesperson's write() over RPC could otherwise fake an outcome
SYSTEM_FIELDS = frozenset((
    "partner_id", "company_id", "date", "churn_risk", "p_alive", "churn_reason_codes",
    "churn_figures", "state",
    "held_out", "date_closed", "dismiss_reason", "cost", "action_taken"))
SALESMAN_GROUP = "sales_team.group_sale_salesman"


class CrmChurnAlert(models.Model):
    """A customer (a commercial partner) whose churn risk crossed its
    company's threshold, raised by the detection cron (set-based: see
    crm_churn_alert_detection.py), acted on by its owner (retention
    actions, crm_churn_alert_retention.py), and closed as retained when
    the customer buys again, lost after the company's silence, or
    dismissed with a reason.  One open alert per customer and company."""

    _name = "crm.churn.alert"
    _description = "Churn Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, churn_risk desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True,
        ondelete="cascade", auto_join=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date = fields.Date(required=True, readonly=True, index=True,
                       help="The day the alert was raised.")
    churn_risk = fields.Integer(readonly=True, group_operator="avg",
                                help="The customer's churn risk (0-100) when raised.")
    p_alive = fields.Float("P(alive)", readonly=True, digits=(16, 4), group_operator="avg",
                           help="The customer's probability of still buying when raised.")
    churn_reasons = fields.Text(
        "Reasons", compute="_compute_churn_reasons",
        help="The factors that weighed most in the risk when the alert was raised, in words.")
    churn_reason_codes = fields.Char(
        readonly=True, help="The factors of the reasons, the heaviest first.")
    churn_figures = fields.Text(readonly=True, help="The figures of the reasons (JSON).")
    state = fields.Selection(
        ALERT_STATES, required=True, readonly=True, default="new", index=True,
        track_visibility="onchange")
    user_id = fields.Many2one(
        "res.users", "Owner", index=True, track_visibility="onchange",
        help="Who acts on the alert: the customer's salesperson, else the leader of its "
             "sales team.")
    held_out = fields.Boolean(
        readonly=True, index=True,
        help="Held out at random when raised (the company's hold-out share): nobody acts "
             "on it, so that the retention of the others can be compared with it.")
    action_ids = fields.One2many("crm.churn.action", "alert_id", "Retention Actions",
                                 readonly=True)
    action_taken = fields.Char(
        compute="_compute_action_taken", store=True,
        help="The kinds of retention actions taken, first first.")
    cost = fields.Monetary(
        compute="_compute_cost", store=True,
        help="What the retention actions cost, in the company currency.")
    date_closed = fields.Date("Closed On", readonly=True)
    dismiss_reason = fields.Text(readonly=True, track_visibility="onchange")
    crisis_ids = fields.Many2many(
        "crm.churn.crisis", "crm_churn_crisis_alert_rel", "alert_id", "crisis_id",
        "Crises", readonly=True)
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")

    @api.model_cr
    def init(self):
        """One open alert per customer and company: the partial unique index
        the detection's INSERT relies on (ON CONFLICT)."""
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS crm_churn_alert_open_unique
                ON crm_churn_alert (partner_id, company_id)
             WHERE state IN ('new', 'in_progress')
        """)

    @api.depends("churn_reason_codes", "churn_figures")
    def _compute_churn_reasons(self):
        insight = self.env["crm.customer.insight"]
        for alert in self:
            alert.churn_reasons = insight._churn_reasons_text(
                alert.churn_reason_codes, alert.churn_figures)

    @api.depends("action_ids.action_type")
    def _compute_action_taken(self):
        labels = dict(self.env["crm.churn.action"]._fields["action_type"]._description_selection(
            self.env))
        for alert in self:
            kinds = []
            for action in alert.action_ids.sorted(lambda action: (action.date, action.id)):
                if labels[action.action_type] not in kinds:
                    kinds.append(labels[action.action_type])
            alert.action_taken = ", ".join(kinds) or False

    @api.depends("action_ids.cost")
    def _compute_cost(self):
        for alert in self:
            alert.cost = sum(alert.action_ids.mapped("cost"))

    def _compute_is_open(self):
        for alert in self:
            alert.is_open = alert.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        wanted = (operator == "=") == bool(value)
        return [("state", "in" if wanted else "not in", list(OPEN_STATES))]

    @api.multi
    def write(self, vals):
        """Change alerts (``vals``: field values; users change the owner).
        The outcome and figures (``SYSTEM_FIELDS``) are refused to everyone
        but the superuser: the detection, the closing and the actions write
        them, after their own checks.  Idempotent.  Returns True.

        :raises AccessError: a field of ``SYSTEM_FIELDS``, or alerts the
            caller may not change.
        """
        if self.env.uid != SUPERUSER_ID and SYSTEM_FIELDS.intersection(vals):
            raise AccessError(_("The outcome and figures of a churn alert are written by "
                                "the detection and the retention actions only."))
        return super(CrmChurnAlert, self).write(vals)

    @api.multi
    def _write_outcome(self, vals):
        """Write ``vals``, ``SYSTEM_FIELDS`` included, as the caller (the
        tracking message is theirs): for the steps that checked the caller
        first (dismissal, retention actions)."""
        # the write of the models below this one: all but the guard above
        return super(CrmChurnAlert, self).write(vals)  # pylint: disable=super-method-mismatch

    # actions

    @api.multi
    def action_log_call(self):
        """The retention action wizard of the alert, to log a call (a window
        action, a dict).

        :raises AccessError: the caller may not change the alert.
        :raises UserError: the alert is closed or held out.
        """
        return self._retention_wizard("call")

    @api.multi
    def action_log_visit(self):
        """The retention action wizard of the alert, to log a visit (a
        window action, a dict); errors as :meth:`action_log_call`."""
        return self._retention_wizard("visit")

    @api.multi
    def action_send_offer(self):
        """The retention action wizard of the alert, to send the win-back
        offer (a window action, a dict); errors as :meth:`action_log_call`."""
        return self._retention_wizard("offer")

    @api.multi
    def action_grant_points(self):
        """The retention action wizard of the alert, to grant bonus points
        (a window action, a dict); errors as :meth:`action_log_call`."""
        return self._retention_wizard("points")

    @api.multi
    def action_dismiss(self):
        """The dismissal wizard of the alerts (a window action, a dict): a
        dismissal needs a reason.

        :raises AccessError: the caller may not change the alerts.
        :raises UserError: an alert is closed.
        """
        self._check_open()
        return {
            "name": _("Dismiss Alert"),
            "type": "ir.actions.act_window",
            "res_model": "crm.churn.dismiss.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_alert_ids": [(6, 0, self.ids)]},
        }

    # business methods

    @api.multi
    def _retention_wizard(self, action_type):
        """The retention action wizard of this alert for ``action_type`` (a
        window action), after :meth:`_check_actionable`."""
        self.ensure_one()
        self._check_actionable()
        return {
            "name": _("Retention Action"),
            "type": "ir.actions.act_window",
            "res_model": "crm.churn.action.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_alert_id": self.id, "default_action_type": action_type},
        }

    @api.multi
    def _check_open(self):
        """Raise unless the caller is a salesperson who may change these
        alerts and they are all open."""
        if not self.env.user.has_group(SALESMAN_GROUP):
            raise AccessError(_("Only salespeople act on churn alerts."))
        access.check_writable(self)
        for alert in self:
            if alert.state not in OPEN_STATES:
                raise ChurnAlertClosedError(alert)

    @api.multi
    def _check_actionable(self):
        """:meth:`_check_open`, and none held out: nobody acts on the
        hold-out group."""
        self._check_open()
        for alert in self:
            if alert.held_out:
                raise ChurnAlertHeldOutError(alert)

    @api.multi
    def _dismiss(self, reason):
        """Close these open alerts as dismissed for ``reason`` (a text),
        with their planned activities; the caller checked them."""
        self.activity_ids.sudo().unlink()
        self._write_outcome({"state": "dismissed", "dismiss_reason": reason,
                             "date_closed": clock.today(self)})
