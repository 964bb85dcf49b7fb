"""Reading back the .xlsx files crm_ext writes, with the standard library
and lxml only (no openpyxl in Odoo 11's requirements)."""
import io
import re
import zipfile

from lxml import etree

XLSX_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _column_index(reference):
    """0 for the A of "A7", 26 for the AA of "AA7"."""
    index = 0
    for char in re.match(r"[A-Z]+", reference).group():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def xlsx_rows(content, empty=None):
    """The rows of the first sheet of the .xlsx file ``content`` (bytes), as
    lists of cell values: shared and inline strings as text, numbers as
    floats, ``empty`` for a cell without a value."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            shared = etree.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(item.itertext()) for item in shared.findall("x:si", XLSX_NS)]
        sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//x:sheetData/x:row", XLSX_NS):
        values = {}
        for cell in row.findall("x:c", XLSX_NS):
            value = cell.find("x:v", XLSX_NS)
            if value is None:
                continue
            if cell.get("t") == "s":
                value = strings[int(value.text)]
            elif cell.get("t") == "str":
                value = value.text
            else:
                value = float(value.text)
            values[_column_index(cell.get("r"))] = value
        rows.append([values.get(index, empty)
                     for index in range(max(values) + 1 if values else 0)])
    return rows
