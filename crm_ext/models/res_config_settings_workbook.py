# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The workbook settings of res.config.settings: the company's, see res_company_workbook.py."""
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The workbook settings of the company."""

    # one concern of the settings per file
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    workbook_background_rows = fields.Integer(related="company_id.workbook_background_rows")
