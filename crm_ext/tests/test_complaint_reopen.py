from odoo.tests import common

from .test_complaint_common import ComplaintCase, dt


@common.at_install(False)
@common.post_install(True)
class TestComplaintReopen(ComplaintCase):
    """Issue 12, item 3: the SLA clock stops while a complaint is resolved or
    closed, as on hold, and a reopening resumes it; the escalations of an
    earlier cycle neither block nor force those of the next one.

    Received Monday 2026-01-05 10:00 (8 working hours to acknowledge, 40 to
    resolve, Wednesday 2026-01-07 a holiday), acknowledged at 11:00 and
    resolved Tuesday at 10:00 (met) after 8 working hours; reopened a week
    later, on Tuesday 2026-01-13 at 10:00, 32 working hours later."""

    def setUp(self):
        super(TestComplaintReopen, self).setUp()
        self.complaint = self._complaint("2026-01-05 10:00")

    def _resolve(self, now, stage=None):
        self._move(self.complaint, stage or self.stage_resolved, now,
                   resolution_type="explanation", resolution="Explained.")

    def _escalate(self, now):
        return self.complaint_model._cron_escalate(now=dt(now), use_new_cursor=False)

    def test_12_3_reopened_complaint_resumes_its_clock(self):
        self._move(self.complaint, self.stage_ack, "2026-01-05 11:00")
        self._resolve("2026-01-06 10:00")
        self.assertEqual(self.complaint.sla_status, "met")
        self._move(self.complaint, self.stage_progress, "2026-01-13 10:00")
        self.assertAlmostEqual(self.complaint.hold_hours, 32.0)
        self.assertEqual(self.complaint.sla_status, "on_track")
        # 32 working hours were left: Tue 6, Wed 8, Thu 8, Fri 8, Mon 2
        self.assertMoment(self.complaint.resolve_deadline, "2026-01-19 10:00")
        self.assertMoment(self.complaint.at_risk_deadline, "2026-01-16 10:00")
        self.assertEqual(self._escalate("2026-01-13 10:00"), 0)
        self.assertEqual(self.complaint.sla_status, "on_track")
        self.assertEqual(self.complaint.priority, "0")
        # resolved again: the working hours without the time it was resolved
        self._resolve("2026-01-14 10:00")
        self.assertEqual(self.complaint.sla_status, "met")
        self.assertAlmostEqual(self.complaint.resolution_hours, 8.0 + 8.0)

    def test_12_3_time_closed_counts_as_well(self):
        self._resolve("2026-01-06 10:00")
        self._move(self.complaint, self.stage_closed, "2026-01-08 09:00")
        self._move(self.complaint, self.stage_waiting, "2026-01-13 10:00")
        # still stopped while waiting on the customer
        self.assertEqual(self.complaint._sla_status_at(dt("2026-01-30 10:00")), "on_track")
        self._move(self.complaint, self.stage_progress, "2026-01-13 12:00")
        self.assertAlmostEqual(self.complaint.hold_hours, 34.0)
        self.assertMoment(self.complaint.resolve_deadline, "2026-01-19 12:00")
        self.assertEqual(self.complaint.sla_status, "on_track")

    def test_12_3_rejected_then_reopened(self):
        self._move(self.complaint, self.stage_rejected, "2026-01-06 10:00")
        self._move(self.complaint, self.stage_progress, "2026-01-13 10:00")
        self.assertAlmostEqual(self.complaint.hold_hours, 32.0)
        self.assertEqual(self.complaint.sla_status, "on_track")

    def test_12_3_earlier_escalation_neither_blocks_nor_forces(self):
        # at risk of a late acknowledgement (80% of 8 hours: Tuesday 08:24)
        self.assertEqual(self._escalate("2026-01-06 08:30"), 1)
        self.assertTrue(self.complaint.escalated_at_risk)
        self._move(self.complaint, self.stage_ack, "2026-01-06 09:00")
        self._resolve("2026-01-06 10:00")
        self._move(self.complaint, self.stage_progress, "2026-01-13 10:00")
        # not forced: nothing is due yet
        self.assertEqual(self._escalate("2026-01-13 10:00"), 0)
        self.assertEqual(self.complaint.priority, "1")
        # not blocked: each threshold of this cycle is escalated when reached
        self.assertEqual(self._escalate("2026-01-16 09:59"), 0)
        self.assertEqual(self._escalate("2026-01-16 10:00"), 1)
        self.assertEqual(self.complaint.sla_status, "at_risk")
        self.assertEqual(self.complaint.priority, "2")
        self.assertEqual(self._escalate("2026-01-19 10:00"), 1)
        self.assertEqual(self.complaint.sla_status, "breached")
        self.assertEqual(self.complaint.priority, "3")

    def test_12_3_breach_escalated_before_is_not_escalated_again(self):
        self.assertEqual(self._escalate("2026-01-06 11:00"), 1)
        self.assertTrue(self.complaint.escalated_breached)
        self._resolve("2026-01-06 12:00")
        self.assertEqual(self.complaint.sla_status, "breached")
        self._move(self.complaint, self.stage_progress, "2026-01-13 10:00")
        # the acknowledgement came late: the complaint stays breached, and
        # its breach was escalated already
        self.assertEqual(self.complaint.sla_status, "breached")
        self.assertEqual(self._escalate("2026-01-13 10:00"), 0)
        self.assertEqual(self.complaint.priority, "1")
