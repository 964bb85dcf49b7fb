# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The framework of crm_ext's workbooks (xlsxwriter, no Odoo import): the
cell formats of a workbook, its data sheets declared by columns and written
from an iterable of rows, its Parameters sheet, and native charts.

A workbook opened with ``{'constant_memory': True}`` keeps one row of each
sheet in memory: every function here writes its rows once, top to bottom.

    formats = Formats(book, Currency("€", "after", 2))
    columns = [Column(_("Customer"), "name", width=30),
               Column(_("Revenue"), "revenue", "money", total=True)]
    table = write_table(book, formats, _("Customers"), columns, rows, footer)
    table.range("revenue")   # "='Customers'!$B$2:$B$101", for a chart
"""
import collections
import datetime

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

#: the column types and their cell format (see :class:`Formats`)
TYPES = ("text", "date", "datetime", "money", "float", "integer", "percent")

#: SUBTOTAL's function of a visible-rows sum (it follows the autofilter)
SUBTOTAL_SUM = 109


class Column(collections.namedtuple("Column", "label key type width total")):
    """A column of a data sheet: ``label`` (the header, translated),
    ``key`` (the row's key, a row being a dict), ``type`` (one of
    :data:`TYPES`), ``width`` (in characters) and ``total`` (a bool: a
    ``SUBTOTAL(109, …)`` under the column)."""

    __slots__ = ()

    def __new__(cls, label, key, type="text", width=12, total=False):  # pylint: disable=redefined-builtin
        assert type in TYPES, type
        return super(Column, cls).__new__(cls, label, key, type, width, total)


class Currency(collections.namedtuple("Currency", "symbol position decimals")):
    """What a money format needs of a ``res.currency``: its ``symbol``,
    ``position`` ('before' or 'after') and ``decimals`` (an int)."""

    __slots__ = ()

    @property
    def number_format(self):
        """The Excel number format: thousands separator, the currency's
        decimals, its symbol on its side, negatives red with a minus sign,
        e.g. ``#,##0.00 "€";[Red]-#,##0.00 "€"``."""
        number = "#,##0" + ("." + "0" * self.decimals if self.decimals > 0 else "")
        symbol = '"%s"' % (self.symbol or "").replace('"', '""')
        if self.position == "before":
            positive = "%s%s" % (symbol, number)
        else:
            positive = "%s %s" % (number, symbol)
        return "%s;[Red]-%s" % (positive, positive)


class Formats(object):
    """The cell formats of one workbook, one per column type, plus
    ``header``, ``total_label`` and ``bold``."""

    NUMBER_FORMATS = {
        "date": "yyyy-mm-dd",
        "datetime": "yyyy-mm-dd hh:mm",
        "float": "#,##0.00;[Red]-#,##0.00",
        "integer": "#,##0",
        "percent": "0.0%",
    }

    def __init__(self, book, currency):
        """``book``: the xlsxwriter Workbook; ``currency``: a
        :class:`Currency`, the format of the money columns."""
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True,
                                       "valign": "top"})
        self.bold = book.add_format({"bold": True})
        self.by_type = {"text": None, "money": book.add_format(
            {"num_format": currency.number_format})}
        self.totals = {"text": book.add_format({"bold": True, "top": 1}),
                       "money": book.add_format({"bold": True, "top": 1,
                                                 "num_format": currency.number_format})}
        for type_, number_format in self.NUMBER_FORMATS.items():
            self.by_type[type_] = book.add_format({"num_format": number_format})
            self.totals[type_] = book.add_format({"bold": True, "top": 1,
                                                  "num_format": number_format})


class Table(object):
    """Where :func:`write_table` put a table: ``sheet``, ``columns``,
    ``first_row``/``last_row`` (0-based rows of the data; ``last_row <
    first_row`` when there is none), ``totals`` ({key: the sum written as
    the cached value of its SUBTOTAL})."""

    def __init__(self, sheet, columns, first_row, last_row, totals):
        self.sheet = sheet
        self.columns = columns
        self.first_row = first_row
        self.last_row = last_row
        self.totals = totals

    @property
    def row_count(self):
        """The number of data rows."""
        return self.last_row - self.first_row + 1

    def column_index(self, key):
        """The 0-based column of ``key``."""
        return [column.key for column in self.columns].index(key)

    def range(self, key):
        """The absolute reference of the data of column ``key`` (a chart's
        ``values`` or ``categories``), e.g. ``='Customers'!$B$2:$B$9``."""
        col = self.column_index(key)
        return "=%s!%s:%s" % (
            quote_sheetname(self.sheet.name),
            xl_rowcol_to_cell(self.first_row, col, True, True),
            xl_rowcol_to_cell(max(self.last_row, self.first_row), col, True, True))


