# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Customer insight workbook: every customer's figures, and their charts."""
import collections

from odoo import _, api, models

from ..tools import access, workbook as wb
from ..tools.workbook_insight_queries import INSIGHT_ROWS

#: the scores of the RFM heat map (1 to 5)
SCORES = (1, 2, 3, 4, 5)


class CrmCustomerInsightWorkbook(models.AbstractModel):
    """Customers (name, salesperson, RFM, segment, grade, ABC, stage, last
    purchase, net invoiced, lifetime value, churn risk, receivable,
    overdue), then Charts (customers and revenue by segment, the ABC Pareto
    curve, the R x F heat map of customer counts).  The customers are those
    of the Print menu's selection, or of the wizard's filters, that the
    user may read (the insight's record rules)."""

    _name = "report.crm_ext.customer_insight_workbook"
    _inherit = "report.crm_ext.workbook_abstract"
    _description = "Customer Insight Workbook"

    @api.model
    def _workbook_readers(self):
        return access.INSIGHT_READERS

    @api.model
    def _insight_columns(self):
        """The columns of the Customers sheet (tools/workbook.Column).
        Meant to be overridden (the row keys are INSIGHT_ROWS' columns)."""
        column = wb.Column
        return [
            column(_("Customer"), "customer", "text", 32),
            column(_("Salesperson"), "salesperson", "text", 20),
            column(_("Segment"), "segment", "text", 18),
            column(_("R"), "r_score", "integer", 5),
            column(_("F"), "f_score", "integer", 5),
            column(_("M"), "m_score", "integer", 5),
            column(_("RFM"), "rfm_score", "text", 7),
            column(_("Value Grade"), "grade", "text", 11),
            column(_("ABC Class"), "abc_class", "text", 6),
            column(_("Lifecycle Stage"), "lifecycle_stage", "text", 13),
            column(_("Last Purchase"), "last_invoice_date", "date", 12),
            column(_("Net Invoiced"), "net_invoiced", "money", 15, True),
            column(_("Lifetime Value"), "clv", "money", 15, True),
            column(_("Churn Risk"), "churn_risk", "percent", 10),
            column(_("Receivable"), "receivable_amount", "money", 15, True),
            column(_("Overdue"), "overdue_amount", "money", 15, True),
        ]

    @api.model
    def _insight_domain(self, data, objs, company):
        """The insight rows of the workbook: ``company``'s, of the customers
        of ``objs`` (the Print menu's partners) or of the filters of
        ``data`` (see ``crm.workbook.wizard._report_data``)."""
        domain = [("company_id", "=", company.id)]
        if self._print_menu(data, objs):
            # one statement, whatever the selection (the ORM would read
            # every field of every partner)
            self.env.cr.execute("SELECT DISTINCT commercial_partner_id FROM res_partner "
                                "WHERE id = ANY(%s)", (objs.ids,))
            domain.append(("partner_id", "in", [row[0] for row in self.env.cr.fetchall()]))
        if data.get("date_from"):
            domain.append(("last_invoice_date", ">=", data["date_from"]))
        if data.get("date_to"):
            domain.append(("last_invoice_date", "<=", data["date_to"]))
        if data.get("segment_ids"):
            domain.append(("segment_id", "in", data["segment_ids"]))
        if data.get("grades"):
            domain.append(("grade", "in", data["grades"]))
        if data.get("user_ids"):
            domain.append(("partner_id.user_id", "in", data["user_ids"]))
        return domain

    @api.model
    def _workbook_size(self, data, objs, company):
        return self.env["crm.customer.insight"].search_count(
            self._insight_domain(data, objs, company))

    @api.model
    def _insight_ids(self, data, objs, company):
        """The ids of the workbook's insight rows the user may read, by
        customer name."""
        return self.env["crm.customer.insight"].search(
            self._insight_domain(data, objs, company), order="partner_id").ids

    @api.model
    def _insight_rows(self, ids):
        """The rows of ``ids`` (dicts by column key), one statement per
        chunk (see ``_fetch_chunks``), labels in the user's language."""
        insight = self.env["crm.customer.insight"]
        segments = {segment.id: segment.name for segment in self.env[
            "crm.customer.segment"].with_context(active_test=False).search([])}
        labels = {name: dict(insight._fields[name]._description_selection(self.env))
                  for name in ("grade", "lifecycle_stage")}
        for row in self._fetch_chunks(INSIGHT_ROWS, ids):
            row["segment"] = segments.get(row["segment_id"])
            for name, selection in labels.items():
                row[name] = selection.get(row[name])
            yield row

    @api.model
    def _workbook_filters(self, data, objs, company):
        lines = super(CrmCustomerInsightWorkbook, self)._workbook_filters(data, objs, company)
        if self._print_menu(data, objs):
            lines.append((_("Customers"), self._selection_words(
                objs, _("%s selected customers"))))
        lines += self._filter_words(
            data, _("%(from)s to %(to)s: the customers whose last purchase falls in it"),
            _("Salespeople"))
        lines += [
            (_("Figures"), _("Net invoiced and lifetime value over the analysis window of the "
                             "customer insight settings, in the company currency.")),
        ]
        return lines

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        ids = self._insight_ids(data, objs, company)
        tally = _Tally(_("No segment"))
        wb.write_table(workbook, formats, _("Customers"), self._insight_columns(),
                       tally.count(self._insight_rows(ids)), self._workbook_footer(),
                       _("Total"))
        self._write_charts(workbook, formats, tally)

    @api.model
    def _write_charts(self, workbook, formats, tally):
        """The Charts sheet: each chart's table, then the chart beside it."""
        sheet = workbook.add_worksheet(_("Charts"))
        wb.setup_page(sheet, self._workbook_footer())
        column = wb.Column
        by_segment = wb.write_block(sheet, formats, 0, [
            column(_("Segment"), "segment", "text", 20),
            column(_("Customers"), "customers", "integer", 12),
            column(_("Net Invoiced"), "revenue", "money", 15),
        ], [{"segment": name, "customers": count, "revenue": tally.revenue[name]}
            for name, count in sorted(tally.customers.items(), key=lambda item: -item[1])])
        sheet.insert_chart(0, 4, wb.column_chart(
            workbook, by_segment, _("Customers and revenue by segment"), "segment",
            ["customers"], secondary="revenue"))
        first = max(by_segment.last_row + 2, 17)
        pareto = wb.write_block(sheet, formats, first, [
            column(_("Customers (ranked)"), "customers", "percent", 20),
            column(_("Cumulative Revenue"), "revenue", "percent", 12),
        ], [{"customers": share, "revenue": revenue}
            for share, revenue in wb.pareto_points(tally.values)])
        sheet.insert_chart(first, 4, wb.line_chart(
            workbook, pareto, _("ABC Pareto curve"), "customers", ["revenue"], y_percent=True))
        first = max(pareto.last_row + 2, first + 17)
        wb.write_grid(sheet, formats, first, _("R \\ F"),
                      [_("R %s") % score for score in reversed(SCORES)],
                      [_("F %s") % score for score in SCORES],
                      [[tally.grid[(r, f)] for f in SCORES] for r in reversed(SCORES)])


class _Tally(object):
    """What the charts need, counted while the rows stream past: customers
    and net invoiced by segment, the net invoiced values (the Pareto
    curve) and the customers by (R, F)."""

    def __init__(self, unsegmented):
        """``unsegmented``: the label of the customers without a segment."""
        self.unsegmented = unsegmented
        self.customers = collections.Counter()
        self.revenue = collections.Counter()
        self.values = []
        self.grid = collections.Counter()

    def count(self, rows):
        """Yield ``rows``, counting them."""
        for row in rows:
            segment = row["segment"] or self.unsegmented
            self.customers[segment] += 1
            self.revenue[segment] += row["net_invoiced"] or 0.0
            self.values.append(row["net_invoiced"] or 0.0)
            self.grid[(row["r_score"], row["f_score"])] += 1
            yield row
