# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The clock of crm_ext: the one place that says what "now" is.

Production reads the system clock.  Tests and benchmarks freeze it for a
while with :func:`frozen`, which keeps the moment on the database cursor:
nothing a caller sends over RPC (arguments or context) can move it, so no
user can date a complaint's stages or deadlines at will.
"""
import contextlib
import datetime

from odoo import fields

_ATTRIBUTE = "crm_ext_frozen_now"


def now(env):
    """The current moment: a naive UTC ``datetime``, in whole seconds."""
    moment = getattr(env.cr, _ATTRIBUTE, None)
    return moment or datetime.datetime.utcnow().replace(microsecond=0)


@contextlib.contextmanager
def frozen(env, moment):
    """Within the block, :func:`now` is ``moment`` (a naive UTC ``datetime``
    or its ``'YYYY-MM-DD HH:MM:SS'`` string) for every environment of
    ``env``'s cursor.  Blocks nest; the previous moment comes back after."""
    if isinstance(moment, str):
        moment = fields.Datetime.from_string(moment)
    previous = getattr(env.cr, _ATTRIBUTE, None)
    setattr(env.cr, _ATTRIBUTE, moment)
    try:
        yield moment
    finally:
        setattr(env.cr, _ATTRIBUTE, previous)


def today(record):
    """The current date (a ``date``) where the user of ``record``'s
    environment is: :func:`now` in their time zone (the context's, else
    their preference's; UTC without one), as Odoo's own
    ``fields.Date.context_today`` gives it for the dates users see."""
    return fields.Date.from_string(fields.Date.context_today(record, timestamp=now(record.env)))
