# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
