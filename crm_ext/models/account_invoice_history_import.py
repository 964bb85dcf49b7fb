# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The history-import concern of account.invoice: the purchase it imported."""
from odoo import fields, models


class AccountInvoice(models.Model):
    """A customer invoice made by the purchase history import keeps the run
    and the line of the file it came from: the import skips the lines
    already imported when it runs again (see crm.churn.history.import)."""

    # one concern of the model per file
    _inherit = "account.invoice"  # pylint: disable=consider-merging-classes-inherited

    history_import_id = fields.Many2one(
        "crm.churn.history.import", "Imported By", readonly=True, copy=False, index=True,
        ondelete="restrict")
    history_import_line = fields.Integer("Line of the Imported File", readonly=True,
                                         copy=False)

    _sql_constraints = [
        ("history_import_line_unique", "UNIQUE(history_import_id, history_import_line)",
         "A line of an imported file makes one invoice."),
    ]
