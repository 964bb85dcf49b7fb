# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The books of crm.churn.history.import: its journal, its numbering, the settlement of its invoices."""
from odoo import _, api, models
from odoo.exceptions import UserError

#: the code of the purchase history journal (another free code is taken
#: when a journal of the company has it)
JOURNAL_CODE = "HIST"


class CrmChurnHistoryImport(models.Model):
    """Imported purchases are on record as posted customer invoices (the
    customers' figures, the churn model and Odoo's sales analysis read
    them) and leave the books as they were: the old system's balances come
    with the opening entry, as in any move to Odoo.  Each invoice is
    settled on its own day in the purchase history journal against the
    income it booked, so that neither receivables nor revenue change and
    no imported invoice is left open, or overdue.

    The journal is the company's (``res.company.history_import_journal_id``),
    made by the first import; its numbering is PostgreSQL's sequence
    (Odoo's *standard* implementation), not the row lock of the sales
    journal's gapless numbering, so chunks of rows post side by side."""

    # one concern of the model per file
    _inherit = "crm.churn.history.import"  # pylint: disable=consider-merging-classes-inherited

    def _journal(self):
        """The purchase history journal of the import's company, made when
        it has none (see the class).

        :raises UserError: the company has no sales journal (no chart of
            accounts) to take the accounts from.
        """
        company = self.company_id.sudo()
        if company.history_import_journal_id:
            return company.history_import_journal_id
        journals = self.env["account.journal"].sudo()
        sales = journals.search([("type", "=", "sale"), ("company_id", "=", company.id)],
                                limit=1)
        if not sales:
            raise UserError(_("The company %s has no sales journal: install its chart of "
                              "accounts before importing purchases.") % company.name)
        codes = set(journals.search([("company_id", "=", company.id)]).mapped("code"))
        code = next(candidate for candidate in
                    [JOURNAL_CODE] + ["%s%d" % (JOURNAL_CODE, index) for index in range(1, 100)]
                    if candidate not in codes)
        journal = journals.create({
            "name": _("Purchase History"), "code": code, "type": "sale",
            "company_id": company.id, "show_on_dashboard": False, "sequence": 100,
            "default_debit_account_id": sales.default_debit_account_id.id,
            "default_credit_account_id": sales.default_credit_account_id.id,
        })
        journal.sequence_id.write({"implementation": "standard"})
        company.history_import_journal_id = journal
        return journal

    def _prepare_numbering(self, rows):
        """The numbering of each year of ``rows`` made before the chunks
        (the first invoice of a year makes it otherwise, so two chunks at
        once would)."""
        sequence = self._journal().sequence_id.sudo()
        if not sequence.use_date_range:
            return
        ranges = self.env["ir.sequence.date_range"].sudo()
        for year in sorted({row.date[:4] for row in rows}):
            day = "%s-01-01" % year
            if not ranges.search_count([("sequence_id", "=", sequence.id),
                                        ("date_from", "<=", day), ("date_to", ">=", day)]):
                sequence._create_date_range_seq(day)

    @api.model
    def _settle(self, invoices):
        """Settle the posted ``invoices`` (of one import, in its import
        environment), customer by customer: an entry of the history journal
        on the day of the customer's last invoice takes their receivables
        back against the income they booked, and is reconciled with them
        (the invoices are then paid).  One entry and one reconciliation a
        customer, not an invoice: the rows are imported customer by
        customer (see ``_rows``), and a reconciliation costs as much as a
        posting."""
        moves = self.env["account.move"]
        by_customer = {}
        # an invoice of nothing is paid when posted
        for invoice in invoices.filtered(lambda inv: inv.state == "open"):
            by_customer.setdefault(invoice.commercial_partner_id, []).append(invoice)
        for _customer, customer_invoices in sorted(by_customer.items(),
                                                   key=lambda item: item[0].id):
            lines = moves.browse([invoice.move_id.id for invoice in customer_invoices]) \
                .mapped("line_ids")
            receivables = lines.filtered(lambda line: line.account_id.internal_type
                                         == "receivable")
            totals = {}
            for line in lines:
                key = (line.account_id.id, line.partner_id.id)
                totals[key] = totals.get(key, 0.0) + line.credit - line.debit
            currency = customer_invoices[0].company_id.currency_id
            move = moves.create({
                "journal_id": customer_invoices[0].journal_id.id,
                "date": max(invoice.date_invoice for invoice in customer_invoices),
                "company_id": customer_invoices[0].company_id.id,
                "ref": _("Paid before the move to Odoo: %s") % ", ".join(
                    invoice.number for invoice in customer_invoices),
                "line_ids": [(0, 0, {
                    "name": _("Paid before the move to Odoo"), "partner_id": partner_id,
                    "account_id": account_id,
                    "debit": currency.round(max(total, 0.0)),
                    "credit": currency.round(max(-total, 0.0)),
                }) for (account_id, partner_id), total in sorted(totals.items())
                    if not currency.is_zero(total)],
            })
            move.post()
            (receivables | move.line_ids.filtered(
                lambda line: line.account_id in receivables.mapped("account_id"))).reconcile()
