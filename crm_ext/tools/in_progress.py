# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Operations in progress, kept on the database cursor.

Some steps may only run inside another (an invoice's journal items while
its journal entry is made, a loyalty discount line while points are
redeemed).  The context cannot say so: any caller over RPC sets the
context.  The cursor can: only code running in the transaction reaches it.
"""
import contextlib


def ids(cr, operation):
    """The record ids ``operation`` (a name) is under way for: a frozenset."""
    return getattr(cr, "_crm_ext_" + operation, None) or frozenset()


@contextlib.contextmanager
def running(cr, operation, record_ids):
    """Within the block, :func:`ids` of ``operation`` includes
    ``record_ids``; blocks nest."""
    attribute = "_crm_ext_" + operation
    previous = ids(cr, operation)
    setattr(cr, attribute, previous | frozenset(record_ids))
    try:
        yield
    finally:
        setattr(cr, attribute, previous)
