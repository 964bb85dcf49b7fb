# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmComplaintTag(models.Model):
    _name = "crm.complaint.tag"
    _description = "Complaint Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer("Color Index")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A tag with this name already exists."),
    ]
