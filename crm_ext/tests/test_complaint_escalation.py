import re
from unittest import mock

from odoo.tests import common

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase, dt

# what the escalation writes, by table: (the rows of one complaint, their
# order); the rows of a message's relations come with the message
ESCALATION_ROWS = (
    ("crm_complaint", "id = %(res_id)s", "id"),
    ("mail_activity", "res_model = 'crm.complaint' AND res_id = %(res_id)s", "id"),
    ("mail_followers", "res_model = 'crm.complaint' AND res_id = %(res_id)s", "partner_id"),
    ("mail_followers_mail_message_subtype_rel",
     "mail_followers_id IN (SELECT id FROM mail_followers WHERE res_model = 'crm.complaint' "
     "AND res_id = %(res_id)s)", "mail_followers_id, mail_message_subtype_id"),
    ("mail_message", "model = 'crm.complaint' AND res_id = %(res_id)s", "id"),
    ("mail_tracking_value", "mail_message_id IN %(messages)s", "id"),
    ("mail_message_res_partner_rel", "mail_message_id IN %(messages)s",
     "mail_message_id, res_partner_id"),
    ("mail_message_res_partner_needaction_rel", "mail_message_id IN %(messages)s",
     "mail_message_id, res_partner_id"),
    ("mail_message_mail_channel_rel", "mail_message_id IN %(messages)s",
     "mail_message_id, mail_channel_id"),
    ("mail_mail", "mail_message_id IN %(messages)s", "id"),
    ("mail_mail_res_partner_rel",
     "mail_mail_id IN (SELECT id FROM mail_mail WHERE mail_message_id IN %(messages)s)",
     "mail_mail_id, res_partner_id"),
)


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
        return self.complaint_model._cron_escalate(now=dt(now), use_new_cursor=False)

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
            now=dt("2026-01-06 08:30"), batch_size=2, use_new_cursor=False), 5)
        self.assertEqual(set(complaints.mapped("priority")), {"1"})
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "crm.complaint"), ("res_id", "in", complaints.ids)])
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(complaints.ids))

    def test_cron_record_calls_the_escalation(self):
        cron = self.env.ref("crm_ext.ir_cron_complaint_escalation")
        self.assertEqual(cron.model_id.model, "crm.complaint")
        model = type(self.complaint_model)
        original = model._cron_escalate

        def in_savepoints(records, *args, **kwargs):
            # called as the cron calls it, with no argument; its chunks in
            # savepoints of the test's transaction (they would commit on
            # cursors of their own, the database's complaints with them)
            self.assertFalse(args or kwargs)
            return original(records, use_new_cursor=False)

        with mock.patch.object(model, "_cron_escalate", in_savepoints):
            cron.method_direct_trigger()
        # "now" is later than 2026: the complaint is breached
        self.assertTrue(self.complaint.escalated_breached)

    # 12.7: the set-based escalation writes what the ORM writes

    def _escalate_through_the_orm(self, complaint, threshold, now):
        """The escalation of ``complaint`` written by the ORM, one record at
        a time: the reference of the set-based escalation."""
        breached = threshold == "breached"
        label = "SLA breached" if breached else "SLA at risk"
        with clock.frozen(self.env, now + ":00"):
            complaint.write({
                "escalated_at_risk": True,
                "escalated_breached": complaint.escalated_breached or breached,
                "priority": str(min(int(complaint.priority or "0") + 1, 3)),
                "escalation_user_id": self.leader.id,
                "date_escalated": now + ":00",
            })
            self.env["mail.activity"].create({
                "res_id": complaint.id,
                "res_model_id": self.env["ir.model"]._get_id("crm.complaint"),
                "activity_type_id": self.activity_type.id,
                "summary": "%s: %s" % (label, complaint.name),
                "date_deadline": now[:10],
                "user_id": self.leader.id,
            })
            complaint.message_post(
                body="<p>%s: escalated to the team leader, priority raised.</p>" % label,
                subtype="mail.mt_note")
            template = self.env.ref("crm_ext.crm_complaint_mail_template_escalation")
            template.with_context(escalation_label=label).send_mail(complaint.id)

    def _rows(self, complaint):
        """What is stored of ``complaint`` and of its chatter, activities
        and followers, without what names the records (ids, the complaint's
        reference, generated message ids) or the moment they were written."""
        cr = self.env.cr
        cr.execute("SELECT id FROM mail_message WHERE model = 'crm.complaint' "
                   "AND res_id = %s ORDER BY id", (complaint.id,))
        messages = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT id FROM mail_followers WHERE res_model = 'crm.complaint' "
                   "AND res_id = %s ORDER BY partner_id", (complaint.id,))
        followers = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT id FROM mail_mail WHERE mail_message_id IN %s ORDER BY id",
                   (tuple(messages),))
        mails = [row[0] for row in cr.fetchall()]
        # references to the records by their position
        positions = {
            "mail_message_id": messages, "parent_id": messages, "mail_followers_id": followers,
            "mail_mail_id": mails}
        skipped = {"id", "create_date", "write_date", "date", "res_id", "name"}
        rows = {}
        for table, where, order in ESCALATION_ROWS:
            cr.execute("SELECT * FROM %s WHERE %s ORDER BY %s" % (table, where, order),
                       {"res_id": complaint.id, "messages": tuple(messages)})
            columns = [description[0] for description in cr.description]
            rows[table] = [{
                column: self._neutral(column, value, complaint, positions)
                for column, value in zip(columns, row) if column not in skipped
            } for row in cr.fetchall()]
        return rows

    @staticmethod
    def _neutral(column, value, complaint, positions):
        if column in positions and value:
            return "#%d" % positions[column].index(value)
        if isinstance(value, str):
            value = value.replace(complaint.name, "<complaint>")
            value = re.sub(r"<[0-9.]+-openerp-%d-crm\.complaint@" % complaint.id,
                           "<message-id@", value)
        return value

    def test_12_7_escalation_writes_what_the_orm_writes(self):
        reference = self._complaint("2026-01-05 10:00")
        # a colleague who follows the notes of both is notified of them
        watcher = self._user("complaint_watcher", "Note Watcher",
                             ["crm_ext.crm_complaint_group_officer"])
        watcher.notification_type = "inbox"
        for complaint in self.complaint | reference:
            complaint.message_subscribe(watcher.partner_id.ids,
                                        subtype_ids=self.env.ref("mail.mt_note").ids)
        for threshold, now in (("at_risk", "2026-01-06 08:30"), ("breached", "2026-01-06 10:00")):
            with clock.frozen(self.env, now + ":00"):
                written = self.complaint_model.browse(self.complaint.ids)._escalate(
                    threshold, dt(now))
            self.assertEqual(written, self.complaint)
        for threshold, now in (("at_risk", "2026-01-06 08:30"), ("breached", "2026-01-06 10:00")):
            self._escalate_through_the_orm(reference, threshold, now)
        self.env["crm.complaint"].invalidate_cache()
        written, expected = self._rows(self.complaint), self._rows(reference)
        for table, _where, _order in ESCALATION_ROWS:
            self.assertEqual(written[table], expected[table], table)
        self.assertTrue(written["mail_message_res_partner_needaction_rel"])

    def test_12_7_leader_follows_replies_reach_the_chatter_bump_is_tracked(self):
        self._escalate("2026-01-06 08:30")
        complaint = self.complaint
        self.assertIn(self.leader.partner_id, complaint.message_partner_ids)
        note = complaint.message_ids.filtered(lambda message: "escalated" in message.body)
        self.assertFalse(note.subject)
        self.assertTrue(note.reply_to)
        self.assertTrue(note.parent_id)
        tracked = complaint.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "priority" and value.new_value_char == "Medium")
        self.assertEqual(tracked.old_value_char, "Normal")
