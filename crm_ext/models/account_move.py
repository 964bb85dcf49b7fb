# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.multi
    def unlink(self):
        """The journal entries that book loyalty points stay: the ledger
        and the liability account would part.  Only the journal entry of an
        invoice that is being cancelled goes, with the points booked in it:
        the cancellation's reversal books what it held."""
        if self.ids:
            cancelled = self.env.context.get("crm_loyalty_cancelled_invoice_ids") or ()
            self.env.cr.execute("""
                SELECT 1 FROM crm_loyalty_entry
                 WHERE move_id IN %s AND (invoice_id IS NULL OR invoice_id <> ALL(%s))
                 LIMIT 1
            """, (tuple(self.ids), list(cancelled)))
            if self.env.cr.fetchone():
                raise UserError(_("This journal entry books loyalty points: it cannot be "
                                  "deleted. Record a correction of the points instead."))
        return super(AccountMove, self).unlink()
