# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install hooks of crm_ext (see ``post_init_hook`` in the manifest)."""
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """The insight figures of the customer invoices validated before crm_ext
    was installed (see ``account.invoice._backfill_insight_figures``):
    re-runnable, it fills only the invoices that have none."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["account.invoice"]._backfill_insight_figures()
