# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmLoyaltyTier(models.Model):
    """A member level: reached by spending ``min_spend`` over a rolling 12
    months, it multiplies the points earned."""

    _name = "crm.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, min_spend, id"

    name = fields.Char(required=True, translate=True)
    program_id = fields.Many2one(
        "crm.loyalty.program", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="program_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="program_id.currency_id", readonly=True)
    min_spend = fields.Monetary(
        "Qualifying Spend", help="Untaxed amount invoiced over the last 12 months "
                                 "(refunds subtracted) to reach the tier.")
    earn_multiplier = fields.Float(default=1.0, required=True)
    benefits = fields.Text(translate=True)
    color = fields.Integer()

    _sql_constraints = [
        ("min_spend_positive", "CHECK (COALESCE(min_spend, 0) >= 0)",
         "A tier's qualifying spend cannot be negative."),
        ("multiplier_positive", "CHECK (earn_multiplier > 0)",
         "A tier's earn multiplier must be above zero."),
    ]

    @api.constrains("min_spend", "program_id")
    def _check_thresholds(self):
        for program in self.mapped("program_id"):
            thresholds = program.tier_ids.mapped("min_spend")
            if len(thresholds) != len(set(thresholds)):
                raise ValidationError(_(
                    "Two tiers of %s have the same qualifying spend: each tier needs its "
                    "own threshold.") % program.name)

    @api.model
    def _for_spend(self, program, spend):
        """The highest tier of ``program`` that ``spend`` reaches."""
        tiers = program.tier_ids.filtered(lambda tier: tier.min_spend <= spend)
        return tiers.sorted("min_spend")[-1:] if tiers else self.browse()
