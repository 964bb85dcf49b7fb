"""Complaints benchmark: one full escalation pass over 100,000 complaints
of which a few thousand are due (at risk or breached), and the time to
compute the SLA deadlines of one complaint (policy match and working-hours
deadlines on a calendar with leaves).

Prints ``bench complaints: complaints=… escalation_s=… sla_deadline_ms=…``.
The complaints are generated with one INSERT … SELECT generate_series over
the benchmark's customers, and everything is rolled back at the end.
"""
import time
from datetime import datetime, timedelta

import odoo
from odoo import fields

import common

SAMPLE = 200


def generate(env, count, now):
    """``count`` complaints, a quarter of them open with acknowledgement
    and resolution deadlines spread around ``now``: about 10% of the open
    ones are breached and 7.5% more at risk."""
    cr = env.cr
    company = env.user.company_id
    calendar = company.resource_calendar_id
    env["resource.calendar.leaves"].create({
        "name": "Bench holiday", "calendar_id": calendar.id, "tz": "UTC",
        "date_from": fields.Datetime.to_string(now + timedelta(days=3)),
        "date_to": fields.Datetime.to_string(now + timedelta(days=4)),
    })
    sla_model = env["crm.complaint.sla"]
    sla_model.search([]).write({"active": False})
    standard = sla_model.create({
        "name": "Bench standard", "sequence": 100, "ack_hours": 8.0, "resolve_hours": 40.0,
        "resource_calendar_id": calendar.id})
    sla_model.create({
        "name": "Bench critical", "sequence": 10, "severity": "critical", "ack_hours": 2.0,
        "resolve_hours": 16.0, "resource_calendar_id": calendar.id})
    delivery = env["crm.complaint.category"].create({"name": "Bench delivery"})
    late = env["crm.complaint.category"].create({"name": "Bench late",
                                                 "parent_id": delivery.id})
    sla_model.create({
        "name": "Bench delivery", "sequence": 30, "category_id": delivery.id,
        "severity": "high", "ack_hours": 4.0, "resolve_hours": 24.0,
        "resource_calendar_id": calendar.id})
    strategic = env.ref("crm_ext.crm_customer_grade_strategic")
    sla_model.create({
        "name": "Bench strategic", "sequence": 20, "grade_id": strategic.id, "ack_hours": 4.0,
        "resolve_hours": 24.0, "resource_calendar_id": calendar.id})
    stages = {kind: env["crm.complaint.stage"].search([("stage_kind", "=", kind)], limit=1)
              for kind in ("in_progress", "closed")}
    team = env["crm.team"].search([("company_id", "=", company.id)], limit=1)
    cr.execute("""SELECT id FROM res_partner WHERE customer AND parent_id IS NULL
                   ORDER BY id DESC LIMIT %s""", (count,))
    partner_ids = [row[0] for row in cr.fetchall()]
    # k: a pseudo-random share in [0, 1) per complaint; open complaints
    # (n % 4 = 0) are due in (20k - 2) days, at risk 1.5 days before
    cr.execute("""
        INSERT INTO crm_complaint (
            name, company_id, partner_id, commercial_partner_id, category_id, channel, severity,
            priority, stage_id, stage_kind, is_closed, date_received, date_acknowledged,
            date_resolved, date_closed, sla_id, ack_deadline, resolve_deadline,
            at_risk_deadline, sla_status, hold_hours, escalated_at_risk,
            escalated_breached, resolution_hours, user_id, team_id, description,
            create_uid, create_date, write_uid, write_date)
        SELECT 'BENCH/' || n, %(company)s, partner_id, partner_id,
               CASE WHEN n %% 3 = 0 THEN %(category)s END, 'phone', 'normal', '0',
               CASE WHEN is_open THEN %(open_stage)s ELSE %(closed_stage)s END,
               CASE WHEN is_open THEN 'in_progress' ELSE 'closed' END, NOT is_open,
               received, received + interval '2 hours',
               CASE WHEN is_open THEN NULL ELSE received + interval '3 days' END,
               CASE WHEN is_open THEN NULL ELSE received + interval '4 days' END,
               %(sla)s, received + interval '1 day', due, due - interval '36 hours',
               CASE WHEN is_open THEN 'on_track' ELSE 'met' END, 0, FALSE, FALSE,
               CASE WHEN is_open THEN 0 ELSE 20 END, %(uid)s, %(team)s,
               '<p>Bench complaint</p>', %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM (SELECT n, partner_ids[1 + (n %% array_length(partner_ids, 1))] AS partner_id,
                       n %% 4 = 0 AS is_open,
                       %(now)s::timestamp + ((((n * 7919) %% 10000) / 10000.0 * 20 - 2)
                                             * interval '1 day') AS due,
                       %(now)s::timestamp - ((n %% 90) * interval '1 day')
                           - interval '6 days' AS received
                  FROM generate_series(1, %(count)s) n,
                       (SELECT %(partners)s::int[] AS partner_ids) partners) source
    """, {"company": company.id, "open_stage": stages["in_progress"].id,
          "closed_stage": stages["closed"].id, "sla": standard.id, "uid": env.uid,
          "team": team.id or None, "category": late.id, "now": now, "count": count, "partners": partner_ids})
    cr.execute("ANALYZE crm_complaint")


def main():
    parser = common.argument_parser()
    parser.add_argument("--complaints", type=int, default=100000)
    args = parser.parse_args()
    common.configure(args)
    # crm_ext is importable once the configuration has given Odoo its add-ons path
    from odoo.addons.crm_ext.tools import clock
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        now = datetime.utcnow().replace(microsecond=0)
        with clock.frozen(env, now):
            complaint_model = env["crm.complaint"]
            generate(env, args.complaints, now)
            cr.execute("SELECT COUNT(*) FROM crm_complaint WHERE name LIKE 'BENCH/%%'")
            complaint_count = cr.fetchone()[0]

            cr.execute("SELECT id FROM crm_complaint WHERE name LIKE 'BENCH/%%' AND NOT is_closed "
                       "ORDER BY id LIMIT %s", (SAMPLE,))
            sample = [row[0] for row in cr.fetchall()]
            elapsed = 0.0
            for complaint_id in sample:
                # one complaint on its own, nothing in the cache
                complaint_model.invalidate_cache()
                start = time.perf_counter()
                complaint = complaint_model.browse(complaint_id)
                # what the ORM does when a complaint is recorded or changes:
                # match the policy, then compute the deadlines (in draft, as
                # the ORM computes stored fields before writing them)
                policy = complaint._match_sla()[complaint]
                with env.do_in_draft():
                    complaint.sla_id = policy
                    complaint._compute_sla_deadlines()
                assert complaint.resolve_deadline
                elapsed += time.perf_counter() - start
            sla_deadline_ms = elapsed * 1000 / len(sample)

            # the escalation pass last: its thousands of writes would slow the
            # reads above, which a transaction of their own would not see
            complaint_model.invalidate_cache()
            start = time.perf_counter()
            # the cron's chunked run, its chunks in savepoints: the complaints
            # it escalates are this transaction's, rolled back below
            escalations = complaint_model._cron_escalate(now=now, use_new_cursor=False)
            escalation_s = time.perf_counter() - start
            assert escalations, "no complaint was due"

            cr.rollback()

    print("bench complaints: complaints=%d escalation_s=%.2f sla_deadline_ms=%.2f" % (
        complaint_count, escalation_s, sla_deadline_ms))


if __name__ == "__main__":
    main()
