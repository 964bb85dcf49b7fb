# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The BG/NBD model of repeat purchases: fit, probability alive, expected
purchases.

Source: P. S. Fader, B. G. S. Hardie, K. L. Lee, "Counting your customers the
easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2),
2005 (referred to below as FHL, with its equation numbers).

Each customer is summarised by three numbers, all in the caller's time unit
(the Odoo side counts in weeks):

* ``x``: repeat purchases (purchases after the first one);
* ``t_x``: time of the last purchase, counted from the first (0 when x = 0);
* ``T``: age, the time from the first purchase to the end of the period.

A customer buys at rate ``lambda`` (Gamma(r, alpha) over customers) while
active and, after each purchase, drops out with probability ``p`` (Beta(a, b)
over customers).  ``params`` arguments are the dicts :func:`fit` returns (only
their ``r``, ``alpha``, ``a`` and ``b`` keys are read).

Pure numpy/scipy, no Odoo import: the Odoo side (``crm.churn.model``) builds
the summaries with SQL and stores what these functions return.  Everything is
computed over whole arrays, in log space where powers or Gamma functions of
large frequencies would overflow.
"""
import numpy as np
from scipy.special import digamma, expit, gammaln, hyp2f1

from .max_likelihood import as_float_arrays, maximise

PARAMETERS = ("r", "alpha", "a", "b")
# the data's times are rescaled so that the largest age is this many units
# while fitting (better conditioned; alpha is scaled back, see fit)
SCALED_MAX_AGE = 10.0
# eq. 10 is 0/0 at a = 1 (and at a + b = 1 for x = 0): interpolated there
NEAR_SINGULAR = 1e-4
# most terms of a hypergeometric series summed by _series_2f1
SERIES_TERMS = 5000


def _unpack(params):
    return tuple(float(params[name]) for name in PARAMETERS)


def _check_summary(x, t_x, T):
    if x.size == 0:
        raise ValueError("no customers to fit")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(t_x)) and np.all(np.isfinite(T))):
        raise ValueError("frequency, recency and age must be finite numbers")
    if np.any(x < 0) or np.any(t_x < 0) or np.any(t_x > T):
        raise ValueError("expected 0 <= frequency and 0 <= recency <= age")


def group(x, t_x, T, weights=None):
    """Customers with the same (x, t_x, T) as one row with a weight.

    Args:
        x, t_x, T: array-likes of one length (repeat purchases, recency and
            age in the caller's time unit).
        weights: array-like of the same length (how many customers each row
            stands for), or None for one each.

    Returns:
        (x, t_x, T, weights): four float arrays, one element per distinct
        summary whose weight is positive.

    Raises:
        ValueError: no customers, negative or non-finite values, a recency
            beyond the age, or invalid weights.
    """
    x, t_x, T = as_float_arrays(x, t_x, T)
    x, t_x, T = x.ravel(), t_x.ravel(), T.ravel()
    _check_summary(x, t_x, T)
    if weights is None:
        weights = np.ones(x.shape)
    else:
        weights = np.asarray(weights, dtype=float).ravel()
        if weights.shape != x.shape or np.any(weights < 0) or not np.all(np.isfinite(weights)):
            raise ValueError("weights must be one non-negative number per customer")
    rows, inverse = np.unique(np.column_stack([x, t_x, T]), axis=0, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(rows))
    keep = counts > 0
    rows = rows[keep]
    return rows[:, 0], rows[:, 1], rows[:, 2], counts[keep]


def _log_likelihood(r, alpha, a, b, x, t_x, T, gradient=False):
    """FHL eq. 6 per customer, in log space; with ``gradient``, also its
    derivatives with respect to (r, alpha, a, b), a (4, n) array.

    log L = A1 + A2 + log(exp(A3) + [x > 0] exp(A4)) with
      A1 = ln G(r + x) - ln G(r) + r ln alpha
      A2 = ln G(a + b) + ln G(b + x) - ln G(b) - ln G(a + b + x)
      A3 = -(r + x) ln(alpha + T)
      A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x)
    (B(a + 1, b + x - 1) / B(a, b + x) = a / (b + x - 1) turns FHL's second
    Beta ratio into A4's first terms.)
    """
    repeat = x > 0
    x1 = np.maximum(x, 1.0)   # A4 is only used where x > 0
    log_age = np.log(alpha + T)
    log_recency = np.log(alpha + t_x)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * log_age
    a4 = np.where(repeat, np.log(a) - np.log(b + x1 - 1) - (r + x) * log_recency, -np.inf)
    both = np.logaddexp(a3, a4)
    value = a1 + a2 + both
    if not gradient:
        return value
    # the derivative of log(exp(A3) + exp(A4)) is w3 dA3 + w4 dA4, where
    # w3 and w4 are the shares of the two terms (w3 + w4 = 1)
    w4 = np.exp(a4 - both)
    w3 = 1.0 - w4
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * log_age - w4 * log_recency
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_ab = digamma(a + b) - digamma(a + b + x)
    d_a = d_ab + w4 / a
    d_b = d_ab + digamma(b + x) - digamma(b) - w4 / (b + x1 - 1)
    return value, np.array([d_r, d_alpha, d_a, d_b])


def log_likelihood(params, x, t_x, T, weights=None):
    """The log-likelihood of the data under ``params`` (FHL eq. 6, summed).

    Args:
        params (dict): r, alpha, a, b.
        x, t_x, T: array-likes (repeat purchases, recency, age).
        weights: customers each row stands for (None: one each).

    Returns:
        float: the sum over customers of the log-likelihood.
    """
    x, t_x, T = as_float_arrays(x, t_x, T)
    values = _log_likelihood(*_unpack(params), x=x, t_x=t_x, T=T)
    if weights is None:
        return float(values.sum())
    return float(np.dot(np.asarray(weights, dtype=float).ravel(), values.ravel()))


def log_likelihood_gradient(params, x, t_x, T, weights=None):
    """The gradient of :func:`log_likelihood` with respect to (r, alpha, a,
    b), derived analytically (see :func:`_log_likelihood`).

    Returns:
        dict: r, alpha, a, b -> float.
    """
    x, t_x, T = as_float_arrays(x, t_x, T)
    __, grad = _log_likelihood(*_unpack(params), x=x.ravel(), t_x=t_x.ravel(),
                               T=T.ravel(), gradient=True)
    weights = np.ones(x.size) if weights is None else np.asarray(weights, dtype=float).ravel()
    return dict(zip(PARAMETERS, (float(value) for value in grad.dot(weights))))


def fit(x, t_x, T, weights=None, initial=None):
    """Fit the BG/NBD model by maximum likelihood (FHL section 4).

    The log-likelihood (FHL eq. 6) is computed in log space with its
    analytic gradient, on customers grouped by distinct (x, t_x, T) with a
    weight, and maximised by :func:`max_likelihood.maximise` (L-BFGS-B over the logarithms
    of the parameters).  While fitting, times are rescaled so that the largest age
    is :data:`SCALED_MAX_AGE`; alpha is a scale of time and is scaled back.

    Args:
        x: array-like of repeat purchases (integers >= 0).
        t_x: array-like of recencies: time of the last purchase since the
            first (0 where x = 0), in the caller's time unit (weeks on the
            Odoo side).
        T: array-like of ages: time since the first purchase, same unit.
        weights: array-like, how many customers each row stands for (None:
            one each); fitting weighted rows equals fitting the rows repeated.
        initial: dict (r, alpha, a, b) to start from, alpha in the caller's
            unit (None: all 1 on the rescaled times).

    Returns:
        dict: ``r``, ``alpha`` (in the caller's time unit), ``a``, ``b``
        (floats), ``log_likelihood`` (float, summed over customers, at the
        returned parameters, in the caller's unit), ``customers`` (float,
        the total weight), ``converged`` (bool, see :func:`max_likelihood.converged`).

    Raises:
        ValueError: no customers, negative or non-finite values, a recency
            beyond the age, or invalid weights.
    """
    x, t_x, T, weights = group(x, t_x, T, weights)
    if not x.size:
        raise ValueError("no customers to fit")
    scale = SCALED_MAX_AGE / T.max() if T.max() > 0 else 1.0
    if initial is None:
        start = np.zeros(4)
    else:
        r, alpha, a, b = _unpack(initial)
        start = np.log([r, alpha * scale, a, b])
    (r, alpha, a, b), success = maximise(
        _log_likelihood, start, (x, t_x * scale, T * scale), weights)
    params = {"r": float(r), "alpha": float(alpha / scale), "a": float(a), "b": float(b)}
    params.update(
        log_likelihood=log_likelihood(params, x, t_x, T, weights),
        customers=float(weights.sum()),
        converged=success,
    )
    return params


def _log_odds_dead(params, x, t_x, T):
    """ln(P(dead) / P(alive)) given the history, for x > 0 (FHL eq. 13:
    P(alive) = 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)))."""
    r, alpha, a, b = _unpack(params)
    return (np.log(a) - np.log(b + np.maximum(x, 1.0) - 1)
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))


def p_alive(params, x, t_x, T):
    """Probability that a customer with this history is still active (FHL
    eq. 13), computed as the logistic of the log-odds (no overflow for large
    x or T).

    Args:
        params (dict): r, alpha, a, b as :func:`fit` returns them.
        x, t_x, T: array-likes (repeat purchases, recency, age, in the unit
            of the fit).

    Returns:
        numpy.ndarray of floats in [0, 1], the broadcast shape of the inputs;
        1 where x = 0 (in BG/NBD a customer can only drop out after a
        repeat purchase).
    """
    x, t_x, T = as_float_arrays(x, t_x, T)
    return np.where(x > 0, expit(-_log_odds_dead(params, x, t_x, T)), 1.0)


def _no_purchase_while_alive(params, t, x, T):
    """ln of ((alpha + T) / (alpha + T + t))^(r + x): the probability that an
    active customer makes no purchase in the next t units (the posterior of
    the rate given the history is Gamma(r + x, alpha + T))."""
    r, alpha, __, __ = _unpack(params)
    return (r + x) * (np.log(alpha + T) - np.log(alpha + T + t))


def _series_2f1(A, B, C, z):
    """2F1(A, B; C; z) by its power series, summed over whole arrays (one
    Python step per term, not per customer) until every remaining term is
    below 1e-17 of the sum or :data:`SERIES_TERMS` terms.  Used where scipy's
    ``hyp2f1`` gives no finite value: there C is large against A and B (a
    large frequency), and the terms fall fast."""
    total = np.ones(np.shape(z))
    term = np.ones(np.shape(z))
    with np.errstate(over="ignore", invalid="ignore"):
        for n in range(SERIES_TERMS):
            term = term * (A + n) * (B + n) / ((C + n) * (n + 1)) * z
            total = total + term
            if np.all(np.abs(term) <= 1e-17 * np.abs(total)):
                break
    return total


def _hypergeometric_term(params, t, x, T):
    """((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)
    with z = t / (alpha + T + t), the term of FHL eq. 10.

    Computed as in the paper where scipy's ``hyp2f1`` converges to a finite
    positive value.  Elsewhere (large x, z near 1: the direct series
    overflows) Euler's transformation
    2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z) turns the
    term into (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z): two
    parameters that do not grow with x and one that does, so its series
    converges fast; scipy evaluates it, or, where scipy still fails (it does
    for very large C), :func:`_series_2f1` sums it.
    """
    r, alpha, a, b = _unpack(params)
    c = a + b + x - 1
    z = t / (alpha + T + t)
    log_1mz = np.log(alpha + T) - np.log(alpha + T + t)
    with np.errstate(all="ignore"):
        direct = hyp2f1(r + x, b + x, c, z)
        term = np.array(np.exp(np.log(direct) + (r + x) * log_1mz), dtype=float)
    bad = ~(np.isfinite(term) & (direct > 0))
    if np.any(bad):
        c, z = c[bad], z[bad]
        with np.errstate(all="ignore"):
            euler = np.array(hyp2f1(a + b - 1 - r, a - 1, c, z), dtype=float)
        failed = ~np.isfinite(euler)
        if np.any(failed):
            euler[failed] = _series_2f1(a + b - 1 - r, a - 1, c[failed], z[failed])
        term[bad] = np.exp((a - 1) * log_1mz[bad]) * euler
    return term


def expected_purchases(params, t, x, t_x, T):
    """Expected number of purchases in the next ``t`` time units of a
    customer with this history (FHL eq. 10):

        E[Y(t) | x, t_x, T] = P(alive) (a + b + x - 1) / (a - 1)
                              [1 - ((alpha + T) / (alpha + T + t))^(r + x)
                                   2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))]

    that is P(alive) times the expected purchases of an active customer.

    Args:
        params (dict): r, alpha, a, b as :func:`fit` returns them.
        t: array-like, the horizon (time units of the fit, > 0).
        x, t_x, T: array-likes (repeat purchases, recency, age).

    Returns:
        numpy.ndarray of floats >= 0, the broadcast shape of the inputs.
    """
    t, x, t_x, T = as_float_arrays(t, x, t_x, T)
    return p_alive(params, x, t_x, T) * _expected_while_alive(params, t, x, T)


def _expected_while_alive(params, t, x, T):
    """(a + b + x - 1) / (a - 1) [1 - the hypergeometric term]: eq. 10 for
    an active customer.  At a = 1, and at a + b = 1 for x = 0 (2F1 with
    C = 0), the formula is 0/0 while the function is smooth: within
    :data:`NEAR_SINGULAR` / 2 of those points it is interpolated linearly
    between the points NEAR_SINGULAR either side."""
    __, __, a, b = _unpack(params)
    if abs(a - 1) < NEAR_SINGULAR / 2:
        return _interpolated(params, "a", 1.0, t, x, T)
    if abs(a + b - 1) < NEAR_SINGULAR / 2:
        return _interpolated(params, "b", 1.0 - a, t, x, T)
    return (a + b + x - 1) / (a - 1) * (1.0 - _hypergeometric_term(params, t, x, T))


def _interpolated(params, name, singular, t, x, T):
    low, high = singular - NEAR_SINGULAR, singular + NEAR_SINGULAR
    at_low = _expected_while_alive(dict(params, **{name: low}), t, x, T)
    at_high = _expected_while_alive(dict(params, **{name: high}), t, x, T)
    return at_low + (params[name] - low) / (high - low) * (at_high - at_low)


def expected_purchases_new(params, t):
    """Expected purchases of a new customer in the ``t`` time units after
    the first purchase (FHL eq. 9); eq. 10 with x = t_x = T = 0.

    Args:
        params (dict): r, alpha, a, b.
        t: array-like, time units of the fit.

    Returns:
        numpy.ndarray of floats >= 0, the shape of ``t``.
    """
    return expected_purchases(params, t, 0.0, 0.0, 0.0)


def probability_purchase(params, t, x, t_x, T):
    """Probability that a customer with this history buys at least once in
    the next ``t`` time units: P(alive) (1 - ((alpha + T) / (alpha + T + t))^(r + x)).

    An active customer drops out only just after a purchase, so it makes no
    purchase in the next t units exactly when its Poisson process has no
    event there; its rate given the history is Gamma(r + x, alpha + T)
    (FHL section 3), whose Laplace transform at t gives the power above.

    Args:
        params (dict): r, alpha, a, b.
        t, x, t_x, T: array-likes (horizon, repeat purchases, recency, age).

    Returns:
        numpy.ndarray of floats in [0, 1].
    """
    t, x, t_x, T = as_float_arrays(t, x, t_x, T)
    return p_alive(params, x, t_x, T) * -np.expm1(_no_purchase_while_alive(params, t, x, T))


def simulate(params, ages, seed=None, resolution=None):
    """Customers drawn from the BG/NBD model (FHL section 2), for tests and
    benchmarks: each gets a rate from Gamma(r, alpha) and a dropout
    probability from Beta(a, b), then purchases at exponential intervals,
    dropping out after each repeat purchase with its probability, until its
    age.  Vectorised over customers (one step per purchase number).

    Args:
        params (dict): r, alpha, a, b.
        ages: array-like of ages T (time since the first purchase, > 0).
        seed: seed of numpy's random generator (int or None).
        resolution (float or None): purchase times are rounded down to a
            multiple of it (e.g. 1/7 for days in weeks); None: exact.

    Returns:
        (x, t_x, T): three float arrays, one element per age.
    """
    r, alpha, a, b = _unpack(params)
    ages = np.asarray(ages, dtype=float).ravel()
    rng = np.random.default_rng(seed)
    rate = rng.gamma(r, 1.0 / alpha, ages.size)
    dropout = rng.beta(a, b, ages.size)
    x = np.zeros(ages.size)
    t_x = np.zeros(ages.size)
    now = np.zeros(ages.size)
    active = np.arange(ages.size)
    while active.size:
        with np.errstate(divide="ignore"):   # a rate of 0 never buys again
            now[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[now[active] <= ages[active]]
        x[active] += 1
        t_x[active] = now[active]
        active = active[rng.random(active.size) >= dropout[active]]
    if resolution:
        t_x = np.floor(t_x / resolution) * resolution
    return x, t_x, ages.copy()
