"""The Customer insight workbook (report_xlsx): sheets, headers, number
formats, frozen header, autofilter, SUBTOTAL totals against the database,
the Parameters sheet, the charts and the heat map; who may make it; the
wizard's filters; the background path (queue_job) above the company's
size."""
import base64
import io

import openpyxl

from odoo.addons.queue_job.job import Job
from odoo.exceptions import AccessError
from odoo.tests import common

from ..tools import clock
from .common import InsightCase

REPORT = "crm_ext.crm_customer_insight_workbook_report"
CUSTOMERS, CHARTS, PARAMETERS = "Customers", "Charts", "Parameters"


def load(content, data_only=False):
    return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)


def headers(sheet):
    return [cell.value for cell in sheet[1]]


@common.at_install(False)
@common.post_install(True)
class TestWorkbookInsight(InsightCase):

    @classmethod
    def setUpClass(cls):
        super(TestWorkbookInsight, cls).setUpClass()
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.salesman = users.create({
            "name": "Workbook Salesman", "login": "workbook_salesman",
            "email": "workbook.salesman@example.com", "tz": "Europe/Brussels",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman_all_leads").id])]})
        cls.employee = users.create({
            "name": "Workbook Employee", "login": "workbook_employee",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])]})
        cls.buyer = cls._customer("Workbook Buyer A", user_id=cls.salesman.id)
        cls.refunded = cls._customer("Workbook Buyer B", user_id=cls.salesman.id)
        cls.other = cls._customer("Workbook Buyer C")
        cls._invoice(cls.buyer, "2026-03-10", quantity=4)
        cls._invoice(cls.buyer, "2026-05-10", quantity=2)
        cls._invoice(cls.refunded, "2026-04-01", quantity=3)
        cls._invoice(cls.refunded, "2026-04-20", quantity=5, invoice_type="out_refund")
        cls._invoice(cls.other, "2026-01-15", quantity=1)
        cls.insight_model._recompute_company(cls.company, today=cls.TODAY)
        # as the churn scoring writes it (0-100)
        cls.env.cr.execute("UPDATE crm_customer_insight SET churn_risk = 40 "
                           "WHERE partner_id = %s", (cls.buyer.id,))
        cls.report = cls.env.ref(REPORT)

    def _render(self, data=None, user=None, partners=None):
        report = self.report.sudo(user or self.salesman)
        if partners:
            report = report.with_context(active_ids=partners.ids)
        with clock.frozen(self.env, "2026-06-30 12:00:00"):
            return report.render_xlsx(partners.ids if partners else None, data)[0]

    def _wizard(self, **values):
        return self.env["crm.workbook.wizard"].sudo(self.salesman).create(values)

    def _rows(self, book):
        sheet = book[CUSTOMERS]
        return [row for row in sheet.iter_rows(min_row=2, values_only=True)
                if row[0] != "Total"]

    def test_sheets(self):
        self.assertEqual(load(self._render()).sheetnames, [CUSTOMERS, CHARTS, PARAMETERS])

    def test_headers(self):
        self.assertEqual(headers(load(self._render())[CUSTOMERS]), [
            "Customer", "Salesperson", "Segment", "R", "F", "M", "RFM", "Value Grade",
            "ABC Class", "Lifecycle Stage", "Last Purchase", "Net Invoiced", "Lifetime Value",
            "Churn Risk", "Receivable", "Overdue"])

    def test_number_formats(self):
        # the first row is Workbook Buyer A's, who has every figure
        sheet = load(self._render({"wizard": True, "user_ids": [self.salesman.id]}))[CUSTOMERS]
        symbol = self.company.currency_id.symbol
        money = sheet.cell(2, 12).number_format
        self.assertIn('"%s"' % symbol, money)
        self.assertIn("[Red]-", money)
        self.assertIn("0." + "0" * self.company.currency_id.decimal_places, money)
        self.assertEqual(sheet.cell(2, 11).number_format, "yyyy-mm-dd")
        self.assertEqual(sheet.cell(2, 14).number_format, "0.0%")
        self.assertAlmostEqual(sheet.cell(2, 14).value, 0.4)
        self.assertEqual(sheet.cell(2, 4).number_format, "#,##0")

    def test_dates_are_dates(self):
        rows = self._rows(load(self._render({"wizard": True, "user_ids": [self.salesman.id]})))
        self.assertEqual(str(rows[0][10])[:10], "2026-05-10")

    def test_frozen_header_and_autofilter(self):
        sheet = load(self._render())[CUSTOMERS]
        self.assertEqual(sheet.freeze_panes, "A2")
        count = self.env["crm.customer.insight"].sudo(self.salesman).search_count(
            [("company_id", "=", self.company.id)])
        self.assertEqual(sheet.auto_filter.ref, "A1:P%d" % (count + 1))

    def test_page_setup(self):
        sheet = load(self._render())[CUSTOMERS]
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        # one page wide (1 is the default width, left out), as many pages high as needed
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertIn(sheet.page_setup.fitToWidth, (None, 1))
        self.assertEqual(sheet.page_setup.fitToHeight, 0)
        self.assertEqual(sheet.print_title_rows, "$1:$1")
        self.assertEqual(sheet.oddFooter.center.text, "Page &P of &N")

    def test_totals_are_subtotals_of_the_database_sums(self):
        content = self._render()
        sheet, cached = load(content)[CUSTOMERS], load(content, data_only=True)[CUSTOMERS]
        last = sheet.max_row
        self.assertEqual(sheet.cell(last, 12).value, "=SUBTOTAL(109,L2:L%d)" % (last - 1))
        self.env.cr.execute("""SELECT SUM(net_invoiced), SUM(receivable_amount)
                                 FROM crm_customer_insight WHERE company_id = %s""",
                            (self.company.id,))
        net, receivable = self.env.cr.fetchone()
        self.assertAlmostEqual(cached.cell(last, 12).value, net, places=2)
        self.assertAlmostEqual(cached.cell(last, 15).value, receivable, places=2)
        self.assertIsNone(sheet.cell(last, 14).value)

    def test_parameters(self):
        sheet = load(self._render({"wizard": True, "date_from": "2026-05-01",
                                   "segment_ids": [], "user_ids": [self.salesman.id]}))[PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["Company"], self.company.name)
        self.assertEqual(values["Currency"], self.company.currency_id.name)
        self.assertEqual(values["Salespeople"], "Workbook Salesman")
        self.assertEqual(values["Segments"], "All")
        self.assertIn("2026-05-01", values["Period"])
        self.assertEqual(values["User"], "Workbook Salesman")
        # 12:00 UTC is 14:00 in Brussels in summer
        self.assertEqual(values["Generated at"], "2026-06-30 14:00:00 (Europe/Brussels)")

    def test_charts(self):
        sheet = load(self._render())[CHARTS]
        kinds = sorted(type(chart).__name__ for chart in sheet._charts)
        self.assertEqual(kinds, ["BarChart", "LineChart"])
        self.assertEqual(sheet["A1"].value, "Segment")

    def test_heat_map(self):
        sheet = load(self._render())[CHARTS]
        rules = [rule for cells in sheet.conditional_formatting for rule in cells.rules]
        self.assertEqual([rule.type for rule in rules], ["colorScale"])
        self.assertEqual(len(rules[0].colorScale.color), 3)

    def test_print_menu_selection(self):
        rows = self._rows(load(self._render(partners=self.buyer | self.other)))
        self.assertEqual([row[0] for row in rows], ["Workbook Buyer A", "Workbook Buyer C"])

    def test_refused_without_insight_rights(self):
        with self.assertRaises(AccessError):
            self._render(user=self.employee)

    def test_wizard_refused_without_insight_rights(self):
        wizard = self.env["crm.workbook.wizard"].sudo(self.employee).create({})
        with self.assertRaises(AccessError):
            wizard.action_print()

    def test_wizard_queues_once(self):
        self.company.workbook_background_rows = 1
        wizard = self._wizard(user_ids=[(6, 0, self.salesman.ids)])
        jobs = self.env["queue.job"].search_count([])
        wizard.action_print()
        wizard.action_print()
        self.assertEqual(self.env["queue.job"].search_count([]), jobs + 1)

    def test_wizard_filters_change_the_rows(self):
        data = self._wizard(user_ids=[(6, 0, self.salesman.ids)])._report_data()
        rows = self._rows(load(self._render(data)))
        self.assertEqual([row[0] for row in rows], ["Workbook Buyer A", "Workbook Buyer B"])
        self.assertEqual([row[1] for row in rows], ["Workbook Salesman"] * 2)

    def test_wizard_period(self):
        data = self._wizard(user_ids=[(6, 0, self.salesman.ids)],
                            date_from="2026-05-01")._report_data()
        rows = self._rows(load(self._render(data)))
        self.assertEqual([row[0] for row in rows], ["Workbook Buyer A"])

    def test_wizard_small_prints_at_once(self):
        action = self._wizard().action_print()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "crm_ext.customer_insight_workbook")
        self.assertTrue(action["data"]["wizard"])

    def test_wizard_large_goes_to_the_background(self):
        self.company.workbook_background_rows = 1
        wizard = self._wizard(user_ids=[(6, 0, self.salesman.ids)])
        action = wizard.action_print()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual((wizard.state, wizard.row_count), ("queued", 2))
        job = self.env["queue.job"].search(
            [("method_name", "=", "_render_in_background")], order="id desc", limit=1)
        self.assertEqual(job.user_id, self.salesman)
        attachment_id = Job.load(self.env, job.uuid).perform()
        attachment = self.env["ir.attachment"].browse(attachment_id)
        message = self.env["mail.message"].browse(attachment.res_id)
        self.assertEqual(message.attachment_ids, attachment)
        self.assertIn(self.salesman.partner_id, message.needaction_partner_ids)
        # the user reads the file of their message
        content = base64.b64decode(attachment.sudo(self.salesman).datas)
        self.assertEqual(len(self._rows(load(content))), 2)
