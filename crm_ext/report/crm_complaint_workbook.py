# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Complaints register workbook: every complaint with its SLA figures,
cost and rating, and their charts."""
import collections
import datetime

import pytz

from odoo import _, api, fields, models

from ..tools import workbook as wb
from ..tools.workbook_complaint_queries import COMPLAINT_ROWS

#: who reads complaints (their ir.model.access; the record rules choose which)
COMPLAINT_READERS = "sales_team.group_sale_salesman,crm_ext.crm_complaint_group_officer"


class CrmComplaintWorkbook(models.AbstractModel):
    """Complaints (reference, subject, customer, category, severity, stage,
    officer, received, first response due and at, resolution due and at,
    SLA in words, cost, rating), then Charts (complaints by category, SLA
    met % per month).  The complaints are those selected in the Print menu,
    or those of the wizard's filters received in its period (days in the
    user's time zone), that the user may read (the complaints' record
    rules)."""

    _name = "report.crm_ext.complaint_workbook"
    _inherit = "report.crm_ext.workbook_abstract"
    _description = "Complaints Register Workbook"

    @api.model
    def _workbook_readers(self):
        return COMPLAINT_READERS

    @api.model
    def _complaint_domain(self, data, objs, company):
        """The complaints of the workbook: those of ``objs`` (Print menu),
        else ``company``'s received in the period of ``data`` (its first
        and last days in the user's time zone) of the customers of its
        filters."""
        if self._print_menu(data, objs):
            return [("id", "in", objs.ids)]
        domain = [("company_id", "=", company.id)]
        if data.get("date_from"):
            domain.append(("date_received", ">=", self._utc_midnight(data["date_from"])))
        if data.get("date_to"):
            domain.append(("date_received", "<", self._utc_midnight(data["date_to"], 1)))
        return domain + self._workbook_customer_domain(data, company, "commercial_partner_id")

    @api.model
    def _utc_midnight(self, day, days=0):
        """Midnight of ``day`` (a 'YYYY-MM-DD' string) + ``days`` in the
        user's time zone, as a UTC datetime string."""
        local = datetime.datetime.combine(
            fields.Date.from_string(day) + datetime.timedelta(days=days), datetime.time())
        return fields.Datetime.to_string(
            self._user_tz().localize(local).astimezone(pytz.utc))

    @api.model
    def _user_tz(self):
        return pytz.timezone(self.env.user.tz or "UTC")

    @api.model
    def _workbook_size(self, data, objs, company):
        return self.env["crm.complaint"].search_count(
            self._complaint_domain(data, objs, company))

    @api.model
    def _workbook_filters(self, data, objs, company):
        lines = super(CrmComplaintWorkbook, self)._workbook_filters(data, objs, company)
        if self._print_menu(data, objs):
            lines.append((_("Complaints"), self._selection_words(
                objs, _("%s selected complaints"))))
            return lines
        lines += self._filter_words(
            data, _("%(from)s to %(to)s: the complaints received in it"), _("Salespeople"))
        lines.append((_("Figures"), _(
            "Moments in the time zone of the user; cost: credit notes, returned goods and "
            "compensation points of the resolutions, in the company currency.")))
        return lines

    @api.model
    def _complaint_columns(self):
        """The columns of the Complaints sheet (tools/workbook.Column); the
        row keys are COMPLAINT_ROWS' columns.  Meant to be overridden."""
        column = wb.Column
        return [
            column(_("Reference"), "reference", "text", 12),
            column(_("Subject"), "subject", "text", 30),
            column(_("Customer"), "customer", "text", 26),
            column(_("Category"), "category", "text", 22),
            column(_("Severity"), "severity", "text", 10),
            column(_("Stage"), "stage", "text", 14),
            column(_("Officer"), "officer", "text", 18),
            column(_("Received"), "date_received", "datetime", 16),
            column(_("First Response Due"), "ack_deadline", "datetime", 16),
            column(_("First Response At"), "date_acknowledged", "datetime", 16),
            column(_("Resolution Due"), "resolve_deadline", "datetime", 16),
            column(_("Resolution At"), "date_resolved", "datetime", 16),
            column(_("SLA"), "sla", "text", 11),
            column(_("Cost"), "cost", "money", 13, True),
            column(_("Rating"), "rating", "integer", 7),
        ]

    @api.model
    def _complaint_rows(self, ids):
        """The rows of ``ids`` (dicts by column key), one statement per
        chunk (see ``_fetch_chunks``): labels in the user's language, moments in
        the user's time zone."""
        complaint = self.env["crm.complaint"]
        labels = {name: dict(complaint._fields[name]._description_selection(self.env))
                  for name in ("severity", "sla_status")}
        stages = {stage.id: stage.name for stage in self.env["crm.complaint.stage"].search([])}
        tz = self._user_tz()
        moments = ("date_received", "ack_deadline", "date_acknowledged", "resolve_deadline",
                   "date_resolved")
        for row in self._fetch_chunks(COMPLAINT_ROWS, ids):
            row["severity"] = labels["severity"].get(row["severity"])
            row["sla"] = labels["sla_status"].get(row["sla_status"])
            row["stage"] = stages.get(row["stage_id"])
            for name in moments:
                if row[name]:
                    row[name] = wb.local_datetime(row[name], tz)
            yield row

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        ids = self.env["crm.complaint"].search(
            self._complaint_domain(data, objs, company), order="date_received, id").ids
        tally = _Tally(_("No category"))
        wb.write_table(workbook, formats, _("Complaints"), self._complaint_columns(),
                       tally.count(self._complaint_rows(ids)), self._workbook_footer(),
                       _("Total"))
        self._write_charts(workbook, formats, tally)

    @api.model
    def _write_charts(self, workbook, formats, tally):
        """The Charts sheet: complaints by category (columns), SLA met % per
        month of reception (a line), each beside its table."""
        sheet = workbook.add_worksheet(_("Charts"))
        wb.setup_page(sheet, self._workbook_footer())
        column = wb.Column
        by_category = wb.write_block(sheet, formats, 0, [
            column(_("Category"), "category", "text", 24),
            column(_("Complaints"), "complaints", "integer", 12),
        ], [{"category": name, "complaints": count}
            for name, count in sorted(tally.categories.items(), key=lambda item: -item[1])])
        sheet.insert_chart(0, 4, wb.column_chart(
            workbook, by_category, _("Complaints by category"), "category", ["complaints"]))
        first = max(by_category.last_row + 2, 17)
        by_month = wb.write_block(sheet, formats, first, [
            column(_("Month"), "month", "text", 24),
            column(_("SLA Met"), "met", "percent", 12),
        ], [{"month": month, "met": tally.met[month] / float(decided)}
            for month, decided in sorted(tally.decided.items())])
        sheet.insert_chart(first, 4, wb.line_chart(
            workbook, by_month, _("SLA met % per month"), "month", ["met"], y_percent=True))


class _Tally(object):
    """What the charts need, counted while the rows stream past: the
    complaints by category, and by month of reception those whose SLA is
    decided (met or breached) and met."""

    def __init__(self, uncategorised):
        """``uncategorised``: the label of the complaints without a category."""
        self.uncategorised = uncategorised
        self.categories = collections.Counter()
        self.decided = collections.Counter()
        self.met = collections.Counter()

    def count(self, rows):
        """Yield ``rows``, counting them."""
        for row in rows:
            self.categories[row["category"] or self.uncategorised] += 1
            if row["sla_status"] in ("met", "breached"):
                month = row["date_received"].strftime("%Y-%m")
                self.decided[month] += 1
                self.met[month] += row["sla_status"] == "met"
            yield row
