from odoo.exceptions import AccessError
from odoo.tests import common

from .test_churn_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnModel(ChurnCase):
    """The model of a company fitted on a simulated history of 600 customers."""

    @classmethod
    def setUpClass(cls):
        super(TestChurnModel, cls).setUpClass()
        cls.simulated = cls._simulate(600)
        cls.model = cls._fit()
        cls.salesman = cls.env["res.users"].create({
            "name": "Churn Salesman", "login": "churn_salesman",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])]})
        cls.manager = cls.env["res.users"].create({
            "name": "Churn Manager", "login": "churn_manager",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])]})

    def test_fit_on_enough_data_gives_positive_parameters(self):
        self.assertFalse(self.model.insufficient_data)
        self.assertTrue(self.model.converged)
        self.assertGreaterEqual(self.model.customers, 600)
        for name in ("r", "alpha", "a", "b", "spend_p", "spend_q", "spend_gamma"):
            self.assertGreater(self.model[name], 0, name)
        self.assertEqual(self.model.time_unit, "week")
        self.assertEqual(self.model.as_of, self.TODAY)

    def test_model_card_judges_the_holdout(self):
        self.assertEqual(self.model.calibration_date, "2025-12-30")
        self.assertTrue(0 < self.model.holdout_auc < 1)
        self.assertGreater(self.model.top_decile_lift, 0)
        self.assertIn(self.model.grade, ("A", "B", "C"))

    def test_refit_on_the_same_day_replaces_the_model(self):
        again = self._fit()
        self.assertEqual(again, self.model)
        self.assertEqual(self.env["crm.churn.model"].search_count(
            [("company_id", "=", self.company.id)]), 1)

    def test_latest_model_is_the_one_used(self):
        self._score()
        insight = self._insight(self.simulated[0])
        self.assertEqual(insight.churn_model_id, self.model)
        self.assertTrue(0 <= insight.p_alive <= 1)
        self.assertGreaterEqual(insight.expected_purchases_90d, 0)

    def test_predicted_value_comes_from_the_model(self):
        self._score()
        insights = self.insight_model.search([
            ("partner_id", "in", self.simulated.ids), ("clv_model_purchases", ">", 0)])
        self.assertTrue(insights)
        insight = insights[0]
        self.assertAlmostEqual(insight.clv_predicted, insight.clv_model_value, places=2)
        self.assertAlmostEqual(
            insight.clv_model_value,
            insight.clv_model_purchases * insight.clv_model_spend
            * insight.clv_model_margin_rate, delta=0.05)
        self.assertIn("purchases expected in 12 months", insight.clv_basis)

    def test_short_history_fits_but_is_not_used(self):
        self.company.churn_holdout_days = 400
        model = self._fit()
        self.assertTrue(model.insufficient_data)
        self.assertIn("history shorter than twice", model.warnings)
        self.assertGreater(model.r, 0)
        self._score()
        insight = self._insight(self.simulated[0])
        self.assertFalse(insight.churn_model_id)
        self.assertFalse(insight.p_alive)

    def test_model_filters(self):
        arch = self.env.ref("crm_ext.crm_churn_model_view_search").arch
        self.assertIn('name="sufficient"', arch)
        self.assertIn('name="with_warnings"', arch)
        models = self.env["crm.churn.model"]
        self.assertEqual(models.search([("insufficient_data", "=", False)]), self.model)
        self.assertEqual(models.search([("warning_codes", "!=", False)]),
                         self.model if self.model.warning_codes else models)

    def test_salesman_cannot_fit(self):
        with self.assertRaises(AccessError):
            self.env["crm.churn.model"].sudo(self.salesman)._action_fit_now()

    def test_manager_fits_the_current_company(self):
        action = self.env["crm.churn.model"].sudo(self.manager)._action_fit_now()
        self.assertEqual(action["res_model"], "crm.churn.model")
        self.assertTrue(self.env["crm.churn.model"].search(
            [("company_id", "=", self.company.id), ("as_of", "!=", self.TODAY)]))

    def test_cron_fits_every_company(self):
        other = self.env["res.company"].create({"name": "Churn Other Company"})
        self.env["crm.churn.model"]._cron_fit(use_new_cursor=False)
        self.assertTrue(self.env["crm.churn.model"].search([("company_id", "=", other.id)]))

    def test_salesman_reads_the_models_of_the_company_only(self):
        other = self.env["res.company"].create({"name": "Churn Elsewhere"})
        self.env["crm.churn.model"]._fit_company(other, as_of=self.TODAY)
        visible = self.env["crm.churn.model"].sudo(self.salesman).search([])
        self.assertEqual(visible, self.model)


@common.at_install(False)
@common.post_install(True)
class TestChurnModelInsufficientData(ChurnCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnModelInsufficientData, cls).setUpClass()
        cls.customer = cls._customer("Few Customers")
        cls._invoice(cls.customer, "2026-01-15")
        cls._invoice(cls.customer, "2026-03-15")

    def test_few_customers_give_an_insufficient_card(self):
        model = self._fit()
        self.assertTrue(model.insufficient_data)
        self.assertFalse(model.r)
        self.assertIn("fewer than 500 customers", model.warnings)

    def test_without_a_usable_model_no_p_alive_and_run_rate_value(self):
        self._fit()
        self._score()
        insight = self._insight(self.customer)
        self.assertFalse(insight.churn_model_id)
        self.assertFalse(insight.p_alive)
        self.assertFalse(insight.churn_factor_p_alive)
        self.assertAlmostEqual(insight.clv_predicted,
                               insight.clv_run_rate * insight.clv_retention)
        self.assertIn("No churn model fitted on enough data", insight.clv_basis)
