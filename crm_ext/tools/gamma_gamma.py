# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Gamma-Gamma model of spend per purchase: fit and expected spend.

Source: P. S. Fader, B. G. S. Hardie, "The Gamma-Gamma model of monetary
value", 2013 (referred to below as FH, with its equation numbers).

Each repeat buyer is summarised by ``x`` (repeat purchases, > 0) and ``m``
(the average value of those purchases, > 0, in company currency).  The value
of one purchase is Gamma(p, nu); nu is Gamma(q, gamma) over customers.  The
model assumes the average spend independent of the frequency: :func:`fit`
reports their correlation so that the caller can show it.  ``params``
arguments are the dicts :func:`fit` returns (only ``p``, ``q`` and ``gamma``
are read).  Pure numpy/scipy, no Odoo import.
"""
import numpy as np
from scipy.special import digamma, gammaln

from .max_likelihood import as_float_arrays, maximise

PARAMETERS = ("p", "q", "gamma")


def _unpack(params):
    return tuple(float(params[name]) for name in PARAMETERS)


def _log_likelihood(p, q, gamma, x, m, gradient=False):
    """FH eq. 5 per customer, in log space:

        ln G(px + q) - ln G(px) - ln G(q) + q ln gamma + (px - 1) ln m
        + px ln x - (px + q) ln(xm + gamma)

    with ``gradient``, also its derivatives with respect to (p, q, gamma),
    a (3, n) array.
    """
    px = p * x
    log_total = np.log(x * m + gamma)
    value = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
             + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_total)
    if not gradient:
        return value
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - log_total)
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (x * m + gamma)
    return value, np.array([d_p, d_q, d_gamma])


def _weighted_correlation(x, m, weights):
    """Pearson's correlation of x and m, each row counted ``weights`` times
    (None when either does not vary)."""
    total = weights.sum()
    dx = x - np.dot(weights, x) / total
    dm = m - np.dot(weights, m) / total
    spread = np.sqrt(np.dot(weights, dx * dx) * np.dot(weights, dm * dm))
    if not spread > 0:
        return None
    return float(np.dot(weights, dx * dm) / spread)


def log_likelihood_gradient(params, x, m, weights=None):
    """The gradient of the summed log-likelihood (FH eq. 5) with respect to
    (p, q, gamma), derived analytically (see :func:`_log_likelihood`).

    Returns:
        dict: p, q, gamma -> float.
    """
    x, m = as_float_arrays(x, m)
    __, grad = _log_likelihood(*_unpack(params), x=x.ravel(), m=m.ravel(), gradient=True)
    weights = np.ones(x.size) if weights is None else np.asarray(weights, dtype=float).ravel()
    return dict(zip(PARAMETERS, (float(value) for value in grad.dot(weights))))


def fit(x, m, weights=None):
    """Fit the Gamma-Gamma model by maximum likelihood (FH section 3) on
    repeat buyers.

    Rows with the same (x, m) are fitted once with their total weight; the
    log-likelihood and its analytic gradient are maximised by
    :func:`max_likelihood.maximise`, starting from 1.

    Args:
        x: array-like of repeat purchases; only rows with x > 0 are used.
        m: array-like of average spend per repeat purchase, in company
            currency (> 0 where x > 0).
        weights: array-like, how many customers each row stands for (None:
            one each).

    Returns:
        dict: ``p``, ``q``, ``gamma`` (floats, gamma in the currency of m),
        ``log_likelihood`` (float, summed), ``customers`` (float, the weight
        of the repeat buyers), ``correlation`` (float, Pearson's correlation
        of x and m over them, the model assumes it near 0; None when either
        does not vary), ``converged`` (bool, see :func:`max_likelihood.converged`).

    Raises:
        ValueError: no repeat buyer, a spend that is not a positive number,
            or invalid weights.
    """
    x, m = as_float_arrays(x, m)
    x, m = x.ravel(), m.ravel()
    weights = np.ones(x.shape) if weights is None else np.asarray(weights, dtype=float).ravel()
    if weights.shape != x.shape or np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ValueError("weights must be one non-negative number per customer")
    buyers = (x > 0) & (weights > 0)
    x, m, weights = x[buyers], m[buyers], weights[buyers]
    if not x.size:
        raise ValueError("no repeat buyer to fit")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(m)) and np.all(m > 0)):
        raise ValueError("the average spend of a repeat buyer must be a positive number")
    rows, inverse = np.unique(np.column_stack([x, m]), axis=0, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(rows))
    params, success = maximise(_log_likelihood, np.zeros(3), (rows[:, 0], rows[:, 1]), counts)
    p, q, gamma = (float(value) for value in params)
    return {
        "p": p, "q": q, "gamma": gamma,
        "log_likelihood": float(np.dot(counts, _log_likelihood(
            p, q, gamma, rows[:, 0], rows[:, 1]))),
        "customers": float(counts.sum()),
        "correlation": _weighted_correlation(rows[:, 0], rows[:, 1], counts),
        "converged": success,
    }


def expected_spend(params, x, m):
    """Expected value of a purchase of a customer with this history (FH eq. 9):

        E[M | x, m] = (q - 1) / (px + q - 1) * gamma p / (q - 1)
                      + px / (px + q - 1) * m
                    = p (gamma + x m) / (px + q - 1)

    a weighted mean of the population's mean spend and the customer's own.
    For x = 0 it is the population's mean, gamma p / (q - 1) (needs q > 1).

    Args:
        params (dict): p, q, gamma as :func:`fit` returns them.
        x: array-like of repeat purchases (>= 0).
        m: array-like of average spend per repeat purchase (any value where
            x = 0), in the currency of the fit.

    Returns:
        numpy.ndarray of floats, the broadcast shape of the inputs (inf
        where px + q <= 1).
    """
    p, q, gamma = _unpack(params)
    x, m = as_float_arrays(x, m)
    spent = np.where(x > 0, x * m, 0.0)
    with np.errstate(divide="ignore"):
        return np.where(p * x + q > 1, p * (gamma + spent) / (p * x + q - 1), np.inf)
