from odoo.exceptions import ValidationError
from odoo.tests import common

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase, dt


@common.at_install(False)
@common.post_install(True)
class TestComplaintSlaStatus(ComplaintCase):
    """Issue 12, item 8: one rule for the SLA status and one flag for a
    finished complaint: the status a complaint's form shows is the one the
    escalation job writes."""

    def _stage(self, kind, **values):
        return self.env["crm.complaint.stage"].create(
            dict({"name": "Stage %s" % kind, "sequence": 90, "stage_kind": kind}, **values))

    def test_12_8_closed_and_rejected_kinds_are_closed(self):
        for kind in ("closed", "rejected"):
            stage = self._stage(kind, is_closed=False)
            self.assertTrue(stage.is_closed, kind)
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                stage.write({"is_closed": False})
            stage.invalidate_cache()
            self.assertTrue(stage.is_closed, kind)
            stage.stage_kind = "in_progress"
            self.assertFalse(stage.is_closed)
        for kind in ("new", "acknowledged", "in_progress", "waiting", "resolved"):
            self.assertFalse(self._stage(kind, is_closed=True).is_closed, kind)

    def _situations(self):
        """Complaints received Monday 2026-01-05 10:00 (acknowledge by
        Tuesday 10:00, at risk from Tuesday 08:24, resolve by Tuesday
        2026-01-13 10:00) in every situation."""
        def moved(*steps, **values):
            complaint = self._complaint("2026-01-05 10:00", **values)
            for stage, now in steps:
                extra = {}
                if stage.stage_kind in ("resolved", "closed"):
                    extra = {"resolution_type": "explanation", "resolution": "Explained."}
                self._move(complaint, stage, now, **extra)
            return complaint

        done = self._stage("closed", is_closed=False)
        return [
            moved(),
            moved((self.stage_ack, "2026-01-05 11:00")),
            moved((self.stage_ack, "2026-01-06 11:00")),
            moved((self.stage_ack, "2026-01-05 11:00"), (self.stage_waiting, "2026-01-09 10:00")),
            moved((self.stage_waiting, "2026-01-05 11:00")),
            moved((self.stage_resolved, "2026-01-05 12:00")),
            moved((self.stage_ack, "2026-01-05 11:00"), (self.stage_resolved, "2026-01-14 12:00")),
            moved((self.stage_resolved, "2026-01-05 12:00"), (self.stage_closed, "2026-01-20 12:00")),
            moved((self.stage_rejected, "2026-01-05 12:00")),
            moved((self.stage_ack, "2026-01-05 11:00"), (done, "2026-01-06 12:00")),
            moved((self.stage_resolved, "2026-01-05 12:00"),
                  (self.stage_progress, "2026-01-12 10:00")),
        ]

    def test_12_8_form_shows_the_status_the_cron_writes(self):
        complaints = self._situations()
        moments = ("2026-01-05 10:30", "2026-01-06 08:30", "2026-01-06 10:00",
                   "2026-01-12 10:00", "2026-01-13 10:00", "2026-01-21 10:00",
                   "2026-03-02 10:00")
        for moment in moments:
            self.complaint_model._cron_escalate(now=dt(moment), use_new_cursor=False)
            for complaint in complaints:
                complaint.invalidate_cache()
                written = complaint.sla_status
                # what the form computes when the complaint is saved
                with clock.frozen(self.env, moment + ":00"), self.env.do_in_draft():
                    complaint._compute_sla_status()
                    shown = complaint.sla_status
                complaint.invalidate_cache()
                self.assertEqual(shown, written, "%s at %s (%s)" % (
                    complaint.name, moment, complaint.stage_id.name))
