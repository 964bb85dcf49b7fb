from odoo import fields
from odoo.tests import common

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightMetrics(InsightCase):

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightMetrics, cls).setUpClass()
        cls.regular = cls._customer("Regular Buyer")
        for month in ("2026-01-15", "2026-03-15", "2026-05-15"):
            cls._invoice(cls.regular, month, quantity=2, price=100.0, discount=10.0)
        cls.single = cls._customer("Single Invoice")
        cls.single_invoice = cls._invoice(cls.single, "2026-06-01", quantity=1, price=500.0)
        cls.refund_only = cls._customer("Refund Only")
        cls._invoice(cls.refund_only, "2026-02-01", price=80.0, invoice_type="out_refund")
        cls.company_customer = cls._customer("Holding Inc")
        cls.contact = cls.env["res.partner"].create({
            "name": "Buyer At Holding", "parent_id": cls.company_customer.id})
        cls._invoice(cls.contact, "2026-04-10", quantity=3, price=100.0)
        cls._invoice(cls.company_customer, "2026-06-20", quantity=1, price=100.0)
        cls.prospect = cls._customer("Only A Quotation")
        cls.env["sale.order"].create({
            "partner_id": cls.prospect.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
        })
        cls.old_timer = cls._customer("Old Timer")
        cls._invoice(cls.old_timer, "2025-01-10", price=300.0)
        cls._invoice(cls.old_timer, "2025-03-10", price=300.0)

    def setUp(self):
        super(TestCustomerInsightMetrics, self).setUp()
        self._recompute()

    def _days_since(self, day):
        # the user's today, as the figures count it (not UTC's)
        today = fields.Date.context_today(self.insight_model)
        return (fields.Date.from_string(today) - fields.Date.from_string(day)).days

    def test_recency_search_compares_the_last_purchase_date(self):
        days = self._days_since("2026-05-15")
        partners = self.regular | self.single | self.old_timer
        for operator, expected in (("=", self.regular), (">=", self.regular | self.old_timer),
                                   (">", self.old_timer), ("<", self.single),
                                   ("<=", self.regular | self.single)):
            found = self.env["res.partner"].search([
                ("rfm_recency_days", operator, days), ("id", "in", partners.ids)])
            self.assertEqual(found, expected, operator)

    def test_invoice_figures_of_a_regular_customer(self):
        insight = self._insight(self.regular)
        self.assertEqual(insight.invoice_count, 3)
        self.assertEqual(insight.first_invoice_date, "2026-01-15")
        self.assertEqual(insight.last_invoice_date, "2026-05-15")
        # recency is counted up to the real today, the scores up to TODAY
        self.assertEqual(insight.recency_days, self._days_since("2026-05-15"))
        self.assertAlmostEqual(insight.net_invoiced, 3 * 180.0)
        self.assertAlmostEqual(insight.average_order_value, 180.0)
        self.assertAlmostEqual(insight.avg_interval_days, (120 / 2.0))
        # 2 units at 100 less 10%: 180 revenue, 120 cost, 20 discount, per invoice
        self.assertAlmostEqual(insight.gross_margin, 3 * 60.0)
        self.assertAlmostEqual(insight.discount_amount, 3 * 20.0)

    def test_one_invoice(self):
        insight = self._insight(self.single)
        self.assertEqual(insight.invoice_count, 1)
        self.assertFalse(insight.avg_interval_days)
        self.assertEqual(insight.lifecycle_stage, "new")
        self.assertAlmostEqual(insight.receivable_amount, 500.0)
        # due at once (no payment term), so overdue since 2026-06-01
        self.assertAlmostEqual(insight.overdue_amount, 500.0)
        self.assertEqual(insight.overdue_days, 29)
        self.assertAlmostEqual(insight.aging_1_30, 500.0)

    def test_only_refunds(self):
        insight = self._insight(self.refund_only)
        self.assertEqual(insight.invoice_count_all, 0)
        self.assertAlmostEqual(insight.net_invoiced, -80.0)
        self.assertFalse(insight.rfm_score, "no purchase, no RFM score")
        self.assertFalse(insight.abc_class)
        self.assertFalse(insight.lifecycle_stage)

    def test_return_rate_is_a_percentage(self):
        """Odoo 11 has no percentage widget: the rate itself is in percent."""
        insight = self.insight_model.new({"gross_invoiced": 200.0, "refunded": 50.0})
        self.assertAlmostEqual(insight.return_rate, 25.0)
        self.assertFalse(self.insight_model.new({"refunded": 50.0}).return_rate)

    def test_contacts_roll_up_to_their_company(self):
        insight = self._insight(self.company_customer)
        self.assertEqual(insight.invoice_count, 2)
        self.assertAlmostEqual(insight.net_invoiced, 400.0)
        self.assertFalse(self.insight_model.search([("partner_id", "=", self.contact.id)]))
        self.assertEqual(self.contact.rfm_score, self.company_customer.rfm_score)

    def test_prospect_has_a_stage_and_no_scores(self):
        insight = self._insight(self.prospect)
        self.assertEqual(insight.lifecycle_stage, "prospect")
        self.assertEqual(insight.open_quotation_count, 1)
        self.assertFalse(insight.segment_id)

    def test_lost_after_twice_the_rhythm_and_180_days(self):
        insight = self._insight(self.old_timer)
        self.assertEqual(insight.recency_days, self._days_since("2025-03-10"))
        self.assertEqual(insight.lifecycle_stage, "lost")
        self.assertEqual(insight.clv_retention, 0.0)
        self.assertAlmostEqual(insight.clv_predicted, 0.0)

    def test_reactivated_after_buying_again(self):
        self._invoice(self.old_timer, "2026-06-25", price=300.0)
        self._recompute()
        insight = self._insight(self.old_timer)
        self.assertEqual(insight.lifecycle_stage, "reactivated")
        history = self.env["crm.customer.segment.history"].search([
            ("partner_id", "=", self.old_timer.id), ("field_name", "=", "lifecycle_stage")],
            order="id desc", limit=1)
        self.assertEqual((history.old_value, history.new_value), ("lost", "reactivated"))

    def test_history_shows_the_labels_of_the_keys(self):
        history = self.env["crm.customer.segment.history"]
        grade = history.new({"field_name": "grade", "old_value": "key", "new_value": "general"})
        self.assertEqual((grade.old_value_label, grade.new_value_label), ("Key", "General"))
        stage = history.new({"field_name": "lifecycle_stage", "new_value": "declining"})
        self.assertEqual((stage.old_value_label, stage.new_value_label), (False, "Declining"))
        # segments are kept by name
        segment = history.new({"field_name": "segment", "new_value": "Champions"})
        self.assertEqual(segment.new_value_label, "Champions")

    def test_scores_and_codes(self):
        for partner in (self.regular, self.single, self.company_customer, self.old_timer):
            insight = self._insight(partner)
            self.assertEqual(len(insight.rfm_score), 3)
            self.assertEqual(insight.rfm_score, "%d%d%d" % (
                insight.r_score, insight.f_score, insight.m_score))
            self.assertTrue(insight.segment_id, "every RFM score falls in a seeded segment")
            self.assertTrue(0 <= insight.value_score <= 100)
            self.assertIn(insight.grade, ("strategic", "key", "general"))
            self.assertIn(insight.abc_class, ("A", "B", "C"))
        # the most recent buyer has the best recency score, the oldest the worst
        r_scores = {partner: self._insight(partner).r_score for partner in (
            self.regular, self.single, self.company_customer, self.old_timer)}
        self.assertEqual(r_scores[self.company_customer], 5)
        self.assertEqual(r_scores[self.old_timer], min(r_scores.values()))
        self.assertLess(r_scores[self.old_timer], r_scores[self.regular])

    def test_recompute_is_idempotent(self):
        history = self.env["crm.customer.segment.history"]
        before = history.search_count([])
        values = self._insight(self.regular).read(["rfm_score", "value_score", "abc_class"])
        self._recompute()
        self.assertEqual(history.search_count([]), before)
        self.assertEqual(self._insight(self.regular).read(
            ["rfm_score", "value_score", "abc_class"]), values)

    def test_partner_fields_and_search(self):
        insight = self._insight(self.regular)
        self.assertEqual(self.regular.customer_segment_id, insight.segment_id)
        self.assertEqual(self.regular.rfm_frequency, 3)
        found = self.env["res.partner"].search([
            ("rfm_score", "=", insight.rfm_score), ("id", "=", self.regular.id)])
        self.assertEqual(found, self.regular)
        without = self.env["res.partner"].search([
            ("abc_class", "=", False), ("id", "in", (self.regular | self.prospect).ids)])
        self.assertEqual(without, self.prospect)

    def test_validating_an_invoice_refreshes_raw_figures_at_once(self):
        self._invoice(self.single, "2026-06-28", price=200.0)
        insight = self._insight(self.single)
        self.assertEqual(insight.invoice_count_all, 2)
        self.assertAlmostEqual(insight.receivable_amount, 700.0)

    def test_payment_refreshes_receivable(self):
        self._pay(self.single_invoice, date="2026-06-02")
        self.assertAlmostEqual(self._insight(self.single).receivable_amount, 0.0)

    def test_rfm_scores_match_an_independent_computation(self):
        self.env.cr.execute("""
            SELECT commercial_partner_id,
                   MAX(date_invoice) FILTER (WHERE type = 'out_invoice'),
                   COUNT(*) FILTER (WHERE type = 'out_invoice' AND date_invoice > %s::date - 365),
                   COALESCE(SUM(amount_untaxed_signed)
                            FILTER (WHERE date_invoice > %s::date - 365), 0)
              FROM account_invoice
             WHERE company_id = %s AND state IN ('open', 'paid')
               AND type IN ('out_invoice', 'out_refund') AND date_invoice <= %s
             GROUP BY commercial_partner_id
            HAVING COUNT(*) FILTER (WHERE type = 'out_invoice') > 0""",
                            (self.TODAY, self.TODAY, self.company.id, self.TODAY))
        rows = self.env.cr.fetchall()
        today = fields.Date.from_string(self.TODAY)
        recency = {r[0]: (today - fields.Date.from_string(r[1])).days for r in rows}
        frequency = {r[0]: r[2] for r in rows}
        monetary = {r[0]: float(r[3]) for r in rows}

        def scores(values, higher_is_better=True):
            # 1 + 5 x percent rank, equal values sharing the lowest rank
            ordered = sorted(values.values(), reverse=not higher_is_better)
            count = len(ordered)
            result = {}
            for partner_id, value in values.items():
                rank = ordered.index(value)
                result[partner_id] = min(5, 1 + int(rank * 5.0 / (count - 1))) if count > 1 else 1
            return result

        expected_r = scores(recency, higher_is_better=False)
        expected_f = scores(frequency)
        expected_m = scores(monetary)
        for insight in self.insight_model.search([
                ("company_id", "=", self.company.id), ("partner_id", "in", list(recency))]):
            partner_id = insight.partner_id.id
            self.assertEqual(
                (insight.r_score, insight.f_score, insight.m_score),
                (expected_r[partner_id], expected_f[partner_id], expected_m[partner_id]),
                insight.partner_id.name)

    def test_values_match_plain_sql(self):
        self.env.cr.execute("""
            SELECT commercial_partner_id, SUM(amount_untaxed_signed),
                   COUNT(*) FILTER (WHERE type = 'out_invoice')
              FROM account_invoice
             WHERE company_id = %s AND state IN ('open', 'paid')
               AND type IN ('out_invoice', 'out_refund')
               AND date_invoice BETWEEN %s::date - 364 AND %s
             GROUP BY commercial_partner_id""", (self.company.id, self.TODAY, self.TODAY))
        expected = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
        insights = self.insight_model.search([
            ("company_id", "=", self.company.id), ("partner_id", "in", list(expected))])
        self.assertEqual(set(insights.mapped("partner_id").ids), set(expected))
        for insight in insights:
            net, count = expected[insight.partner_id.id]
            self.assertAlmostEqual(insight.net_invoiced, float(net), places=2)
            self.assertEqual(insight.invoice_count, count)
