# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmCustomerSegmentHistory(models.Model):
    """Every change of a customer's segment, grade, ABC class or lifecycle
    stage, written by the recompute."""

    _name = "crm.customer.segment.history"
    _description = "Customer Classification History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, readonly=True, index=True,
        ondelete="cascade", auto_join=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    date = fields.Date(required=True, readonly=True, index=True)
    field_name = fields.Selection([
        ("segment", "Segment"),
        ("grade", "Grade"),
        ("abc_class", "ABC Class"),
        ("lifecycle_stage", "Lifecycle Stage"),
    ], "Field", required=True, readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
