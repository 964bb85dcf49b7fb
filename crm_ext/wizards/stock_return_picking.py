# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools import float_compare

from ..exceptions import ReturnOverLeftError


class StockReturnPicking(models.TransientModel):
    """Odoo's return wizard opened from a complaint: it proposes and takes
    back what no return of the delivery (drafts included, whoever made it)
    takes back yet, and the return is linked to the complaint."""

    _inherit = "stock.return.picking"

    complaint_id = fields.Many2one("crm.complaint", ondelete="cascade")

    @api.model
    def default_get(self, fields):
        """stock's defaults (``fields``: the names of the fields wanted; a
        dict of values); opened from a complaint (``default_complaint_id``
        in the context, which only lowers the quantities proposed), each
        line proposes at most what no return takes back yet."""
        # the signature of stock's default_get, which this extends
        result = super(StockReturnPicking, self).default_get(fields)
        # Odoo's proposal leaves out the returns not yet reserved
        if self.env.context.get("default_complaint_id") and result.get("picking_id"):
            left = self.env["stock.picking"].browse(
                result["picking_id"])._returnable_quantities()
            for command in result.get("product_return_moves") or ():
                move = self.env["stock.move"].browse(command[2].get("move_id"))
                if move in left:
                    command[2]["quantity"] = min(command[2]["quantity"], left[move])
        return result

    def _create_returns(self):
        if self.complaint_id:
            # as the complaint's return button checks (the wizard's
            # complaint is a field any caller may fill in)
            self.complaint_id._check_caller_may_resolve()
            self._check_returnable()
        new_picking_id, picking_type_id = super(StockReturnPicking, self)._create_returns()
        if self.complaint_id:
            picking = self.env["stock.picking"].browse(new_picking_id)
            picking.write({"complaint_id": self.complaint_id.id})
            self.complaint_id.message_post(
                body=_("Return %s created.") % picking.name, subtype="mail.mt_note")
        return new_picking_id, picking_type_id

    def _check_returnable(self):
        """Each line takes back at most what no return takes back yet (Odoo
        proposes it, but takes any quantity typed)."""
        left = self.picking_id._returnable_quantities()
        for line in self.product_return_moves:
            available = left.get(line.move_id, 0.0)
            if float_compare(line.quantity, available,
                             precision_rounding=line.product_id.uom_id.rounding) > 0:
                raise ReturnOverLeftError(self.picking_id, line.product_id, line.quantity,
                                          available)
