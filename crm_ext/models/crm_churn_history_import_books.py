# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The books of crm.churn.history.import: its journal, its clearing account, its numbering."""
from odoo import _, models
from odoo.exceptions import UserError

#: the code of the purchase history journal (another free code is taken
#: when a journal of the company has it)
JOURNAL_CODE = "HIST"


class CrmChurnHistoryImport(models.Model):
    """Imported purchases are on record as posted customer invoices (the
    customers' figures, the churn model and Odoo's sales analysis read
    them) and leave the books as they were: the old system's balances come
    with the opening entry, as in any move to Odoo.  Both sides of an
    imported invoice are booked on one clearing account, *Purchase History
    (before Odoo)*, which cannot be reconciled: each entry nets to nothing,
    no receivable is left open (the invoice is paid as soon as it is
    posted, nothing is overdue) and no revenue is booked twice.

    The journal and the account are the company's
    (``res.company.history_import_journal_id``), made by the first import;
    the journal's numbering is PostgreSQL's sequence (Odoo's *standard*
    implementation), not the row lock of the sales journal's gapless
    numbering, so chunks of rows post side by side."""

    # one concern of the model per file
    _inherit = "crm.churn.history.import"  # pylint: disable=consider-merging-classes-inherited

    def _journal(self):
        """The purchase history journal of the import's company, made with
        its clearing account when it has none (see the class).

        :raises UserError: the company has no chart of accounts (no sales
            journal).
        """
        company = self.company_id.sudo()
        if company.history_import_journal_id:
            return company.history_import_journal_id
        journals = self.env["account.journal"].sudo()
        if not journals.search_count([("type", "=", "sale"), ("company_id", "=", company.id)]):
            raise UserError(_("The company %s has no sales journal: install its chart of "
                              "accounts before importing purchases.") % company.name)
        codes = set(journals.search([("company_id", "=", company.id)]).mapped("code"))
        code = next(candidate for candidate in
                    [JOURNAL_CODE] + ["%s%d" % (JOURNAL_CODE, index) for index in range(1, 100)]
                    if candidate not in codes)
        account = self._clearing_account()
        journal = journals.create({
            "name": _("Purchase History"), "code": code, "type": "sale",
            "company_id": company.id, "show_on_dashboard": False, "sequence": 100,
            "default_debit_account_id": account.id, "default_credit_account_id": account.id,
        })
        journal.sequence_id.write({"implementation": "standard"})
        company.history_import_journal_id = journal
        return journal

    def _clearing_account(self):
        """A new clearing account of the import's company, not
        reconcilable, with the first free code counting down from all
        nines (as long as the company's account codes: 999999 in Odoo's
        generic chart)."""
        company = self.company_id.sudo()
        accounts = self.env["account.account"].sudo()
        codes = set(accounts.search([("company_id", "=", company.id)]).mapped("code"))
        digits = max([len(code) for code in codes if code.isdigit()] or [6])
        code = next(str(number) for number in range(int("9" * digits), 0, -1)
                    if str(number) not in codes)
        return accounts.create({
            "code": code, "name": _("Purchase History (before Odoo)"),
            "user_type_id": self.env.ref("account.data_account_type_current_assets").id,
            "reconcile": False, "company_id": company.id,
        })

    def _prepare_numbering(self, rows):
        """The journal, and the numbering of each year of ``rows`` made
        before the chunks (the first invoice of a year makes it otherwise,
        so two chunks at once would)."""
        sequence = self._journal().sequence_id.sudo()
        if not sequence.use_date_range:
            return
        ranges = self.env["ir.sequence.date_range"].sudo()
        for year in sorted({row.date[:4] for row in rows}):
            day = "%s-01-01" % year
            if not ranges.search_count([("sequence_id", "=", sequence.id),
                                        ("date_from", "<=", day), ("date_to", ">=", day)]):
                sequence._create_date_range_seq(day)
