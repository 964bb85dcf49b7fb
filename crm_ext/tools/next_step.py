# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What to do next on a customer, and why two of its labels may both hold:
pure functions of the customer's situation (no database), which the
partner's insight page puts in words (models/res_partner_next_step.py)."""

# the steps, most urgent first: a customer about to leave, an unhappy one,
# money owed, a planned visit or call that is due, then the general advice
# of its segment
STEPS = ("churn_alert", "complaint", "overdue", "activity_due", "segment_advice")

# lifecycle stages that read a revenue still coming in (the trend of the
# last 12 months against the 12 before, and the purchase rhythm)
BUYING_STAGES = ("active", "growing", "reactivated")
# lifecycle stages that read a revenue going away
FADING_STAGES = ("declining", "lost")


def next_step(situation):
    """The most urgent step of a customer's situation.

    :param situation: a dict; each key is optional:
        ``churn_alert`` (bool: an open churn alert),
        ``open_complaints`` (int: complaints not closed),
        ``overdue_amount`` (float: overdue receivable, company currency),
        ``activity_due`` (bool: a planned activity due today or before,
        the visits the grade's service policy plans among them),
        ``segment_advice`` (str: the advice of the customer's segment).
    :returns: the code of the step (one of ``STEPS``), or None when there
        is nothing to do.
    """
    checks = {
        "churn_alert": bool(situation.get("churn_alert")),
        "complaint": (situation.get("open_complaints") or 0) > 0,
        "overdue": (situation.get("overdue_amount") or 0.0) > 0.005,
        "activity_due": bool(situation.get("activity_due")),
        "segment_advice": bool((situation.get("segment_advice") or "").strip()),
    }
    for step in STEPS:
        if checks[step]:
            return step
    return None


def contradiction(r_score, f_score, stage):
    """A known pair of labels that seem to contradict: the segment reads
    the RFM scores (1 to 5: the customer ranked against the company's
    others over the analysis window), the lifecycle stage the trend of the
    customer's own revenue.

    :param r_score: the recency score (int, 1-5; 0 or None: not scored).
    :param f_score: the frequency score (int, 1-5; 0 or None: not scored).
    :param stage: the lifecycle stage key (str) or None.
    :returns: ``"quiet_but_buying"`` (bought less recently than most, yet
        its revenue holds or grows: e.g. segment *At risk*, stage
        *Growing*), ``"strong_but_fading"`` (recent and frequent compared
        with the others, yet its own revenue falls: e.g. *Champions*,
        *Declining*), or None.
    """
    if not r_score or not stage:
        return None
    if r_score <= 2 and stage in BUYING_STAGES:
        return "quiet_but_buying"
    if r_score >= 4 and (f_score or 0) >= 4 and stage in FADING_STAGES:
        return "strong_but_fading"
    return None
