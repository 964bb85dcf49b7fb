# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLoyaltyProgramCategory(models.Model):
    """Points earned on a product category (and its children) are multiplied."""

    _name = "crm.loyalty.program.category"
    _description = "Loyalty Category Multiplier"

    program_id = fields.Many2one(
        "crm.loyalty.program", required=True, ondelete="cascade", index=True)
    # the program's, for the multi-company record rule
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, readonly=True, index=True)
    categ_id = fields.Many2one("product.category", "Product Category", required=True)
    multiplier = fields.Float(default=1.0, required=True)

    _sql_constraints = [
        ("multiplier_positive", "CHECK (multiplier >= 0)",
         "A category multiplier cannot be negative."),
        ("category_uniq", "unique(program_id, categ_id)",
         "A category has one multiplier per program."),
    ]
