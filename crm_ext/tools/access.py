# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access checks the public methods share (any logged-in user may call them
over RPC: Odoo checks no right before the call)."""
from ..exceptions import SalesManagersOnlyError

# who reads the customer figures, loyalty cards and ledger (the groups of
# the fields; ir.model.access.csv gives the same groups the models)
INSIGHT_READERS = "sales_team.group_sale_salesman,account.group_account_invoice"
LOYALTY_READERS = INSIGHT_READERS
SALES_MANAGERS = "sales_team.group_sale_manager"


def check_readable(records):
    """Raise AccessError unless the current user may read ``records``: the
    model's access rights, then its record rules."""
    records.check_access_rights("read")
    records.check_access_rule("read")


def check_writable(records):
    """Raise AccessError unless the current user may change ``records``."""
    records.check_access_rights("write")
    records.check_access_rule("write")


def check_sales_manager(env, action):
    """Raise ``SalesManagersOnlyError`` (crm_ext/exceptions.py) for
    ``action`` (one of its ``ACTIONS``) unless the user of ``env`` is a
    sales manager."""
    if not env.user.has_group(SALES_MANAGERS):
        raise SalesManagersOnlyError(env, action)
