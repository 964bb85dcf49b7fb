from odoo.exceptions import UserError, ValidationError
from odoo.tests import common

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase, dt


@common.at_install(False)
@common.post_install(True)
class TestComplaintSla(ComplaintCase):
    """Deadlines in working hours (nights, weekends, leaves, time zone),
    policy matching, pauses, statuses and the stage dates."""

    def test_deadline_within_the_day_and_over_the_lunch_break(self):
        self.assertEqual(self._deadline("2026-01-05 10:00", 3), dt("2026-01-05 14:00"))

    def test_deadline_across_the_night(self):
        self.assertEqual(self._deadline("2026-01-05 10:00", 8), dt("2026-01-06 10:00"))

    def test_deadline_from_a_reception_at_night(self):
        self.assertEqual(self._deadline("2026-01-05 20:00", 2), dt("2026-01-06 10:00"))

    def test_deadline_across_the_weekend(self):
        self.assertEqual(self._deadline("2026-01-09 15:00", 8), dt("2026-01-12 15:00"))
        self.assertEqual(self._deadline("2026-01-10 11:00", 1), dt("2026-01-12 09:00"))

    def test_deadline_skips_the_leave(self):
        self.assertEqual(self._deadline("2026-01-06 16:00", 4), dt("2026-01-08 11:00"))

    def test_deadline_ends_at_the_end_of_a_working_period(self):
        self.assertEqual(self._deadline("2026-01-05 13:00", 4), dt("2026-01-05 17:00"))

    def test_deadline_in_the_company_time_zone(self):
        # Brussels is UTC+1 in January: work starts at 07:00 UTC
        self.company.partner_id.tz = "Europe/Brussels"
        self.assertEqual(self._deadline("2026-01-05 06:00", 1), dt("2026-01-05 08:00"))

    def test_calendar_without_working_time(self):
        calendar = self.env["resource.calendar"].create({
            "name": "Never", "attendance_ids": [], "company_id": self.company.id})
        with self.assertRaises(UserError):
            self._deadline("2026-01-05 10:00", 1, calendar)

    def test_complaint_deadlines_and_at_risk_moment(self):
        complaint = self._complaint("2026-01-05 10:00")
        self.assertEqual(complaint.sla_id, self.sla)
        self.assertMoment(complaint.ack_deadline, "2026-01-06 10:00")
        # 40 hours: Mon 6, Tue 8, (Wed leave), Thu 8, Fri 8, Mon 8, Tue 2
        self.assertMoment(complaint.resolve_deadline, "2026-01-13 10:00")
        # 80% of the 8 hours to acknowledge: 6.4 hours
        self.assertMoment(complaint.at_risk_deadline, "2026-01-06 08:24")
        self.assertEqual(complaint.sla_status, "on_track")
        self._move(complaint, self.stage_ack, "2026-01-05 11:00")
        # acknowledged: at risk at 80% of the 40 hours to resolve (32 hours)
        self.assertMoment(complaint.at_risk_deadline, "2026-01-12 10:00")

    def test_first_matching_policy_by_sequence(self):
        parent = self.env["crm.complaint.category"].create({"name": "Delivery"})
        child = self.env["crm.complaint.category"].create(
            {"name": "Late", "parent_id": parent.id})
        other = self.env["crm.complaint.category"].create({"name": "Billing"})
        critical = self.sla.copy({"name": "Critical", "sequence": 10, "severity": "critical",
                                  "ack_hours": 1.0, "resolve_hours": 8.0})
        delivery = self.sla.copy({"name": "Delivery", "sequence": 20,
                                  "category_id": parent.id, "ack_hours": 2.0})
        self.assertEqual(self._complaint(severity="critical", category_id=child.id).sla_id,
                         critical)
        self.assertEqual(self._complaint(category_id=child.id).sla_id, delivery)
        complaint = self._complaint(category_id=other.id)
        self.assertEqual(complaint.sla_id, self.sla)
        # re-matched when the severity changes, with the new deadlines
        with clock.frozen(self.env, "2026-01-05 10:00:00"):
            complaint.write({"severity": "critical"})
        self.assertEqual(complaint.sla_id, critical)
        self.assertMoment(complaint.ack_deadline, "2026-01-05 11:00")

    def test_policy_by_customer_grade_and_segment_of_the_company(self):
        grade = self.env["crm.customer.grade"].search([("code", "=", "strategic")], limit=1)
        segment = self.env["crm.customer.segment"].search([], limit=1)
        by_grade = self.sla.copy({"name": "Strategic", "sequence": 10,
                                  "grade_id": grade.id, "ack_hours": 2.0})
        by_segment = self.sla.copy({"name": "Segment", "sequence": 20,
                                    "segment_id": segment.id, "ack_hours": 4.0})
        other_company = self.env["res.company"].create({"name": "Other Complaints Co"})
        insight = self.env["crm.customer.insight"]
        # strategic in another company only: the standard policy applies here
        insight.create({"partner_id": self.customer.id, "company_id": other_company.id,
                        "grade": "strategic"})
        self.assertEqual(self._complaint().sla_id, self.sla)
        row = insight.create({"partner_id": self.customer.id, "company_id": self.company.id,
                              "segment_id": segment.id})
        self.assertEqual(self._complaint().sla_id, by_segment)
        row.grade = "strategic"
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.customer.id})
        self.assertEqual(self._complaint(partner_id=contact.id).sla_id, by_grade)

    def test_no_matching_policy(self):
        self.sla.severity = "critical"
        complaint = self._complaint()
        self.assertFalse(complaint.sla_id)
        self.assertFalse(complaint.resolve_deadline)
        self.assertFalse(complaint.sla_status)

    def test_stage_dates_and_met_status(self):
        complaint = self._complaint("2026-01-05 10:00")
        self._move(complaint, self.stage_ack, "2026-01-05 15:00")
        self.assertMoment(complaint.date_acknowledged, "2026-01-05 15:00")
        self._move(complaint, self.stage_progress, "2026-01-06 09:00")
        self.assertMoment(complaint.date_acknowledged, "2026-01-05 15:00")
        self._move(complaint, self.stage_resolved, "2026-01-08 12:00",
                   resolution_type="explanation", resolution="Explained the invoice.")
        self.assertMoment(complaint.date_resolved, "2026-01-08 12:00")
        self.assertFalse(complaint.date_closed)
        self.assertEqual(complaint.sla_status, "met")
        # Mon 6 + Tue 8 + Thu 4 working hours (Wednesday is a leave)
        self.assertAlmostEqual(complaint.resolution_hours, 18.0)
        self._move(complaint, self.stage_closed, "2026-01-09 09:00")
        self.assertMoment(complaint.date_closed, "2026-01-09 09:00")
        self.assertMoment(complaint.date_resolved, "2026-01-08 12:00")
        self.assertEqual(complaint.sla_status, "met")

    def test_status_over_time_and_breach_after_resolution(self):
        complaint = self._complaint("2026-01-05 10:00")
        self.assertEqual(complaint._sla_status_at(dt("2026-01-06 08:30")), "at_risk")
        self.assertEqual(complaint._sla_status_at(dt("2026-01-06 10:00")), "breached")
        self._move(complaint, self.stage_ack, "2026-01-05 11:00")
        self.assertEqual(complaint._sla_status_at(dt("2026-01-12 09:59")), "on_track")
        self.assertEqual(complaint._sla_status_at(dt("2026-01-12 10:00")), "at_risk")
        self._move(complaint, self.stage_resolved, "2026-01-14 09:00",
                   resolution_type="refund", resolution="Refunded.")
        self.assertEqual(complaint.sla_status, "breached")

    def test_late_acknowledgement_stays_breached(self):
        complaint = self._complaint("2026-01-05 10:00")
        self._move(complaint, self.stage_ack, "2026-01-06 11:00")
        self.assertEqual(complaint.sla_status, "breached")
        self._move(complaint, self.stage_resolved, "2026-01-06 12:00",
                   resolution_type="refund", resolution="Refunded.")
        self.assertEqual(complaint.sla_status, "breached")

    def test_hold_time_moves_the_deadlines_out(self):
        complaint = self._complaint("2026-01-05 10:00")
        self._move(complaint, self.stage_ack, "2026-01-05 10:30")
        self._move(complaint, self.stage_waiting, "2026-01-05 11:00")
        self.assertMoment(complaint.date_hold_start, "2026-01-05 11:00")
        # the clock stops while waiting on the customer
        self.assertEqual(complaint._sla_status_at(dt("2026-01-20 10:00")), "on_track")
        self._move(complaint, self.stage_progress, "2026-01-06 11:00")
        # Mon 11-12, 13-17 and Tue 8-11: 8 working hours on hold
        self.assertAlmostEqual(complaint.hold_hours, 8.0)
        self.assertFalse(complaint.date_hold_start)
        self.assertMoment(complaint.resolve_deadline, "2026-01-14 10:00")
        # a second pause adds up (Thu 8-10)
        self._move(complaint, self.stage_waiting, "2026-01-08 08:00")
        self._move(complaint, self.stage_progress, "2026-01-08 10:00")
        self.assertAlmostEqual(complaint.hold_hours, 10.0)
        self.assertMoment(complaint.resolve_deadline, "2026-01-14 12:00")
        self._move(complaint, self.stage_resolved, "2026-01-09 17:00",
                   resolution_type="repair", resolution="Repaired.")
        # 6 + 8 + 8 + 8 working hours minus 10 on hold
        self.assertAlmostEqual(complaint.resolution_hours, 20.0)

    def test_resolving_needs_a_resolution(self):
        complaint = self._complaint()
        for stage in (self.stage_resolved, self.stage_closed):
            with self.assertRaises(UserError):
                self._move(complaint, stage, "2026-01-06 10:00", resolution_type="refund")
            self.assertEqual(complaint.stage_id, self.stage_new)
            self.assertFalse(complaint.date_resolved)
            self.assertFalse(complaint.resolution_type)
        with self.assertRaises(UserError):
            self._move(complaint, self.stage_resolved, "2026-01-06 10:00",
                       resolution_type="refund", resolution="   ")
        # rejecting needs no resolution
        self._move(complaint, self.stage_rejected, "2026-01-06 10:00")
        self.assertMoment(complaint.date_closed, "2026-01-06 10:00")
        self.assertFalse(complaint.date_resolved)

    def test_resolved_complaint_keeps_its_resolution(self):
        complaint = self._complaint()
        self._move(complaint, self.stage_resolved, "2026-01-06 10:00",
                   resolution_type="refund", resolution="Refunded.")
        with self.assertRaises(UserError):
            complaint.write({"resolution": ""})
        self.assertEqual(complaint.resolution, "Refunded.")
        complaint.write({"resolution": "Refunded in full."})

    def test_reopen_keeps_the_history(self):
        complaint = self._complaint()
        self._move(complaint, self.stage_resolved, "2026-01-06 09:00",
                   resolution_type="explanation", resolution="Explained.")
        self._move(complaint, self.stage_closed, "2026-01-06 10:00")
        self._move(complaint, self.stage_progress, "2026-01-07 10:00")
        self.assertFalse(complaint.is_closed)
        self.assertFalse(complaint.date_resolved)
        self.assertFalse(complaint.date_closed)
        self.assertMoment(complaint.date_acknowledged, "2026-01-06 09:00")
        bodies = complaint.message_ids.mapped("body")
        self.assertTrue(any("reopened" in body for body in bodies))
        tracked = complaint.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "stage_id")
        self.assertEqual(sorted(tracked.mapped("new_value_char")),
                         sorted([self.stage_new.name, self.stage_resolved.name,
                                 self.stage_closed.name, self.stage_progress.name]))

    def test_sla_needs_positive_hours(self):
        count = self.sla_model.search_count([])
        for hours in ({"ack_hours": 0.0}, {"resolve_hours": -4.0},
                      {"ack_hours": 50.0}, {"at_risk_ratio": 1.5}):
            values = dict({"name": "Bad", "resource_calendar_id": self.calendar.id}, **hours)
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.sla_model.create(values)
        self.assertEqual(self.sla_model.search_count([]), count)
        with self.assertRaises(ValidationError):
            self.sla.write({"resolve_hours": 0.0})

    def test_stage_template_is_sent_on_entering(self):
        template = self.env["mail.template"].create({
            "name": "Acknowledgement", "model_id": self.env.ref("crm_ext.model_crm_complaint").id,
            "subject": "We received your complaint ${object.name}",
            "body_html": "<p>We are on it.</p>", "partner_to": "${object.partner_id.id}"})
        self.stage_ack.mail_template_id = template
        complaint = self._complaint()
        self._move(complaint, self.stage_ack, "2026-01-05 11:00")
        subjects = complaint.message_ids.mapped("subject")
        self.assertIn("We received your complaint %s" % complaint.name, subjects)
