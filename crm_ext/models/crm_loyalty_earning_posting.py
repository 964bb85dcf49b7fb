# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The posting of crm.loyalty.earning: the points booked with the invoice's journal entry."""
import contextlib

from odoo import api, models

from .crm_loyalty_earning import POSTING_STATE


class CrmLoyaltyEarning(models.AbstractModel):
    """While invoices are validated (``account.invoice.action_invoice_open``
    keeps the validation in progress on the cursor), the points of each
    customer invoice are reckoned when its journal entry is made and booked
    in that entry; a cancellation, which deletes the entry, books back what
    it held."""

    _inherit = "crm.loyalty.earning"

    @api.model
    def _posting_state(self):
        """The validation in progress in this transaction, a dict (empty
        outside a validation): ``at_posting`` ({invoice id: (member, entry
        values)}, the points reckoned when the journal entries were made),
        ``posting_ids`` (see :meth:`_posting_ids`) and ``inserted_lines``
        (see :meth:`_lines_to_insert`).  Kept on the cursor, not in the
        context, as records in a new context are read again from the
        database (Odoo 11 keeps a cache per context)."""
        return getattr(self.env.cr, POSTING_STATE, None) or {}

    @api.model
    def _validating(self):
        """Whether invoices are being validated (``action_invoice_open``)."""
        return self._posting_state().get("at_posting") is not None

    @api.model
    def _posting_ids(self):
        """Invoices whose journal entries are being made, for their
        validation: they count as validated."""
        return self._posting_state().get("posting_ids") or ()

    @api.model
    def _posting(self, invoice):
        """Whether the journal entry of ``invoice`` is being made, for its
        validation."""
        return invoice.id in self._posting_ids()

    @contextlib.contextmanager
    def _making_moves(self, invoices):
        """Within the block, the journal entries of ``invoices`` are being
        made for their validation: they are reckoned open, as they are once
        validated (``invoice_validate`` sees them as they are)."""
        state = self._posting_state()
        state["posting_ids"] = tuple(invoices.ids)
        try:
            yield
        finally:
            state["posting_ids"] = ()

    @api.model
    def _record_at_posting(self, invoice):
        """Record the points of ``invoice`` reckoned when its journal entry
        was made (see :meth:`_move_lines_with_invoice`), the earning
        pointing to that entry when it is booked in it."""
        member, vals = self._posting_state()["at_posting"].get(invoice.id) or (None, None)
        if not vals:
            return
        if vals.pop("booked_with_invoice", False):
            vals["move_id"] = invoice.move_id.id
        self._record_movement(invoice, member, vals)

    @api.model
    def _move_lines_with_invoice(self, invoice):
        """The journal items to add to the entry of customer ``invoice``
        being validated: ``[(0, 0, values)]`` of the points it earns, when
        the program books them and they cannot be written in one statement
        (see :meth:`_lines_insertable`).  Reckons its points, kept for
        :meth:`_record_at_posting`."""
        at_posting = self._posting_state().get("at_posting")
        if at_posting is None or invoice.type != "out_invoice":
            return []
        movement = self._movement(invoice)
        if movement is None:
            return []  # synchronised once validated
        at_posting[invoice.id] = movement
        member, vals = movement
        program = member.program_id
        if not (vals and vals["points"] > 0 and program.journal_id):
            return []
        # the earning is booked in the invoice's own journal entry
        vals["booked_with_invoice"] = True
        lines = self.env["crm.loyalty.entry"]._move_lines(program, member, vals)
        if self._lines_insertable(invoice, lines):
            # written with the entry, before it is posted: see
            # account.move._insert_loyalty_lines
            self._posting_state().setdefault("inserted_lines", {})[invoice.id] = lines
            return []
        return [(0, 0, line) for line in lines]

    @api.model
    def _lines_insertable(self, invoice, lines):
        """Whether the loyalty journal items ``lines`` of ``invoice`` can be
        written in one statement: plain accounts in the company currency,
        which nothing reconciles, that the journal accepts (anything else
        goes through the ORM, with its checks)."""
        if not lines:
            return False
        # one query (each validated invoice asks)
        self.env.cr.execute("""
            SELECT NOT EXISTS (SELECT 1 FROM account_journal_type_rel
                                WHERE journal_id = %(journal)s)
                   AND NOT EXISTS (SELECT 1 FROM account_account_type_rel
                                    WHERE journal_id = %(journal)s)
                   AND BOOL_AND(NOT COALESCE(account.reconcile, FALSE)
                                AND NOT COALESCE(account.deprecated, FALSE)
                                AND account.internal_type NOT IN ('receivable', 'payable',
                                                                  'liquidity')
                                AND COALESCE(account.currency_id, company.currency_id)
                                    = company.currency_id
                                AND account.company_id = %(company)s)
              FROM account_account account
              JOIN res_company company ON company.id = account.company_id
             WHERE account.id = ANY(%(accounts)s)
        """, {"journal": invoice.journal_id.id, "company": invoice.company_id.id,
              "accounts": [line["account_id"] for line in lines]})
        return bool(self.env.cr.fetchone()[0])

    @api.model
    def _lines_to_insert(self, invoice):
        """The loyalty journal items of ``invoice`` to write with its
        journal entry, once (see :meth:`_move_lines_with_invoice`), or
        None."""
        return (self._posting_state().get("inserted_lines") or {}).pop(invoice.id, None)

    @api.model
    def _booked_in_moves(self, invoices):
        """{invoice id: amount its journal entry credits to the liability
        account of the points booked in it}, for customer ``invoices``."""
        invoice_ids = tuple(invoices.filtered("move_id").ids)
        if not invoice_ids:
            return {}
        self.env.cr.execute("""
            SELECT inv.id, SUM(line.credit - line.debit)
              FROM account_invoice inv
              JOIN crm_loyalty_program program
                ON program.id IN (SELECT entry.program_id FROM crm_loyalty_entry entry
                                   WHERE entry.move_id = inv.move_id)
              JOIN account_move_line line
                ON line.move_id = inv.move_id AND line.account_id = program.liability_account_id
             WHERE inv.id IN %s
             GROUP BY inv.id
        """, (invoice_ids,))
        return dict(self.env.cr.fetchall())