def to_date(value):
    """``value`` as a ``datetime.date``: a date or datetime as it is, a
    'YYYY-MM-DD…' string (Odoo's cursor gives dates so) parsed."""
    if isinstance(value, str):
        return datetime.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    return value


def local_datetime(value, tz):
    """``value`` (a UTC datetime, or an Odoo 'YYYY-MM-DD HH:MM:SS' string)
    as a naive datetime in ``tz`` (a pytz time zone): what a reader in
    that zone reads on a clock (Excel has no time zones)."""
    if isinstance(value, str):
        value = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(tz).replace(tzinfo=None)


def cell_writer(sheet, column):
    """The function ``write(row, col, value, cell_format)`` that writes a
    value of ``column``'s type (a :class:`Column`) in ``sheet``: a number
    for the numeric types, an Excel date for a date (see :func:`to_date`),
    text for text, a datetime as it is (a naive ``datetime.datetime`` in
    the reader's time zone, see :func:`local_datetime`).  A value that is
    None or False is left out (an empty cell)."""
    if column.type == "datetime":
        return sheet.write_datetime
    if column.type == "date":
        write = sheet.write_datetime

        def write_date(row, col, value, cell_format):
            write(row, col, to_date(value), cell_format)
        return write_date
    if column.type == "text":
        write = sheet.write_string

        def write_text(row, col, value, cell_format):
            write(row, col, value if isinstance(value, str) else str(value), cell_format)
        return write_text
    return sheet.write_number


def setup_page(sheet, footer):
    """Landscape, fit to one page wide, the header row repeated on every
    page, ``footer`` (translated, with ``&P`` and ``&N``) at the centre."""
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_footer(footer)


def write_block(sheet, formats, header_row, columns, rows):
    """Below row ``header_row`` (0-based) of ``sheet``, the bold header of
    ``columns`` (:class:`Column`, their widths set) and ``rows`` (an
    iterable of dicts holding every column's key), written as they come
    (see :func:`cell_writer`).  Returns the
    :class:`Table`, with the sums of the columns that declare a total."""
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(header_row, col, column.label, formats.header)
    cells = [(col, column.key, cell_writer(sheet, column), formats.by_type[column.type])
             for col, column in enumerate(columns)]
    sums = collections.OrderedDict((column.key, 0) for column in columns if column.total)
    summed = list(sums)
    row = header_row
    for row, values in enumerate(rows, header_row + 1):
        for col, key, write, cell_format in cells:
            value = values[key]
            if value is not None and value is not False:
                write(row, col, value, cell_format)
        for key in summed:
            sums[key] += values[key] or 0
    return Table(sheet, columns, header_row + 1, row, sums)


def write_table(book, formats, name, columns, rows, footer, total_label=None):
    """A data sheet ``name`` (translated, at most 31 characters): the
    header row of ``columns`` frozen and ``rows`` (see :func:`write_block`);
    an autofilter over them; a totals row of ``SUBTOTAL(109, …)`` formulas
    under the columns that declare a total (labelled ``total_label`` in the
    first column), their sums as cached values; the page set up by
    :func:`setup_page` with ``footer``.  Returns the :class:`Table`."""
    sheet = book.add_worksheet(name[:31])
    sheet.freeze_panes(1, 0)
    setup_page(sheet, footer)
    table = write_block(sheet, formats, 0, columns, rows)
    sheet.autofilter(0, 0, max(table.last_row, 1), len(columns) - 1)
    if table.totals:
        _write_totals(sheet, formats, table, total_label)
    return table


