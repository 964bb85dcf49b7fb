# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn risk of every customer of a company at once, as pure numpy
functions of the figures ``churn_queries.SCORE_INPUTS`` reads.

Each factor gives a severity from 0 (no sign) to 1 (the strongest sign),
multiplied by the company's weight of the factor (points): the product is
the factor's contribution, the risk is the sum of the contributions, rounded
and kept within 0-100 (the default weights add up to 100).  A factor whose
data is missing (a customer with one purchase has no usual interval, a
company without a fitted model has no P(alive)...) contributes nothing.

The factors (code: severity; the thresholds are the company's settings,
``res.company.churn_*``):

- ``rhythm``: days since the last purchase past the customer's own average
  days between purchases, 0 at the usual interval, 1 at ``rhythm_full``
  times it;
- ``frequency`` / ``spend``: the drop of the number of orders / of the
  spend of the last 90 days against the 90 before (a share, 0-1), from a
  drop of ``drop_pct`` percent; nothing without orders in the 90 before;
- ``interactions``: 1 - interactions of the last 90 days / ``interaction_min``;
- ``complaints``: (open complaints + those of them past their SLA) /
  ``complaint_full``;
- ``rating``: the last rating of a complaint, at most ``rating_max`` stars:
  (``rating_max`` + 1 - stars) / ``rating_max``;
- ``overdue``: days since the oldest overdue due date / ``overdue_full_days``;
- ``returns``: refunds of the last 90 days / sales of the last 90 days, in
  percent, / ``return_full_pct``;
- ``tier``: 1 when the last loyalty tier change of the last 90 days went down;
- ``points``: 1 when at least ``points_min`` points expire unused within
  ``points_days`` days;
- ``segment``: 1 when the last segment change of the last 90 days went to a
  segment of a later priority;
- ``p_alive``: 1 - P(alive) of the company's BG/NBD model.
"""
import json

import numpy as np

# (code, the company's weight field, default weight)
FACTORS = (
    ("rhythm", "churn_weight_rhythm", 20.0),
    ("frequency", "churn_weight_frequency", 10.0),
    ("spend", "churn_weight_spend", 10.0),
    ("interactions", "churn_weight_interactions", 5.0),
    ("complaints", "churn_weight_complaints", 10.0),
    ("rating", "churn_weight_rating", 5.0),
    ("overdue", "churn_weight_overdue", 10.0),
    ("returns", "churn_weight_returns", 5.0),
    ("tier", "churn_weight_tier", 5.0),
    ("points", "churn_weight_points", 5.0),
    ("segment", "churn_weight_segment", 5.0),
    ("p_alive", "churn_weight_p_alive", 10.0),
)
FACTOR_CODES = tuple(code for code, _field, _default in FACTORS)

# {threshold: the company's field}
THRESHOLDS = {
    "rhythm_full": "churn_rhythm_full_factor",
    "drop_pct": "churn_drop_pct",
    "interaction_min": "churn_interaction_min",
    "complaint_full": "churn_complaint_full",
    "rating_max": "churn_rating_max",
    "overdue_full_days": "churn_overdue_full_days",
    "return_full_pct": "churn_return_full_pct",
    "points_min": "churn_points_min",
}

# the reasons shown: the factors that weigh most, at most
REASON_COUNT = 3


def _ratio(numerator, denominator):
    """numerator / denominator where the denominator is above zero, else NaN."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _clip(values):
    """Severities within 0-1; missing data (NaN) gives 0."""
    return np.nan_to_num(np.clip(values, 0.0, 1.0), nan=0.0)


def _drop(recent, previous, drop_pct):
    """The drop of ``recent`` against ``previous`` (0-1), from ``drop_pct``."""
    drop = 1.0 - _ratio(recent, previous)
    return np.where(drop * 100.0 >= drop_pct, drop, 0.0)


