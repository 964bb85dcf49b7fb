# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Churn workbook: open alerts, outcomes, and the churn and retention rates by month."""
from odoo import _, api, models

from ..tools import access, workbook as wb
from ..tools.churn_alert_queries import OPEN_STATES

#: alerts read by one batch of the ORM (their reasons, customers, activities)
CHUNK = 1000
#: the outcomes of a closed alert
CLOSED_STATES = ("retained", "lost", "dismissed")


class CrmChurnWorkbook(models.AbstractModel):
    """Open Alerts (customer, owner, raised on, risk, P(alive), reasons,
    lifetime value at stake, planned action), Outcomes (the alerts closed
    in the period: retained, lost or dismissed, closed on, actions and
    their cost), then Charts (the churn and retention rates by month, from
    the churn KPIs of report/crm_churn_report.py).

    The alerts are those of the Print menu's selection, or of the wizard's
    filters, that the user may read: they are searched with the user's
    rights, so the record rules of crm.churn.alert apply (a salesperson
    sees the alerts of their customers)."""

    _name = "report.crm_ext.churn_workbook"
    _inherit = "report.crm_ext.workbook_abstract"
    _description = "Churn Workbook"

    @api.model
    def _workbook_readers(self):
        # the groups ir.model.access.csv lets read crm.churn.alert
        return access.INSIGHT_READERS

    @api.model
    def _alert_domain(self, data, objs, company, states, date_field):
        """The domain of the alerts of one sheet: ``company``'s, in
        ``states`` (a tuple of states), of the Print menu's selection or of
        the wizard's filters: ``date_field`` ("date" or "date_closed") in
        the period, the customers' segments and grades in ``company``, the
        owners among the salespeople."""
        domain = [("company_id", "=", company.id), ("state", "in", list(states))]
        if self._print_menu(data, objs):
            return domain + [("id", "in", objs.ids)]
        if data.get("date_from"):
            domain.append((date_field, ">=", data["date_from"]))
        if data.get("date_to"):
            domain.append((date_field, "<=", data["date_to"]))
        # the customers' segments and grades; the users filter the owners
        # of the alerts, not the customers' salesperson
        domain += self._workbook_customer_domain(dict(data, user_ids=None), company,
                                                 "partner_id")
        if data.get("user_ids"):
            domain.append(("user_id", "in", data["user_ids"]))
        return domain

    @api.model
    def _open_domain(self, data, objs, company):
        return self._alert_domain(data, objs, company, OPEN_STATES, "date")

    @api.model
    def _closed_domain(self, data, objs, company):
        return self._alert_domain(data, objs, company, CLOSED_STATES, "date_closed")

    @api.model
    def _workbook_size(self, data, objs, company):
        alerts = self.env["crm.churn.alert"]
        return (alerts.search_count(self._open_domain(data, objs, company))
                + alerts.search_count(self._closed_domain(data, objs, company)))

    @api.model
    def _alert_batches(self, domain):
        """The alerts of ``domain`` the user may read, by customer then
        raised date, as recordsets of :data:`CHUNK` (one prefetch each)."""
        ids = self.env["crm.churn.alert"].search(domain, order="date, id").ids
        for start in range(0, len(ids), CHUNK):
            yield self.env["crm.churn.alert"].browse(ids[start:start + CHUNK])

    @api.model
    def _open_columns(self):
        """The columns of the Open Alerts sheet (tools/workbook.Column).
        Meant to be overridden (the row keys are :meth:`_open_rows`')."""
        column = wb.Column
        return [
            column(_("Customer"), "customer", "text", 30),
            column(_("Owner"), "owner", "text", 20),
            column(_("Raised On"), "date", "date", 11),
            column(_("Churn Risk"), "risk", "percent", 10),
            column(_("P(alive)"), "p_alive", "percent", 9),
            column(_("Reasons"), "reasons", "text", 60),
            column(_("Value at Stake"), "clv_at_stake", "money", 15, True),
            column(_("Planned Action"), "planned", "text", 40),
        ]

    @api.model
    def _open_rows(self, domain, company, seen):
        """The rows of the open alerts of ``domain``: the risk and P(alive)
        as shares (0-1; no P(alive), an empty cell, when no churn model
        gave one, as the alert's views hide it), the reasons in words
        (the alert's), the value at stake (the customer's predicted
        lifetime value, ``clv_predicted`` of its insight in ``company``)
        and the next activity planned on the alert.  ``seen``: a set, gets
        "p_alive" when a row has one."""
        insights = self.env["crm.customer.insight"]
        for alerts in self._alert_batches(domain):
            at_stake = {insight.partner_id.id: insight.clv_predicted
                        for insight in insights.search([
                            ("company_id", "=", company.id),
                            ("partner_id", "in", alerts.mapped("partner_id").ids)])}
            for alert in alerts:
                if alert.p_alive:
                    seen.add("p_alive")
                yield {
                    "customer": alert.partner_id.display_name,
                    "owner": alert.user_id.name,
                    "date": alert.date,
                    "risk": alert.churn_risk / 100.0,
                    "p_alive": alert.p_alive or None,
                    "reasons": alert.churn_reasons,
                    "clv_at_stake": at_stake.get(alert.partner_id.id),
                    "planned": self._planned_action(alert),
                }

    @api.model
    def _planned_action(self, alert):
        """The next activity planned on ``alert`` in words: its type, its
        summary and its due date; False without any."""
        activity = alert.activity_ids[:1]
        if not activity:
            return False
        words = " - ".join(word for word in (activity.activity_type_id.name,
                                             activity.summary) if word)
        return _("%(action)s (due %(date)s)") % {"action": words or activity.res_name,
                                                   "date": activity.date_deadline}

    @api.model
    def _closed_columns(self):
        """The columns of the Outcomes sheet.  Meant to be overridden (the
        row keys are :meth:`_closed_rows`')."""
        column = wb.Column
        return [
            column(_("Customer"), "customer", "text", 30),
            column(_("Owner"), "owner", "text", 20),
            column(_("Raised On"), "date", "date", 11),
            column(_("Outcome"), "outcome", "text", 12),
            column(_("Closed On"), "date_closed", "date", 11),
            column(_("Actions Taken"), "actions", "text", 30),
            column(_("Action Cost"), "cost", "money", 15, True),
        ]

    @api.model
    def _closed_rows(self, domain):
        """The rows of the closed alerts of ``domain``: the outcome in the
        user's language, the retention actions taken and their cost."""
        states = dict(self.env["crm.churn.alert"]._fields["state"]._description_selection(
            self.env))
        for alerts in self._alert_batches(domain):
            for alert in alerts:
                yield {
                    "customer": alert.partner_id.display_name,
                    "owner": alert.user_id.name,
                    "date": alert.date,
                    "outcome": states.get(alert.state),
                    "date_closed": alert.date_closed,
                    "actions": alert.action_taken,
                    "cost": alert.cost,
                }

    @api.model
    def _rate_rows(self, data, company):
        """The months of the churn KPIs (crm.churn.report, its one
        computation of the rates) of ``company`` in the period of ``data``,
        the rates as shares (0-1); None when the user may not read the KPIs
        (sales managers do)."""
        report = self.env["crm.churn.report"]
        if not report.check_access_rights("read", raise_exception=False):
            return None
        domain = [("company_id", "=", company.id)]
        if data.get("date_from"):
            domain.append(("month", ">=", data["date_from"][:8] + "01"))
        if data.get("date_to"):
            domain.append(("month", "<=", data["date_to"]))
        return [{"month": row["month"][:7],
                 "churn_rate": (row["churn_rate"] or 0.0) / 100.0,
                 "retention_rate": (row["retention_rate"] or 0.0) / 100.0}
                for row in report.search_read(domain, ["month", "churn_rate", "retention_rate"],
                                              order="month")]

    @api.model
    def _workbook_filters(self, data, objs, company):
        lines = super(CrmChurnWorkbook, self)._workbook_filters(data, objs, company)
        if self._print_menu(data, objs):
            lines.append((_("Alerts"), self._selection_words(objs, _("%s selected alerts"))))
            return lines
        lines += self._filter_words(
            data, _("%(from)s to %(to)s: open alerts raised and alerts closed in it"),
            _("Owners"))
        lines += [
            (_("Figures"), _("Value at stake: the customer's predicted lifetime value, in the "
                             "company currency. Rates by month: the churn KPIs of the whole "
                             "company (the segment, grade and owner filters do not apply).")),
        ]
        return lines

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        footer = self._workbook_footer()
        seen = set()
        columns = self._open_columns()
        table = wb.write_table(workbook, formats, _("Open Alerts"), columns,
                               self._open_rows(self._open_domain(data, objs, company),
                                               company, seen),
                               footer, _("Total"))
        if "p_alive" not in seen:
            # no churn model gave one: hidden, as the alert's views do
            col = table.column_index("p_alive")
            table.sheet.set_column(col, col, columns[col].width, None, {"hidden": True})
        wb.write_table(workbook, formats, _("Outcomes"), self._closed_columns(),
                       self._closed_rows(self._closed_domain(data, objs, company)),
                       footer, _("Total"))
        self._write_charts(workbook, formats, self._rate_rows(data, company))

    @api.model
    def _write_charts(self, workbook, formats, months):
        """The Charts sheet: the rates by month (``months``, see
        :meth:`_rate_rows`) and their line chart beside them, or why there
        is none."""
        sheet = workbook.add_worksheet(_("Charts"))
        wb.setup_page(sheet, self._workbook_footer())
        if months is None:
            sheet.write_string(0, 0, _("The churn and retention rates are the sales "
                                       "managers' figures."))
            return
        column = wb.Column
        rates = wb.write_block(sheet, formats, 0, [
            column(_("Month"), "month", "text", 10),
            column(_("Churn Rate"), "churn_rate", "percent", 11),
            column(_("Retention Rate"), "retention_rate", "percent", 11),
        ], months)
        sheet.insert_chart(0, 4, wb.line_chart(
            workbook, rates, _("Churn and retention rate per month"), "month",
            ["churn_rate", "retention_rate"], y_percent=True))
