# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""SLA of crm.complaint: policy matching, deadlines in working hours, SLA status."""
import babel
import babel.dates

from odoo import _, api, fields, models

from ..exceptions import SlaNoWorkingTimeError
from ..tools import working_time
from ..tools.sla_status import (
    SlaValues, missed_deadlines, sla_end, sla_status, sla_stopped_since, sla_values)

SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
# the complaints' policies with the working time of their calendars, in one
# query (the calendars as working_time reads them)
POLICIES_SQL = """
    SELECT sla.id, sla.ack_hours, sla.resolve_hours, sla.at_risk_ratio,
           sla.resource_calendar_id, calendar.tz, calendar.attendances, calendar.leaves
      FROM crm_complaint_sla sla
      JOIN (%s) calendar ON calendar.id = sla.resource_calendar_id
     WHERE sla.id IN %%s
""" % working_time.CALENDARS


class CrmComplaint(models.Model):
    """SLA of the complaints: the first matching policy by sequence gives
    the deadlines, counted in working hours of its calendar from the
    reception and moved out by the time on hold.  The status rule itself is
    in tools/sla_status.py, the working time in tools/working_time.py."""

    # a concern of its own (one concern per file)
    _inherit = "crm.complaint"  # pylint: disable=consider-merging-classes-inherited

    sla_id = fields.Many2one(
        "crm.complaint.sla", "SLA Policy", index=True, track_visibility="onchange",
        help="The first matching policy by sequence, chosen when the complaint is "
             "recorded and when its severity, category or customer change.")
    ack_deadline = fields.Datetime(
        "Acknowledge By", compute="_compute_sla_deadlines", store=True,
        help="The policy's hours to acknowledge after the reception, counted in the working "
             "hours of the policy in the time zone of their company (SLA Time Zone); in "
             "UTC when that company has none, as the policy's form warns.")
    resolve_deadline = fields.Datetime(
        "Resolve By", compute="_compute_sla_deadlines", store=True, index=True,
        help="The policy's hours to resolve after the reception and the time on hold, "
             "counted in the working hours of the policy in the time zone of their company "
             "(SLA Time Zone); in UTC when that company has none, as the policy's form "
             "warns.")
    at_risk_deadline = fields.Datetime(
        "At Risk From", compute="_compute_sla_deadlines", store=True, index=True,
        help="After this moment the next deadline is at risk (at the policy's at-risk "
             "ratio of the allowed time).")
    sla_time_zone = fields.Char(
        "SLA Time Zone", related="sla_id.time_zone", readonly=True,
        help="The time zone of the working hours the deadlines are counted in.")
    sla_status = fields.Selection(
        SLA_STATUSES, "SLA Status", compute="_compute_sla_status", store=True, index=True,
        help="Kept current by the escalation job while the complaint is open.")
    sla_breach = fields.Char(
        "Missed Deadlines", compute="_compute_sla_breach",
        help="Which deadline a breached complaint missed, and when it was due (in your "
             "time zone).")
    hold_hours = fields.Float(
        "Hours on Hold", readonly=True, copy=False,
        help="Working hours the SLA clock stood still: in stages that pause the SLA and, "
             "for a reopened complaint, while it was resolved or closed; the resolution "
             "deadline moves out by them.")
    date_hold_start = fields.Datetime("On Hold Since", readonly=True, copy=False)
    resolution_hours = fields.Float(
        compute="_compute_resolution_hours", store=True, group_operator="avg",
        help="Working hours from reception to resolution, without the hours on hold.")

    @api.model
    def _working_time(self, calendar):
        """The :class:`~odoo.addons.crm_ext.tools.working_time.WorkingTime`
        of ``calendar`` (a resource.calendar) in the time zone of its
        company (UTC without one), read in one query."""
        return working_time.load(self.env.cr, calendar.ids)[calendar.id]

    @api.multi
    def _sla_match_data(self):
        """What matching needs, in one round trip: the active policies of
        the complaints' companies by sequence, the customers' grade and
        segment in those companies (customer insight) and the categories'
        parents.  Returns (policies as (id, company id, severity, category
        id, grade code, segment id), {(partner id, company id): (grade,
        segment id)}, {category id: ids of it and its parents})."""
        company_ids = tuple(set(self.mapped("company_id").ids)) or (0,)
        partner_ids = tuple(set(self.mapped("commercial_partner_id").ids)) or (0,)
        category_ids = tuple(set(self.mapped("category_id").ids)) or (0,)
        self.env.cr.execute("""
            WITH RECURSIVE up (category_id, ancestor_id) AS (
                SELECT id, id FROM crm_complaint_category WHERE id IN %(categories)s
                 UNION
                SELECT up.category_id, category.parent_id
                  FROM up JOIN crm_complaint_category category ON category.id = up.ancestor_id
                 WHERE category.parent_id IS NOT NULL)
            SELECT (SELECT json_agg(json_build_array(sla.id, sla.company_id, sla.severity,
                                                     sla.category_id, grade.code,
                                                     sla.segment_id)
                                    ORDER BY sla.sequence, sla.id)
                      FROM crm_complaint_sla sla
                      LEFT JOIN crm_customer_grade grade ON grade.id = sla.grade_id
                     WHERE sla.active AND sla.company_id IN %(companies)s),
                   (SELECT json_agg(json_build_array(partner_id, company_id, grade,
                                                     segment_id))
                      FROM crm_customer_insight
                     WHERE partner_id IN %(partners)s AND company_id IN %(companies)s),
                   (SELECT json_agg(json_build_array(category_id, ancestor_id)) FROM up)
        """, {"companies": company_ids, "partners": partner_ids, "categories": category_ids})
        policies, profiles, categories = self.env.cr.fetchone()
        ancestors = {}
        for category_id, ancestor_id in categories or ():
            ancestors.setdefault(category_id, set()).add(ancestor_id)
        return (policies or [],
                {(row[0], row[1]): (row[2], row[3]) for row in profiles or ()},
                ancestors)

    @api.multi
    def _match_sla(self):
        """The first matching active SLA policy of each complaint by
        sequence: {complaint: policy (possibly empty)}.  A policy matches
        when each of its criteria is empty or equal to the complaint's
        (severity, category or one of its parents, customer grade and
        segment in the complaint's company).

        Meant to be overridden by a module that chooses the policy by other
        criteria: call ``super()`` and change the entries it decides
        otherwise (:meth:`_apply_sla` writes what this returns, when a
        complaint is recorded and when a field of SLA_MATCH_FIELDS
        changes)."""
        policies, profiles, ancestors = self._sla_match_data()
        empty = self.env["crm.complaint.sla"]
        result = {}
        for complaint in self:
            company_id = complaint.company_id.id
            grade, segment_id = profiles.get(
                (complaint.commercial_partner_id.id, company_id), (None, None))
            category_ids = ancestors.get(complaint.category_id.id, ())
            policy_id = next((
                policy_id for policy_id, policy_company_id, severity, category_id,
                policy_grade, policy_segment_id in policies
                if policy_company_id == company_id
                and (not severity or severity == complaint.severity)
                and (not category_id or category_id in category_ids)
                and (not policy_grade or policy_grade == grade)
                and (not policy_segment_id or policy_segment_id == segment_id)), None)
            result[complaint] = empty.browse(policy_id) if policy_id else empty
        return result

    @api.multi
    def _apply_sla(self):
        """Set the matching SLA policy, records grouped by policy."""
        by_policy = {}
        for complaint, policy in self._match_sla().items():
            if complaint.sla_id != policy:
                by_policy.setdefault(policy, self.browse())
                by_policy[policy] |= complaint
        for policy, complaints in by_policy.items():
            complaints.write({"sla_id": policy.id})
        return True

    @api.depends("sla_id", "date_received", "hold_hours", "date_acknowledged")
    def _compute_sla_deadlines(self):
        """Deadlines in working hours of the policy's calendar from the
        reception; the resolution's moved out by the hours the clock stood
        still (on hold, resolved or closed: always after the acknowledgement,
        whose deadline they leave alone); the at-risk moment is the
        policy's ratio of the time of the next deadline.

        :raises SlaNoWorkingTimeError: the calendar has not that much
            working time.
        """
        policies = self._sla_policies()
        for complaint in self:
            policy = policies.get(complaint.sla_id.id)
            if not policy or not complaint.date_received:
                complaint.ack_deadline = False
                complaint.resolve_deadline = False
                complaint.at_risk_deadline = False
                continue
            ack_hours, resolve_hours, ratio, calendar_id, working = policy
            start = fields.Datetime.from_string(complaint.date_received)
            hold = complaint.hold_hours
            risk_hours = (resolve_hours * ratio + hold if complaint.date_acknowledged
                          else ack_hours * ratio)
            deadlines = [working.plan(start, hours)
                         for hours in (ack_hours, resolve_hours + hold, risk_hours)]
            if None in deadlines:
                raise SlaNoWorkingTimeError(
                    self.env["resource.calendar"].browse(calendar_id), resolve_hours)
            (complaint.ack_deadline, complaint.resolve_deadline,
             complaint.at_risk_deadline) = [fields.Datetime.to_string(deadline)
                                            for deadline in deadlines]

    @api.multi
    def _sla_policies(self):
        """{policy id: (hours to acknowledge, hours to resolve, at-risk
        ratio, calendar id, working time of the calendar)} of the
        complaints' policies, with their calendars, in one query."""
        policy_ids = tuple(set(self.mapped("sla_id").ids))
        if not policy_ids:
            return {}
        self.env.cr.execute(POLICIES_SQL, (policy_ids,))
        policies = {}
        working_times = {}
        for (policy_id, ack_hours, resolve_hours, ratio, calendar_id, tz_name, attendances,
             leaves) in self.env.cr.fetchall():
            if calendar_id not in working_times:
                working_times[calendar_id] = working_time.from_row(tz_name, attendances, leaves)
            policies[policy_id] = (ack_hours, resolve_hours, ratio, calendar_id,
                                   working_times[calendar_id])
        return policies

    @api.depends("ack_deadline", "resolve_deadline", "at_risk_deadline", "date_acknowledged",
                 "date_resolved", "date_closed", "date_hold_start", "stage_id")
    def _compute_sla_status(self):
        now = self._now()
        for complaint in self:
            complaint.sla_status = complaint._sla_status_at(now)

    @api.depends("sla_status", "ack_deadline", "resolve_deadline", "date_acknowledged",
                 "date_resolved", "date_closed", "date_hold_start")
    def _compute_sla_breach(self):
        """The deadlines missed (tools/sla_status.py ``missed_deadlines``, the
        rule of the breached status), each with when it was due in the
        user's time zone: "Resolution deadline missed (due 12 Nov 14:00)"."""
        now = self._now()
        labels = {
            "ack": (_("Acknowledgement deadline missed (due %s)"), "ack_deadline"),
            "resolve": (_("Resolution deadline missed (due %s)"), "resolve_deadline"),
        }
        for complaint in self:
            if complaint.sla_status != "breached":
                complaint.sla_breach = False
                continue
            missed = missed_deadlines(complaint._sla_values(), now)
            complaint.sla_breach = "; ".join(
                label % complaint._format_deadline(complaint[name])
                for label, name in (labels[kind] for kind in missed)) or False

    @api.multi
    def _format_deadline(self, deadline):
        """A deadline (naive UTC string) as a card shows it: day, month and
        time in the user's time zone and language ("12 Nov 14:00")."""
        local = fields.Datetime.context_timestamp(
            self, fields.Datetime.from_string(deadline)).replace(tzinfo=None)
        try:
            locale = babel.Locale.parse(self.env.lang or "en_US")
        except (ValueError, babel.UnknownLocaleError):
            locale = babel.Locale.parse("en_US")
        return babel.dates.format_datetime(local, "d MMM HH:mm", locale=locale)

    @api.multi
    def _sla_values(self):
        """What the SLA rule reads of the complaint (see SlaValues)."""
        self.ensure_one()
        return sla_values(self.sla_id.id if name == "sla_id" else self[name]
                          for name in SlaValues._fields)

    @api.multi
    def _sla_end(self):
        """When the complaint was resolved, else closed (naive UTC), or
        None while it is open."""
        return sla_end(self._sla_values())

    @api.multi
    def _sla_stopped_since(self):
        """When the SLA clock of the complaint stopped: at its resolution or
        closing, or when it went on hold; None while the clock runs."""
        return sla_stopped_since(self._sla_values())

    @api.multi
    def _sla_status_at(self, now):
        """The SLA status at ``now`` (see :func:`sla_status`)."""
        return sla_status(self._sla_values(), now)

    @api.depends("date_received", "date_resolved", "hold_hours", "sla_id")
    def _compute_resolution_hours(self):
        resolved = self.filtered("date_resolved")
        working_times = working_time.load(self.env.cr, [
            calendar.id for calendar in (complaint._sla_calendar() for complaint in resolved)
            if calendar])
        for complaint in self:
            if not complaint.date_resolved:
                complaint.resolution_hours = 0.0
                continue
            complaint.resolution_hours = max(0.0, complaint._working_hours_between(
                complaint.date_received, complaint.date_resolved,
                working_times=working_times) - complaint.hold_hours)

    @api.multi
    def _sla_calendar(self):
        """The calendar the complaint's SLA hours are counted in: its
        policy's, else its company's (possibly none)."""
        self.ensure_one()
        return self.sla_id.resource_calendar_id or self.company_id.resource_calendar_id

    @api.multi
    def _working_hours_between(self, start, end, working_times=None):
        """Working hours between two moments (naive UTC, as datetimes or
        strings) in the complaint's calendar (:meth:`_sla_calendar`; clock
        hours without any).  ``working_times``: {calendar id: WorkingTime}
        already read (see working_time.load), else the calendar is read."""
        self.ensure_one()
        start, end = fields.Datetime.from_string(start), fields.Datetime.from_string(end)
        calendar = self._sla_calendar()
        if not calendar:
            return max(0.0, (end - start).total_seconds() / 3600.0)
        working = (working_times or {}).get(calendar.id) or self._working_time(calendar)
        return working.hours_between(start, end)
