# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintCategory(models.Model):
    _name = "crm.complaint.category"
    _description = "Complaint Category"
    _parent_name = "parent_id"
    _order = "complete_name, id"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one("crm.complaint.category", "Parent Category",
                                index=True, ondelete="restrict")
    child_ids = fields.One2many("crm.complaint.category", "parent_id", "Subcategories")
    complete_name = fields.Char(compute="_compute_complete_name", store=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id,
        help="Leave empty to share the category between companies.")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = "%s / %s" % (
                    category.parent_id.complete_name, category.name)
            else:
                category.complete_name = category.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(_("A complaint category cannot be its own ancestor."))

    def _ancestor_ids(self):
        """Ids of these categories and of all their parents."""
        ids = set()
        for category in self:
            while category and category.id not in ids:
                ids.add(category.id)
                category = category.parent_id
        return ids
