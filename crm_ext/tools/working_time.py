# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Working time of ``resource.calendar`` records for the complaint SLA.

Odoo 11's ``resource.calendar.plan_hours`` searches the leaves and filters the
attendances again for every day it walks through; a complaint needs two or
three such plans and the escalation recomputes many.  :class:`WorkingTime`
takes the attendances and the global leaves of a calendar and works in
memory, each day once, with the same meaning: attendances are local times of
the calendar's time zone (by weekday, optionally limited by dates), leaves
(``resource_id`` empty) are UTC periods that remove working time.

:data:`CALENDARS` is the one statement that reads calendars for it (:func:`load`
runs it; a caller that reads more in the same round trip joins it as a
subquery, see ``crm.complaint._sla_policies``) and :func:`from_row` the one
conversion of its rows.
"""
import datetime
from bisect import bisect_right

import pytz

from odoo import fields

# a calendar without any working time in this many days has none at all
MAX_DAYS = 5 * 366
# each calendar with what WorkingTime needs of it: the time zone of its
# company's address (NULL: UTC), its attendances and its global leaves (JSON
# arrays, NULL when there are none); dates and datetimes as text in UTC
CALENDARS = """
    SELECT calendar.id, partner.tz,
           (SELECT json_agg(json_build_array(
                       attendance.dayofweek, attendance.hour_from, attendance.hour_to,
                       to_char(attendance.date_from, 'YYYY-MM-DD'),
                       to_char(attendance.date_to, 'YYYY-MM-DD')))
              FROM resource_calendar_attendance attendance
             WHERE attendance.calendar_id = calendar.id) AS attendances,
           (SELECT json_agg(json_build_array(
                       to_char(leave.date_from, 'YYYY-MM-DD HH24:MI:SS'),
                       to_char(leave.date_to, 'YYYY-MM-DD HH24:MI:SS')))
              FROM resource_calendar_leaves leave
             WHERE leave.calendar_id = calendar.id
               AND leave.resource_id IS NULL) AS leaves
      FROM resource_calendar calendar
      LEFT JOIN res_company company ON company.id = calendar.company_id
      LEFT JOIN res_partner partner ON partner.id = company.partner_id
"""
_LOAD = CALENDARS + " WHERE calendar.id IN %s"


def _to_time(hour):
    if hour >= 24.0:
        return datetime.time.max
    minutes = int(round(hour * 60))
    return datetime.time(minutes // 60, minutes % 60)


def _to_date(value):
    if value and isinstance(value, str):
        return fields.Date.from_string(value)
    return value or None


def _to_datetime(value):
    if isinstance(value, str):
        return fields.Datetime.from_string(value)
    return value


class WorkingTime(object):
    """The working periods of one calendar, in naive UTC datetimes."""

    def __init__(self, attendances, leaves, tz_name=None):
        """``attendances``: (weekday "0"-"6", hour from, hour to, first
        date or None, last date or None); ``leaves``: (start, end) in naive
        UTC; ``tz_name``: the time zone of the attendances (UTC if empty)."""
        self.tz = pytz.timezone(tz_name or "UTC")
        self.by_weekday = {}
        for dayofweek, hour_from, hour_to, date_from, date_to in attendances:
            self.by_weekday.setdefault(int(dayofweek), []).append((
                _to_time(hour_from), _to_time(hour_to), _to_date(date_from),
                _to_date(date_to)))
        for day_attendances in self.by_weekday.values():
            day_attendances.sort()
        # merged, so that the leaves are disjoint and sorted by start and end
        self.leaves = []
        for start, end in sorted((_to_datetime(start), _to_datetime(end))
                                 for start, end in leaves):
            if self.leaves and start <= self.leaves[-1][1]:
                self.leaves[-1] = (self.leaves[-1][0], max(end, self.leaves[-1][1]))
            else:
                self.leaves.append((start, end))
        self.leave_ends = [end for _start, end in self.leaves]
        # {local date: its working periods in UTC, leaves removed}
        self.days = {}

    def _utc(self, local):
        return self.tz.localize(local, is_dst=False).astimezone(pytz.UTC).replace(tzinfo=None)

    def _day_intervals(self, day):
        """Working periods of the local ``day`` in UTC, leaves removed
        (computed once per day)."""
        intervals = self.days.get(day)
        if intervals is None:
            intervals = []
            for hour_from, hour_to, date_from, date_to in self.by_weekday.get(
                    day.weekday(), ()):
                if (date_from and date_from > day) or (date_to and date_to < day):
                    continue
                start = self._utc(datetime.datetime.combine(day, hour_from))
                end = self._utc(datetime.datetime.combine(day, hour_to))
                intervals.extend(self._without_leaves(start, end))
            self.days[day] = intervals
        return intervals

    def _without_leaves(self, start, end):
        """The parts of [start, end) outside the leaves."""
        index = bisect_right(self.leave_ends, start)
        while start < end and index < len(self.leaves):
            leave_start, leave_end = self.leaves[index]
            if leave_start >= end:
                break
            if leave_start > start:
                yield start, leave_start
            start = max(start, leave_end)
            index += 1
        if start < end:
            yield start, end

    def intervals(self, start):
        """Working periods from ``start`` (naive UTC) on, in order."""
        day = pytz.UTC.localize(start).astimezone(self.tz).date() - datetime.timedelta(days=1)
        for offset in range(MAX_DAYS):
            for interval_start, interval_end in self._day_intervals(
                    day + datetime.timedelta(days=offset)):
                if interval_end > start:
                    yield max(interval_start, start), interval_end

    def plan(self, start, hours):
        """The moment when ``hours`` working hours after ``start`` have
        passed (``start`` when there are none to plan); None when the calendar
        has not that much working time."""
        remaining = datetime.timedelta(hours=hours)
        if remaining <= datetime.timedelta(0):
            return start
        for interval_start, interval_end in self.intervals(start):
            length = interval_end - interval_start
            if length >= remaining:
                return interval_start + remaining
            remaining -= length
        return None

    def hours_between(self, start, end):
        """Working hours between ``start`` and ``end`` (0 if end <= start)."""
        total = datetime.timedelta(0)
        if not start or not end or end <= start:
            return 0.0
        for interval_start, interval_end in self.intervals(start):
            if interval_start >= end:
                break
            total += min(interval_end, end) - interval_start
        return total.total_seconds() / 3600.0


def from_row(tz_name, attendances, leaves):
    """The :class:`WorkingTime` of a row of :data:`CALENDARS` (its columns
    after the id)."""
    return WorkingTime(attendances or [], leaves or [], tz_name)


def load(cr, calendar_ids):
    """{calendar id: :class:`WorkingTime`} of ``calendar_ids`` (an iterable
    of ids; those that do not exist are left out), in one query."""
    calendar_ids = tuple(set(calendar_ids))
    if not calendar_ids:
        return {}
    cr.execute(_LOAD, (calendar_ids,))
    return {row[0]: from_row(*row[1:]) for row in cr.fetchall()}
