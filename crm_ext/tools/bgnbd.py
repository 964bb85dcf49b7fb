# PLACEHOLDER (i14-model): a minimal stand-in for the statistics helper's
# tools/bgnbd.py (branch i14-stats), same signatures; the lead takes their
# version at merge.
"""BG/NBD model (Fader, Hardie & Lee 2005), minimal placeholder."""
import numpy as np
from scipy import optimize, special


def _log_likelihood(params, x, t_x, T):
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = (special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b)
          - special.gammaln(a + b + x))
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                      - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def fit(x, t_x, T, weights=None, initial=None):
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    data = np.column_stack([x, t_x, T])
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    uniq, inverse = np.unique(data, axis=0, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=w)
    ux, ut, uT = uniq.T

    def objective(log_params):
        return -np.sum(counts * _log_likelihood(np.exp(log_params), ux, ut, uT)) / counts.sum()

    start = np.log(initial if initial is not None else [1.0, 1.0, 1.0, 1.0])
    result = optimize.minimize(objective, start, method="L-BFGS-B",
                               bounds=[(-10, 10)] * 4, options={"maxiter": 2000})
    r, alpha, a, b = np.exp(result.x)
    return dict(r=r, alpha=alpha, a=a, b=b, log_likelihood=-result.fun * counts.sum(),
                customers=int(round(counts.sum())), converged=bool(result.success))


def p_alive(params, x, t_x, T):
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                     + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
    return np.where(x > 0, special.expit(-log_ratio), 1.0)


def expected_purchases(params, t, x, t_x, T):
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    first = (a + b + x - 1) / (a - 1)
    second = 1 - hyp * ((alpha + T) / (alpha + t + T)) ** (r + x)
    return np.nan_to_num(first * second * p_alive(params, x, t_x, T))
