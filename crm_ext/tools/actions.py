# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The window actions the smart buttons of a record open."""
from . import access


def window_action(record, xmlid, domain, context=None):
    """The window action ``xmlid`` (a dict) restricted to ``domain``, with
    ``context`` when given, opened from ``record`` (one record, which the
    caller must be allowed to read: AccessError otherwise)."""
    record.ensure_one()
    access.check_readable(record)
    action = record.env.ref(xmlid).read()[0]
    action["domain"] = domain
    if context is not None:
        action["context"] = context
    return action
