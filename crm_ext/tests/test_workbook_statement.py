"""The Customer statement workbook (report_xlsx): its Statement, Aging and
Parameters sheets from the statement's one implementation (the figures of
test_customer_statement.py), SUBTOTAL totals and closing balance against
the statement data, the aging chart, several customers on one sheet, who
may make it, and the statement wizard's choice of PDF or workbook."""
from odoo.exceptions import AccessError
from odoo.tests import common

from ..tools import clock
from .test_customer_statement_common import NOW, PERIOD, StatementCase
from .test_workbook_insight import headers, load

REPORT = "crm_ext.crm_customer_statement_workbook_report"
STATEMENT, AGING, PARAMETERS = "Statement", "Aging", "Parameters"


@common.at_install(False)
@common.post_install(True)
class TestWorkbookStatement(StatementCase):

    @classmethod
    def setUpClass(cls):
        super(TestWorkbookStatement, cls).setUpClass()
        cls.workbook_report = cls.env.ref(REPORT)
        cls.second = cls._customer("Statement Second Customer")
        cls._invoice(cls.second, "2026-03-10", price=80.0)

    def _render(self, partners=None, user=None, period=True):
        data = dict(zip(("date_from", "date_to"), PERIOD)) if period else None
        report = self.workbook_report.sudo(user or self.accountant)
        with clock.frozen(self.env, NOW):
            return report.render_xlsx((partners or self.partner).ids, data)[0]

    def _rows(self, sheet):
        return list(sheet.iter_rows(min_row=2, values_only=True))

    def test_sheets(self):
        self.assertEqual(load(self._render()).sheetnames, [STATEMENT, AGING, PARAMETERS])

    def test_statement_headers(self):
        self.assertEqual(headers(load(self._render())[STATEMENT]), [
            "Customer", "Date", "Document", "Type", "Due Date", "Debit", "Credit",
            "Balance"])

    def test_opening_and_closing_balance_rows(self):
        rows = self._rows(load(self._render())[STATEMENT])
        statement = self._statement()
        self.assertEqual((rows[0][2], rows[0][7]),
                         ("Opening balance", statement["opening_balance"]))
        self.assertEqual(str(rows[0][1])[:10], PERIOD[0])
        self.assertEqual((rows[5][2], rows[5][7]),
                         ("Closing balance", statement["closing_balance"]))
        self.assertEqual(rows[5][7], 1200.0)

    def test_lines_are_the_statement_data(self):
        rows = self._rows(load(self._render())[STATEMENT])[1:5]
        lines = self._statement()["lines"]
        self.assertEqual([(str(row[1])[:10], row[2], row[3], row[5], row[6], row[7])
                          for row in rows],
                         [(line["date"], line["reference"],
                           {"invoice": "Invoice", "payment": "Payment",
                            "credit_note": "Credit note"}[line["kind"]],
                           line["debit"], line["credit"], line["balance"])
                          for line in lines])
        self.assertEqual(str(rows[3][4])[:10], "2026-07-25")

    def test_debit_credit_totals_are_subtotals(self):
        content = self._render()
        sheet, cached = load(content)[STATEMENT], load(content, data_only=True)[STATEMENT]
        last = sheet.max_row
        self.assertEqual(sheet.cell(last, 1).value, "Total")
        self.assertEqual(sheet.cell(last, 6).value, "=SUBTOTAL(109,F2:F%d)" % (last - 1))
        self.assertEqual(sheet.cell(last, 7).value, "=SUBTOTAL(109,G2:G%d)" % (last - 1))
        lines = self._statement()["lines"]
        self.assertAlmostEqual(cached.cell(last, 6).value, sum(line["debit"] for line in lines))
        self.assertAlmostEqual(cached.cell(last, 7).value, sum(line["credit"] for line in lines))
        statement = self._statement()
        self.assertAlmostEqual(statement["opening_balance"] + cached.cell(last, 6).value
                               - cached.cell(last, 7).value, statement["closing_balance"])

    def test_formats_frozen_and_filtered(self):
        sheet = load(self._render())[STATEMENT]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:H7")
        self.assertEqual(sheet.cell(2, 2).number_format, "yyyy-mm-dd")
        money = sheet.cell(3, 6).number_format
        self.assertIn('"%s"' % self.company.currency_id.symbol, money)
        self.assertIn("[Red]-", money)
        self.assertEqual(sheet.cell(2, 8).number_format, money)
        self.assertEqual(sheet.page_setup.orientation, "landscape")

    def test_aging_is_the_statement_aging(self):
        sheet = load(self._render())[AGING]
        self.assertEqual(headers(sheet), ["Customer", "Not due", "1-30 days", "31-60 days",
                                          "61-90 days", "Over 90 days", "Total"])
        aging = self._statement()["aging"]
        self.assertEqual(list(self._rows(sheet)[0]), [
            "Statement Customer Ltd", aging["not_due"], aging["days_1_30"],
            aging["days_31_60"], aging["days_61_90"], aging["days_over_90"], 1200.0])

    def test_aging_totals_and_chart(self):
        sheet = load(self._render())[AGING]
        self.assertEqual(sheet.cell(3, 7).value, "=SUBTOTAL(109,G2:G2)")
        self.assertEqual([type(chart).__name__ for chart in sheet._charts], ["BarChart"])
        self.assertEqual(len(sheet._charts[0].series), 5)

    def test_parameters(self):
        sheet = load(self._render())[PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["Customers"], "Statement Customer Ltd")
        self.assertEqual(values["As of"], PERIOD[1])
        self.assertIn(PERIOD[0], values["Period"])
        self.assertEqual(values["Company"], self.company.name)

    def test_default_period_is_the_pdf_one(self):
        sheet = load(self._render(period=False))[PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["As of"], PERIOD[1])

    def test_contact_prints_its_company(self):
        rows = self._rows(load(self._render(self.contact))[STATEMENT])
        self.assertEqual({row[0] for row in rows if row[0] != "Total"},
                         {"Statement Customer Ltd"})

    def test_several_customers_share_the_sheets(self):
        book = load(self._render(self.partner | self.second))
        rows = self._rows(book[STATEMENT])
        second = [row for row in rows if row[0] == "Statement Second Customer"]
        self.assertEqual([(row[2], row[7]) for row in (second[0], second[-1])],
                         [("Opening balance", 0.0), ("Closing balance", 80.0)])
        self.assertEqual([row[0] for row in self._rows(book[AGING])][:2],
                         ["Statement Customer Ltd", "Statement Second Customer"])

    def test_several_customers_read_at_once_as_one_by_one(self):
        """The statements of a selection, read in one SQL statement, are
        each customer's own (a contact gives its company's)."""
        report = self.env["report.crm_ext.customer_statement"]
        together = report._statements(self.contact | self.second, PERIOD[0], PERIOD[1],
                                      self.company)
        self.assertEqual(together, {
            partner.id: report._statement(partner, PERIOD[0], PERIOD[1], self.company)
            for partner in (self.partner, self.second)})
        self.assertTrue(together[self.partner.id]["lines"])

    # -- who may make it ----------------------------------------------------

    def test_sales_manager_makes_it(self):
        self.assertIn(STATEMENT, load(self._render(user=self.sales_manager)).sheetnames)

    def test_refused_to_salesman(self):
        with self.assertRaises(AccessError):
            self._render(user=self.salesman)

    def test_refused_to_portal(self):
        with self.assertRaises(AccessError):
            self._render(user=self.portal)

    def test_refused_in_another_company(self):
        report = self.workbook_report.sudo(self.other_manager)
        with self.assertRaises(AccessError):
            report.render_xlsx(self.partner.ids, {"company_id": self.company.id})

    # -- the wizard ----------------------------------------------------------

    def _wizard(self, **values):
        return self.env["crm.customer.statement.wizard"].sudo(self.accountant).create(dict(
            values, partner_id=self.partner.id, date_from=PERIOD[0], date_to=PERIOD[1]))

    def test_wizard_prints_pdf_by_default(self):
        self.assertEqual(self._wizard().action_print()["report_name"],
                         "crm_ext.customer_statement")

    def test_wizard_prints_the_workbook(self):
        action = self._wizard(output="xlsx").action_print()
        self.assertEqual((action["report_name"], action["report_type"]),
                         ("crm_ext.customer_statement_workbook", "xlsx"))
        content = self.workbook_report.sudo(self.accountant).render_xlsx([], action["data"])[0]
        rows = self._rows(load(content)[STATEMENT])
        self.assertEqual(rows[-2][7], self._statement()["closing_balance"])
