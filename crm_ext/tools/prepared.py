# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Statements prepared once per database connection.

Some statements run at every invoice validation and cost PostgreSQL more to
plan than to run (the refresh of a customer's insight: 3-5 ms of planning
for 1 ms of work).  Prepared, they are planned for their first executions
only: PostgreSQL then keeps a generic plan when it costs no more than the
plans made for each call (it decides by the estimated costs, so a large
database keeps planning each call where that pays).

A prepared statement outlives the transactions of its session, but Odoo
resets a pooled connection (DISCARD ALL) when a cursor borrows it: each
cursor asks PostgreSQL once whether the statement is there.
"""
import hashlib
import re

PARAMETER = re.compile(r"%\((\w+)\)s")


def execute(cr, query, params, generic=False):
    """``cr.execute(query, params)``, ``query`` with named parameters only
    (``%(name)s``), as a statement prepared on ``cr``'s connection.
    ``generic``: always with its generic plan, for a statement PostgreSQL
    would plan again each time for a few records (PostgreSQL 12 and later;
    in the same round trip, so for a statement without a result)."""
    names = []

    def number(match):
        if match.group(1) not in names:
            names.append(match.group(1))
        return "$%d" % (names.index(match.group(1)) + 1)

    text = PARAMETER.sub(number, query).replace("%%", "%")
    name = "crm_ext_" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
    prepared = cr.__dict__.setdefault("crm_ext_prepared", set())
    if name not in prepared:
        cr.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", (name,))
        if not cr.fetchone():
            # the caller's statement, named after its hash: no value in it
            cr.execute("PREPARE %s AS %s" % (name, text))  # pylint: disable=sql-injection
        prepared.add(name)
    statement = "EXECUTE %s (%s)" % (name, ", ".join(["%s"] * len(names)))
    if generic and cr._cnx.server_version >= 120000:  # pylint: disable=protected-access
        statement = ("SET LOCAL plan_cache_mode = force_generic_plan; %s; "
                     "SET LOCAL plan_cache_mode = DEFAULT" % statement)
    cr.execute(statement,  # pylint: disable=sql-injection
               [params[parameter] for parameter in names])
