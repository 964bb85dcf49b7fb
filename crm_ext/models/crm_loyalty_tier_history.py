# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class CrmLoyaltyTierHistory(models.Model):
    """Every change of a member's tier."""

    _name = "crm.loyalty.tier.history"
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"

    member_id = fields.Many2one(
        "crm.loyalty.member", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        related="member_id.partner_id", store=True, readonly=True, auto_join=True)
    # the program's, for the multi-company record rule
    company_id = fields.Many2one(
        related="member_id.company_id", store=True, readonly=True, index=True)
    date = fields.Date(required=True)
    old_tier_id = fields.Many2one("crm.loyalty.tier", "From Tier", ondelete="set null")
    new_tier_id = fields.Many2one("crm.loyalty.tier", "To Tier", ondelete="set null")
    qualifying_spend = fields.Float("Spend, Last 12 Months")
    reason = fields.Selection([
        ("upgrade", "Upgrade"),
        ("review", "Yearly review"),
    ], required=True)

    @api.model_cr_context
    def _auto_init(self):
        cr = self._cr
        if tools.table_exists(cr, self._table) \
                and not tools.column_exists(cr, self._table, "company_id"):
            # the company of the changes already recorded, in one statement:
            # the ORM would compute it record by record on the update
            tools.create_column(cr, self._table, "company_id", "int4")
            cr.execute("""
                UPDATE crm_loyalty_tier_history history SET company_id = member.company_id
                  FROM crm_loyalty_member member WHERE member.id = history.member_id
            """)
        return super(CrmLoyaltyTierHistory, self)._auto_init()
