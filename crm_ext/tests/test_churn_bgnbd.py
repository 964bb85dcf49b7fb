import unittest

import numpy as np
from hypothesis import given, settings, strategies as st
from scipy.special import hyp2f1

from odoo.addons.crm_ext.tools import bgnbd

from .churn_reference import NO_LIFETIMES, bgnbd_fitter, cdnow_summary, lifetimes

# FHL 2005, section 5: CDNOW's 2,357 customers, 39-week calibration
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SIMULATED = {"r": 0.6, "alpha": 3.0, "a": 0.9, "b": 2.5}


@unittest.skipIf(lifetimes is None, NO_LIFETIMES)
class TestBgNbdReference(unittest.TestCase):
    """Issue 14, done when: the published CDNOW values, and lifetimes'
    figures for every customer with the same parameters."""

    @classmethod
    def setUpClass(cls):
        super(TestBgNbdReference, cls).setUpClass()
        cls.x, cls.t_x, cls.T = cdnow_summary()
        cls.params = bgnbd.fit(cls.x, cls.t_x, cls.T)
        cls.reference = bgnbd_fitter(cls.params)

    def test_14_fit_gives_the_published_parameters(self):
        self.assertTrue(self.params["converged"])
        self.assertEqual(self.params["customers"], 2357)
        for name, value in PUBLISHED.items():
            self.assertEqual(round(self.params[name], 3), value, name)

    def test_14_fit_gives_the_published_log_likelihood(self):
        self.assertEqual(round(self.params["log_likelihood"], 1), -9582.4)

    def test_14_fit_equals_lifetimes_fit(self):
        fitter = lifetimes.BetaGeoFitter().fit(self.x, self.t_x, self.T)
        for name in PUBLISHED:
            self.assertAlmostEqual(self.params[name], fitter.params_[name], delta=1e-4)

    def test_14_conditional_expectation_of_the_paper(self):
        expected = bgnbd.expected_purchases(self.params, 39, 2, 30.43, 38.86)
        self.assertEqual(round(float(expected), 3), 1.226)

    def test_14_p_alive_equals_lifetimes_for_every_customer(self):
        mine = bgnbd.p_alive(self.params, self.x, self.t_x, self.T)
        theirs = self.reference.conditional_probability_alive(self.x, self.t_x, self.T)
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-6)

    def test_14_expected_purchases_equal_lifetimes_for_every_customer(self):
        for t in (1, 13, 39, 52):
            mine = bgnbd.expected_purchases(self.params, t, self.x, self.t_x, self.T)
            theirs = self.reference.conditional_expected_number_of_purchases_up_to_time(
                t, self.x, self.t_x, self.T)
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-6, err_msg=str(t))

    def test_14_new_customer_expectation_equals_lifetimes(self):
        for t in (1, 39, 78):
            self.assertAlmostEqual(
                float(bgnbd.expected_purchases_new(self.params, t)),
                float(self.reference.expected_number_of_purchases_up_to_time(t)), delta=1e-6)


