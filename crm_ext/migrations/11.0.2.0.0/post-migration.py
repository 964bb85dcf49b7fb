# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.2.0.0: the crons call private entry points.

The crons' records are ``noupdate``: an update does not rewrite their code,
which would still call the public methods that no longer exist.
"""
from odoo import SUPERUSER_ID, api

CRON_CODES = {
    "crm_ext.ir_cron_customer_insight": ("model.recompute_all()",
                                         "model._cron_recompute_all()"),
    "crm_ext.ir_cron_loyalty_daily": ("model.run_daily()", "model._cron_run_daily()"),
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, (old, new) in sorted(CRON_CODES.items()):
        cron = env.ref(xmlid, raise_if_not_found=False)
        # a cron an administrator changed keeps its code
        if cron and (cron.code or "").strip() == old:
            cron.code = new
