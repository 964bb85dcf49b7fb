# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Many rows of one table updated at once from Python lists.

The values are loaded with COPY into a temporary table shaped as the
target's columns, then one UPDATE joins it: PostgreSQL parses a COPY line
far faster than the ``ARRAY[...]`` literal psycopg2 makes of a list (about a
third of a second per 100,000 numbers, so several seconds for the churn
scores' twenty-odd columns).
"""
import io

from psycopg2 import sql

#: the text COPY reads for NULL
NULL = "\\N"
#: the types of a column written without a function call per value
_NUMBERS = {int, float, type(None)}
#: the characters COPY's text format needs escaped, and their escapes
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value):
    """``value`` (None, bool, int, float, Decimal or str) as a field of
    COPY's text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return repr(value) if isinstance(value, float) else str(value)


def _column_texts(values):
    """The COPY fields of one column's ``values``, numbers without a
    function call each (the hot path: 100,000 floats a column)."""
    if set(map(type, values)) <= _NUMBERS:
        return [NULL if value is None else repr(value) for value in values]
    return [copy_text(value) for value in values]


def update_rows(cr, table, ids, columns, constants=None):
    """Set ``columns`` ({column: list of values, in the order of ``ids``})
    of the rows ``ids`` (list of int, the ``id`` column) of ``table``, and
    ``constants`` ({column: one value}) on the same rows, in one UPDATE.
    Values are None (NULL), bool, int, float, Decimal or str, of
    a type the column takes.  Returns the number of rows updated."""
    if not ids:
        return 0
    names = sorted(columns)
    source = sql.Identifier("_crm_ext_update_%s" % table)
    target_columns = sql.SQL(", ").join(map(sql.Identifier, names))
    cr.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(source))
    cr.execute(sql.SQL("CREATE TEMPORARY TABLE {} ON COMMIT DROP AS "
                       "SELECT id, {} FROM {} WITH NO DATA").format(
                           source, target_columns, sql.Identifier(table)))
    texts = [_column_texts(ids)] + [_column_texts(columns[name]) for name in names]
    data = io.StringIO("".join(line + "\n" for line in map("\t".join, zip(*texts))))
    cr.copy_expert(sql.SQL("COPY {} (id, {}) FROM STDIN").format(
        source, target_columns).as_string(cr._obj), data)
    cr.execute(sql.SQL("ANALYZE {}").format(source))
    constants = constants or {}
    assignments = [sql.SQL("{} = source.{}").format(sql.Identifier(name), sql.Identifier(name))
                   for name in names]
    assignments += [sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder(name))
                    for name in sorted(constants)]
    cr.execute(sql.SQL("UPDATE {} target SET {} FROM {} source WHERE target.id = source.id")
               .format(sql.Identifier(table), sql.SQL(", ").join(assignments), source),
               constants)
    updated = cr.rowcount
    cr.execute(sql.SQL("DROP TABLE {}").format(source))
    return updated
