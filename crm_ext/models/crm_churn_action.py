# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

ACTION_TYPES = [
    ("call", "Call"),
    ("visit", "Visit"),
    ("offer", "Win-Back Offer"),
    ("points", "Bonus Points"),
]


class CrmChurnAction(models.Model):
    """A retention action taken on a churn alert, with its cost in the
    company currency (the alert's cost is their sum).  Written by the
    retention action wizard only (crm.churn.alert ``_take_action``)."""

    _name = "crm.churn.action"
    _description = "Retention Action"
    _order = "date desc, id desc"
    _rec_name = "action_type"

    alert_id = fields.Many2one("crm.churn.alert", required=True, readonly=True, index=True,
                               ondelete="cascade")
    partner_id = fields.Many2one(related="alert_id.partner_id", store=True, readonly=True,
                                 string="Customer", auto_join=True)
    company_id = fields.Many2one(related="alert_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    action_type = fields.Selection(ACTION_TYPES, "Action", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Done By", readonly=True)
    cost = fields.Monetary(readonly=True, help="In the company currency.")
    points = fields.Float(readonly=True, help="Bonus points granted.")
    loyalty_entry_id = fields.Many2one("crm.loyalty.entry", "Ledger Entry", readonly=True,
                                       ondelete="restrict")
    note = fields.Text(readonly=True)
