# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer statement without the ORM: the SQL that reads a customer's
journal items, and the pure functions that turn them into the statement
(opening balance, running balance, closing balance, aging buckets).

The model side is ``report/crm_customer_statement.py``; the workbook of the
statement reads the same data through it.
"""
import datetime

# The journal items of the statements of several customers, in one
# statement: the posted items on receivable accounts of every contact of
# each commercial entity, in one company, up to the last day of the period,
# each with what was still open on that day and its commercial entity
# (``customer``), in the order of each customer's statement.
#
# The residual as of %(date_to)s is the aged partner balance's of Odoo 11
# (account/report/account_aged_partner_balance.py): the item's balance, less
# the partial reconciliations whose max_date (the later date of the two
# items they match) is on or before that day.  Amounts are in the company
# currency (``balance``, ``account.partial.reconcile.amount``).
#
# Parameters: partners (the commercial entities' ids, a list), company
# (id), date_to ('YYYY-MM-DD', included).
STATEMENT_LINES = """
    SELECT contact.commercial_partner_id AS customer,
           aml.id, aml.date, aml.date_maturity, aml.debit, aml.credit, aml.balance,
           move.name AS move_name, aml.ref, aml.name AS label,
           invoice.number AS invoice_number, invoice.type AS invoice_type,
           payment.name AS payment_name,
           aml.balance
             + COALESCE((SELECT SUM(partial.amount) FROM account_partial_reconcile partial
                          WHERE partial.credit_move_id = aml.id
                            AND partial.max_date <= %(date_to)s), 0)
             - COALESCE((SELECT SUM(partial.amount) FROM account_partial_reconcile partial
                          WHERE partial.debit_move_id = aml.id
                            AND partial.max_date <= %(date_to)s), 0) AS residual
      FROM account_move_line aml
      JOIN res_partner contact ON contact.id = aml.partner_id
      JOIN account_move move ON move.id = aml.move_id
      JOIN account_account account ON account.id = aml.account_id
      LEFT JOIN account_invoice invoice ON invoice.id = aml.invoice_id
      LEFT JOIN account_payment payment ON payment.id = aml.payment_id
     WHERE contact.commercial_partner_id = ANY(%(partners)s)
       AND aml.company_id = %(company)s
       AND account.internal_type = 'receivable'
       AND move.state = 'posted'
       AND aml.date <= %(date_to)s
     ORDER BY contact.commercial_partner_id, aml.date, move.name, aml.id
"""

# the kinds of a line: from the invoice's type, else a payment, else other
INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
PAYMENT = "payment"
OTHER = "other"
_INVOICE_KINDS = {"out_invoice": INVOICE, "in_invoice": INVOICE,
                  "out_refund": CREDIT_NOTE, "in_refund": CREDIT_NOTE}

# the aging buckets: (key, first and last day past due, None: no bound)
BUCKETS = (
    ("not_due", None, 0),
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_over_90", 91, None),
)


def _date(value):
    """A date column as a ``datetime.date`` (Odoo's cursor reads dates as
    'YYYY-MM-DD' strings, a bare psycopg2 cursor as dates); None if empty."""
    if not value:
        return None
    if isinstance(value, str):
        return datetime.datetime.strptime(value[:10], "%Y-%m-%d").date()
    return value


def _day(value):
    """A date column as 'YYYY-MM-DD' (or False when empty)."""
    value = _date(value)
    return value.isoformat() if value else False


def line_kind(row):
    """The kind of a row of STATEMENT_LINES: INVOICE, CREDIT_NOTE, PAYMENT
    or OTHER (a manual entry, an exchange difference...)."""
    if row["invoice_type"]:
        return _INVOICE_KINDS.get(row["invoice_type"], OTHER)
    return PAYMENT if row["payment_name"] else OTHER


def bucket(days_past_due):
    """The key of the bucket of an item ``days_past_due`` (an int: the
    last day of the statement less the due date, in days; 0 or less: not
    due) falls in."""
    for key, first, last in BUCKETS:
        if (first is None or days_past_due >= first) and (last is None
                                                          or days_past_due <= last):
            return key
    return BUCKETS[-1][0]


def statement(rows, date_from, date_to, rounding):
    """The statement of the rows of STATEMENT_LINES (dicts, in their order).

    :param rows: the dicts of the query (dates as ``datetime.date`` or
        'YYYY-MM-DD' strings, amounts as numbers in the company currency)
    :param date_from: the first day of the period, 'YYYY-MM-DD'
    :param date_to: the last day of the period, 'YYYY-MM-DD' (the rows end
        there)
    :param rounding: a function rounding an amount to the currency
    :returns: a dict: ``opening_balance`` (float: the balance of the items
        before ``date_from``), ``lines`` (list of dicts with ``id``,
        ``date`` and ``date_maturity`` ('YYYY-MM-DD' or False), ``entry``
        (the journal entry), ``reference`` (the invoice or credit note
        number, the payment's name, else the item's reference or label),
        ``kind`` (see line_kind), ``debit``, ``credit``, ``balance``
        (running, floats)), ``closing_balance`` (float), ``aging`` (dict
        {bucket key: float} of BUCKETS, the residual as of ``date_to`` of
        the open items by days past due on ``date_to``, from their due
        date, else their date) and ``aging_total`` (float: equals the
        closing balance once every reconciliation is between the
        customer's own items)
    """
    start, end = _date(date_from), _date(date_to)
    opening = running = 0.0
    lines = []
    aging = dict((key, 0.0) for key, _first, _last in BUCKETS)
    for row in rows:
        balance = float(row["balance"])
        if _date(row["date"]) < start:
            opening += balance
            running = opening
        else:
            running += balance
            lines.append({
                "id": row["id"],
                "date": _day(row["date"]),
                "date_maturity": _day(row["date_maturity"]),
                "entry": row["move_name"] or "",
                "reference": (row["invoice_number"] or row["payment_name"] or row["ref"]
                              or row["label"] or row["move_name"] or ""),
                "kind": line_kind(row),
                "debit": rounding(float(row["debit"])),
                "credit": rounding(float(row["credit"])),
                "balance": rounding(running),
            })
        residual = rounding(float(row["residual"]))
        if residual:
            due = _date(row["date_maturity"] or row["date"])
            key = bucket((end - due).days)
            aging[key] = rounding(aging[key] + residual)
    return {
        "opening_balance": rounding(opening),
        "lines": lines,
        "closing_balance": rounding(running),
        "aging": aging,
        "aging_total": rounding(sum(aging.values())),
    }
