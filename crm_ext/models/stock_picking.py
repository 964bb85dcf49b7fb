# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import float_compare

from ..exceptions import ReturnOverDeliveredError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    complaint_id = fields.Many2one(
        "crm.complaint", readonly=True, index=True, copy=False, ondelete="set null",
        help="The complaint this return was made for.")

    @api.multi
    def _check_returned_within_delivered(self):
        """The returns of these deliveries take back no more than they
        delivered.

        :raises ReturnOverDeliveredError: (a UserError) they do.
        """
        for delivery in self:
            for product, (delivered, returned) in delivery._return_figures().items():
                if float_compare(returned, delivered,
                                 precision_rounding=product.uom_id.rounding) > 0:
                    raise ReturnOverDeliveredError(delivery, product, returned, delivered)

    @api.multi
    def _return_figures(self):
        """{product: (quantity delivered, quantity returned)} of this
        delivery, in the product's unit.  Returned counts every move of its
        returns (the pickings that return one of its moves), drafts
        included, whoever made them, cancelled ones aside."""
        self.ensure_one()
        figures = {}
        for move in self.move_lines.filtered(lambda move: move.state == "done"):
            delivered, returned = figures.get(move.product_id, (0.0, 0.0))
            figures[move.product_id] = (delivered + move.product_qty, returned)
        returns = self.move_lines.mapped("returned_move_ids.picking_id")
        for move in returns.mapped("move_lines").filtered(
                lambda move: move.state != "cancel"):
            delivered, returned = figures.get(move.product_id, (0.0, 0.0))
            figures[move.product_id] = (delivered, returned + move.product_qty)
        return figures

    @api.multi
    def _returnable_quantities(self):
        """{move of this delivery: quantity that no return takes back yet},
        the moves of a product in turn."""
        self.ensure_one()
        left = {product: max(0.0, delivered - returned)
                for product, (delivered, returned) in self._return_figures().items()}
        result = {}
        for move in self.move_lines.filtered(lambda move: move.state == "done"):
            result[move] = min(move.product_qty, left[move.product_id])
            left[move.product_id] -= result[move]
        return result
