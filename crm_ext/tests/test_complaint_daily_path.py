"""What a complaint officer sees of a complaint every day (issue 15): which
deadline a breached complaint missed, whom it was escalated to and when
(not the escalation job's flags), and the acknowledgement the first stage
sends."""
from lxml import etree

from odoo.tests import common

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase, dt

# the escalation job's own fields, kept out of the views
ESCALATION_FLAGS = ("escalated_at_risk", "escalated_breached")


@common.at_install(False)
@common.post_install(True)
class TestComplaintDailyPath(ComplaintCase):
    """Received Monday 2026-01-05 10:00 UTC under the 8/40 working hours
    policy: acknowledge by Tuesday 10:00, resolve by Tuesday 2026-01-13
    10:00 (Wednesday 7 is a holiday)."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintDailyPath, cls).setUpClass()
        cls.officer = cls._user("daily_officer", "Daily Officer",
                                ["crm_ext.crm_complaint_group_officer"])
        cls.acknowledgement = cls.env.ref(
            "crm_ext.crm_complaint_mail_template_acknowledgement")
        cls.silent_customer = cls.env["res.partner"].create({
            "name": "Customer Without Email", "customer": True, "is_company": True})

    def _breach(self, complaint, now):
        """The officer's missed-deadline text of ``complaint`` at ``now``,
        in Paris time."""
        with clock.frozen(self.env, now + ":00"):
            return complaint.sudo(self.officer).with_context(
                tz="Europe/Paris", lang="en_US").sla_breach

    def test_unacknowledged_complaint_says_the_acknowledgement_was_missed(self):
        complaint = self._complaint(now="2026-01-06 11:00:00")
        self.assertEqual(complaint.sla_status, "breached")
        self.assertEqual(self._breach(complaint, "2026-01-06 11:00"),
                         "Acknowledgement deadline missed (due 6 Jan 11:00)")

    def test_acknowledged_complaint_past_resolution_says_resolution_was_missed(self):
        complaint = self._complaint()
        self._move(complaint, self.stage_ack, "2026-01-05 11:00")
        self.complaint_model._refresh_sla_status(dt("2026-01-14 09:00"))
        self.assertEqual(complaint.sla_status, "breached")
        self.assertEqual(self._breach(complaint, "2026-01-14 09:00"),
                         "Resolution deadline missed (due 13 Jan 11:00)")

    def test_complaint_on_track_has_no_missed_deadline(self):
        complaint = self._complaint()
        self.assertEqual(complaint.sla_status, "on_track")
        self.assertFalse(self._breach(complaint, "2026-01-05 11:00"))

    def test_officer_views_show_whom_and_when_not_the_escalation_flags(self):
        complaints = self.complaint_model.sudo(self.officer)
        for view_type in ("form", "tree", "kanban", "search"):
            arch = etree.fromstring(complaints.fields_view_get(view_type=view_type)["arch"])
            names = set(arch.xpath("//field/@name"))
            domains = " ".join(arch.xpath("//filter/@domain"))
            for flag in ESCALATION_FLAGS:
                self.assertNotIn(flag, names, view_type)
                self.assertNotIn(flag, domains, view_type)
        form = etree.fromstring(complaints.fields_view_get(view_type="form")["arch"])
        self.assertTrue(form.xpath("//field[@name='escalation_user_id']"))
        self.assertTrue(form.xpath("//field[@name='date_escalated']"))

    def test_breach_text_is_on_the_card_the_list_and_the_form(self):
        complaints = self.complaint_model.sudo(self.officer)
        for view_type in ("form", "tree", "kanban"):
            arch = etree.fromstring(complaints.fields_view_get(view_type=view_type)["arch"])
            self.assertTrue(arch.xpath("//field[@name='sla_breach']"), view_type)

    def test_escalation_records_whom_and_when(self):
        complaint = self._complaint()
        with clock.frozen(self.env, "2026-01-06 11:00:00"):
            self.complaint_model._cron_escalate(now=dt("2026-01-06 11:00"), use_new_cursor=False)
        self.assertEqual(complaint.escalation_user_id, self.leader)
        self.assertEqual(complaint.date_escalated, "2026-01-06 11:00:00")

    def test_first_stage_ships_the_acknowledgement(self):
        self.assertEqual(self.stage_new.mail_template_id, self.acknowledgement)

    def test_new_complaint_is_acknowledged_by_email_once(self):
        complaint = self._complaint(subject="Broken lid")
        subject = "%s: we received your complaint %s" % (self.company.name, complaint.name)
        sent = complaint.message_ids.filtered(lambda message: message.subject == subject)
        self.assertEqual(len(sent), 1)
        self.assertIn("Broken lid", sent.body)
        self.assertIn(self.responsible.name, sent.body)
        self.assertIn("2026-01-13 10:00 (UTC)", sent.body)
        # sent at once (mass mail, as Odoo's stage emails), to the customer
        self.assertEqual(self.acknowledgement.generate_email(
            complaint.id, ["partner_to"])["partner_ids"], self.customer.ids)
        # changes that are no new stage entry send nothing more
        self._move(complaint, self.stage_new, "2026-01-05 10:30", severity="high")
        self.assertEqual(len(complaint.message_ids.filtered(
            lambda message: message.subject == subject)), 1)

    def test_customer_without_email_gets_a_note_instead(self):
        complaint = self._complaint(partner_id=self.silent_customer.id)
        self.assertFalse(self.env["mail.mail"].search([
            ("mail_message_id", "in", complaint.message_ids.ids)]))
        notes = complaint.message_ids.filtered(
            lambda message: "has no email address" in (message.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn(self.acknowledgement.name, notes.body)
