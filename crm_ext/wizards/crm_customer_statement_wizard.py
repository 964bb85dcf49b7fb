# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The period and company of a customer statement, chosen before it prints."""
from odoo import api, fields, models

STATEMENT = "report.crm_ext.customer_statement"
# the report action of each output
REPORTS = {"pdf": "crm_ext.customer_statement_report",
           "xlsx": "crm_ext.crm_customer_statement_workbook_report"}


class CrmCustomerStatementWizard(models.TransientModel):
    """Print the statement of one customer over a chosen period (the Print
    menu prints the year to date); the rules of access and period are the
    report's (report/crm_customer_statement.py)."""

    _name = "crm.customer.statement.wizard"
    _description = "Customer Statement"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade",
        default=lambda self: self._default_partner_id())
    # the user's current company when empty (required in the form)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.user.company_id,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)])
    date_from = fields.Date(
        "From", required=True, default=lambda self: self.env[STATEMENT]._default_period()[0],
        help="The opening balance is the balance of the journal items before this day.")
    date_to = fields.Date(
        "To", required=True, default=lambda self: self.env[STATEMENT]._default_period()[1],
        help="The last day of the statement: the aging shows what was open on that day.")
    output = fields.Selection(
        [("pdf", "PDF"), ("xlsx", "Workbook (xlsx)")], required=True, default="pdf",
        help="PDF: the statement to send to the customer. Workbook: the same figures in a "
             "spreadsheet, with the aging chart.")

    def _default_partner_id(self):
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_id"):
            return context["active_id"]
        return False

    @api.multi
    def action_print(self):
        """Print the statement of the wizard's customer, company and period,
        as a PDF or a workbook (``output``).

        :returns: the report action (a dict) that downloads the PDF or the
            workbook
        :raises StatementAccessError: the user is no invoicing user nor
            sales manager, or the company is not one of theirs
        :raises AccessError: the user may not read the customer
        :raises StatementPeriodError: the period ends before it starts
        """
        self.ensure_one()
        report = self.env[STATEMENT]
        company = self.company_id or self.env.user.company_id
        report._check_statement_access(self.partner_id, company)
        date_from, date_to = report._statement_period(self.date_from, self.date_to)
        action = self.env.ref(REPORTS[self.output or "pdf"]).report_action(
            self.partner_id, data={"partner_ids": self.partner_id.ids, "date_from": date_from,
                                   "date_to": date_to, "company_id": company.id})
        # a plain dict, as XML-RPC carries it (not the frozen context)
        return dict(action, context=dict(action.get("context") or {}))
