# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The predicted lifetime value of every customer of a company at once, from
its BG/NBD and Gamma-Gamma models (pure numpy).

Predicted value = expected purchases over the horizon, each month's
discounted at the annual rate, x expected spend per purchase (Gamma-Gamma)
x margin rate: the discounted expected residual transactions of Fader,
Hardie & Lee ("RFM and CLV", 2005) counted month by month, times the
Gamma-Gamma mean spend of Fader & Hardie (2013).
"""
import numpy as np

from . import bgnbd, gamma_gamma

# weeks (the model's unit) in a month
WEEKS_PER_MONTH = 365.25 / 12 / 7


def discounted_purchases(params, months, annual_rate, x, t_x, t):
    """Expected purchases of the next ``months`` months (int), each month's
    discounted at ``annual_rate`` (a share: 0.1 for 10% a year), for
    customers with ``x`` repeat purchases, the last ``t_x`` and the first
    ``t`` weeks ago (arrays): an array."""
    total = np.zeros(np.shape(x), dtype=float)
    previous = np.zeros(np.shape(x), dtype=float)
    for month in range(1, int(months) + 1):
        cumulated = bgnbd.expected_purchases(params, month * WEEKS_PER_MONTH, x, t_x, t)
        total += (cumulated - previous) / (1.0 + annual_rate) ** (month / 12.0)
        previous = cumulated
    return total


def expected_spend(params, x, m):
    """Expected amount per purchase (Gamma-Gamma): a customer without a
    repeat purchase (``x`` 0, ``m`` NaN) gets the population's mean."""
    x = np.asarray(x, dtype=float)
    m = np.nan_to_num(np.asarray(m, dtype=float), nan=0.0)
    return gamma_gamma.expected_spend(params, np.where(m > 0, x, 0.0), m)


def margin_rates(margin, net):
    """The customers' own gross margin / net invoiced (all time), the
    company's for those without net sales."""
    margin, net = np.asarray(margin, dtype=float), np.asarray(net, dtype=float)
    positive = net > 0
    company_rate = margin[positive].sum() / net[positive].sum() if positive.any() else 0.0
    rates = np.full(margin.shape, company_rate)
    np.divide(margin, net, out=rates, where=positive)
    return rates
