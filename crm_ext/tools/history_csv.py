# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The CSV of past purchases the history import reads (see
crm.churn.history.import): parsed and checked whole, without the database.

The file is UTF-8 text (a byte-order mark is allowed), its first line a
header naming the columns in any order, comma- or semicolon-separated:

- ``ref``: the customer's reference in the old system (``res.partner.ref``);
- ``name``: the customer's name (used when the customer is created);
- ``date``: the day of the purchase, ``YYYY-MM-DD``;
- ``amount``: what it cost, untaxed, in the company's currency: a number
  with a dot for decimals, 0 or more;
- ``product`` (optional): a product's internal reference or name.

A refusal is a tuple ``(line, kind, value)``: the line of the file (the
header is line 1), one of :data:`REFUSAL_KINDS`, and what was read there;
``crm_ext.exceptions.HistoryImportRefused`` words them.
"""
import collections
import csv
import datetime
import io

COLUMNS = ("ref", "name", "date", "amount")
OPTIONAL_COLUMNS = ("product",)
REFUSAL_KINDS = ("encoding", "empty", "header", "columns", "ref", "name", "date",
                 "future", "amount", "product")

#: one purchase: ``line`` in the file, ``ref``, ``name``, ``date``
#: ('YYYY-MM-DD'), ``amount`` (a float), ``product`` (text, or '')
Row = collections.namedtuple("Row", "line ref name date amount product")


def parse(data, today):
    """Read every row of ``data`` (the file's bytes); ``today`` (a
    ``datetime.date``): no purchase may be later.

    :returns: ``(rows, refusals)``: the well-formed rows (a list of
        :class:`Row`, in the file's order) and the refusals of the others
        (a list of ``(line, kind, value)``); a file with refusals is
        imported not at all.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(0, "encoding", "")]
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") \
        else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return [], [(1, "header", ", ".join(missing))]
    index = {name: header.index(name) for name in COLUMNS + OPTIONAL_COLUMNS if name in header}
    rows, refusals = [], []
    for fields in reader:
        line = reader.line_num
        if not any(field.strip() for field in fields):
            continue  # blank lines
        if len(fields) != len(header):
            refusals.append((line, "columns", len(fields)))
            continue
        row, refusal = _row(line, {name: fields[i].strip() for name, i in index.items()}, today)
        if refusal:
            refusals.append(refusal)
        else:
            rows.append(row)
    if not rows and not refusals:
        refusals.append((0, "empty", ""))
    return rows, refusals


def _row(line, values, today):
    """The :class:`Row` of one line's ``values`` (by column), or its first
    refusal: ``(row, None)`` or ``(None, refusal)``."""
    for name in ("ref", "name"):
        if not values[name]:
            return None, (line, name, "")
    try:
        day = datetime.datetime.strptime(values["date"], "%Y-%m-%d").date()
    except ValueError:
        return None, (line, "date", values["date"])
    if day > today:
        return None, (line, "future", values["date"])
    try:
        amount = float(values["amount"])
    except ValueError:
        amount = -1.0
    # float() reads 'nan' and 'inf' too
    if not 0.0 <= amount < float("inf"):
        return None, (line, "amount", values["amount"])
    return Row(line, values["ref"], values["name"], day.isoformat(), amount,
               values.get("product", "")), None
