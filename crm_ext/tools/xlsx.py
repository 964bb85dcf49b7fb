# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Spreadsheets made on request (a member's statement, the complaint
register): the workbook, its cells by type, and the download of the file
kept on a short-lived record."""
import datetime
import io

import xlsxwriter


def workbook_bytes(write):
    """The bytes of an in-memory xlsx workbook that ``write(book)`` fills
    (``book`` is an ``xlsxwriter.Workbook``)."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    write(book)
    book.close()
    return output.getvalue()


def write_cell(sheet, row, col, value, formats):
    """Write ``value`` in its type: a datetime or a date with the format of
    ``formats`` (a dict) under ``"datetime"`` or ``"date"``, a float with
    that under ``"float"``, an integer as a number, anything else as text
    (``""`` for a false value)."""
    if isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, formats.get("datetime"))
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, formats.get("date"))
    elif isinstance(value, float):
        sheet.write_number(row, col, value, formats.get("float"))
    elif isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, value or "")


def write_rows(sheet, first_row, rows, formats):
    """Write ``rows`` (lists of values, see :func:`write_cell`) from row
    ``first_row`` down, from the first column."""
    for row, line in enumerate(rows, first_row):
        for col, value in enumerate(line):
            write_cell(sheet, row, col, value, formats)


def download_action(record, field="data", filename_field="filename"):
    """The client action (a dict) that downloads the file ``record`` (one
    record) holds in ``field``, named by ``filename_field``."""
    record.ensure_one()
    return {
        "type": "ir.actions.act_url",
        "url": "/web/content/?model=%s&id=%d&field=%s&filename_field=%s"
               "&download=true" % (record._name, record.id, field, filename_field),
        "target": "self",
    }
