# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The model card of a BG/NBD fit: how well it would have foreseen the last
window of the company's own history.

:func:`build` takes the purchases (customer, time) and the end of the
history, splits it at ``end - window`` (calibration before, holdout after),
fits :mod:`bgnbd` on the calibration summaries and compares, on the customers
known at the split:

* the model: its score is E[purchases in the window] (FHL eq. 10, that is
  P(alive) times the purchases expected of an active customer); it predicts
  that a customer buys again in the holdout when the probability of at
  least one purchase (:func:`bgnbd.probability_purchase`) is >= 0.5;
* the naive rule "no purchase in the last window / 2^k means lost", with the
  k of 0 .. :data:`MAX_K` that did best on the calibration period itself
  (split again at ``end - 2 window``, its last window as holdout, scored
  like the grade below) so that the holdout does not choose it.

A churner is a customer known at the split who makes no purchase in the
holdout.  The card reports the holdout AUC of the score against "bought
again", the lift in the top decile of risk (lowest score) for churners of
the model and of the naive rule, the accuracy of each and their F1 score on
churners (harmonic mean of the precision and the recall of "lost": neither
calling everybody lost nor calling nobody lost scores well), and a grade:

* ``A``: at least half the model's predictions right and an F1 on churners
  at least 10% above the naive rule's;
* ``B``: at least half its predictions right and an F1 on churners at least
  the naive rule's: usable, no better than the simple rule;
* ``C``: otherwise: the caller should rely on the other risk factors.

