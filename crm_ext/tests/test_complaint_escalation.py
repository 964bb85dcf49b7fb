from odoo.tests import common

from .test_complaint_common import ComplaintCase, dt


@common.at_install(False)
@common.post_install(True)
class TestComplaintEscalation(ComplaintCase):
    """The escalation cron raises each threshold of a complaint once: an
    activity for the team leader, a priority bump, a note and a queued email
    to the responsible."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintEscalation, cls).setUpClass()
        cls.activity_type = cls.env.ref("crm_ext.mail_activity_data_complaint_escalation")
        # received Monday 10:00: at risk Tuesday 08:24, acknowledgement due
        # Tuesday 10:00
        cls.complaint = cls._complaint("2026-01-05 10:00")

    def _escalate(self, now):
        return self.complaint_model._cron_escalate(now=dt(now))

    def _effects(self, complaint):
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id),
            ("activity_type_id", "=", self.activity_type.id)])
        messages = self.env["mail.message"].search([
            ("model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
        notes = messages.filtered(lambda message: message.message_type == "notification"
                                  and "escalated" in (message.body or ""))
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        return activities, notes, mails

    def test_nothing_before_the_at_risk_moment(self):
        self.assertEqual(self._escalate("2026-01-06 08:23"), 0)
        activities, notes, mails = self._effects(self.complaint)
        self.assertFalse(activities or notes or mails)
        self.assertEqual(self.complaint.priority, "0")
        self.assertEqual(self.complaint.sla_status, "on_track")

    def test_at_risk_then_breached_each_once(self):
        self.assertEqual(self._escalate("2026-01-06 08:30"), 1)
        self.assertEqual(self._escalate("2026-01-06 08:45"), 0)
        complaint = self.complaint
        self.assertTrue(complaint.escalated_at_risk)
        self.assertFalse(complaint.escalated_breached)
        self.assertEqual(complaint.sla_status, "at_risk")
        self.assertEqual(complaint.priority, "1")
        activities, notes, mails = self._effects(complaint)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.leader)
        self.assertEqual(len(notes), 1)
        self.assertIn("at risk", notes.body)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing")
        self.assertEqual(mails.recipient_ids, self.responsible.partner_id)
        self.assertIn(complaint.name, mails.mail_message_id.subject)
        self.assertIn(self.customer.name, mails.body_html)

        self.assertEqual(self._escalate("2026-01-06 10:00"), 1)
        self.assertEqual(self._escalate("2026-01-06 11:00"), 0)
        self.assertTrue(complaint.escalated_breached)
        self.assertEqual(complaint.sla_status, "breached")
        self.assertEqual(complaint.priority, "2")
        activities, notes, mails = self._effects(complaint)
        self.assertEqual(len(activities), 2)
        self.assertEqual(len(notes), 2)
        self.assertEqual(len(mails), 2)

    def test_past_both_thresholds_escalates_once_as_breached(self):
        self.assertEqual(self._escalate("2026-01-08 09:00"), 1)
        self.assertEqual(self._escalate("2026-01-08 09:00"), 0)
        self.assertTrue(self.complaint.escalated_at_risk)
        self.assertTrue(self.complaint.escalated_breached)
        self.assertEqual(self.complaint.priority, "1")
        activities, notes, _mails = self._effects(self.complaint)
        self.assertEqual(len(activities), 1)
        self.assertIn("breached", notes.body)

    def test_priority_stays_at_most_urgent(self):
        self.complaint.priority = "3"
        self._escalate("2026-01-08 09:00")
        self.assertEqual(self.complaint.priority, "3")

    def test_closed_resolved_and_held_complaints_are_left_alone(self):
        resolved = self._complaint("2026-01-05 10:00")
        self._move(resolved, self.stage_resolved, "2026-01-05 11:00",
                   resolution_type="explanation", resolution="Explained.")
        rejected = self._complaint("2026-01-05 10:00")
        self._move(rejected, self.stage_rejected, "2026-01-05 11:00")
        waiting = self._complaint("2026-01-05 10:00")
        self._move(waiting, self.stage_waiting, "2026-01-05 11:00")
        self._escalate("2026-01-20 09:00")
        self.assertTrue(self.complaint.escalated_breached)
        for complaint in (resolved, rejected, waiting):
            self.assertFalse(complaint.escalated_at_risk or complaint.escalated_breached)
            self.assertFalse(any(self._effects(complaint)))
        self.assertEqual(resolved.sla_status, "met")

    def test_leader_falls_back_to_the_responsible(self):
        complaint = self._complaint("2026-01-05 10:00", team_id=False)
        self._escalate("2026-01-08 09:00")
        activities, _notes, _mails = self._effects(complaint)
        self.assertEqual(activities.user_id, self.responsible)

    def test_batches(self):
        complaints = self.complaint
        for _index in range(4):
            complaints |= self._complaint("2026-01-05 10:00")
        self.assertEqual(self.complaint_model._cron_escalate(
            now=dt("2026-01-06 08:30"), batch_size=2), 5)
        self.assertEqual(set(complaints.mapped("priority")), {"1"})
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)])
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(complaints.ids))

    def test_cron_record_calls_the_escalation(self):
        cron = self.env.ref("crm_ext.ir_cron_complaint_escalation")
        self.assertEqual(cron.model_id.model, "crm.complaint")
        cron.method_direct_trigger()
        # "now" is later than 2026: the complaint is breached
        self.assertTrue(self.complaint.escalated_breached)