def _write_totals(sheet, formats, table, label):
    """The totals row under ``table``: ``SUBTOTAL(109, …)`` of its summed
    columns, ``label`` in the first column (under one empty row when the
    table has none: a range of no cell is no formula)."""
    row = max(table.last_row, table.first_row) + 1
    for col, column in enumerate(table.columns):
        cell_format = formats.totals[column.type]
        if column.total:
            first = xl_rowcol_to_cell(table.first_row, col)
            last = xl_rowcol_to_cell(max(table.last_row, table.first_row), col)
            sheet.write_formula(row, col, "=SUBTOTAL(%d,%s:%s)" % (SUBTOTAL_SUM, first, last),
                                cell_format, table.totals[column.key])
        elif col == 0 and label:
            sheet.write_string(row, col, label, cell_format)
        else:
            sheet.write_blank(row, col, None, cell_format)


def write_parameters(book, formats, name, lines, footer):
    """The Parameters sheet ``name`` (translated): ``lines``, a list of
    (label, value) pairs (value: text, a number or a date), label in bold."""
    sheet = book.add_worksheet(name[:31])
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 60)
    setup_page(sheet, footer)
    for row, (label, value) in enumerate(lines):
        sheet.write_string(row, 0, label, formats.bold)
        if isinstance(value, (datetime.date, datetime.datetime)):
            sheet.write_datetime(row, 1, value, formats.by_type["date"])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, 1, value)
        elif value:
            sheet.write_string(row, 1, str(value))
    return sheet


def column_chart(book, table, title, categories, series, secondary=None):
    """A column chart of a grouped table (a :class:`Table`): one series per
    key of ``series`` (named by its column's label) over the ``categories``
    key; the key ``secondary`` (optional) as a line on a second axis (e.g.
    revenue beside a count).  Returns the chart, for ``insert_chart``."""
    chart = book.add_chart({"type": "column"})
    for key in series:
        chart.add_series(_series(table, categories, key))
    if secondary:
        line = book.add_chart({"type": "line"})
        line.add_series(dict(_series(table, categories, secondary), y2_axis=True))
        chart.combine(line)
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom"})
    return chart


def line_chart(book, table, title, categories, series, y_percent=False):
    """A line chart of ``series`` keys of ``table`` over ``categories``
    (e.g. a Pareto curve); ``y_percent``: the value axis as 0%-100%."""
    chart = book.add_chart({"type": "line"})
    for key in series:
        chart.add_series(_series(table, categories, key))
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom"})
    if y_percent:
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    return chart


def _series(table, categories, key):
    return {"name": table.columns[table.column_index(key)].label,
            "categories": table.range(categories), "values": table.range(key)}


def write_grid(sheet, formats, first_row, corner, row_labels, col_labels, values):
    """A heat map from row ``first_row`` of ``sheet``: ``corner`` (a
    label) and ``col_labels`` in bold, then one row per ``row_labels``
    item with ``values[i][j]`` (numbers), under a 3-color scale (see
    :func:`color_scale`).  Returns the row after the grid."""
    sheet.write_string(first_row, 0, corner, formats.header)
    for col, label in enumerate(col_labels, 1):
        sheet.write(first_row, col, label, formats.header)
    for i, label in enumerate(row_labels):
        sheet.write(first_row + 1 + i, 0, label, formats.bold)
        for j, value in enumerate(values[i]):
            sheet.write_number(first_row + 1 + i, 1 + j, value, formats.by_type["integer"])
    last_row = first_row + len(row_labels)
    color_scale(sheet, first_row + 1, 1, last_row, len(col_labels))
    return last_row + 1


def color_scale(sheet, first_row, first_col, last_row, last_col):
    """A 3-color scale (red, yellow, green: low to high) over the cells,
    a heat map."""
    sheet.conditional_format(first_row, first_col, last_row, last_col, {
        "type": "3_color_scale", "min_color": "#F8696B", "mid_color": "#FFEB84",
        "max_color": "#63BE7B"})


def pareto_points(values, steps=20):
    """The Pareto (ABC) curve of ``values`` (revenues, any order): for each
    of ``steps`` equal shares of the customers ranked by value, largest
    first, the share of the customers and the cumulative share of the
    positive total (both 0-1).  A list of (customers_share, value_share)
    pairs; empty when no value is positive."""
    ranked = sorted((value for value in values if value and value > 0), reverse=True)
    count, total = len(ranked), sum(ranked)
    if not total:
        return []
    points, running, done = [], 0.0, 0
    for step in range(1, steps + 1):
        upto = int(round(step * count / float(steps)))
        running += sum(ranked[done:upto])
        done = upto
        points.append((step / float(steps), running / total))
    return points
