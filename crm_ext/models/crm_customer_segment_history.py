# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


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
    # what the user reads: the labels of the grade, class and stage keys
    old_value_label = fields.Char("Old Value", compute="_compute_value_labels")
    new_value_label = fields.Char("New Value", compute="_compute_value_labels")

    @api.depends("field_name", "old_value", "new_value")
    def _compute_value_labels(self):
        insight_fields = self.env["crm.customer.insight"]._fields
        labels = {name: dict(insight_fields[name]._description_selection(self.env))
                  for name in ("grade", "abc_class", "lifecycle_stage")}
        for entry in self:
            field_labels = labels.get(entry.field_name, {})
            entry.old_value_label = field_labels.get(entry.old_value, entry.old_value)
            entry.new_value_label = field_labels.get(entry.new_value, entry.new_value)
