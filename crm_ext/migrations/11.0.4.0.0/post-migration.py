# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.4.0.0: the customer invoices keep their insight figures (net sales,
cost of goods sold and discounts of the day they were validated).

A database from a version before them (11.0.1.0.0) gets the figures of its
posted customer invoices here, as an installation gets them from
``hooks.post_init_hook``: the same backfill, which fills only the invoices
that have none, at today's costs (the costs of their day are not known).
Until 11.0.4.0.0 every update of the module looked for new columns to fill.
"""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["account.invoice"]._backfill_insight_figures()
