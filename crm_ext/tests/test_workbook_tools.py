"""The workbook framework (tools/workbook.py) on its own: the money format
of a currency, the Pareto curve, a streamed table with its totals, an
empty table, and moments (datetimes) in a reader's time zone."""
import datetime
import io
import unittest

import openpyxl
import pytz
import xlsxwriter

from ..tools import workbook as wb


def _book_bytes(write):
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    write(book, wb.Formats(book, wb.Currency("€", "after", 2)))
    book.close()
    return openpyxl.load_workbook(io.BytesIO(output.getvalue()), data_only=True)


COLUMNS = [wb.Column("Name", "name", "text", 20), wb.Column("Day", "day", "date", 12),
           wb.Column("Amount", "amount", "money", 14, True)]


class TestWorkbookTools(unittest.TestCase):

    def test_money_format_symbol_after(self):
        self.assertEqual(wb.Currency("€", "after", 2).number_format,
                         '#,##0.00 "€";[Red]-#,##0.00 "€"')

    def test_money_format_symbol_before_without_decimals(self):
        self.assertEqual(wb.Currency("¥", "before", 0).number_format,
                         '"¥"#,##0;[Red]-"¥"#,##0')

    def test_pareto_points(self):
        self.assertEqual(wb.pareto_points([10, 0, 30, -5, 60], steps=3),
                         [(1 / 3.0, 0.6), (2 / 3.0, 0.9), (1.0, 1.0)])

    def test_pareto_points_without_revenue(self):
        self.assertEqual(wb.pareto_points([0, -1]), [])

    def test_streamed_rows_and_totals(self):
        rows = ({"name": "n%d" % i, "day": datetime.date(2026, 1, 1 + i), "amount": i * 1.5}
                for i in range(10))
        sheet = _book_bytes(lambda book, formats: wb.write_table(
            book, formats, "Data", COLUMNS, rows, "&CPage &P of &N", "Total"))["Data"]
        self.assertEqual(sheet.max_row, 12)
        self.assertEqual(sheet["A12"].value, "Total")
        self.assertAlmostEqual(sheet["C12"].value, 67.5)
        self.assertEqual(sheet.auto_filter.ref, "A1:C11")

    def test_empty_table(self):
        sheet = _book_bytes(lambda book, formats: wb.write_table(
            book, formats, "Data", COLUMNS, iter(()), "&CPage &P of &N", "Total"))["Data"]
        self.assertEqual([cell.value for cell in sheet[1]], ["Name", "Day", "Amount"])
        self.assertEqual(sheet["C3"].value, 0)

    def test_local_datetime(self):
        brussels = pytz.timezone("Europe/Brussels")
        self.assertEqual(wb.local_datetime("2026-04-06 23:30:00", brussels),
                         datetime.datetime(2026, 4, 7, 1, 30))
        self.assertEqual(wb.local_datetime(datetime.datetime(2026, 1, 6, 23, 30), brussels),
                         datetime.datetime(2026, 1, 7, 0, 30))

    def test_datetime_column(self):
        columns = [wb.Column("Received", "moment", "datetime", 16)]
        sheet = _book_bytes(lambda book, formats: wb.write_table(
            book, formats, "Data", columns,
            iter([{"moment": datetime.datetime(2026, 4, 7, 1, 30)}]), "&CPage &P of &N"))["Data"]
        self.assertEqual(sheet["A2"].value, datetime.datetime(2026, 4, 7, 1, 30))
        self.assertEqual(sheet["A2"].number_format, "yyyy-mm-dd hh:mm")