class TestBgNbd(unittest.TestCase):
    """Issue 14: the fit on weighted rows, its analytic gradient, and the
    figures' stability for any history."""

    @classmethod
    def setUpClass(cls):
        super(TestBgNbd, cls).setUpClass()
        ages = np.random.default_rng(7).uniform(10, 60, 600)
        cls.x, cls.t_x, cls.T = bgnbd.simulate(SIMULATED, ages, seed=7, resolution=1.0)

    def test_14_weighted_fit_equals_fit_on_expanded_rows(self):
        weights = np.random.default_rng(3).integers(1, 5, self.x.size)
        weighted = bgnbd.fit(self.x, self.t_x, self.T, weights=weights)
        expanded = bgnbd.fit(np.repeat(self.x, weights), np.repeat(self.t_x, weights),
                             np.repeat(self.T, weights))
        self.assertEqual(weighted["customers"], weights.sum())
        for name in ("r", "alpha", "a", "b", "log_likelihood"):
            self.assertAlmostEqual(weighted[name], expanded[name], delta=1e-6 * max(
                1.0, abs(expanded[name])), msg=name)

    def test_14_fit_recovers_simulated_parameters(self):
        ages = np.random.default_rng(11).uniform(10, 100, 20000)
        fitted = bgnbd.fit(*bgnbd.simulate(SIMULATED, ages, seed=11))
        for name, value in SIMULATED.items():
            self.assertAlmostEqual(fitted[name], value, delta=0.15 * value, msg=name)

    def test_14_analytic_gradient_matches_finite_differences(self):
        point = {"r": 0.8, "alpha": 2.0, "a": 1.3, "b": 0.7}
        gradient = bgnbd.log_likelihood_gradient(point, self.x, self.t_x, self.T)
        for name in bgnbd.PARAMETERS:
            step = 1e-6 * point[name]
            up = dict(point, **{name: point[name] + step})
            down = dict(point, **{name: point[name] - step})
            numeric = (bgnbd.log_likelihood(up, self.x, self.t_x, self.T)
                       - bgnbd.log_likelihood(down, self.x, self.t_x, self.T)) / (2 * step)
            self.assertAlmostEqual(gradient[name], numeric, delta=1e-5 * max(1.0, abs(numeric)),
                                   msg=name)

    def test_14_fit_refuses_a_recency_beyond_the_age(self):
        with self.assertRaises(ValueError):
            bgnbd.fit([1, 2], [5.0, 3.0], [4.0, 10.0])

    def test_14_fit_refuses_no_customers(self):
        with self.assertRaises(ValueError):
            bgnbd.fit([], [], [])

    def test_14_no_repeat_purchase_is_alive(self):
        self.assertEqual(bgnbd.p_alive(PUBLISHED, 0, 0, 500).tolist(), 1.0)

    def test_14_expected_purchases_where_scipy_series_fails(self):
        """x = 10,000 in 5 weeks, 52 weeks ahead: scipy's hyp2f1 gives no value
        for the paper's form; the Euler-transformed series does.  Reference:
        eq. 10 with mpmath at 40 digits."""
        params = {"r": 2.5, "alpha": 0.3, "a": 3.5, "b": 0.4}
        self.assertFalse(np.isfinite(hyp2f1(10002.5, 10000.4, 10002.9, 52 / 57.3)))
        value = bgnbd.expected_purchases(params, 52, 10000, 5, 5)
        self.assertAlmostEqual(float(value), 3989.3517800832487, delta=1e-6 * 3989.35)

    def test_14_probability_of_a_purchase_tends_to_p_alive(self):
        alive = bgnbd.p_alive(PUBLISHED, self.x, self.t_x, self.T)
        soon = bgnbd.probability_purchase(PUBLISHED, 1, self.x, self.t_x, self.T)
        later = bgnbd.probability_purchase(PUBLISHED, 1e40, self.x, self.t_x, self.T)
        self.assertTrue(np.all(soon <= later))
        np.testing.assert_allclose(later, alive, atol=1e-6)

    @settings(max_examples=300, deadline=None, database=None)
    @given(x=st.integers(0, 10000), age=st.floats(0.0, 520.0), share=st.floats(0.0, 1.0),
           horizon=st.floats(0.01, 520.0),
           params=st.tuples(*[st.floats(0.01, 50.0)] * 4))
    def test_14_p_alive_and_expectation_stay_finite_and_in_range(
            self, x, age, share, horizon, params):
        params = dict(zip(bgnbd.PARAMETERS, params))
        t_x = age * share if x else 0.0
        alive = bgnbd.p_alive(params, x, t_x, age)
        self.assertTrue(np.isfinite(alive) and 0.0 <= alive <= 1.0, alive)
        expected = bgnbd.expected_purchases(params, horizon, x, t_x, age)
        self.assertTrue(np.isfinite(expected) and expected >= -1e-9, expected)
