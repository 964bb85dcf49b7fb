# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The workbook concern of res.company: above which size a workbook is made in the background."""
from odoo import fields, models


class ResCompany(models.Model):
    """How the company's workbooks (report/crm_workbook_abstract.py) are
    made."""

    # one concern of the model per file
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    workbook_background_rows = fields.Integer(
        "Workbooks in the Background From (rows)", default=20000,
        help="A workbook asked for from the Workbooks wizard with more rows than this is "
             "made in the background: the user gets it in their Discuss inbox when it is "
             "ready, instead of waiting for the download.")
