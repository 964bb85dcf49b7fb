# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA status rule of a complaint, as pure functions of the values it
reads (:class:`SlaValues`), and the SQL filter of the complaints whose status
time may have moved.  The complaint form computes the status with
:func:`sla_status` (``crm.complaint._compute_sla_status``), the escalation job
writes it with the same function (``crm.complaint._refresh_sla_status``).
"""
import collections

from odoo import fields

# The complaints the escalation job reads again (SQL, table alias
# "complaint"): those whose stored SLA status time may have moved (it only
# moves once the at-risk moment has passed, which comes before the other
# deadlines) or that await an escalation, among those whose clock may run
# (it stops on hold and once resolved or closed).  Only a filter: the
# status and whether the clock runs are decided by sla_status and
# sla_stopped_since below, the one rule of the form and of the job.
DUE_SQL = """complaint.sla_id IS NOT NULL
          AND complaint.date_hold_start IS NULL
          AND complaint.date_resolved IS NULL
          AND complaint.date_closed IS NULL
          AND ((complaint.sla_status IN ('on_track', 'at_risk')
                AND complaint.at_risk_deadline <= %(now)s)
               OR (complaint.sla_status = 'breached'
                   AND NOT COALESCE(complaint.escalated_breached, FALSE)))"""
# what the SLA rule reads of a complaint: datetimes naive UTC (or None)
SlaValues = collections.namedtuple("SlaValues", [
    "sla_id", "ack_deadline", "resolve_deadline", "at_risk_deadline", "date_acknowledged",
    "date_resolved", "date_closed", "is_closed", "date_hold_start"])


def sla_values(raw):
    """SlaValues of the raw values of its fields, in order (datetimes as Odoo
    reads them: strings)."""
    return SlaValues(*[fields.Datetime.from_string(value) if isinstance(value, str) else value
                       for value in raw])


def sla_end(values):
    """When the complaint was resolved, else closed, or None while open."""
    return values.date_resolved or (values.date_closed if values.is_closed else None)


def sla_stopped_since(values):
    """When the SLA clock stopped: at the resolution or closing, or when the
    complaint went on hold; None while the clock runs."""
    return sla_end(values) or values.date_hold_start


def sla_status(values, now):
    """The SLA status of a complaint (``values``: SlaValues) at ``now``:
    the clock stops at the resolution (or the closing) and while the
    complaint is on hold.  The one rule of the status: the form computes it,
    the escalation job writes it."""
    if not values.sla_id or not values.resolve_deadline:
        return False
    if missed_deadlines(values, now):
        return "breached"
    end = sla_end(values)
    clock = sla_stopped_since(values) or now
    if end:
        return "met"
    if clock >= values.at_risk_deadline:
        return "at_risk"
    return "on_track"


def missed_deadlines(values, now):
    """The deadlines of a complaint (``values``: SlaValues) missed at
    ``now``, in their order: a tuple of ``"ack"`` (acknowledged after its
    deadline, or not yet and the deadline passed) and ``"resolve"`` (resolved
    or closed after its deadline, or still open past it).  The clock stops
    at the resolution (or the closing) and while the complaint is on hold;
    a complaint finished without an acknowledgement counts as acknowledged
    when it stopped.  Empty without a policy or deadlines."""
    if not values.sla_id or not values.resolve_deadline:
        return ()
    end = sla_end(values)
    clock = sla_stopped_since(values) or now
    acknowledged = values.date_acknowledged or (end and clock)
    missed = []
    if (acknowledged > values.ack_deadline if acknowledged
            else clock >= values.ack_deadline):
        missed.append("ack")
    if (end and end > values.resolve_deadline) or (
            not end and clock >= values.resolve_deadline):
        missed.append("resolve")
    return tuple(missed)
