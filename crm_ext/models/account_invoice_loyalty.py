# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The loyalty points of account.invoice: its validation and cancellation steps that move them."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import access, in_progress
from .crm_loyalty_earning import CANCELLING, MOVES_IN_CREATION, POSTING_STATE


class AccountInvoice(models.Model):
    """Thin overrides: the rules are those of ``crm.loyalty.earning``."""

    # one concern of the model per file
    _inherit = "account.invoice"  # pylint: disable=consider-merging-classes-inherited

    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "invoice_id", "Loyalty Points", readonly=True,
        groups=access.LOYALTY_READERS)
    # reckoned when the invoice is validated (see crm.loyalty.earning._reckon)
    loyalty_points_full = fields.Float(
        "Loyalty Points of the Invoice", readonly=True, copy=False, groups=access.LOYALTY_READERS,
        help="What the whole invoice earns, reckoned when it is validated by the program's "
             "rules then and the tier the customer held before it: payments earn their share "
             "(when the program earns on payment), credit notes take theirs back.")
    loyalty_earn_multiplier = fields.Float(
        "Tier Multiplier", readonly=True, copy=False, groups=access.LOYALTY_READERS,
        help="The earn multiplier of the tier the customer held before this invoice.")

    @api.multi
    def action_invoice_open(self):
        """Validate the invoices, as ``account.invoice.action_invoice_open``
        (their journal entries, then :meth:`invoice_validate`), with the
        loyalty points of the customer invoices reckoned while their
        journal entries are made.

        :returns: as ``account.invoice.action_invoice_open``.
        :raises UserError: as ``account.invoice.action_invoice_open`` (an
            invoice not in draft, without lines, ...).
        """
        # at_posting, {invoice id: (member, entry values)}: the points of the
        # customer invoices reckoned when their journal entries are made, to
        # book them in those entries (see finalize_invoice_move_lines)
        cr = self.env.cr
        previous = getattr(cr, POSTING_STATE, None)
        setattr(cr, POSTING_STATE, {"at_posting": {}, "posting_ids": ()})
        try:
            return super(AccountInvoice, self).action_invoice_open()
        finally:
            setattr(cr, POSTING_STATE, previous)

    @api.multi
    def invoice_validate(self):
        """The last step of a validation: the customer invoices' points follow
        (see :meth:`_sync_loyalty_points`), after their customers' figures.
        Returns True."""
        result = super(AccountInvoice, self).invoice_validate()
        self._customer_invoices()._sync_loyalty_points()
        return result

    @api.multi
    def action_move_create(self):
        """Make the invoices' journal entries (Odoo's step of the
        validation); while they are validated, each customer invoice's
        points are recorded with its entry, and booked in it when the
        program books points.  Returns True."""
        earning = self.env["crm.loyalty.earning"]
        with in_progress.running(self.env.cr, MOVES_IN_CREATION, self.ids):
            if not earning._validating():
                return super(AccountInvoice, self).action_move_create()
            # one by one, as their points are synchronised one after the
            # other: each earns at the tier the ones before it reach
            result = True
            for index, invoice in enumerate(self):
                with earning._making_moves(self[:index + 1]):
                    result = super(AccountInvoice, invoice).action_move_create()
                    earning._record_at_posting(invoice)
            return result

    @api.multi
    def finalize_invoice_move_lines(self, move_lines):
        """A step of ``action_move_create`` (the journal items of the
        invoice's entry, with the points booked with it).

        :raises UserError: called outside the making of the invoice's
            journal entry.
        """
        if self.id not in in_progress.ids(self.env.cr, MOVES_IN_CREATION):
            raise UserError(_("The journal items of an invoice are made when it is "
                              "validated."))
        move_lines = super(AccountInvoice, self).finalize_invoice_move_lines(move_lines)
        return move_lines + self.env["crm.loyalty.earning"]._move_lines_with_invoice(self)

    @api.multi
    def action_cancel(self):
        """Cancel the invoices (Odoo deletes their journal entries): the
        points they earned are taken back, with the liability their entries
        held, and their customers' figures follow.  Returns True."""
        # the journal entry of an invoice goes with its cancellation, and
        # the points it booked with it
        released = self.env["crm.loyalty.earning"]._booked_in_moves(self._customer_invoices())
        with in_progress.running(self.env.cr, CANCELLING, self.ids):
            result = super(AccountInvoice, self).action_cancel()
        self._customer_invoices()._sync_loyalty_points(released)
        return result

    @api.multi
    def _sync_loyalty_points(self, released=None):
        """Bring the points of these customer invoices to what they earn
        now: see ``crm.loyalty.earning._sync``."""
        self.env["crm.loyalty.earning"]._sync(self, released)
