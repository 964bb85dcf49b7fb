# PLACEHOLDER (i14-model): a minimal stand-in for the statistics helper's
# tools/gamma_gamma.py (branch i14-stats), same signatures.
"""Gamma-Gamma spend model, minimal placeholder."""
import numpy as np
from scipy import optimize, special


def fit(x, m, weights=None):
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)

    def objective(log_params):
        p, q, v = np.exp(log_params)
        ll = (special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q)
              + q * np.log(v) + (p * x - 1) * np.log(m) + p * x * np.log(x)
              - (p * x + q) * np.log(x * m + v))
        return -np.sum(w * ll) / w.sum()

    result = optimize.minimize(objective, np.log([1.0, 1.0, 1.0]), method="L-BFGS-B",
                               bounds=[(-10, 10)] * 3)
    p, q, v = np.exp(result.x)
    correlation = float(np.corrcoef(x, m)[0, 1]) if len(x) > 1 else 0.0
    return dict(p=p, q=q, gamma=v, log_likelihood=-result.fun * w.sum(),
                customers=int(round(w.sum())), correlation=correlation)


def expected_spend(params, x, m):
    p, q, v = params["p"], params["q"], params["gamma"]
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    return (v + x * m) * p / (p * x + q - 1)