def severities(data, thresholds, p_alive=None):
    """{factor code: array of severities 0-1} of the customers of ``data``
    (a dict of arrays named as ``churn_queries.SCORE_INPUT_COLUMNS``, None
    read as NaN), with ``thresholds`` (a dict named as :data:`THRESHOLDS`)
    and ``p_alive`` (an array, or None without a usable model)."""
    def column(name):
        return np.array(data[name], dtype=float)

    days, usual = column("days_since_last"), column("avg_interval_days")
    spend_90 = column("spend_90")
    refunded = column("refunded_90")
    rating = column("last_rating")
    rating_max = thresholds["rating_max"]
    overdue_days = np.where(column("overdue_amount") > 0, column("overdue_days"), np.nan)
    return_share = np.where(refunded > 0, _ratio(refunded, spend_90), np.nan)
    return_share = np.where((refunded > 0) & ~(spend_90 > 0), 1.0, return_share)
    result = {
        "rhythm": _clip((_ratio(days, usual) - 1.0) / max(thresholds["rhythm_full"] - 1.0, 1e-9)),
        "frequency": _clip(_drop(column("orders_90"), column("orders_prev_90"),
                                 thresholds["drop_pct"])),
        "spend": _clip(_drop(spend_90, column("spend_prev_90"), thresholds["drop_pct"])),
        "interactions": _clip(1.0 - _ratio(column("interaction_count"),
                                           np.full(days.shape, thresholds["interaction_min"]))),
        "complaints": _clip(_ratio(column("open_complaints") + column("breached_complaints"),
                                   np.full(days.shape, thresholds["complaint_full"]))),
        "rating": _clip(np.where(rating <= rating_max,
                                 (rating_max + 1.0 - rating) / max(rating_max, 1e-9), 0.0)),
        "overdue": _clip(_ratio(overdue_days, np.full(days.shape,
                                                      thresholds["overdue_full_days"]))),
        "returns": _clip(_ratio(return_share * 100.0,
                                np.full(days.shape, thresholds["return_full_pct"]))),
        "tier": np.where(np.isnan(column("old_tier_id")), 0.0, 1.0),
        "points": np.where((thresholds["points_min"] > 0)
                           & (column("expiring_points") >= thresholds["points_min"]), 1.0, 0.0),
        "segment": np.where(np.isnan(column("old_segment_id")), 0.0, 1.0),
        "p_alive": (_clip(1.0 - np.asarray(p_alive, dtype=float)) if p_alive is not None
                    else np.zeros(days.shape)),
    }
    return result


def contributions(factor_severities, weights):
    """{factor code: array of contributions (points)}: the severities times
    ``weights`` ({factor code: points}), rounded to 2 decimals."""
    return {code: np.round(factor_severities[code] * weights[code], 2)
            for code in FACTOR_CODES}


def risk(factor_contributions):
    """The risk 0-100 (integers): the sum of the contributions, rounded."""
    total = sum(factor_contributions[code] for code in FACTOR_CODES)
    return np.clip(np.rint(total), 0, 100).astype(int)


def top_reasons(factor_contributions):
    """Per customer, the codes of the factors that weigh most (at most
    :data:`REASON_COUNT`, contributions above zero, the larger first, ties
    in the order of :data:`FACTORS`): a list of lists of codes."""
    matrix = np.column_stack([factor_contributions[code] for code in FACTOR_CODES])
    # a stable sort of the negated contributions keeps the factors' order on ties
    order = np.argsort(-matrix, axis=1, kind="stable")[:, :REASON_COUNT]
    chosen = np.take_along_axis(matrix, order, axis=1) > 0
    return [[FACTOR_CODES[index] for index, keep in zip(row, keeps) if keep]
            for row, keeps in zip(order.tolist(), chosen.tolist())]


def reason_figures(codes, value):
    """The figures the words of the reasons ``codes`` of one customer need,
    as a JSON text: {code: {figure: value}}; ``value(name)`` gives the
    customer's value named as SCORE_INPUT_COLUMNS, or ``p_alive``."""
    def number(name):
        raw = value(name)
        return None if raw is None or raw != raw else float(raw)

    def figures(code):
        if code == "rhythm":
            return {"days": number("days_since_last"), "usual": number("avg_interval_days")}
        if code == "frequency":
            return {"orders": number("orders_90"), "previous": number("orders_prev_90")}
        if code == "spend":
            return {"pct": 100.0 * (1.0 - number("spend_90") / number("spend_prev_90"))}
        if code == "interactions":
            return {"count": number("interaction_count")}
        if code == "complaints":
            return {"open": number("open_complaints"), "breached": number("breached_complaints")}
        if code == "rating":
            return {"stars": number("last_rating")}
        if code == "overdue":
            return {"days": number("overdue_days"), "amount": number("overdue_amount")}
        if code == "returns":
            spend = number("spend_90")
            return {"pct": 100.0 * number("refunded_90") / spend if spend else 100.0}
        if code in ("tier", "segment"):
            return {"old": number("old_%s_id" % code), "new": number("new_%s_id" % code)}
        if code == "points":
            return {"points": number("expiring_points")}
        return {"pct": 100.0 * (number("p_alive") or 0.0)}

    return json.dumps({code: figures(code) for code in codes}, sort_keys=True)
