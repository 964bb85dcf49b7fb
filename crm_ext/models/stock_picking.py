# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    complaint_id = fields.Many2one(
        "crm.complaint", readonly=True, index=True, copy=False, ondelete="set null",
        help="The complaint this return was made for.")
