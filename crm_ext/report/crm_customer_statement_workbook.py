# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Customer statement workbook: the statement's lines and aging, from its one implementation."""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import workbook as wb
from .crm_customer_statement import STATEMENT_READERS

STATEMENT = "report.crm_ext.customer_statement"


class CrmCustomerStatementWorkbook(models.AbstractModel):
    """The customer statement as a workbook: Statement (per customer, an
    opening balance row, the invoices, credit notes and payments with
    their running balance, a closing balance row; SUBTOTAL totals of the
    debits and credits), Aging (what was open on the last day, by bucket
    of days past due, and its column chart), then Parameters.

    Several customers (the Print menu's selection) share the sheets: one
    row block per customer, a Customer column first, so that the
    autofilter shows one customer's statement, with its totals (SUBTOTAL
    follows the filter), or all of them; the Aging sheet has one row per
    customer.  The figures are those of the PDF statement: its data
    (``report.crm_ext.customer_statement._statement``), its rules of
    access and of period, its default period (the year to date)."""

    _name = "report.crm_ext.customer_statement_workbook"
    _inherit = "report.crm_ext.workbook_abstract"
    _description = "Customer Statement Workbook"

    @api.model
    def _workbook_readers(self):
        return ",".join(STATEMENT_READERS)

    @api.model
    def _statement_partners(self, data, objs):
        """The commercial entities of the statement: of
        ``data["partner_ids"]`` (the wizard's, which the web client drops
        from the address), else of the Print menu's partners (``objs``)."""
        if data.get("partner_ids"):
            partners = self.env[STATEMENT]._statement_partners(data["partner_ids"])
        else:
            partners = objs if objs and objs._name == "res.partner" else \
                self.env["res.partner"]
        return partners.mapped("commercial_partner_id")

    @api.model
    def _statement_columns(self):
        """The columns of the Statement sheet (tools/workbook.Column).
        Meant to be overridden (the row keys are :meth:`_statement_rows`')."""
        column = wb.Column
        return [
            column(_("Customer"), "customer", "text", 28),
            column(_("Date"), "date", "date", 11),
            column(_("Document"), "document", "text", 22),
            column(_("Type"), "kind", "text", 15),
            column(_("Due Date"), "date_maturity", "date", 11),
            column(_("Debit"), "debit", "money", 15, True),
            column(_("Credit"), "credit", "money", 15, True),
            column(_("Balance"), "balance", "money", 15),
        ]

    @api.model
    def _statement_rows(self, statements, labels):
        """The rows of ``statements`` (a list of (partner, the dict of
        ``_statement``)): per customer its opening balance on its first
        day, its lines, its closing balance on its last day; ``labels``:
        ``_labels()`` of the statement (the words of the line kinds)."""
        opening, closing = _("Opening balance"), _("Closing balance")
        for partner, statement in statements:
            name = partner.display_name
            yield {"customer": name, "date": statement["date_from"], "document": opening,
                   "kind": opening, "date_maturity": None, "debit": None, "credit": None,
                   "balance": statement["opening_balance"]}
            for line in statement["lines"]:
                yield {"customer": name, "date": line["date"], "document": line["reference"],
                       "kind": labels["kinds"][line["kind"]],
                       "date_maturity": line["date_maturity"], "debit": line["debit"],
                       "credit": line["credit"], "balance": line["balance"]}
            yield {"customer": name, "date": statement["date_to"], "document": closing,
                   "kind": closing, "date_maturity": None, "debit": None, "credit": None,
                   "balance": statement["closing_balance"]}

    @api.model
    def _aging_columns(self, labels):
        """The columns of the Aging sheet: the customer, one per bucket of
        ``labels`` (``_labels()["buckets"]``), the total."""
        column = wb.Column
        return ([column(_("Customer"), "customer", "text", 28)]
                + [column(label, key, "money", 14, True) for key, label in labels["buckets"]]
                + [column(_("Total"), "aging_total", "money", 15, True)])

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        statements, labels = self._statements(data, objs)
        footer = self._workbook_footer()
        wb.write_table(workbook, formats, _("Statement"), self._statement_columns(),
                       self._statement_rows(statements, labels), footer, _("Total"))
        aging = wb.write_table(
            workbook, formats, _("Aging"), self._aging_columns(labels),
            [dict(statement["aging"], customer=partner.display_name,
                  aging_total=statement["aging_total"]) for partner, statement in statements],
            footer, _("Total"))
        aging.sheet.insert_chart(aging.last_row + 3, 1, wb.column_chart(
            workbook, aging, _("Aging by customer"), "customer", [key for key, _label in labels["buckets"]]))

    @api.model
    def _statements(self, data, objs):
        """The statements of the workbook, checked as the PDF's: a list of
        (partner, the dict of ``_statement``) by customer, and the
        statement's ``_labels()``.

        :raises StatementAccessError, AccessError: see ``_check_statement_access``
        :raises StatementPeriodError: a period that ends before it starts
        :raises UserError: no customer
        """
        report = self.env[STATEMENT]
        company = report._statement_company(data.get("company_id"))
        partners = self._statement_partners(data, objs)
        report._check_statement_access(partners, company)
        if not partners:
            raise UserError(_("Choose the customers of the statement."))
        date_from, date_to = report._statement_period(data.get("date_from"),
                                                      data.get("date_to"))
        statements = report._statements(partners, date_from, date_to, company)
        return ([(partner, statements[partner.id])
                 for partner in partners.sorted("display_name")], report._labels())

    @api.model
    def _workbook_filters(self, data, objs, company):
        lines = super(CrmCustomerStatementWorkbook, self)._workbook_filters(data, objs, company)
        partners = self._statement_partners(data, objs)
        date_from, date_to = self.env[STATEMENT]._statement_period(data.get("date_from"),
                                                                   data.get("date_to"))
        lines += [
            (_("Customers"), self._selection_words(partners, _("%s customers"))),
            (_("Period"), _("%(from)s to %(to)s") % {"from": date_from, "to": date_to}),
            (_("As of"), date_to),
            (_("Figures"), _("The posted journal items on receivable accounts of each "
                             "customer and its contacts, in the company currency; the aging "
                             "of what was open on the last day, by days past due.")),
        ]
        return lines
