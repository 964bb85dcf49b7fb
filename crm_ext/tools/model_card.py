# PLACEHOLDER (i14-model): a minimal stand-in for the statistics helper's
# tools/model_card.py (branch i14-stats).
"""Model card, minimal placeholder."""
import numpy as np
from scipy import stats

MIN_CUSTOMERS = 500


def auc(scores, labels):
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    positives, negatives = labels.sum(), (~labels).sum()
    if not positives or not negatives:
        return None
    ranks = stats.rankdata(scores)
    return float((ranks[labels].sum() - positives * (positives + 1) / 2.0)
                 / (positives * negatives))


def lift_top_decile(scores, labels):
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    if not len(scores) or not labels.mean():
        return None
    top = np.argsort(-scores)[:max(1, len(scores) // 10)]
    return float(labels[top].mean() / labels.mean())


def build_card(scores, labels, days_since_last, window_days, customers, history_days):
    card = {"insufficient_data": customers < MIN_CUSTOMERS or history_days < 2 * window_days,
            "auc": None, "lift_top_decile": None, "naive_auc": None, "accuracy": None,
            "naive_accuracy": None, "grade": False, "warnings": []}
    if card["insufficient_data"] or not len(scores):
        card["warnings"].append("insufficient data")
        return card
    labels = np.asarray(labels, dtype=bool)
    card["auc"] = auc(scores, labels)
    card["lift_top_decile"] = lift_top_decile(scores, labels)
    naive = -np.asarray(days_since_last, dtype=float)
    card["naive_auc"] = auc(naive, labels)
    predicted = np.asarray(scores) >= np.median(scores)
    card["accuracy"] = float((predicted == labels).mean())
    naive_predicted = np.asarray(days_since_last) <= window_days / 2.0
    card["naive_accuracy"] = float((naive_predicted == labels).mean())
    if card["auc"] is not None and card["auc"] < 0.6:
        card["warnings"].append("weak")
    if card["auc"] is not None and card["auc"] > 0.95:
        card["warnings"].append("leakage")
    if card["accuracy"] >= 0.5 and card["accuracy"] >= 1.1 * card["naive_accuracy"]:
        card["grade"] = "A"
    elif card["accuracy"] >= 0.5:
        card["grade"] = "B"
    else:
        card["grade"] = "C"
    return card
