# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import datetime

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx


class CrmComplaintRegisterWizard(models.TransientModel):
    """The complaint register as a spreadsheet: the selected complaints, or
    those received between two dates, read with the user's access rights."""

    _name = "crm.complaint.register.wizard"
    _description = "Complaint Register"

    scope = fields.Selection(
        [("selected", "Selected complaints"), ("dates", "Received between two dates")],
        required=True, default=lambda self: "selected" if self._default_complaint_ids()
        else "dates")
    complaint_ids = fields.Many2many(
        "crm.complaint", string="Complaints",
        default=lambda self: self._default_complaint_ids())
    date_from = fields.Date("From")
    date_to = fields.Date("To", default=fields.Date.context_today)
    filename = fields.Char(readonly=True)
    data = fields.Binary("Register", readonly=True, attachment=False)

    def _default_complaint_ids(self):
        context = self.env.context
        if context.get("active_model") == "crm.complaint" and context.get("active_ids"):
            return [(6, 0, context["active_ids"])]
        return []

    @api.multi
    def action_export(self):
        """Write the register of the chosen complaints (those of the period
        and filters of the wizard) as an .xlsx file on the wizard.

        :returns: the action (a dict) that downloads the file.
        """
        self.ensure_one()
        complaints = self._complaints()
        self.write({
            "filename": _("Complaint Register %s.xlsx") % fields.Date.context_today(self),
            "data": base64.b64encode(self._xlsx(complaints)),
        })
        return xlsx.download_action(self)

    def _complaints(self):
        complaints = self.env["crm.complaint"]
        if self.scope == "selected":
            if not self.complaint_ids:
                raise UserError(_("Select the complaints of the register."))
            return complaints.search([("id", "in", self.complaint_ids.ids)],
                                     order="date_received, id")
        if not self.date_from or not self.date_to:
            raise UserError(_("Give the first and the last day of the register."))
        if self.date_from > self.date_to:
            raise UserError(_("The register cannot end before it starts."))
        return complaints.search([
            ("date_received", ">=", self._utc(self.date_from)),
            ("date_received", "<", self._utc(self.date_to, days=1)),
        ], order="date_received, id")

    def _utc(self, day, days=0):
        """Midnight of ``day`` (+ ``days``) in the user's time zone, as a
        UTC datetime string."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        local = datetime.datetime.combine(
            fields.Date.from_string(day) + datetime.timedelta(days=days), datetime.time())
        return fields.Datetime.to_string(tz.localize(local).astimezone(pytz.utc))

    @api.model
    def _header(self):
        return [_("Reference"), _("Received"), _("Acknowledged"), _("Resolved"), _("Closed"),
                _("Customer"), _("Channel"), _("Category"), _("Severity"), _("Stage"),
                _("SLA Status"), _("Resolution Type"), _("Resolution Hours"), _("Rating"),
                _("Cost")]

    @api.model
    def _rows(self, complaints):
        fields_ = complaints._fields

        def label(complaint, name):
            selection = dict(fields_[name]._description_selection(self.env))
            return selection.get(complaint[name], "") if complaint[name] else ""

        def moment(value):
            if not value:
                return ""
            local = fields.Datetime.context_timestamp(
                complaints, fields.Datetime.from_string(value))
            return local.replace(tzinfo=None)

        return [[
            complaint.name, moment(complaint.date_received),
            moment(complaint.date_acknowledged), moment(complaint.date_resolved),
            moment(complaint.date_closed), complaint.partner_id.display_name or "",
            label(complaint, "channel"), complaint.category_id.complete_name or "",
            label(complaint, "severity"), complaint.stage_id.name or "",
            label(complaint, "sla_status"), label(complaint, "resolution_type"),
            complaint.resolution_hours if complaint.date_resolved else "",
            complaint.customer_rating or "", complaint.cost_amount,
        ] for complaint in complaints]

    @api.model
    def _xlsx(self, complaints):
        header, rows = self._header(), self._rows(complaints)
        sheet_name = _("Complaints")

        def write(book):
            sheet = book.add_worksheet(sheet_name)
            bold = book.add_format({"bold": True})
            formats = {"datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                       "float": book.add_format({"num_format": "0.00"})}
            sheet.write_row(0, 0, header, bold)
            xlsx.write_rows(sheet, 1, rows, formats)
            sheet.set_column(0, 0, 14)
            sheet.set_column(1, 4, 17)
            sheet.set_column(5, 5, 30)
            sheet.set_column(6, 11, 16)
            sheet.set_column(12, 14, 12)
            sheet.freeze_panes(1, 0)

        return xlsx.workbook_bytes(write)
