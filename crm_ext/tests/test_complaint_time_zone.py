from odoo import fields
from odoo.tests import common

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase, dt


@common.at_install(False)
@common.post_install(True)
class TestComplaintDemoTimeZone(common.SavepointCase):
    """Issue 12, item 5: the demo company works in Brussels (the demo data
    itself, hence no fixtures here)."""

    def test_12_5_demo_deadlines_are_in_brussels(self):
        policy = self.env.ref("crm_ext.crm_complaint_sla_standard_demo",
                              raise_if_not_found=False)
        if not policy:
            self.skipTest("installed without demo data")
        self.assertEqual(policy.time_zone, "Europe/Brussels")
        self.assertFalse(policy.time_zone_missing)
        # received Monday 08:30 in Brussels (07:30 UTC): 3.5 + 4 working
        # hours that day, acknowledged by Tuesday 08:30 in Brussels, not by
        # 18:00 the same day
        customer = self.env["res.partner"].create({"name": "Brussels Customer"})
        with clock.frozen(self.env, "2026-01-05 07:30:00"):
            complaint = self.env["crm.complaint"].create({
                "partner_id": customer.id, "sla_id": policy.id,
                "date_received": "2026-01-05 07:30:00"})
        self.assertEqual(fields.Datetime.from_string(complaint.ack_deadline),
                         dt("2026-01-06 07:30"))


@common.at_install(False)
@common.post_install(True)
class TestComplaintTimeZone(ComplaintCase):
    """Issue 12, item 5: a policy names the time zone its deadlines are
    counted in, and says so when its working hours have none (UTC)."""

    def test_12_5_policy_names_the_time_zone_of_its_deadlines(self):
        other = self.env["res.company"].create({"name": "Shanghai Desk Co"})
        other.partner_id.tz = "Asia/Shanghai"
        calendar = self.calendar.copy({"name": "Shanghai Desk", "company_id": other.id})
        # the policy's company (UTC) is not the calendar's: the calendar's
        # company gives the time zone
        policy = self.sla.copy({"name": "Shanghai", "resource_calendar_id": calendar.id})
        self.assertEqual(policy.company_id, self.company)
        self.assertEqual(policy.time_zone, "Asia/Shanghai")
        self.assertFalse(policy.time_zone_missing)
        # work starts at 08:00 in Shanghai, 00:00 UTC
        self.assertEqual(self._deadline("2026-01-04 23:00", 1, calendar),
                         dt("2026-01-05 01:00"))
        complaint = self._complaint("2026-01-05 10:00", sla_id=policy.id)
        self.assertEqual(complaint.sla_time_zone, "Asia/Shanghai")

    def test_12_5_policy_without_time_zone_says_so(self):
        self.company.partner_id.tz = False
        self.assertEqual(self.sla.time_zone, "UTC")
        self.assertTrue(self.sla.time_zone_missing)
        shared = self.calendar.copy({"name": "Shared", "company_id": False})
        self.sla.resource_calendar_id = shared
        self.assertTrue(self.sla.time_zone_missing)
        self.company.partner_id.tz = "Europe/Brussels"
        self.assertTrue(self.sla.time_zone_missing, "a calendar of no company has no time zone")
        self.sla.resource_calendar_id = self.calendar
        self.assertEqual(self.sla.time_zone, "Europe/Brussels")
        self.assertFalse(self.sla.time_zone_missing)
        # the policy's form warns, the deadlines' help says how it is chosen
        arch = self.sla_model.fields_view_get(view_type="form")["arch"]
        self.assertIn("time_zone_missing", arch)
        fields_info = self.complaint_model.fields_get(["ack_deadline", "resolve_deadline"])
        for info in fields_info.values():
            self.assertIn("UTC", info["help"])
            self.assertIn("time zone", info["help"])

    def test_12_5_escalation_email_shows_the_deadlines_in_the_responsible_time_zone(self):
        self.responsible.tz = "Europe/Brussels"
        complaint = self._complaint("2026-01-05 10:00")
        self.complaint_model._cron_escalate(now=dt("2026-01-06 08:30"), use_new_cursor=False)
        mail = self.env["mail.mail"].search([
            ("model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
        # acknowledge by Tuesday 10:00 UTC, 11:00 in Brussels
        self.assertIn("2026-01-06 11:00 (Europe/Brussels)", mail.body_html)
        self.assertNotIn("(UTC)", mail.body_html)
