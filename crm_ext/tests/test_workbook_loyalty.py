"""The Loyalty workbook (report_xlsx): sheets, headers, number formats,
frozen header, autofilter, SUBTOTAL totals against the ledger, the
liability reconciliation, the Parameters sheet and the monthly chart; who
may make it; the wizard's filters and the Print menu's programs."""
from odoo.exceptions import AccessError
from odoo.tests import common

from ..tools import clock
from .test_loyalty_common import LoyaltyCase
from .test_workbook_insight import headers, load

REPORT = "crm_ext.crm_loyalty_workbook_report"
BALANCES, LEDGER, LIABILITY, CHARTS, PARAMETERS = (
    "Balances", "Ledger", "Liability", "Charts", "Parameters")


def rows(sheet):
    """The data rows of ``sheet`` (its totals row left out)."""
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)
            if any(value is not None for value in row) and row[0] != "Total"]


@common.at_install(False)
@common.post_install(True)
class TestWorkbookLoyalty(LoyaltyCase):

    @classmethod
    def setUpClass(cls):
        super(TestWorkbookLoyalty, cls).setUpClass()
        cls.program.earn_on = "posted"
        cls.employee = cls._user("loyalty_wb_employee", "base.group_user")
        cls.buyer = cls._customer("Loyalty WB Buyer A", user_id=cls.salesman.id)
        cls.other = cls._customer("Loyalty WB Buyer B")
        cls.member = cls._enrol(cls.buyer)
        cls.other_member = cls._enrol(cls.other)
        cls._give(cls.member, 2000.0, date="2026-03-10", expiry_date="2027-03-10",
                  entry_type="earn")
        cls._give(cls.other_member, 500.0, date="2026-04-05", expiry_date="2027-04-05",
                  entry_type="earn")
        cls._give(cls.member, -300.0, date="2026-04-20", entry_type="redeem")
        cls._give(cls.other_member, 40.0, date="2026-05-02")
        cls.report = cls.env.ref(REPORT)

    def _render(self, data=None, user=None, programs=None):
        report = self.report.sudo(user or self.accountant)
        if programs:
            report = report.with_context(active_ids=programs.ids)
        with clock.frozen(self.env, "2026-06-30 12:00:00"):
            return report.render_xlsx(programs.ids if programs else None, data)[0]

    def _ledger_sum(self, column, members, **dates):
        self.env.cr.execute(
            "SELECT SUM(" + column + ") FROM crm_loyalty_entry WHERE member_id = ANY(%s)"
            " AND date >= %s AND date <= %s",
            (members.ids, dates.get("date_from", "1900-01-01"), dates.get("date_to", "2999-12-31")))
        return self.env.cr.fetchone()[0]

    def test_sheets(self):
        self.assertEqual(load(self._render()).sheetnames,
                         [BALANCES, LEDGER, LIABILITY, CHARTS, PARAMETERS])

    def test_headers(self):
        book = load(self._render())
        self.assertEqual(headers(book[BALANCES]), [
            "Card", "Customer", "Salesperson", "Program", "Tier", "Points", "Value",
            "Points Expiring Next", "Expiring On"])
        self.assertEqual(headers(book[LEDGER]), [
            "Date", "Card", "Customer", "Kind", "Points", "Value", "Document",
            "Journal Entry"])
        self.assertEqual(headers(book[LIABILITY]), [
            "Program", "Liability Account", "As At", "Points Outstanding", "Points Liability",
            "Liability Account Balance", "Difference", "Reconciled"])

    def test_balances(self):
        sheet = load(self._render())[BALANCES]
        by_card = {row[0]: row for row in rows(sheet)}
        row = by_card[self.member.card_number]
        self.assertEqual(row[1:5], ("Loyalty WB Buyer A", self.salesman.name, "Test Loyalty",
                                    self.member.tier_id.name or None))
        self.assertEqual((row[5], row[6]), (1700, 17.0))
        # 2,000 earned on 2026-03-10 expire 12 months later, less the 300 used
        self.assertEqual(row[7], 1700)
        self.assertEqual(str(row[8])[:10], "2027-03-10")

    def test_number_formats(self):
        sheet = load(self._render())[BALANCES]
        self.assertEqual(sheet.cell(2, 6).number_format, "#,##0")
        money = sheet.cell(2, 7).number_format
        self.assertIn('"%s"' % self.company.currency_id.symbol, money)
        self.assertIn("[Red]-", money)
        self.assertEqual(load(self._render())[LEDGER].cell(2, 1).number_format, "yyyy-mm-dd")

    def test_frozen_header_and_autofilter(self):
        book = load(self._render())
        for name in (BALANCES, LEDGER, LIABILITY):
            self.assertEqual(book[name].freeze_panes, "A2", name)
        self.assertEqual(book[LEDGER].auto_filter.ref, "A1:H%d" % (len(rows(book[LEDGER])) + 1))

    def test_totals_are_subtotals_of_the_ledger(self):
        content = self._render()
        sheet, cached = load(content)[BALANCES], load(content, data_only=True)[BALANCES]
        last = sheet.max_row
        self.assertEqual(sheet.cell(last, 6).value, "=SUBTOTAL(109,F2:F%d)" % (last - 1))
        members = self.member_model.search([("company_id", "=", self.company.id)])
        self.assertAlmostEqual(cached.cell(last, 6).value, self._ledger_sum("points", members))
        ledger = load(content, data_only=True)[LEDGER]
        self.assertAlmostEqual(ledger.cell(ledger.max_row, 5).value,
                               self._ledger_sum("points", members))

    def test_ledger_of_the_period(self):
        data = {"wizard": True, "date_from": "2026-04-01", "date_to": "2026-04-30"}
        ledger = rows(load(self._render(data))[LEDGER])
        self.assertEqual([(str(row[0])[:10], row[1], row[3], row[4]) for row in ledger], [
            ("2026-04-05", self.other_member.card_number, "Earned", 500),
            ("2026-04-20", self.member.card_number, "Redeemed", -300)])
        # booked in accounting: the journal entry is named
        self.assertTrue(ledger[0][7])

    def test_liability_reconciles_with_the_program(self):
        sheet = load(self._render({"wizard": True, "date_to": "2026-04-30"}))[LIABILITY]
        row = [row for row in rows(sheet) if row[0] == "Test Loyalty"][0]
        check = self.program._liability_check("2026-04-30")
        self.assertEqual(row[3:7], (check["outstanding_points"], check["outstanding_value"],
                                    check["liability_balance"], check["difference"]))
        # at the end of April: 2,000 + 500 - 300 (the adjustment of May is later)
        self.assertEqual(row[3], 2200)
        self.assertEqual(row[7], "Yes" if check["balanced"] else "No")

    def test_salesperson_has_no_liability_sheet(self):
        self.assertNotIn(LIABILITY, load(self._render(user=self.salesman)).sheetnames)

    def test_chart_of_points_per_month(self):
        sheet = load(self._render())[CHARTS]
        self.assertEqual([type(chart).__name__ for chart in sheet._charts], ["BarChart"])
        self.assertEqual(len(sheet._charts[0].series), 3)
        months = {row[0]: row[1:4] for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(months["2026-03"], (2000, 0, 0))
        self.assertEqual(months["2026-04"], (500, 300, 0))

    def test_parameters(self):
        sheet = load(self._render({"wizard": True, "date_from": "2026-04-01",
                                   "user_ids": [self.salesman.id]}))[PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["Company"], self.company.name)
        self.assertEqual(values["Salespeople"], self.salesman.name)
        self.assertIn("2026-04-01", values["Period"])
        self.assertEqual(values["User"], self.accountant.name)

    def test_salesperson_filter_changes_the_rows(self):
        book = load(self._render({"wizard": True, "user_ids": [self.salesman.id]}))
        self.assertEqual([row[0] for row in rows(book[BALANCES])], [self.member.card_number])
        self.assertEqual({row[1] for row in rows(book[LEDGER])}, {self.member.card_number})

    def test_grade_filter_keeps_the_customers_of_the_grade(self):
        self._sell(self.buyer, 100.0, date="2026-06-01")
        self._recompute()
        grade = self._insight(self.buyer).grade
        self.assertTrue(grade)
        cards = [row[0] for row in rows(load(self._render({"wizard": True, "grades": [grade]}))[
            BALANCES])]
        self.assertIn(self.member.card_number, cards)
        # Buyer B bought nothing: no grade
        self.assertNotIn(self.other_member.card_number, cards)
        members = self.member_model.search([("card_number", "in", cards)])
        self.assertEqual(set(self.insight_model.search([
            ("partner_id", "in", members.mapped("partner_id").ids),
            ("company_id", "=", self.company.id)]).mapped("grade")), {grade})

    def test_print_menu_programs(self):
        other_program = self.program.copy({"name": "Other Loyalty", "tier_ids": []})
        book = load(self._render(programs=other_program))
        self.assertEqual(rows(book[BALANCES]), [])
        self.assertEqual([row[0] for row in rows(book[LIABILITY])], ["Other Loyalty"])

    def test_refused_without_loyalty_rights(self):
        with self.assertRaises(AccessError):
            self._render(user=self.employee)

    def test_in_the_wizard(self):
        wizard = self.env["crm.workbook.wizard"].sudo(self.accountant).create(
            {"workbook": REPORT})
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "crm_ext.loyalty_workbook")

    def test_in_the_programs_print_menu(self):
        self.assertEqual(self.report.binding_model_id.model, "crm.loyalty.program")
        self.assertEqual(self.env.ref("crm_ext.crm_loyalty_statement_report")
                         .binding_model_id.model, "crm.loyalty.member")
