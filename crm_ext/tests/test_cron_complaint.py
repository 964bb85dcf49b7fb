"""The complaint escalation cron on real cursors (``_cron_escalate``): a run
that meets another is skipped, a second run escalates nothing twice, a chunk
that fails is rolled back whole and the next run completes the rest, and an
email that cannot be queued fails neither its chunk nor its escalation."""
from unittest import mock

from odoo.addons.crm_ext.tools import bulk_mail, clock
from odoo.addons.crm_ext.tools.sla_status import DUE_SQL

from .cron_common import CommittedCase

LOCK = "crm_ext.complaint_escalation"
# received on Monday 2020-01-06 10:00, 8 working hours to acknowledge: past
# the deadline (breached) at this moment, which no complaint of the
# database (demo included) reaches
NOW = "2020-01-07 11:00:00"


class TestCronComplaint(CommittedCase):

    def setUp(self):
        super(TestCronComplaint, self).setUp()
        with self.committed_env() as env:
            # the database's own due complaints (the demo's breached ones)
            # set aside on hold for the test: the runs would escalate them
            # for good
            env.cr.execute("UPDATE crm_complaint complaint SET date_hold_start = %%(now)s"
                           " WHERE %s RETURNING id" % DUE_SQL,  # pylint: disable=sql-injection
                           {"now": NOW})
            self.held = [row[0] for row in env.cr.fetchall()]
            admin = env.ref("base.user_root")
            calendar = env["resource.calendar"].create({
                "name": "Cron Complaint Desk",
                "attendance_ids": [
                    (0, 0, {"name": "Day %s %s" % (day, hour_from), "dayofweek": str(day),
                            "hour_from": hour_from, "hour_to": hour_to})
                    for day in range(5) for hour_from, hour_to in ((8, 12), (13, 17))],
            })
            # inactive: it matches no other complaint
            policy = env["crm.complaint.sla"].create({
                "name": "Cron Standard", "active": False, "ack_hours": 8.0,
                "resolve_hours": 40.0, "resource_calendar_id": calendar.id})
            team = env["crm.team"].create({"name": "Cron Complaint Desk",
                                           "user_id": admin.id})
            customer = env["res.partner"].create({"name": "Cron Complaining Customer"})
            with clock.frozen(env, "2020-01-06 10:00:00"):
                complaints = env["crm.complaint"].browse()
                for _index in range(3):
                    complaints |= env["crm.complaint"].create({
                        "partner_id": customer.id, "team_id": team.id, "user_id": admin.id,
                        "sla_id": policy.id, "date_received": "2020-01-06 10:00:00"})
            self.ids = complaints.ids
            self.fixtures = (calendar.id, policy.id, team.id, customer.id)
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            env["crm.complaint"].browse(self.ids).unlink()
            calendar_id, policy_id, team_id, customer_id = self.fixtures
            env["crm.complaint.sla"].browse(policy_id).unlink()
            env["crm.team"].browse(team_id).unlink()
            env["resource.calendar"].browse(calendar_id).unlink()
            env["res.partner"].browse(customer_id).unlink()
            if self.held:
                env.cr.execute("UPDATE crm_complaint SET date_hold_start = NULL WHERE id IN %s",
                               (tuple(self.held),))

    def _escalate(self, **kwargs):
        """A run of the cron, as ir.cron runs it (new cursors, no now)."""
        with self.cron_env(NOW) as env:
            return env["crm.complaint"]._cron_escalate(**kwargs)

    def _state(self):
        """{complaint id: (breached flag, priority, activities, escalation
        notes, queued emails)}, as committed."""
        with self.committed_env() as env:
            env.cr.execute("""
                SELECT complaint.id, COALESCE(complaint.escalated_breached, FALSE),
                       complaint.priority,
                       (SELECT COUNT(*) FROM mail_activity activity
                         WHERE activity.res_model = 'crm.complaint'
                           AND activity.res_id = complaint.id),
                       (SELECT COUNT(*) FROM mail_message message
                         WHERE message.model = 'crm.complaint' AND message.res_id = complaint.id
                           AND message.message_type = 'notification'
                           AND message.body LIKE '%%escalated%%'),
                       (SELECT COUNT(*) FROM mail_mail mail
                          JOIN mail_message message ON message.id = mail.mail_message_id
                         WHERE message.model = 'crm.complaint' AND message.res_id = complaint.id)
                  FROM crm_complaint complaint
                 WHERE complaint.id IN %s
            """, (tuple(self.ids),))
            return {row[0]: row[1:] for row in env.cr.fetchall()}

    def _escalated_once(self):
        return (True, "1", 1, 1, 1)

    def _untouched(self):
        return (False, "0", 0, 0, 0)

    def test_a_run_that_meets_another_does_nothing(self):
        before = self._state()
        with self.lock_held_elsewhere(LOCK):
            self.assertEqual(self._escalate(), 0)
            self.assertEqual(self._state(), before)
        self.assertEqual(self._escalate(), 3)
        self.assertEqual(set(self._state().values()), {self._escalated_once()})

    def test_a_second_run_escalates_nothing_twice(self):
        self.assertEqual(self._escalate(), 3)
        self.assertEqual(self._escalate(), 0)
        self.assertEqual(set(self._state().values()), {self._escalated_once()})

    def test_a_chunk_killed_half_way_is_rolled_back_and_done_by_the_next_run(self):
        victim = self.ids[1]
        model = type(self.env["crm.complaint"])
        original = model._escalate_chunk

        def killed(records, ids, now):
            result = original(records, ids, now)
            if victim in ids:
                raise RuntimeError("worker killed")
            return result

        with mock.patch.object(model, "_escalate_chunk", killed):
            self.assertEqual(self._escalate(batch_size=1), 2)
        state = self._state()
        self.assertEqual(state.pop(victim), self._untouched())
        self.assertEqual(set(state.values()), {self._escalated_once()})
        with self.committed_env() as env:
            # its status refresh was rolled back with the rest of its chunk
            self.assertEqual(env["crm.complaint"].browse(victim).sla_status, "on_track")
        self.assertEqual(self._escalate(batch_size=1), 1)
        self.assertEqual(set(self._state().values()), {self._escalated_once()})

    def test_an_email_that_cannot_be_queued_costs_only_itself(self):
        victim = self.ids[1]
        original = bulk_mail.queue_template_emails

        def failing(records, template, now):
            if victim in records.ids:
                raise ValueError("broken template")
            return original(records, template, now)

        with mock.patch.object(bulk_mail, "queue_template_emails", failing):
            self.assertEqual(self._escalate(), 3)
        state = self._state()
        self.assertEqual(state.pop(victim), (True, "1", 1, 1, 0))
        self.assertEqual(set(state.values()), {self._escalated_once()})
