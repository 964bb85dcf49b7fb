# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Working time of a ``resource.calendar`` for the complaint SLA.

Odoo 11's ``resource.calendar.plan_hours`` searches the leaves and filters the
attendances again for every day it walks through; a complaint needs two or
three such plans and the escalation recomputes many.  :class:`WorkingTime`
reads the attendances and the global leaves once and works in memory, with
the same meaning: attendances are local times of the calendar's time zone
(by weekday, optionally limited by dates), leaves (``resource_id`` empty) are
UTC periods that remove working time."""
import datetime
from bisect import bisect_right

import pytz

from odoo import fields

# a calendar without any working time in this many days has none at all
MAX_DAYS = 5 * 366


def _to_time(hour):
    if hour >= 24.0:
        return datetime.time.max
    minutes = int(round(hour * 60))
    return datetime.time(minutes // 60, minutes % 60)


class WorkingTime(object):
    """The working periods of one calendar, in naive UTC datetimes."""

    def __init__(self, calendar, tz_name=None):
        self.tz = pytz.timezone(tz_name or "UTC")
        self.by_weekday = {}
        for attendance in calendar.attendance_ids:
            self.by_weekday.setdefault(int(attendance.dayofweek), []).append((
                _to_time(attendance.hour_from), _to_time(attendance.hour_to),
                attendance.date_from and fields.Date.from_string(attendance.date_from),
                attendance.date_to and fields.Date.from_string(attendance.date_to)))
        for attendances in self.by_weekday.values():
            attendances.sort()
        leaves = sorted(
            (fields.Datetime.from_string(leave.date_from),
             fields.Datetime.from_string(leave.date_to))
            for leave in calendar.leave_ids if not leave.resource_id)
        # merged, so that the leaves are disjoint and sorted by start and end
        self.leaves = []
        for start, end in leaves:
            if self.leaves and start <= self.leaves[-1][1]:
                self.leaves[-1] = (self.leaves[-1][0], max(end, self.leaves[-1][1]))
            else:
                self.leaves.append((start, end))
        self.leave_ends = [end for _start, end in self.leaves]

    def _utc(self, local):
        return self.tz.localize(local, is_dst=False).astimezone(pytz.UTC).replace(tzinfo=None)

    def _day_intervals(self, day):
        """Working periods of the local ``day`` in UTC, before leaves."""
        for hour_from, hour_to, date_from, date_to in self.by_weekday.get(day.weekday(), ()):
            if (date_from and date_from > day) or (date_to and date_to < day):
                continue
            start = self._utc(datetime.datetime.combine(day, hour_from))
            end = self._utc(datetime.datetime.combine(day, hour_to))
            if end > start:
                yield start, end

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
                if interval_end <= start:
                    continue
                for interval in self._without_leaves(max(interval_start, start), interval_end):
                    yield interval

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
