# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access checks the public methods share (any logged-in user may call them
over RPC: Odoo checks no right before the call)."""


def check_readable(records):
    """Raise AccessError unless the current user may read ``records``: the
    model's access rights, then its record rules."""
    records.check_access_rights("read")
    records.check_access_rule("read")


def check_writable(records):
    """Raise AccessError unless the current user may change ``records``."""
    records.check_access_rights("write")
    records.check_access_rule("write")
