# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Maximum likelihood over log-parameters, shared by the fits of
:mod:`bgnbd` and :mod:`gamma_gamma`: the optimiser, its settings, and when
its answer counts as converged.  Pure numpy/scipy, no Odoo import."""
import numpy as np
from scipy.optimize import minimize

# the optimiser works on log-parameters inside these bounds (e^20 is far
# beyond any meaningful value) so that a degenerate data set cannot overflow
LOG_BOUND = 20.0
# see converged()
GRADIENT_TOLERANCE = 1e-5


def as_float_arrays(*values):
    """The values as float arrays broadcast to one shape."""
    return np.broadcast_arrays(*[np.asarray(value, dtype=float) for value in values])


def maximise(row_log_likelihood, start, columns, weights):
    """Maximum likelihood with L-BFGS-B over the logarithms of the
    parameters (kept within +-:data:`LOG_BOUND`), minimising the weighted
    mean negative log-likelihood per row with its analytic gradient (chain
    rule: d/d ln p = p d/dp).

    Args:
        row_log_likelihood: function(*parameters, *columns, gradient=True)
            returning the log-likelihood of each row and its (k, n) gradient.
        start: the k log-parameters to start from.
        columns: tuple of the data's arrays, one element per row.
        weights: array of the rows' weights.

    Returns:
        (numpy.ndarray of the k parameters, bool: see :func:`converged`).
    """
    total = weights.sum()

    def objective(log_params):
        params = np.exp(log_params)
        value, grad = row_log_likelihood(*(tuple(params) + tuple(columns)), gradient=True)
        return -np.dot(weights, value) / total, -np.dot(grad, weights) * params / total

    start = np.clip(np.asarray(start, dtype=float), -LOG_BOUND, LOG_BOUND)
    result = minimize(objective, start, jac=True, method="L-BFGS-B",
                      bounds=[(-LOG_BOUND, LOG_BOUND)] * start.size,
                      options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})
    return np.exp(result.x), converged(result)


def converged(result):
    """Whether a minimisation over log-parameters within +-LOG_BOUND ended at
    an optimum: the optimiser says so, or it stopped in a line search (it
    does on flat ridges, e.g. a and b growing together) where the gradient
    of the mean log-likelihood per customer, ignoring the components held
    at a bound, is at most :data:`GRADIENT_TOLERANCE`."""
    if result.success:
        return True
    free = np.abs(result.x) < LOG_BOUND - 1e-9
    return bool(np.all(np.abs(result.jac[free]) <= GRADIENT_TOLERANCE))
