from datetime import datetime

from odoo import fields
from odoo.tests import common

from odoo.addons.crm_ext.tools import clock


def dt(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


class ComplaintCase(common.SavepointCase):
    """A working-hours calendar with known hours (Monday to Friday 8-12 and
    13-17 UTC) and a leave on Wednesday 2026-01-07, an SLA policy on it,
    a customer and a team.  2026-01-05 is a Monday."""

    @classmethod
    def setUpClass(cls):
        super(ComplaintCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.company = cls.env.ref("base.main_company")
        cls.company.partner_id.tz = "UTC"
        cls.complaint_model = cls.env["crm.complaint"]
        cls.sla_model = cls.env["crm.complaint.sla"]
        # the policies of the database (demo) would match first
        cls.sla_model.search([]).write({"active": False})
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Complaint Desk", "company_id": cls.company.id,
            "attendance_ids": [
                (0, 0, {"name": "Day %s %s" % (day, hour_from), "dayofweek": str(day),
                        "hour_from": hour_from, "hour_to": hour_to})
                for day in range(5) for hour_from, hour_to in ((8, 12), (13, 17))],
        })
        cls.env["resource.calendar.leaves"].create({
            "name": "Holiday", "calendar_id": cls.calendar.id, "tz": "UTC",
            "date_from": "2026-01-07 00:00:00", "date_to": "2026-01-07 23:59:59",
        })
        cls.sla = cls.sla_model.create({
            "name": "Standard", "sequence": 50, "ack_hours": 8.0, "resolve_hours": 40.0,
            "resource_calendar_id": cls.calendar.id, "company_id": cls.company.id,
        })
        cls.stage_new = cls.env.ref("crm_ext.crm_complaint_stage_new")
        cls.stage_ack = cls.env.ref("crm_ext.crm_complaint_stage_acknowledged")
        cls.stage_progress = cls.env.ref("crm_ext.crm_complaint_stage_in_progress")
        cls.stage_waiting = cls.env.ref("crm_ext.crm_complaint_stage_waiting")
        cls.stage_resolved = cls.env.ref("crm_ext.crm_complaint_stage_resolved")
        cls.stage_closed = cls.env.ref("crm_ext.crm_complaint_stage_closed")
        cls.stage_rejected = cls.env.ref("crm_ext.crm_complaint_stage_rejected")
        cls.customer = cls.env["res.partner"].create({
            "name": "Complaining Customer", "customer": True, "is_company": True,
            "email": "complaining@example.com"})
        cls.leader = cls._user("complaint_leader", "Team Leader",
                               ["crm_ext.crm_complaint_group_officer"])
        cls.responsible = cls._user("complaint_responsible", "Responsible",
                                    ["crm_ext.crm_complaint_group_officer"])
        cls.team = cls.env["crm.team"].create({
            "name": "Complaint Desk", "user_id": cls.leader.id,
            "company_id": cls.company.id})

    @classmethod
    def _user(cls, login, name, groups, company=None):
        company = company or cls.company
        return cls.env["res.users"].create({
            "name": name, "login": login, "email": "%s@example.com" % login,
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id] + [
                cls.env.ref(group).id for group in groups])],
        })

    @classmethod
    def _complaint(cls, received="2026-01-05 10:00", now=None, **values):
        values.setdefault("partner_id", cls.customer.id)
        values.setdefault("team_id", cls.team.id)
        values.setdefault("user_id", cls.responsible.id)
        values["date_received"] = received + ":00"
        with clock.frozen(cls.env, now or received + ":00"):
            return cls.env["crm.complaint"].create(values)

    def _deadline(self, start, hours, calendar=None):
        """The moment ``hours`` working hours of ``calendar`` (the
        fixture's by default) after ``start``, as production computes it:
        the acknowledgement deadline of a complaint received at ``start``
        under a policy of that many hours on that calendar (inactive, so
        that it matches no other complaint)."""
        policy = self.sla.copy({
            "name": "%s hours" % hours, "active": False, "ack_hours": hours,
            "resolve_hours": hours, "resource_calendar_id": (calendar or self.calendar).id})
        complaint = self._complaint(start, sla_id=policy.id)
        return fields.Datetime.from_string(complaint.ack_deadline)

    def _move(self, complaint, stage, now, **values):
        values["stage_id"] = stage.id
        with clock.frozen(self.env, now + ":00"):
            complaint.write(values)

    def assertMoment(self, value, text):
        self.assertEqual(fields.Datetime.from_string(value), dt(text))
