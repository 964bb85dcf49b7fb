"""The Churn workbook (report_xlsx): its sheets, headers and formats, the
open alerts with their reasons, value at stake and planned action, the
outcomes and their SUBTOTAL cost, the rates chart from the churn KPIs, the
Parameters sheet; who may make it and whose alerts they see; the wizard's
filters."""
import json

from odoo.exceptions import AccessError
from odoo.tests import common

from ..tools import clock
from .test_churn_alert_common import ChurnCase
from .test_workbook_insight import headers, load

REPORT = "crm_ext.crm_churn_workbook_report"
OPEN, OUTCOMES, CHARTS, PARAMETERS = "Open Alerts", "Outcomes", "Charts", "Parameters"


@common.at_install(False)
@common.post_install(True)
class TestWorkbookChurn(ChurnCase):
    """Two open alerts (Churn WB Own, the seller's, with P(alive), reasons,
    a value at stake of 500 and a planned call; Churn WB Other, another
    salesperson's, without P(alive)), one retained (the seller's, 50.0 of
    actions) and one lost."""

    @classmethod
    def setUpClass(cls):
        super(TestWorkbookChurn, cls).setUpClass()
        cls.seller = cls._user("churn_wb_seller", "sales_team.group_sale_salesman")
        cls.employee = cls._user("churn_wb_employee", "base.group_user")
        cls.own = cls._customer("Churn WB Own", user_id=cls.seller.id)
        cls.other = cls._customer("Churn WB Other", user_id=cls.all_documents.id)
        cls.kept = cls._customer("Churn WB Kept", user_id=cls.seller.id)
        cls.gone = cls._customer("Churn WB Gone", user_id=cls.all_documents.id)
        reasons = {"rhythm": {"days": 120, "usual": 30}}
        insight = cls._score(cls.own, 80, 0.6, reasons=reasons)
        insight.write({"clv_run_rate": 1000.0, "clv_retention": 0.5, "grade": "key"})
        cls._score(cls.other, 75, 0.0)
        cls.open_own = cls._raise(cls.own, cls.seller, "2026-05-10", p_alive=0.6,
                                  churn_reason_codes="rhythm",
                                  churn_figures=json.dumps(reasons))
        cls.open_other = cls._raise(cls.other, cls.all_documents, "2026-06-01")
        cls.retained = cls._raise(cls.kept, cls.seller, "2026-03-01", state="retained",
                                  date_closed="2026-04-15")
        cls.retained.sudo().write({"action_ids": [(0, 0, {
            "action_type": "call", "cost": 50.0, "date": "2026-03-02 10:00:00"})]})
        cls.lost = cls._raise(cls.gone, cls.all_documents, "2026-01-10", state="lost",
                              date_closed="2026-05-20")
        cls.env["mail.activity"].create({
            "res_model_id": cls.env.ref("crm_ext.model_crm_churn_alert").id,
            "res_id": cls.open_own.id, "user_id": cls.seller.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
            "summary": "Call back", "date_deadline": "2026-07-05"})
        cls.report = cls.env.ref(REPORT)

    @classmethod
    def _raise(cls, partner, owner, date, **values):
        return cls.alert_model.create(dict(values, partner_id=partner.id,
                                           company_id=cls.company.id, user_id=owner.id,
                                           date=date, churn_risk=80))

    def _render(self, data=None, user=None, alerts=None):
        report = self.report.sudo(user or self.sales_manager)
        with clock.frozen(self.env, "2026-06-30 12:00:00"):
            return report.render_xlsx(alerts.ids if alerts else None, data)[0]

    def _customers(self, sheet):
        return sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)
                      if row[0] and row[0] != "Total")

    def test_sheets(self):
        self.assertEqual(load(self._render()).sheetnames, [OPEN, OUTCOMES, CHARTS, PARAMETERS])

    def test_open_alert_headers(self):
        self.assertEqual(headers(load(self._render())[OPEN]), [
            "Customer", "Owner", "Raised On", "Churn Risk", "P(alive)", "Reasons",
            "Value at Stake", "Planned Action"])

    def test_outcome_headers(self):
        self.assertEqual(headers(load(self._render())[OUTCOMES]), [
            "Customer", "Owner", "Raised On", "Outcome", "Closed On", "Actions Taken",
            "Action Cost"])

    def test_open_alert_row(self):
        sheet = load(self._render(alerts=self.open_own))[OPEN]
        row = [cell.value for cell in sheet[2]]
        self.assertEqual(row[:2], ["Churn WB Own", self.seller.name])
        self.assertEqual(str(row[2])[:10], "2026-05-10")
        self.assertAlmostEqual(row[3], 0.8)
        self.assertAlmostEqual(row[4], 0.6)
        self.assertEqual(row[5], self.open_own.churn_reasons)
        self.assertTrue(row[5])
        self.assertAlmostEqual(row[6], 500.0)
        self.assertIn("Call back", row[7])
        self.assertIn("2026-07-05", row[7])

    def test_number_formats(self):
        sheet = load(self._render(alerts=self.open_own))[OPEN]
        self.assertEqual(sheet.cell(2, 3).number_format, "yyyy-mm-dd")
        self.assertEqual(sheet.cell(2, 4).number_format, "0.0%")
        self.assertEqual(sheet.cell(2, 5).number_format, "0.0%")
        money = sheet.cell(2, 7).number_format
        self.assertIn('"%s"' % self.company.currency_id.symbol, money)
        self.assertIn("[Red]-", money)

    def test_p_alive_hidden_without_a_model(self):
        sheet = load(self._render(alerts=self.open_other))[OPEN]
        self.assertIsNone(sheet.cell(2, 5).value)
        self.assertTrue(sheet.column_dimensions["E"].hidden)

    def test_p_alive_shown_with_a_model(self):
        sheet = load(self._render())[OPEN]
        self.assertFalse(sheet.column_dimensions["E"].hidden)

    def test_frozen_header_and_autofilter(self):
        book = load(self._render())
        for name, last_col in ((OPEN, "H"), (OUTCOMES, "G")):
            self.assertEqual(book[name].freeze_panes, "A2")
            self.assertEqual(book[name].auto_filter.ref, "A1:%s3" % last_col)

    def test_outcomes(self):
        sheet = load(self._render())[OUTCOMES]
        rows = sorted((row[0], row[3], str(row[4])[:10]) for row in sheet.iter_rows(
            min_row=2, max_row=3, values_only=True))
        self.assertEqual(rows, [("Churn WB Gone", "Lost", "2026-05-20"),
                                ("Churn WB Kept", "Retained", "2026-04-15")])

    def test_cost_total_is_a_subtotal_of_the_database_sum(self):
        content = self._render()
        sheet, cached = load(content)[OUTCOMES], load(content, data_only=True)[OUTCOMES]
        self.assertEqual(sheet.cell(4, 7).value, "=SUBTOTAL(109,G2:G3)")
        self.assertEqual(sheet.cell(4, 1).value, "Total")
        cost = sum(self.alert_model.search([
            ("company_id", "=", self.company.id),
            ("state", "in", ["retained", "lost", "dismissed"])]).mapped("cost"))
        self.assertAlmostEqual(cached.cell(4, 7).value, cost)
        self.assertAlmostEqual(cost, 50.0)

    def test_value_at_stake_total(self):
        content = self._render()
        sheet, cached = load(content)[OPEN], load(content, data_only=True)[OPEN]
        self.assertEqual(sheet.cell(4, 7).value, "=SUBTOTAL(109,G2:G3)")
        self.assertAlmostEqual(cached.cell(4, 7).value, 500.0)

    def test_rates_chart_from_the_churn_kpis(self):
        book = load(self._render())
        sheet = book[CHARTS]
        charts = sheet._charts
        self.assertEqual([type(chart).__name__ for chart in charts], ["LineChart"])
        self.assertEqual(len(charts[0].series), 2)
        kpis = self.env["crm.churn.report"].search(
            [("company_id", "=", self.company.id)], order="month")
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[0] for row in rows], [month[:7] for month in kpis.mapped("month")])
        self.assertEqual(headers(sheet)[:3], ["Month", "Churn Rate", "Retention Rate"])
        for row, kpi in zip(rows, kpis):
            self.assertAlmostEqual(row[2], kpi.retention_rate / 100.0)

    def test_rates_of_the_period(self):
        sheet = load(self._render({"wizard": True, "date_from": "2026-04-10"}))[CHARTS]
        months = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(months, ["2026-04", "2026-05", "2026-06"])

    def test_parameters(self):
        sheet = load(self._render({"wizard": True, "date_from": "2026-05-01",
                                   "user_ids": [self.seller.id]}))[PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["Company"], self.company.name)
        self.assertEqual(values["Owners"], self.seller.name)
        self.assertEqual(values["Segments"], "All")
        self.assertIn("2026-05-01", values["Period"])
        self.assertEqual(values["User"], self.sales_manager.name)

    # -- who may make it, whose alerts --------------------------------------

    def test_salesperson_sees_their_customers_alerts(self):
        book = load(self._render(user=self.seller))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Own"])
        self.assertEqual(self._customers(book[OUTCOMES]), ["Churn WB Kept"])

    def test_salesperson_gets_no_company_rates(self):
        sheet = load(self._render(user=self.seller))[CHARTS]
        self.assertEqual(sheet._charts, [])

    def test_accountant_reads_every_alert(self):
        book = load(self._render(user=self.accountant))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Other", "Churn WB Own"])

    def test_refused_to_employee(self):
        with self.assertRaises(AccessError):
            self._render(user=self.employee)

    # -- the wizard ----------------------------------------------------------

    def _wizard_data(self, **values):
        wizard = self.env["crm.workbook.wizard"].sudo(self.sales_manager).create(
            dict(values, workbook=REPORT))
        return wizard._report_data()

    def test_wizard_lists_the_churn_workbook(self):
        self.assertIn(REPORT, dict(self.env["crm.workbook.wizard"]._workbooks()))

    def test_wizard_prints_the_churn_workbook(self):
        action = self.env["crm.workbook.wizard"].sudo(self.sales_manager).create(
            {"workbook": REPORT}).action_print()
        self.assertEqual(action["report_name"], "crm_ext.churn_workbook")

    def test_filter_owner(self):
        book = load(self._render(self._wizard_data(user_ids=[(6, 0, self.seller.ids)])))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Own"])
        self.assertEqual(self._customers(book[OUTCOMES]), ["Churn WB Kept"])

    def test_filter_period(self):
        book = load(self._render(self._wizard_data(date_from="2026-05-01")))
        # open alerts raised, alerts closed in the period
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Other", "Churn WB Own"])
        self.assertEqual(self._customers(book[OUTCOMES]), ["Churn WB Gone"])
        book = load(self._render(self._wizard_data(date_from="2026-05-15")))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Other"])

    def test_filter_grade(self):
        grade = self.env["crm.customer.grade"].search([("code", "=", "key")], limit=1)
        book = load(self._render(self._wizard_data(grade_ids=[(6, 0, grade.ids)])))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Own"])
        self.assertEqual(self._customers(book[OUTCOMES]), [])

    def test_filter_segment(self):
        segment = self.env["crm.customer.segment"].search([], limit=1)
        self._insight(self.other).write({"segment_id": segment.id})
        self._insight(self.own).write({"segment_id": False})
        book = load(self._render(self._wizard_data(segment_ids=[(6, 0, segment.ids)])))
        self.assertEqual(self._customers(book[OPEN]), ["Churn WB Other"])

    def test_filter_company_of_the_user_beside_the_current_one(self):
        """A company the user is in but may not read by Odoo 11's rule on
        companies (not the current one nor its child): the workbook is
        made, in its name, not refused on reading its currency."""
        sibling = self.env["res.company"].create({"name": "Churn WB Sibling Company"})
        self.sales_manager.write({"company_ids": [(4, sibling.id)]})
        book = load(self._render({"wizard": True, "company_id": sibling.id}))
        values = {row[0]: row[1] for row in book[PARAMETERS].iter_rows(values_only=True)}
        self.assertEqual(values["Company"], "Churn WB Sibling Company")
        self.assertEqual(self._customers(book[OPEN]), [])

    def test_filter_company(self):
        # a child of the user's current company (Odoo 11's rule on
        # res.company lets read those only)
        other = self.env["res.company"].create({"name": "Churn WB Other Company",
                                                "parent_id": self.company.id})
        self.sales_manager.write({"company_ids": [(4, other.id)]})
        book = load(self._render({"wizard": True, "company_id": other.id}))
        self.assertEqual(self._customers(book[OPEN]), [])
