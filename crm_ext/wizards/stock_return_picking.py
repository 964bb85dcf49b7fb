# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, fields, models


class StockReturnPicking(models.TransientModel):
    """Odoo's return wizard opened from a complaint: the return is linked
    to it."""

    _inherit = "stock.return.picking"

    complaint_id = fields.Many2one("crm.complaint", ondelete="cascade")

    def _create_returns(self):
        new_picking_id, picking_type_id = super(StockReturnPicking, self)._create_returns()
        if self.complaint_id:
            picking = self.env["stock.picking"].browse(new_picking_id)
            picking.write({"complaint_id": self.complaint_id.id})
            self.complaint_id.message_post(
                body=_("Return %s created.") % picking.name, subtype="mail.mt_note")
        return new_picking_id, picking_type_id