Warnings (codes, the caller words and translates them): ``auc_weak`` when
the AUC is below :data:`AUC_WEAK`, ``auc_leakage`` when it is above
:data:`AUC_LEAKAGE` (too good to be true: future data in the past).  With
fewer than :data:`MIN_CUSTOMERS` customers with a purchase, or a history
shorter than twice the window, the card's status is ``insufficient_data``,
its warnings say which (``few_customers``, ``short_history``) and it holds
no figures.  Everything is returned as plain dicts of floats,
ints, strings, lists and None.  Pure numpy/scipy, no Odoo import.
"""
import numpy as np
from scipy.stats import rankdata

from . import bgnbd

MIN_CUSTOMERS = 500
MAX_K = 4
AUC_WEAK = 0.6
AUC_LEAKAGE = 0.95
# grade A: at least this share of the predictions right and an F1 on
# churners at least this factor times the naive rule's
GRADE_ACCURACY = 0.5
GRADE_A_GAIN = 1.1


def auc(scores, labels):
    """Area under the ROC curve of ``scores`` for ``labels``, by ranks
    (Mann-Whitney U / (positives x negatives)); tied scores share their
    average rank, so a tie counts one half.

    Args:
        scores: array-like of floats, higher meaning more likely positive.
        labels: array-like of booleans (or 0/1), the same length.

    Returns:
        float in [0, 1], or None when all labels are equal (undefined).
    """
    scores = np.asarray(scores, dtype=float).ravel()
    labels = np.asarray(labels, dtype=bool).ravel()
    positives = int(labels.sum())
    negatives = labels.size - positives
    if not positives or not negatives:
        return None
    ranks = rankdata(scores)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2.0)
                 / (positives * negatives))


def lift_top_decile(scores, labels):
    """Share of positives among the tenth of the rows with the highest
    scores, divided by the share among all rows.  Rows tied at the edge of
    the decile count in proportion (the expected value under a random order
    of the ties), so a score with few values (a yes/no rule) is measured
    fairly.

    Args:
        scores: array-like of floats, higher meaning more likely positive.
        labels: array-like of booleans (or 0/1), the same length.

    Returns:
        float >= 0 (1: no better than chance), or None without any positive.
    """
    scores = np.asarray(scores, dtype=float).ravel()
    labels = np.asarray(labels, dtype=float).ravel()
    if not labels.size or not labels.sum():
        return None
    decile = labels.size / 10.0
    order = np.argsort(-scores, kind="mergesort")
    __, starts, counts = np.unique(-scores[order], return_index=True, return_counts=True)
    positives = np.add.reduceat(labels[order], starts)
    before = np.cumsum(counts) - counts
    share = np.clip((decile - before) / counts, 0.0, 1.0)
    return float(np.dot(positives, share) / decile / labels.mean())


def summarise(customer, time, cut):
    """The BG/NBD summaries at ``cut`` of the customers whose first purchase
    is at or before it.

    Args:
        customer: array-like of customer keys (ints), one per purchase.
        time: array-like of purchase times (floats, the caller's unit, e.g.
            weeks since any origin); purchases at the same time count once.
        cut (float): the end of the period, same unit.

    Returns:
        dict of arrays, one element per customer in ascending key order:
        ``customer``, ``x`` (repeat purchases), ``t_x`` (recency), ``T``
        (age) and ``last`` (time of the last purchase).
    """
    customer = np.asarray(customer).ravel()
    time = np.asarray(time, dtype=float).ravel()
    before = time <= cut
    pairs = np.unique(np.column_stack([customer[before], time[before]]), axis=0)
    keys, starts, counts = np.unique(pairs[:, 0], return_index=True, return_counts=True)
    first = pairs[starts, 1]
    last = pairs[starts + counts - 1, 1]
    return {"customer": keys, "x": counts - 1.0, "t_x": last - first, "T": cut - first,
            "last": last}


def _bought(summary, customer, time, start, end):
    """For each customer of ``summary``: a purchase in (start, end]?"""
    time = np.asarray(time, dtype=float).ravel()
    inside = (time > start) & (time <= end)
    return np.isin(summary["customer"], np.asarray(customer).ravel()[inside])


def _f1(predicted, actual):
    """F1 score of ``predicted`` for ``actual`` (booleans); None when both
    are all false."""
    hits = np.sum(predicted & actual)
    total = np.sum(predicted) + np.sum(actual)
    return float(2.0 * hits / total) if total else None


def _better(first, second, factor=1.0):
    """first >= factor x second, a missing score being the worst."""
    if first is None:
        return False
    return second is None or first >= factor * second


def naive_lost(summary, cut, window, k):
    """The naive rule: lost when no purchase in the last ``window / 2**k``
    before ``cut``; an array of booleans per customer of ``summary``."""
    return cut - summary["last"] > window / 2.0 ** k


def choose_naive_k(customer, time, cut, window, max_k=MAX_K):
    """The k of the naive rule (0 .. max_k) with the best F1 on churners on
    the period before ``cut``: split at ``cut - window``, the rule applied
    there, its last window as holdout; the smallest k among equals.

    Returns:
        int.
    """
    inner = cut - window
    summary = summarise(customer, time, inner)
    lost = ~_bought(summary, customer, time, inner, cut)
    best, best_score = 0, None
    for k in range(max_k + 1):
        score = _f1(naive_lost(summary, inner, window, k), lost)
        if best_score is None or (score is not None and score > best_score):
            best, best_score = k, score
    return best


def grade(accuracy, f1_model, f1_naive):
    """The grade of the card (see the module's docstring): 'A', 'B' or 'C'."""
    if accuracy is None or accuracy < GRADE_ACCURACY:
        return "C"
    if _better(f1_model, f1_naive, GRADE_A_GAIN) and f1_model:
        return "A"
    if _better(f1_model, f1_naive):
        return "B"
    return "C"


def warnings_for(auc_value):
    """Warning codes for a holdout AUC: list of 'auc_weak', 'auc_leakage'."""
    if auc_value is None:
        return []
    if auc_value < AUC_WEAK:
        return ["auc_weak"]
    if auc_value > AUC_LEAKAGE:
        return ["auc_leakage"]
    return []


def build(customer, time, end, window, max_k=MAX_K):
    """The model card of the purchases up to ``end`` (see the module's
    docstring for the method and the grade).

    Args:
        customer: array-like of customer keys (ints), one per purchase.
        time: array-like of purchase times (floats, e.g. weeks since any
            origin; the fit's alpha is in this unit).
        end (float): the end of the history, same unit; later purchases are
            ignored.
        window (float): the holdout's length, same unit (> 0).
        max_k (int): the largest k tried for the naive rule.

    Returns:
        dict: ``status`` ('ok' or 'insufficient_data'), ``customers`` (int,
        with a purchase up to ``end``), ``history`` (float, time from the
        first purchase to ``end``), ``window``, ``calibration_end`` (float);
        when 'ok' also ``calibration`` (the :func:`bgnbd.fit` dict of the
        calibration period), ``holdout_customers`` (int, known at the
        split), ``holdout_churn_rate``, ``auc``, ``lift_top_decile``,
        ``accuracy``, ``f1_churners``, ``naive_k``, ``naive_window``,
        ``naive_lift_top_decile``, ``naive_accuracy``,
        ``naive_f1_churners`` (floats, None where undefined), ``grade``
        ('A', 'B' or 'C') and ``warnings`` (list of codes); when
        'insufficient_data', ``grade`` None and ``warnings`` saying why:
        ``few_customers`` and/or ``short_history``.

    Raises:
        ValueError: a window that is not positive, or the errors of
            :func:`bgnbd.fit`.
    """
    if not window > 0:
        raise ValueError("the window must be a positive length of time")
    customer = np.asarray(customer).ravel()
    time = np.asarray(time, dtype=float).ravel()
    known = time <= end
    customers = int(np.unique(customer[known]).size)
    history = float(end - time[known].min()) if customers else 0.0
    cut = end - window
    card = {"status": "insufficient_data", "customers": customers, "history": history,
            "window": float(window), "calibration_end": float(cut), "grade": None,
            "warnings": []}
    if customers < MIN_CUSTOMERS:
        card["warnings"].append("few_customers")
    if history < 2 * window:
        card["warnings"].append("short_history")
    if card["warnings"]:
        return card
    summary = summarise(customer, time, cut)
    lost = ~_bought(summary, customer, time, cut, end)
    params = bgnbd.fit(summary["x"], summary["t_x"], summary["T"])
    history_args = (summary["x"], summary["t_x"], summary["T"])
    score = bgnbd.expected_purchases(params, window, *history_args)
    predicted_lost = bgnbd.probability_purchase(params, window, *history_args) < 0.5
    k = choose_naive_k(customer, time, cut, window, max_k)
    naive = naive_lost(summary, cut, window, k)
    auc_value = auc(score, ~lost)
    card.update(
        status="ok",
        calibration=params,
        holdout_customers=int(lost.size),
        holdout_churn_rate=float(lost.mean()),
        auc=auc_value,
        lift_top_decile=lift_top_decile(-score, lost),
        accuracy=float(np.mean(predicted_lost == lost)),
        f1_churners=_f1(predicted_lost, lost),
        naive_k=k,
        naive_window=float(window / 2.0 ** k),
        naive_lift_top_decile=lift_top_decile(naive.astype(float), lost),
        naive_accuracy=float(np.mean(naive == lost)),
        naive_f1_churners=_f1(naive, lost),
        warnings=warnings_for(auc_value),
    )
    card["grade"] = grade(card["accuracy"], card["f1_churners"], card["naive_f1_churners"])
    return card
