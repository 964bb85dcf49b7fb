# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.3.0.0: a stage is closed by its kind; the SLA clock stops while a
complaint is resolved or closed, and hold time no longer moves the
acknowledgement deadline.

Before, a stage's "Closed" flag was ticked by hand and could disagree with
its kind (a closed-kind stage left unticked made the escalation job treat
its resolved complaints as open).  The flag now follows the kind: the stages
and the complaints' copy of it are set from the kinds, a complaint that
entered such a stage gets the closing date it missed, and the deadlines and
SLA status of the complaints are computed again by the one rule.

The escalation email showed the deadlines in UTC: its template (not
updated by an upgrade) shows them in the responsible's time zone, unless an
administrator changed those lines.
"""
from odoo import SUPERUSER_ID, api

CLOSED_KINDS = ("closed", "rejected")
UTC_DEADLINES = """        % if not object.date_acknowledged:
        <li>Acknowledge by: ${object.ack_deadline} (UTC)</li>
        % endif
        <li>Resolve by: ${object.resolve_deadline} (UTC)</li>"""
LOCAL_DEADLINES = """        % set tz = object.user_id.tz or 'UTC'
        % if not object.date_acknowledged:
        <li>Acknowledge by: ${format_tz(object.ack_deadline, tz=tz, format='%Y-%m-%d %H:%M')} (${tz})</li>
        % endif
        <li>Resolve by: ${format_tz(object.resolve_deadline, tz=tz, format='%Y-%m-%d %H:%M')} (${tz})</li>"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE crm_complaint_stage SET is_closed = stage_kind IN %(kinds)s
         WHERE is_closed IS DISTINCT FROM stage_kind IN %(kinds)s
    """, {"kinds": CLOSED_KINDS})
    cr.execute("""
        UPDATE crm_complaint complaint
           SET is_closed = stage.is_closed,
               date_closed = CASE WHEN stage.is_closed
                                  THEN COALESCE(complaint.date_closed, complaint.date_resolved,
                                                complaint.write_date) END
          FROM crm_complaint_stage stage
         WHERE stage.id = complaint.stage_id
           AND complaint.is_closed IS DISTINCT FROM stage.is_closed
    """)
    env = api.Environment(cr, SUPERUSER_ID, {})
    complaints = env["crm.complaint"].with_context(active_test=False)
    for field_name, domain in (("ack_deadline", [("hold_hours", ">", 0)]),
                               ("sla_status", [("sla_id", "!=", False)])):
        env.add_todo(complaints._fields[field_name], complaints.search(domain))
    complaints.recompute()
    template = env.ref("crm_ext.crm_complaint_mail_template_escalation",
                       raise_if_not_found=False)
    if template and UTC_DEADLINES in (template.body_html or ""):
        template.body_html = template.body_html.replace(UTC_DEADLINES, LOCAL_DEADLINES)
