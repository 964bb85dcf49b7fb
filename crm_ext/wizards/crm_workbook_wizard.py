# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmWorkbookWizard(models.TransientModel):
    """The filters of a crm_ext workbook (company, period, segments,
    grades, salespeople) and its Print button: the workbook is downloaded
    at once, or, above the company's ``workbook_background_rows``, made by
    a queue_job job and sent to the user's Discuss inbox."""

    _name = "crm.workbook.wizard"
    _description = "Workbook"

    workbook = fields.Selection(
        "_selection_workbook", required=True,
        default=lambda self: self._workbooks()[0][0])
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)])
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    segment_ids = fields.Many2many(
        "crm.customer.segment", "crm_workbook_wizard_segment_rel", "wizard_id", "segment_id",
        string="Segments")
    grade_ids = fields.Many2many(
        "crm.customer.grade", "crm_workbook_wizard_grade_rel", "wizard_id", "grade_id",
        string="Value Grades")
    user_ids = fields.Many2many(
        "res.users", "crm_workbook_wizard_user_rel", "wizard_id", "user_id",
        string="Salespeople")
    state = fields.Selection([("draft", "Filters"), ("queued", "In the background")],
                             default="draft", readonly=True)
    row_count = fields.Integer("Rows", readonly=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to and wizard.date_from > wizard.date_to:
                raise ValidationError(_("The period cannot end before it starts."))

    @api.model
    def _workbooks(self):
        """The workbooks of the wizard: a list of (xml id of the report
        action, label).  Meant to be overridden: each workbook adds its
        own (``super()`` then append)."""
        return [("crm_ext.crm_customer_insight_workbook_report", _("Customer insight")),
                ("crm_ext.crm_loyalty_workbook_report", _("Loyalty")),
                ("crm_ext.crm_complaint_workbook_report", _("Complaints register"))]

    @api.model
    def _selection_workbook(self):
        return self._workbooks()

    @api.multi
    def action_print(self):
        """Make the chosen workbook with the wizard's filters: the report
        action (a dict) that downloads it, or, above the company's
        ``workbook_background_rows``, queue its job and show the wizard
        again saying so (its ``state`` "queued").  Idempotent: a wizard
        whose workbook is queued queues it no more.

        :returns: an action (a dict).
        :raises WorkbookAccessError: the user may not read the workbook's data.
        :raises ValueError: not exactly one wizard.
        """
        self.ensure_one()
        report = self.env.ref(self.workbook)
        workbook = self.env["report.%s" % report.report_name]
        workbook._check_workbook_access()
        if self.state != "queued":
            data = self._report_data()
            # a company the user is not in: the user's (see _workbook_company)
            company = workbook._workbook_company(data)
            data["company_id"] = company.id
            size = workbook._workbook_size(data, self.env[report.model], company)
            if size <= company.workbook_background_rows:
                action = report.report_action(None, data=data, config=False)
                # a plain dict, as XML-RPC carries it (not the frozen context)
                return dict(action, context=dict(action.get("context") or {}))
            workbook.with_delay(description=_("Workbook %s") % report.name)\
                ._render_in_background(self.workbook, data)
            self.write({"state": "queued", "row_count": size})
        return {
            "name": report.name,
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _report_data(self):
        """The filters as the report's ``data`` (JSON: ids, codes, date
        strings); ``wizard``: the records of the Print menu do not apply."""
        return {
            "wizard": True,
            "company_id": self.company_id.id,
            "date_from": self.date_from or False,
            "date_to": self.date_to or False,
            "segment_ids": self.segment_ids.ids,
            "grades": self.grade_ids.mapped("code"),
            "user_ids": self.user_ids.ids,
        }
