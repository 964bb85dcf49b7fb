# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import in_progress, prepared
from .crm_loyalty_earning import CANCELLING


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def create(self, vals):
        """As ``account.move.create``; the journal entry of an invoice being
        validated gets the journal items of the points it earns, written in
        one statement (see :meth:`_insert_loyalty_lines`).  Returns the new
        entry."""
        move = super(AccountMove, self).create(vals)
        invoice = self.env.context.get("invoice")
        lines = (getattr(invoice, "_name", None) == "account.invoice"
                 and self.env["crm.loyalty.earning"]._lines_to_insert(invoice))
        if lines:
            move._insert_loyalty_lines(lines)
        return move

    def _insert_loyalty_lines(self, lines):
        """Write the journal items of an invoice's points in its journal
        entry, before it is posted (the posting checks and numbers them with
        the rest): in one statement instead of the ORM's create(), which
        costs as much as an invoice line and was a third of the loyalty
        program's cost at validation.  The stored values are those create()
        gives such an item (plain account, company currency, not
        reconcilable); a test compares them column by column."""
        self.ensure_one()
        # one statement (prepared: each validated invoice runs it): the items,
        # and the entry's amount (their debit)
        prepared.execute(self.env.cr, """
            WITH line AS (
                SELECT * FROM unnest(%(names)s::varchar[], %(debits)s::numeric[],
                                     %(credits)s::numeric[], %(accounts)s::int[],
                                     %(partners)s::int[])
                              AS line(name, debit, credit, account_id, partner_id)
            ),
            inserted AS (
                INSERT INTO account_move_line (
                    name, debit, credit, balance, debit_cash_basis, credit_cash_basis,
                    balance_cash_basis, amount_currency, company_currency_id,
                    amount_residual, amount_residual_currency, tax_base_amount,
                    account_id, move_id, ref, reconciled, journal_id, blocked,
                    date_maturity, date, company_id, partner_id, user_type_id,
                    tax_exigible, create_uid, create_date, write_uid, write_date)
                SELECT line.name, line.debit, line.credit, line.debit - line.credit,
                       line.debit * cash.share, line.credit * cash.share,
                       (line.debit - line.credit) * cash.share, 0, company.currency_id, 0, 0,
                       0, account.id, move.id, move.ref, FALSE, move.journal_id, FALSE,
                       move.date, move.date, account.company_id, line.partner_id,
                       account.user_type_id, TRUE, %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM line
                  JOIN account_move move ON move.id = %(move)s
                  JOIN account_journal journal ON journal.id = move.journal_id
                  JOIN account_account account ON account.id = line.account_id
                  JOIN res_company company ON company.id = account.company_id,
                       -- the cash basis share of sale and purchase journals
                       LATERAL (SELECT CASE WHEN journal.type IN ('sale', 'purchase')
                                            THEN COALESCE(move.matched_percentage, 0)
                                            ELSE 1 END AS share) cash
                RETURNING debit
            )
            UPDATE account_move SET amount = amount + (SELECT SUM(debit) FROM inserted)
             WHERE id = %(move)s
        """, {"names": [line["name"] for line in lines],
              "debits": [line["debit"] for line in lines],
              "credits": [line["credit"] for line in lines],
              "accounts": [line["account_id"] for line in lines],
              "partners": [line["partner_id"] for line in lines],
              "move": self.id, "uid": self.env.uid}, generic=True)
        self.invalidate_cache(["line_ids", "amount"], self.ids)

    @api.multi
    def unlink(self):
        """The journal entries that book loyalty points stay: the ledger
        and the liability account would part.  Only the journal entry of an
        invoice that is being cancelled goes, with the points booked in it:
        the cancellation's reversal books what it held."""
        if self.ids:
            cancelled = list(in_progress.ids(self.env.cr, CANCELLING))
            self.env.cr.execute("""
                SELECT 1 FROM crm_loyalty_entry
                 WHERE move_id IN %s AND (invoice_id IS NULL OR invoice_id <> ALL(%s))
                 LIMIT 1
            """, (tuple(self.ids), cancelled))
            if self.env.cr.fetchone():
                raise UserError(_("This journal entry books loyalty points: it cannot be "
                                  "deleted. Record a correction of the points instead."))
        return super(AccountMove, self).unlink()
