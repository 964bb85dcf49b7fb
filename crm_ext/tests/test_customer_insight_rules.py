from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import common

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightRules(InsightCase):

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightRules, cls).setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.env["res.currency.rate"].create({
            "name": "2026-01-01", "rate": 2.0, "currency_id": cls.eur.id,
            "company_id": cls.company.id})
        cls.company.currency_id.rate_ids.filtered(
            lambda rate: rate.company_id == cls.company).unlink()
        cls.grower = cls._customer("Grower", user_id=cls.env.ref("base.user_demo").id)
        cls._invoice(cls.grower, "2025-03-01", price=100.0)
        cls._invoice(cls.grower, "2026-03-01", price=100.0)
        cls._invoice(cls.grower, "2026-06-01", price=100.0)
        cls.decliner = cls._customer("Decliner")
        cls._invoice(cls.decliner, "2025-02-01", price=1000.0)
        cls._invoice(cls.decliner, "2025-05-01", price=1000.0)
        cls._invoice(cls.decliner, "2026-05-01", price=1000.0)
        cls.euro_buyer = cls._customer("Euro Buyer")
        cls._invoice(cls.euro_buyer, "2026-06-15", price=1000.0, currency=cls.eur)

    def test_foreign_currency_is_converted_to_company_currency(self):
        self._recompute()
        insight = self._insight(self.euro_buyer)
        self.assertAlmostEqual(insight.net_invoiced, 500.0, places=2)
        self.assertAlmostEqual(insight.receivable_amount, 500.0, places=2)

    def test_growing_and_declining(self):
        self._recompute()
        self.assertEqual(self._insight(self.grower).lifecycle_stage, "growing")
        self.assertEqual(self._insight(self.decliner).lifecycle_stage, "declining")

    def test_abc_classes_follow_cumulative_margin(self):
        self.company.insight_abc_measure = "revenue"
        self._recompute()
        insights = self.insight_model.search([
            ("company_id", "=", self.company.id), ("abc_class", "!=", False)])
        self.assertIn(self._insight(self.decliner), insights)
        top = max(insights, key=lambda i: (i.net_invoiced, -i.partner_id.id))
        self.assertEqual(top.abc_class, "A", "the first customer always starts class A")
        total = sum(max(i.net_invoiced, 0) for i in insights)
        running = 0.0
        for insight in insights.sorted(lambda i: (-i.net_invoiced, i.partner_id.id)):
            expected = ("A" if running / total < 0.80 else "B" if running / total < 0.95
                        else "C") if insight.net_invoiced > 0 else "C"
            self.assertEqual(insight.abc_class, expected, insight.partner_id.name)
            running += max(insight.net_invoiced, 0)

    def test_grade_follows_value_score_thresholds(self):
        self._recompute()
        grades = self.env["crm.customer.grade"].search([]).sorted("min_score", reverse=True)
        for insight in self.insight_model.search([("value_score", "!=", False)]):
            expected = next(g.code for g in grades if insight.value_score >= g.min_score)
            self.assertEqual(insight.grade, expected)

    def test_strategic_customers_get_one_visit_planned(self):
        self.env.ref("crm_ext.crm_customer_grade_strategic").min_score = 0
        self._recompute()
        self.env["crm.customer.grade"]._schedule_visits(self.company, today=self.TODAY)
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.grower.id)])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.env.ref("base.user_demo"))
        self.env["crm.customer.grade"]._schedule_visits(self.company, today=self.TODAY)
        self.assertEqual(self.env["mail.activity"].search_count([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.grower.id)]), 1)
        # customers without a salesperson get no visit
        self.assertFalse(self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.decliner.id)]))

    def test_confirmed_orders_as_the_source(self):
        late = self._customer("Invoices Late")
        order = self.env["sale.order"].create({
            "partner_id": late.id, "date_order": "2026-06-10 10:00:00",
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 3,
                                   "price_unit": 100.0, "tax_id": [(6, 0, [])]})]})
        order.action_confirm()
        self._recompute()
        self.assertFalse(self._insight(late).invoice_count)
        self.company.insight_source = "order"
        self._recompute()
        insight = self._insight(late)
        self.assertEqual(insight.invoice_count, 1)
        self.assertAlmostEqual(insight.net_invoiced, 300.0)
        self.assertEqual(insight.last_invoice_date, "2026-06-10")

    def test_receivable_items_action(self):
        self._recompute()
        action = self.grower.action_view_open_receivable()
        lines = self.env["account.move.line"].search(action["domain"])
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")),
                               self._insight(self.grower).receivable_amount)

    def test_a_company_without_sales_has_no_figures(self):
        other = self.env["res.company"].create({"name": "Empty Subsidiary"})
        self.insight_model._recompute_company(other, today=self.TODAY)
        self.assertFalse(self.insight_model.search([("company_id", "=", other.id)]))

    def test_companies_keep_their_figures_apart(self):
        self._recompute()
        other = self.env["res.company"].create({"name": "Second Company"})
        self.env["crm.customer.insight"].sudo().create({
            "partner_id": self.grower.id, "company_id": other.id, "net_invoiced": 1.0})
        # of All Documents: the grower is a colleague's customer
        user = self.env["res.users"].create({
            "name": "Insight Salesman", "login": "insight_rules_salesman",
            "company_id": self.company.id, "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, [
                self.env.ref("sales_team.group_sale_salesman_all_leads").id])]})
        visible = self.insight_model.sudo(user).search([("partner_id", "=", self.grower.id)])
        self.assertEqual(visible.mapped("company_id"), self.company)
        self.assertEqual(self.grower.sudo(user).rfm_frequency, 2)

    def test_accountant_reads_and_nobody_edits(self):
        self._recompute()
        accountant = self.env["res.users"].create({
            "name": "Insight Accountant", "login": "insight_accountant",
            "groups_id": [(6, 0, [self.env.ref("account.group_account_invoice").id])]})
        insight = self._insight(self.grower).sudo(accountant)
        self.assertEqual(insight.partner_id, self.grower)
        with self.assertRaises(AccessError):
            insight.write({"net_invoiced": 0})
        salesman = self.env.ref("base.user_demo")
        with self.assertRaises(AccessError):
            self._insight(self.grower).sudo(salesman).unlink()

    def test_bad_settings_are_refused_and_nothing_changes(self):
        for values in ({"insight_window_days": 0}, {"insight_abc_a_share": 90,
                                                    "insight_abc_b_share": 20},
                       {"insight_weight_profit": -1}):
            with self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.company.write(values)
        self.assertEqual(self.company.insight_window_days, 365)
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self.env["crm.customer.segment"].create({"name": "Bad", "r_min": 4, "r_max": 2})

    def test_history_feeds_the_report_over_time(self):
        self._recompute(today="2026-05-31")
        self._recompute(today="2026-06-30")
        report = self.env["crm.customer.insight.report"].search([
            ("partner_id", "=", self.grower.id)])
        self.assertEqual(sorted(set(report.mapped("date")))[:2], ["2026-05-01", "2026-06-01"])
        june = report.filtered(lambda row: row.date == "2026-06-01")
        self.assertEqual(june.lifecycle_stage, self._insight(self.grower).lifecycle_stage)
        self.assertEqual(june.segment, self._insight(self.grower).segment_id.name)
        # later months without a change carry June's classification, up to this month
        this_month = fields.Date.today()[:8] + "01"
        later = report.filtered(lambda row: row.date > "2026-06-01")
        self.assertEqual(max(report.mapped("date")), max(this_month, "2026-06-01"))
        self.assertEqual(set(later.mapped("segment")) | {june.segment}, {june.segment})
        self.assertEqual(len(report), len(set(report.mapped("date"))), "one row a month")
