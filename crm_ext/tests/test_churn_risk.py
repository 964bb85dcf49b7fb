from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.tests import common

from ..tools import churn_queries, clock
from .test_churn_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnRisk(ChurnCase):
    """Each factor of the risk, scored on 2026-06-30 without a fitted model:
    the last 90 days start after 2026-04-01, the 90 before after
    2026-01-01."""

    @classmethod
    def setUpClass(cls):
        super(TestChurnRisk, cls).setUpClass()
        # every 30 days, the last 94 days ago
        cls.drifting = cls._customer("Drifting Away")
        for day in ("2026-01-27", "2026-02-26", "2026-03-28"):
            cls._pay(cls._invoice(cls.drifting, day))
        # 4 orders of 100 in the 90 days before, 1 of 220 since
        cls.slowing = cls._customer("Slowing Down")
        for day in ("2026-01-10", "2026-02-10", "2026-03-10", "2026-03-25", "2026-06-20"):
            cls._pay(cls._invoice(cls.slowing, day, price=220.0 if day > "2026-04" else 100.0))
        cls.complaining = cls._customer("Complaining")
        cls._pay(cls._invoice(cls.complaining, "2026-06-01"))
        late = cls.env["crm.complaint"].create({"partner_id": cls.complaining.id})
        cls.env["crm.complaint"].create({"partner_id": cls.complaining.id})
        cls.env.cr.execute("UPDATE crm_complaint SET sla_status = 'breached' WHERE id = %s",
                           (late.id,))
        cls.unhappy = cls._customer("Unhappy")
        cls._pay(cls._invoice(cls.unhappy, "2026-06-01"))
        rated = cls.env["crm.complaint"].create({"partner_id": cls.unhappy.id})
        cls.env.cr.execute("UPDATE crm_complaint SET customer_rating = 1, "
                           "date_resolved = '2026-06-10' WHERE id = %s", (rated.id,))
        cls.late_payer = cls._customer("Late Payer")
        cls._invoice(cls.late_payer, "2026-04-01", price=300.0)
        cls.returning = cls._customer("Returning Goods")
        cls._pay(cls._invoice(cls.returning, "2026-05-01", price=200.0))
        cls._invoice(cls.returning, "2026-05-10", price=100.0, invoice_type="out_refund")
        cls.downgraded = cls._customer("Segment Down")
        cls._pay(cls._invoice(cls.downgraded, "2026-06-01"))
        cls.env["crm.customer.segment.history"].create({
            "partner_id": cls.downgraded.id, "company_id": cls.company.id,
            "date": "2026-06-15", "field_name": "segment",
            "old_value": cls.env.ref("crm_ext.crm_customer_segment_champions").name,
            "new_value": cls.env.ref("crm_ext.crm_customer_segment_at_risk").name})
        cls.once = cls._customer("Bought Once")
        cls._pay(cls._invoice(cls.once, "2026-06-20"))
        cls.prospect = cls._customer("Prospect Only")
        cls.env["sale.order"].create({
            "partner_id": cls.prospect.id,
            "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})]})

    def setUp(self):
        super(TestChurnRisk, self).setUp()
        self._score()

    def test_days_past_the_usual_interval(self):
        insight = self._insight(self.drifting)
        self.assertAlmostEqual(insight.churn_factor_rhythm, 20.0)
        self.assertIn("no order for 94 days, usually every 30", insight.churn_reasons)

    def test_frequency_and_spend_against_the_90_days_before(self):
        insight = self._insight(self.slowing)
        self.assertAlmostEqual(insight.churn_factor_frequency, 7.5)
        self.assertAlmostEqual(insight.churn_factor_spend, 4.5)
        self.assertIn("spend down 45% on the previous 90 days", insight.churn_reasons)

    def test_no_interaction_in_90_days(self):
        insight = self._insight(self.drifting)
        self.assertAlmostEqual(insight.churn_factor_interactions, 5.0)

    def test_open_and_breached_complaints(self):
        insight = self._insight(self.complaining)
        # 2 open + 1 breached of the 3 that weigh fully
        self.assertAlmostEqual(insight.churn_factor_complaints, 10.0)
        self.assertIn("2 open complaints, 1 past its deadline", insight.churn_reasons)

    def test_last_rating(self):
        insight = self._insight(self.unhappy)
        self.assertAlmostEqual(insight.churn_factor_rating, 5.0)
        self.assertIn("last complaint rated 1/5", insight.churn_reasons)

    def test_overdue_receivables(self):
        insight = self._insight(self.late_payer)
        self.assertAlmostEqual(insight.churn_factor_overdue, 10.0)
        self.assertFalse(self._insight(self.drifting).churn_factor_overdue)

    def test_returns(self):
        insight = self._insight(self.returning)
        # refunds of 100 on sales of 200: 50%, the full level
        self.assertAlmostEqual(insight.churn_factor_returns, 5.0)
        self.assertIn("50% of the last 90 days' sales returned", insight.churn_reasons)

    def test_segment_move_down(self):
        insight = self._insight(self.downgraded)
        self.assertAlmostEqual(insight.churn_factor_segment, 5.0)
        self.assertIn("segment down: Champions → At risk", insight.churn_reasons)

    def test_missing_data_contributes_nothing(self):
        insight = self._insight(self.once)
        for code in ("rhythm", "frequency", "spend", "rating", "overdue", "returns", "tier",
                     "points", "segment", "p_alive"):
            self.assertFalse(insight["churn_factor_%s" % code], code)
        self.assertEqual(insight.churn_risk, 5)

    def test_risk_is_the_sum_of_the_contributions(self):
        insight = self._insight(self.slowing)
        total = sum(insight["churn_factor_%s" % code] for code in (
            "rhythm", "frequency", "spend", "interactions", "complaints", "rating", "overdue",
            "returns", "tier", "points", "segment", "p_alive"))
        self.assertEqual(insight.churn_risk, int(round(total)))

    def test_three_reasons_at_most_the_heaviest_first(self):
        insight = self._insight(self.slowing)
        self.assertEqual(insight.churn_reason_codes, "frequency,interactions,spend")
        self.assertEqual(len(insight.churn_reasons.split("; ")), 3)

    def test_weights_are_the_company_settings(self):
        self.company.churn_weight_interactions = 0
        self._score()
        self.assertEqual(self._insight(self.once).churn_risk, 0)
        self.assertFalse(self._insight(self.once).churn_reasons)

    def test_prospect_is_not_scored(self):
        insight = self._insight(self.prospect)
        self.assertEqual(insight.churn_risk, 0)
        self.assertFalse(insight.churn_reason_codes)
        self.assertTrue(insight.churn_scored_at)

    def test_partner_fields_are_searchable(self):
        partners = self.env["res.partner"]
        self.assertEqual(partners.search([("churn_risk", ">=", 20),
                                          ("id", "=", self.drifting.id)]), self.drifting)
        self.assertIn(self.complaining, partners.search([("churn_reasons", "ilike", "complaint")]))
        self.assertNotIn(self.once, partners.search([("churn_reasons", "ilike", "complaint")]))
        self.assertEqual(self.drifting.churn_risk, self._insight(self.drifting).churn_risk)
        self.assertIn(self.drifting, partners.search([("clv_predicted", ">=", 0)]))

    def test_reasons_are_shown_in_the_reader_language(self):
        self.env["res.lang"].load_lang("fr_FR")
        insight = self._insight(self.drifting).with_context(lang="fr_FR")
        # no French translation loaded: the words still come, without a crash
        self.assertTrue(insight.churn_reasons)

    def test_high_risk_filters(self):
        for view in ("crm_ext.crm_customer_insight_view_search",
                     "crm_ext.res_partner_view_search"):
            arch = self.env.ref(view).arch
            self.assertIn('name="churn_high"', arch)
        high = self.insight_model.search([("company_id", "=", self.company.id),
                                          ("churn_risk", ">=", 60)])
        self.assertFalse(high)
        self.company.churn_weight_rhythm = 80
        self._score()
        high = self.insight_model.search([("churn_risk", ">=", 60)])
        self.assertIn(self._insight(self.drifting), high)
        gone = self.insight_model.search([("p_alive", "<", 0.3), ("churn_model_id", "!=", False)])
        self.assertFalse(gone)

    def test_detection_scores_only_what_was_not_scored_today(self):
        # setUp scored every customer today, as the nightly recompute does
        alerts = self.env["crm.churn.alert"]
        scored = []
        original = type(self.insight_model)._score_churn

        def counted(insight, company, partner_ids=None):
            scored.append(company)
            return original(insight, company, partner_ids=partner_ids)
        with mock.patch.object(type(self.insight_model), "_score_churn", counted):
            with clock.frozen(self.env, self.NOW):
                alerts._detect(self.company)
            self.assertEqual(scored, [])
            tomorrow = fields.Datetime.to_string(
                fields.Datetime.from_string(self.NOW) + timedelta(days=1))
            with clock.frozen(self.env, tomorrow):
                alerts._detect(self.company)
            self.assertEqual(scored, [self.company])

    def test_a_purchase_of_nothing_is_a_purchase_a_refund_is_not(self):
        # as lifetimes counts CDNOW's free first orders
        customer = self._customer("Free First Order")
        self._invoice(customer, "2026-05-01", price=0.0)
        self._pay(self._invoice(customer, "2026-06-01"))
        self._invoice(customer, "2026-06-10", invoice_type="out_refund")
        self.env.cr.execute(churn_queries.PURCHASES, {
            "company_id": self.company.id, "as_of": "2026-06-30", "holdout_end": "2026-06-30"})
        days = sorted(day for partner, day in self.env.cr.fetchall() if partner == customer.id)
        self.assertEqual(days, [-60, -29])
