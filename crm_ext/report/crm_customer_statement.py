# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer statement: its data (the one implementation the PDF and
the workbook read) and the values of its QWeb PDF report."""
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..exceptions import StatementAccessError, StatementPeriodError
from ..tools import clock
from ..tools import customer_statement as engine
from ..tools.access import check_readable

# who prints statements: invoicing users (they read the customers' journal
# items) and sales managers (report/crm_customer_statement_report.xml gives
# the Print menu entry the same groups)
STATEMENT_READERS = ("account.group_account_invoice", "sales_team.group_sale_manager")


class CustomerStatementReport(models.AbstractModel):
    """The statement of account of a customer over a period: opening
    balance, the invoices, credit notes and payments with the running
    balance, closing balance and the aging of what was open on the last
    day.  Printed from the partner's Print menu (default period) or from
    its wizard (crm.customer.statement.wizard)."""

    _name = "report.crm_ext.customer_statement"
    _description = "Customer Statement"

    @api.model
    def get_report_values(self, docids, data=None):
        """The values of the QWeb template ``crm_ext.customer_statement``
        (Odoo 11's report hook, called by ``ir.actions.report``: unlike
        other public methods it returns records, for the template; over
        RPC, print with the report action's ``render_qweb_pdf``).

        :param docids: ids of res.partner (list of int): one statement per
            commercial entity among them
        :param data: optional dict: ``partner_ids`` (list of int: the
            partners when ``docids`` is empty, as the wizard prints),
            ``date_from`` and ``date_to``
            ('YYYY-MM-DD', the period; by default from the first day of the
            year to today, from tools/clock.py), ``company_id`` (int; by
            default the user's current company)
        :returns: dict: ``docs`` (the commercial entities), ``statements``
            ({partner id: the dict of :meth:`_statement`}), ``labels``
            ({partner id: :meth:`_labels` in the partner's language}),
            ``statement_company`` and ``statement_currency`` (records)
        :raises StatementAccessError: the user is no invoicing user nor
            sales manager, or the company is not one of theirs
        :raises AccessError: a partner the user may not read
        :raises UserError: no partner, or partners that are not a list of ids
        :raises StatementPeriodError: a period that ends before it starts
        """
        data = data or {}
        company = self._statement_company(data.get("company_id"))
        # the web client drops the ids of a report with options from its
        # address: the wizard's options carry them
        partners = self._statement_partners(docids or data.get("partner_ids") or [])
        self._check_statement_access(partners, company)
        date_from, date_to = self._statement_period(data.get("date_from"),
                                                    data.get("date_to"))
        if not partners:
            raise UserError(_("Choose the customers of the statement."))
        docs = partners.mapped("commercial_partner_id")
        check_readable(docs)
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "statements": self._statements(docs, date_from, date_to, company),
            "labels": dict((partner.id, self.with_context(lang=partner.lang)._labels())
                           for partner in docs),
            "statement_company": company,
            "statement_currency": company.currency_id,
        }

    # -- the rules of access and period -----------------------------------

    @api.model
    def _check_statement_access(self, partners, company):
        """Raise unless the user may print the statements of ``partners``
        (res.partner) in ``company`` (res.company): an invoicing user or a
        sales manager (STATEMENT_READERS), of that company, who may read
        the partners (their record rules: multi-company, own customers).

        :raises StatementAccessError, AccessError:
        """
        user = self.env.user
        if not any(user.has_group(group) for group in STATEMENT_READERS):
            raise StatementAccessError(self.env)
        if not company or company not in user.company_ids:
            raise StatementAccessError(self.env, company or None)
        check_readable(partners)

    @api.model
    def _statement_company(self, company_id=None):
        """The res.company of ``company_id`` (an int), else the user's
        current company; empty when ``company_id`` names none."""
        if not company_id:
            return self.env.user.company_id
        try:
            return self.env["res.company"].browse(int(company_id)).exists()
        except (TypeError, ValueError):
            return self.env["res.company"]

    @api.model
    def _default_period(self):
        """The period of a statement printed without one: (first day of the
        year, today), today from tools/clock.py in the user's time zone, as
        'YYYY-MM-DD' strings.  Meant to be overridden (a fiscal year that
        does not start in January, a rolling quarter)."""
        today = fields.Date.context_today(self, timestamp=clock.now(self.env))
        return today[:4] + "-01-01", today

    @api.model
    def _statement_period(self, date_from=None, date_to=None):
        """(date_from, date_to) as 'YYYY-MM-DD' strings: those given, else
        :meth:`_default_period`'s.

        :raises StatementPeriodError: not dates, or the first after the last
        """
        default_from, default_to = self._default_period()
        date_from, date_to = date_from or default_from, date_to or default_to
        try:
            first = fields.Date.from_string(date_from)
            last = fields.Date.from_string(date_to)
        except (TypeError, ValueError):
            raise StatementPeriodError(self.env, date_from, date_to)
        if not isinstance(first, datetime.date) or first > last:
            raise StatementPeriodError(self.env, date_from, date_to)
        return fields.Date.to_string(first), fields.Date.to_string(last)

    # -- the data ----------------------------------------------------------

    @api.model
    def _statement(self, partner, date_from, date_to, company):
        """The statement of ``partner``'s commercial entity in ``company``:
        the one implementation of its figures (PDF and workbook).

        Read with :meth:`_statements` (one SQL statement for any number of
        customers: tools/customer_statement.py ``STATEMENT_LINES``) from the
        journal items accounting uses: posted
        moves, receivable accounts, the items of every contact of the
        commercial entity, amounts in the company currency.  The residual
        of each item as of ``date_to`` is Odoo 11's aged partner balance's
        (its partial reconciliations dated on or before ``date_to``), so a
        payment made after the period leaves its invoice open in the
        aging.  Imported history invoices (the HIST journal of the history
        import) are booked on a clearing account, not a receivable one:
        they are not on the statement.

        The caller checks the access (:meth:`_check_statement_access`):
        this reads the accounting tables directly.

        :param partner: res.partner (one)
        :param date_from: first day, 'YYYY-MM-DD'
        :param date_to: last day, 'YYYY-MM-DD' (included)
        :param company: res.company (one)
        :returns: dict, XML-RPC-safe: ``partner_id``, ``company_id``,
            ``currency_id`` (ints), ``date_from``, ``date_to`` (strings),
            then ``opening_balance``, ``lines``, ``closing_balance``,
            ``aging`` and ``aging_total`` as
            tools/customer_statement.py ``statement`` gives them (floats in
            the company currency; line kinds and bucket keys worded by
            :meth:`_labels`)
        """
        partner.ensure_one()
        return self._statements(partner, date_from, date_to, company)[
            partner.commercial_partner_id.id]

    @api.model
    def _statement_partners(self, ids):
        """The res.partner of ``ids`` (a list of ints, as the wizard's
        options or a caller over RPC give them).

        :raises UserError: not a list of ids
        """
        if not isinstance(ids, (list, tuple)) or not all(
                isinstance(id_, int) and not isinstance(id_, bool) for id_ in ids):
            raise UserError(_("Choose the customers of the statement."))
        return self.env["res.partner"].browse(ids)

    @api.model
    def _statements(self, partners, date_from, date_to, company):
        """The statements of ``partners``' commercial entities (see
        :meth:`_statement`), all read in one SQL statement.

        :param partners: res.partner (any number)
        :returns: dict {commercial entity id: the dict of :meth:`_statement`}
        """
        customers = partners.mapped("commercial_partner_id").ids
        self.env.cr.execute(engine.STATEMENT_LINES, {
            "partners": customers, "company": company.id, "date_to": date_to})
        rows = dict((customer, []) for customer in customers)
        for row in self.env.cr.dictfetchall():
            rows[row["customer"]].append(row)
        currency = company.currency_id
        statements = {}
        for customer in customers:
            values = engine.statement(rows[customer], date_from, date_to, currency.round)
            values.update(partner_id=customer, company_id=company.id, currency_id=currency.id,
                          date_from=date_from, date_to=date_to)
            statements[customer] = values
        return statements

    @api.model
    def _labels(self):
        """The words of the statement in the language of the context: a
        dict with ``kinds`` ({line kind: label}) and ``buckets`` (a list of
        (bucket key, label) in the order of the aging table)."""
        kinds = {engine.INVOICE: _("Invoice"), engine.CREDIT_NOTE: _("Credit note"),
                 engine.PAYMENT: _("Payment"), engine.OTHER: _("Other")}
        buckets = {"not_due": _("Not due"), "days_1_30": _("1-30 days"),
                   "days_31_60": _("31-60 days"), "days_61_90": _("61-90 days"),
                   "days_over_90": _("Over 90 days")}
        return {"kinds": kinds,
                "buckets": [(key, buckets[key]) for key, _first, _last in engine.BUCKETS]}
