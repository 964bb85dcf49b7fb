# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.7.0.0: the demo's points journal is numbered by a PostgreSQL
sequence instead of Odoo 11's gapless row lock (see CONFIGURE: every
document that books points queued on that lock; ``make load`` met it).

Demo data is not updated: a demo database from an earlier version gets it
here, through the ORM, which creates the PostgreSQL sequences of the
journal's sequence and of its date ranges. A journal chosen by an
administrator is not touched.

The models earlier versions dropped (in 11.0.6.0.0: the complaint
registration wizard and the loyalty statement) are removed with their
tables and fields: Odoo 11's upgrade keeps them (see
``tools.vanished_models``).
"""
from odoo import SUPERUSER_ID, api
from odoo.addons.crm_ext.tools.vanished_models import remove_vanished_models


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    remove_vanished_models(env, "crm_ext")
    journal = env.ref("crm_ext.crm_loyalty_journal_demo", raise_if_not_found=False)
    if journal:
        env["crm.loyalty.demo"]._demo_journal_numbering(journal)
