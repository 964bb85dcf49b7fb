# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Churn workbook in the list of crm.workbook.wizard."""
from odoo import _, api, models


class CrmWorkbookWizard(models.TransientModel):
    _inherit = "crm.workbook.wizard"

    @api.model
    def _workbooks(self):
        return super(CrmWorkbookWizard, self)._workbooks() + [
            ("crm_ext.crm_churn_workbook_report", _("Churn"))]
