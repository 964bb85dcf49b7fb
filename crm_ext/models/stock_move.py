# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self):
        """A complaint's return, however its quantities were changed before
        it is done, takes back no more than its delivery delivered."""
        moves = super(StockMove, self)._action_done()
        returns = moves.mapped("picking_id").filtered("complaint_id")
        returns.mapped("move_lines.origin_returned_move_id.picking_id")\
            ._check_returned_within_delivered()
        return moves
