import unittest

import numpy as np

from odoo.addons.crm_ext.tools import gamma_gamma

from .churn_reference import NO_LIFETIMES, cdnow_spend, lifetimes

# Fader & Hardie 2013: CDNOW's 946 repeat buyers
PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@unittest.skipIf(lifetimes is None, NO_LIFETIMES)
class TestGammaGammaReference(unittest.TestCase):
    """Issue 14, done when: the published Gamma-Gamma values on CDNOW."""

    @classmethod
    def setUpClass(cls):
        super(TestGammaGammaReference, cls).setUpClass()
        cls.x, cls.m = cdnow_spend()
        cls.params = gamma_gamma.fit(cls.x, cls.m)

    def test_14_fit_on_the_repeat_buyers_only(self):
        self.assertTrue(self.params["converged"])
        self.assertEqual(self.params["customers"], 946)

    def test_14_fit_gives_the_published_parameters(self):
        # the note rounds gamma = 15.4477 down to 15.44: within 0.01
        for name, value in PUBLISHED.items():
            self.assertAlmostEqual(self.params[name], value, delta=0.01, msg=name)

    def test_14_fit_equals_lifetimes_fit(self):
        buyers = self.x > 0
        fitter = lifetimes.GammaGammaFitter().fit(self.x[buyers], self.m[buyers])
        for name, theirs in (("p", "p"), ("q", "q"), ("gamma", "v")):
            self.assertAlmostEqual(self.params[name], fitter.params_[theirs], delta=1e-4)

    def test_14_expected_spend_equals_lifetimes(self):
        import pandas
        fitter = lifetimes.GammaGammaFitter()
        fitter.params_ = pandas.Series({"p": self.params["p"], "q": self.params["q"],
                                        "v": self.params["gamma"]})
        theirs = fitter.conditional_expected_average_profit(
            pandas.Series(self.x), pandas.Series(self.m)).values
        np.testing.assert_allclose(gamma_gamma.expected_spend(self.params, self.x, self.m),
                                   theirs, rtol=1e-9)

    def test_14_correlation_is_pearsons_on_repeat_buyers(self):
        buyers = self.x > 0
        self.assertAlmostEqual(self.params["correlation"],
                               np.corrcoef(self.x[buyers], self.m[buyers])[0, 1], places=9)


class TestGammaGamma(unittest.TestCase):
    """Issue 14: weights, gradient and refusals of the spend model."""

    @classmethod
    def setUpClass(cls):
        super(TestGammaGamma, cls).setUpClass()
        rng = np.random.default_rng(5)
        cls.x = rng.integers(1, 12, 400).astype(float)
        nu = rng.gamma(3.0, 1.0 / 20.0, 400)
        cls.m = rng.gamma(5.0 * cls.x, 1.0 / nu) / cls.x

    def test_14_weighted_fit_equals_fit_on_expanded_rows(self):
        weights = np.random.default_rng(9).integers(1, 4, self.x.size)
        weighted = gamma_gamma.fit(self.x, self.m, weights=weights)
        expanded = gamma_gamma.fit(np.repeat(self.x, weights), np.repeat(self.m, weights))
        for name in ("p", "q", "gamma", "log_likelihood", "customers", "correlation"):
            self.assertAlmostEqual(weighted[name], expanded[name], delta=1e-6 * max(
                1.0, abs(expanded[name])), msg=name)

    def test_14_analytic_gradient_matches_finite_differences(self):
        point = {"p": 3.0, "q": 2.0, "gamma": 10.0}
        gradient = gamma_gamma.log_likelihood_gradient(point, self.x, self.m)

        def total(params):
            return float(np.sum(gamma_gamma._log_likelihood(
                params["p"], params["q"], params["gamma"], self.x, self.m)))
        for name in gamma_gamma.PARAMETERS:
            step = 1e-6 * point[name]
            numeric = (total(dict(point, **{name: point[name] + step}))
                       - total(dict(point, **{name: point[name] - step}))) / (2 * step)
            self.assertAlmostEqual(gradient[name], numeric, delta=1e-5 * max(1.0, abs(numeric)),
                                   msg=name)

    def test_14_customer_without_repeat_gets_the_population_mean(self):
        params = {"p": 6.0, "q": 4.0, "gamma": 15.0}
        self.assertAlmostEqual(float(gamma_gamma.expected_spend(params, 0, 999.0)),
                               15.0 * 6.0 / 3.0)

    def test_14_fit_refuses_no_repeat_buyer(self):
        with self.assertRaises(ValueError):
            gamma_gamma.fit([0, 0], [10.0, 20.0])

    def test_14_fit_refuses_a_spend_that_is_not_positive(self):
        with self.assertRaises(ValueError):
            gamma_gamma.fit([1, 2], [10.0, 0.0])
