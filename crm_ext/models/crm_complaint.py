# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import collections
import logging

from psycopg2 import sql

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..tools import access, clock
from .complaint_working_time import WorkingTime
from .crm_complaint_sla import SEVERITIES
from .crm_complaint_stage import RESOLVING_KINDS, STAGE_KINDS

_logger = logging.getLogger(__name__)

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("web", "Web"),
    ("walk_in", "Walk-in"),
    ("social_media", "Social Media"),
    ("letter", "Letter"),
]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
ROOT_CAUSE_TYPES = [
    ("product_quality", "Product Quality"),
    ("delivery", "Delivery"),
    ("service", "Service"),
    ("billing", "Billing"),
    ("communication", "Communication"),
    ("customer_misuse", "Customer Misuse"),
    ("other", "Other"),
]
RESOLUTION_TYPES = [
    ("explanation", "Explanation"),
    ("refund", "Refund"),
    ("replacement", "Replacement"),
    ("repair", "Repair"),
    ("compensation", "Compensation Points"),
    ("other", "Other"),
]
PRIORITIES = [("0", "Normal"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")]
# The complaints the escalation job reads again (SQL, table alias
# "complaint"): those whose stored SLA status time may have moved (it only
# moves once the at-risk moment has passed, which comes before the other
# deadlines) or that await an escalation, among those whose clock may run
# (it stops on hold and once resolved or closed).  Only a filter: the
# status and whether the clock runs are decided by sla_status and
# sla_stopped_since below, the one rule of the form and of the job.
DUE_SQL = """complaint.sla_id IS NOT NULL
          AND complaint.date_hold_start IS NULL
          AND complaint.date_resolved IS NULL
          AND complaint.date_closed IS NULL
          AND ((complaint.sla_status IN ('on_track', 'at_risk')
                AND complaint.at_risk_deadline <= %(now)s)
               OR (complaint.sla_status = 'breached'
                   AND NOT COALESCE(complaint.escalated_breached, FALSE)))"""
# what the SLA rule reads of a complaint: datetimes naive UTC (or None)
SlaValues = collections.namedtuple("SlaValues", [
    "sla_id", "ack_deadline", "resolve_deadline", "at_risk_deadline", "date_acknowledged",
    "date_resolved", "date_closed", "is_closed", "date_hold_start"])


def sla_values(raw):
    """SlaValues of the raw values of its fields, in order (datetimes as Odoo
    reads them: strings)."""
    return SlaValues(*[fields.Datetime.from_string(value) if isinstance(value, str) else value
                       for value in raw])


def sla_end(values):
    """When the complaint was resolved, else closed, or None while open."""
    return values.date_resolved or (values.date_closed if values.is_closed else None)


def sla_stopped_since(values):
    """When the SLA clock stopped: at the resolution or closing, or when the
    complaint went on hold; None while the clock runs."""
    return sla_end(values) or values.date_hold_start


def sla_status(values, now):
    """The SLA status of a complaint (``values``: SlaValues) at ``now``:
    the clock stops at the resolution (or the closing) and while the
    complaint is on hold.  The one rule of the status: the form computes it,
    the escalation job writes it."""
    if not values.sla_id or not values.resolve_deadline:
        return False
    end = sla_end(values)
    clock = sla_stopped_since(values) or now
    acknowledged = values.date_acknowledged or (end and clock)
    late = (acknowledged > values.ack_deadline if acknowledged
            else clock >= values.ack_deadline)
    if late or (end and end > values.resolve_deadline) or (
            not end and clock >= values.resolve_deadline):
        return "breached"
    if end:
        return "met"
    if clock >= values.at_risk_deadline:
        return "at_risk"
    return "on_track"


# fields that choose the SLA policy of a complaint
SLA_MATCH_FIELDS = ("severity", "category_id", "partner_id", "company_id")
# the fields of a mail template that generate_email renders
MAIL_TEMPLATE_FIELDS = ("subject", "body_html", "email_from", "email_to", "partner_to",
                        "email_cc", "reply_to", "scheduled_date")
# complaints escalated per batch by the cron
ESCALATION_BATCH = 1000


class CrmComplaint(models.Model):
    """A customer complaint, from reception to closing, with its SLA
    deadlines; see :meth:`_cron_escalate` for the escalation."""

    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_received desc, id desc"

    name = fields.Char(
        "Reference", required=True, copy=False, readonly=True, index=True,
        default=lambda self: _("New"))
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, track_visibility="onchange",
        help="The customer who complains; its commercial entity is used for documents.")
    commercial_partner_id = fields.Many2one(
        "res.partner", related="partner_id.commercial_partner_id", store=True,
        readonly=True, index=True)
    # stored for the salespeople's record rule (a path to the customer's
    # salesperson would list every customer without one)
    salesperson_id = fields.Many2one(
        related="commercial_partner_id.user_id", store=True, readonly=True, index=True)
    contact_id = fields.Many2one("res.partner")
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    category_id = fields.Many2one(
        "crm.complaint.category", index=True, track_visibility="onchange")
    tag_ids = fields.Many2many("crm.complaint.tag")
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", track_visibility="onchange")
    priority = fields.Selection(
        PRIORITIES, default="0", index=True, track_visibility="onchange")
    description = fields.Html()
    sale_order_id = fields.Many2one("sale.order")
    invoice_id = fields.Many2one("account.invoice")
    picking_id = fields.Many2one("stock.picking", "Delivery")
    product_id = fields.Many2one("product.product")
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial Number")
    team_id = fields.Many2one(
        "crm.team", index=True, track_visibility="onchange",
        default=lambda self: self.env.user.sale_team_id)
    user_id = fields.Many2one(
        "res.users", "Responsible", index=True, track_visibility="onchange",
        default=lambda self: self.env.user)
    stage_id = fields.Many2one(
        "crm.complaint.stage", required=True, index=True, copy=False,
        track_visibility="onchange", group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage_id(), ondelete="restrict")
    stage_kind = fields.Selection(
        STAGE_KINDS, related="stage_id.stage_kind", store=True, readonly=True)
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, readonly=True)
    color = fields.Integer("Color Index")
    kanban_state = fields.Selection(
        [("normal", "In Progress"), ("done", "Ready"), ("blocked", "Blocked")],
        default="normal", copy=False)
    date_received = fields.Datetime(
        "Received", required=True, index=True, default=fields.Datetime.now, copy=False)
    date_acknowledged = fields.Datetime("Acknowledged", copy=False, readonly=True)
    date_resolved = fields.Datetime("Resolved", copy=False, readonly=True)
    date_closed = fields.Datetime("Closed", copy=False, readonly=True)
    root_cause_type = fields.Selection(ROOT_CAUSE_TYPES, "Root Cause Category")
    root_cause = fields.Text()
    corrective_action = fields.Text()
    preventive_action = fields.Text()
    resolution_type = fields.Selection(RESOLUTION_TYPES, track_visibility="onchange")
    resolution = fields.Text()
    # SLA
    sla_id = fields.Many2one(
        "crm.complaint.sla", "SLA Policy", index=True, track_visibility="onchange",
        help="The first matching policy by sequence, chosen when the complaint is "
             "recorded and when its severity, category or customer change.")
    ack_deadline = fields.Datetime(
        "Acknowledge By", compute="_compute_sla_deadlines", store=True,
        help="The policy's hours to acknowledge after the reception, counted in the working "
             "hours of the policy in the time zone of their company (SLA Time Zone); in "
             "UTC when that company has none, as the policy's form warns.")
    resolve_deadline = fields.Datetime(
        "Resolve By", compute="_compute_sla_deadlines", store=True, index=True,
        help="The policy's hours to resolve after the reception and the time on hold, "
             "counted in the working hours of the policy in the time zone of their company "
             "(SLA Time Zone); in UTC when that company has none, as the policy's form "
             "warns.")
    at_risk_deadline = fields.Datetime(
        "At Risk From", compute="_compute_sla_deadlines", store=True, index=True,
        help="After this moment the next deadline is at risk (at the policy's at-risk "
             "ratio of the allowed time).")
    sla_time_zone = fields.Char(
        "SLA Time Zone", related="sla_id.time_zone", readonly=True,
        help="The time zone of the working hours the deadlines are counted in.")
    sla_status = fields.Selection(
        SLA_STATUSES, "SLA Status", compute="_compute_sla_status", store=True, index=True,
        help="Kept current by the escalation job while the complaint is open.")
    hold_hours = fields.Float(
        "Hours on Hold", readonly=True, copy=False,
        help="Working hours the SLA clock stood still: in stages that pause the SLA and, "
             "for a reopened complaint, while it was resolved or closed; the resolution "
             "deadline moves out by them.")
    date_hold_start = fields.Datetime("On Hold Since", readonly=True, copy=False)
    escalated_at_risk = fields.Boolean(readonly=True, copy=False)
    escalated_breached = fields.Boolean(readonly=True, copy=False)
    resolution_hours = fields.Float(
        compute="_compute_resolution_hours", store=True, group_operator="avg",
        help="Working hours from reception to resolution, without the hours on hold.")

    @api.model
    def _default_stage_id(self):
        return self.env["crm.complaint.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain, order):
        return stages.search([], order=order)  # pylint: disable=no-search-all

    @api.model
    def _now(self):
        """The current moment (naive UTC), from crm_ext's clock (see
        :mod:`odoo.addons.crm_ext.tools.clock`: tests freeze it there)."""
        return clock.now(self.env)

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------

    @api.model
    def _working_time(self, calendar):
        """Working time of ``calendar`` in the time zone of its company (UTC
        without one), read in one query, once per
        ``complaint_working_time_cache`` of the context (a dict shared by
        one computation over many complaints)."""
        cache = self.env.context.get("complaint_working_time_cache")
        if cache is not None and calendar.id in cache:
            return cache[calendar.id]
        # one query: the time zone, then the attendances and the leaves
        self.env.cr.execute("""
            SELECT 'tz', partner.tz, NULL::float, NULL::float, NULL::timestamp,
                   NULL::timestamp
              FROM resource_calendar calendar
              LEFT JOIN res_company company ON company.id = calendar.company_id
              LEFT JOIN res_partner partner ON partner.id = company.partner_id
             WHERE calendar.id = %(calendar)s
             UNION ALL
            SELECT 'attendance', dayofweek, hour_from, hour_to, date_from, date_to
              FROM resource_calendar_attendance WHERE calendar_id = %(calendar)s
             UNION ALL
            SELECT 'leave', NULL, NULL, NULL, date_from, date_to
              FROM resource_calendar_leaves
             WHERE calendar_id = %(calendar)s AND resource_id IS NULL
        """, {"calendar": calendar.id})
        tz_name, attendances, leaves = None, [], []
        for kind, text, hour_from, hour_to, start, end in self.env.cr.fetchall():
            if kind == "tz":
                tz_name = text
            elif kind == "attendance":
                attendances.append((text, hour_from, hour_to, start and start.date(),
                                    end and end.date()))
            else:
                leaves.append((start, end))
        working_time = WorkingTime(attendances, leaves, tz_name)
        if cache is not None:
            cache[calendar.id] = working_time
        return working_time

    @api.model
    def _sla_deadline(self, start, hours, calendar):
        """The moment ``hours`` working hours of ``calendar`` after
        ``start`` (naive UTC datetimes), leaves excluded."""
        deadline = self._working_time(calendar).plan(start, hours)
        if deadline is None:
            raise UserError(_("The working hours %(calendar)s have no working time to plan "
                              "%(hours)s hours.") % {"calendar": calendar.name, "hours": hours})
        return deadline

    @api.multi
    def _sla_match_data(self):
        """What matching needs, in one round trip: the active policies of
        the complaints' companies by sequence, the customers' grade and
        segment in those companies (customer insight) and the categories'
        parents.  Returns (policies as (id, company id, severity, category
        id, grade code, segment id), {(partner id, company id): (grade,
        segment id)}, {category id: ids of it and its parents})."""
        company_ids = tuple(set(self.mapped("company_id").ids)) or (0,)
        partner_ids = tuple(set(self.mapped("commercial_partner_id").ids)) or (0,)
        category_ids = tuple(set(self.mapped("category_id").ids)) or (0,)
        self.env.cr.execute("""
            WITH RECURSIVE up (category_id, ancestor_id) AS (
                SELECT id, id FROM crm_complaint_category WHERE id IN %(categories)s
                 UNION
                SELECT up.category_id, category.parent_id
                  FROM up JOIN crm_complaint_category category ON category.id = up.ancestor_id
                 WHERE category.parent_id IS NOT NULL)
            SELECT (SELECT json_agg(json_build_array(sla.id, sla.company_id, sla.severity,
                                                     sla.category_id, grade.code,
                                                     sla.segment_id)
                                    ORDER BY sla.sequence, sla.id)
                      FROM crm_complaint_sla sla
                      LEFT JOIN crm_customer_grade grade ON grade.id = sla.grade_id
                     WHERE sla.active AND sla.company_id IN %(companies)s),
                   (SELECT json_agg(json_build_array(partner_id, company_id, grade,
                                                     segment_id))
                      FROM crm_customer_insight
                     WHERE partner_id IN %(partners)s AND company_id IN %(companies)s),
                   (SELECT json_agg(json_build_array(category_id, ancestor_id)) FROM up)
        """, {"companies": company_ids, "partners": partner_ids, "categories": category_ids})
        policies, profiles, categories = self.env.cr.fetchone()
        ancestors = {}
        for category_id, ancestor_id in categories or ():
            ancestors.setdefault(category_id, set()).add(ancestor_id)
        return (policies or [],
                {(row[0], row[1]): (row[2], row[3]) for row in profiles or ()},
                ancestors)

    @api.multi
    def _match_sla(self):
        """The first matching active SLA policy of each complaint by
        sequence: {complaint: policy (possibly empty)}.  A policy matches
        when each of its criteria is empty or equal to the complaint's
        (severity, category or one of its parents, customer grade and
        segment in the complaint's company)."""
        policies, profiles, ancestors = self._sla_match_data()
        empty = self.env["crm.complaint.sla"]
        result = {}
        for complaint in self:
            company_id = complaint.company_id.id
            grade, segment_id = profiles.get(
                (complaint.commercial_partner_id.id, company_id), (None, None))
            category_ids = ancestors.get(complaint.category_id.id, ())
            policy_id = next((
                policy_id for policy_id, policy_company_id, severity, category_id,
                policy_grade, policy_segment_id in policies
                if policy_company_id == company_id
                and (not severity or severity == complaint.severity)
                and (not category_id or category_id in category_ids)
                and (not policy_grade or policy_grade == grade)
                and (not policy_segment_id or policy_segment_id == segment_id)), None)
            result[complaint] = empty.browse(policy_id) if policy_id else empty
        return result

    @api.multi
    def _apply_sla(self):
        """Set the matching SLA policy, records grouped by policy."""
        by_policy = {}
        for complaint, policy in self._match_sla().items():
            if complaint.sla_id != policy:
                by_policy.setdefault(policy, self.browse())
                by_policy[policy] |= complaint
        for policy, complaints in by_policy.items():
            complaints.write({"sla_id": policy.id})
        return True

    @api.depends("sla_id", "date_received", "hold_hours", "date_acknowledged")
    def _compute_sla_deadlines(self):
        """Deadlines in working hours of the policy's calendar from the
        reception; the resolution's moved out by the hours the clock stood
        still (on hold, resolved or closed: always after the acknowledgement,
        whose deadline they leave alone); the at-risk moment is the
        policy's ratio of the time of the next deadline."""
        policies = self._sla_policies()
        for complaint in self:
            policy = policies.get(complaint.sla_id.id)
            if not policy or not complaint.date_received:
                complaint.ack_deadline = False
                complaint.resolve_deadline = False
                complaint.at_risk_deadline = False
                continue
            ack_hours, resolve_hours, ratio, calendar_id, working_time = policy
            start = fields.Datetime.from_string(complaint.date_received)
            hold = complaint.hold_hours
            risk_hours = (resolve_hours * ratio + hold if complaint.date_acknowledged
                          else ack_hours * ratio)
            deadlines = [working_time.plan(start, hours)
                         for hours in (ack_hours, resolve_hours + hold, risk_hours)]
            if None in deadlines:
                calendar = self.env["resource.calendar"].browse(calendar_id)
                raise UserError(_("The working hours %(calendar)s have no working time to "
                                  "plan %(hours)s hours.") % {
                                      "calendar": calendar.name, "hours": resolve_hours})
            (complaint.ack_deadline, complaint.resolve_deadline,
             complaint.at_risk_deadline) = [fields.Datetime.to_string(deadline)
                                            for deadline in deadlines]

    @api.multi
    def _sla_policies(self):
        """{policy id: (hours to acknowledge, hours to resolve, at-risk
        ratio, calendar id, working time of the calendar)} of the
        complaints' policies, with their calendars, in one query."""
        policy_ids = tuple(set(self.mapped("sla_id").ids))
        if not policy_ids:
            return {}
        self.env.cr.execute("""
            SELECT sla.id, sla.ack_hours, sla.resolve_hours, sla.at_risk_ratio,
                   sla.resource_calendar_id, partner.tz,
                   (SELECT json_agg(json_build_array(
                               attendance.dayofweek, attendance.hour_from, attendance.hour_to,
                               to_char(attendance.date_from, 'YYYY-MM-DD'),
                               to_char(attendance.date_to, 'YYYY-MM-DD')))
                      FROM resource_calendar_attendance attendance
                     WHERE attendance.calendar_id = sla.resource_calendar_id),
                   (SELECT json_agg(json_build_array(
                               to_char(leave.date_from, 'YYYY-MM-DD HH24:MI:SS'),
                               to_char(leave.date_to, 'YYYY-MM-DD HH24:MI:SS')))
                      FROM resource_calendar_leaves leave
                     WHERE leave.calendar_id = sla.resource_calendar_id
                       AND leave.resource_id IS NULL)
              FROM crm_complaint_sla sla
              JOIN resource_calendar calendar ON calendar.id = sla.resource_calendar_id
              LEFT JOIN res_company company ON company.id = calendar.company_id
              LEFT JOIN res_partner partner ON partner.id = company.partner_id
             WHERE sla.id IN %s
        """, (policy_ids,))
        policies = {}
        working_times = {}
        for (policy_id, ack_hours, resolve_hours, ratio, calendar_id, tz_name, attendances,
             leaves) in self.env.cr.fetchall():
            if calendar_id not in working_times:
                working_times[calendar_id] = WorkingTime(
                    attendances or [], leaves or [], tz_name)
            policies[policy_id] = (ack_hours, resolve_hours, ratio, calendar_id,
                                   working_times[calendar_id])
        return policies

    @api.depends("ack_deadline", "resolve_deadline", "at_risk_deadline", "date_acknowledged",
                 "date_resolved", "date_closed", "date_hold_start", "stage_id")
    def _compute_sla_status(self):
        now = self._now()
        for complaint in self:
            complaint.sla_status = complaint._sla_status_at(now)

    @api.multi
    def _sla_values(self):
        """What the SLA rule reads of the complaint (see SlaValues)."""
        self.ensure_one()
        return sla_values(self.sla_id.id if name == "sla_id" else self[name]
                          for name in SlaValues._fields)

    @api.multi
    def _sla_end(self):
        """When the complaint was resolved, else closed (naive UTC), or
        None while it is open."""
        return sla_end(self._sla_values())

    @api.multi
    def _sla_stopped_since(self):
        """When the SLA clock of the complaint stopped: at its resolution or
        closing, or when it went on hold; None while the clock runs."""
        return sla_stopped_since(self._sla_values())

    @api.multi
    def _sla_status_at(self, now):
        """The SLA status at ``now`` (see :func:`sla_status`)."""
        return sla_status(self._sla_values(), now)

    @api.depends("date_received", "date_resolved", "hold_hours", "sla_id")
    def _compute_resolution_hours(self):
        for complaint in self:
            if not complaint.date_resolved:
                complaint.resolution_hours = 0.0
                continue
            complaint.resolution_hours = max(0.0, complaint._working_hours_between(
                complaint.date_received, complaint.date_resolved) - complaint.hold_hours)

    @api.multi
    def _working_hours_between(self, start, end):
        """Working hours between two moments in the calendar of the SLA
        policy (of the company without policy; clock hours without any)."""
        self.ensure_one()
        start, end = fields.Datetime.from_string(start), fields.Datetime.from_string(end)
        calendar = (self.sla_id.resource_calendar_id
                    or self.company_id.resource_calendar_id)
        if not calendar:
            return max(0.0, (end - start).total_seconds() / 3600.0)
        return self._working_time(calendar).hours_between(start, end)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def create(self, vals):
        vals = dict(vals)
        if vals.get("name", _("New")) == _("New"):
            vals["name"] = self.env["ir.sequence"].next_by_code("crm.complaint") or _("New")
        stage = self.env["crm.complaint.stage"].browse(vals.get("stage_id"))
        first_stage = self._default_stage_id()
        if stage and first_stage and stage != first_stage:
            # enter later stages through write(): their dates and checks apply
            vals["stage_id"] = first_stage.id
        else:
            stage = None
        complaint = super(CrmComplaint, self).create(vals)
        if not vals.get("sla_id"):
            complaint._apply_sla()
        if stage:
            complaint.write({"stage_id": stage.id})
        return complaint

    @api.multi
    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["crm.complaint.stage"].browse(vals["stage_id"])
            self._check_can_enter(stage, vals)
            changing = self.filtered(lambda complaint: complaint.stage_id != stage)
            result = super(CrmComplaint, self - changing).write(vals) if self - changing else True
            for complaint in changing:
                reopening = complaint._sla_end() and not (
                    stage.stage_kind in RESOLVING_KINDS or stage.is_closed)
                stage_vals = complaint._stage_change_values(stage, vals)
                super(CrmComplaint, complaint).write(dict(vals, **stage_vals))
                if reopening:
                    complaint._rearm_escalations()
        else:
            if {"resolution_type", "resolution"} & set(vals):
                # a resolved complaint keeps its resolution
                for stage in self.mapped("stage_id"):
                    self.filtered(lambda complaint: complaint.stage_id == stage)\
                        ._check_can_enter(stage, vals)
            result = super(CrmComplaint, self).write(vals)
        if set(SLA_MATCH_FIELDS) & set(vals) and "sla_id" not in vals:
            self._apply_sla()
        return result

    @api.multi
    def _check_can_enter(self, stage, vals):
        """Resolving needs a resolution type and text: nothing is written
        otherwise."""
        if stage.stage_kind not in RESOLVING_KINDS:
            return
        missing = self.filtered(lambda complaint: not (
            vals.get("resolution_type", complaint.resolution_type)
            and (vals.get("resolution", complaint.resolution) or "").strip()))
        if missing:
            raise UserError(_(
                "Give the resolution type and describe the resolution before moving these "
                "complaints to %(stage)s: %(complaints)s") % {
                    "stage": stage.name, "complaints": ", ".join(missing.mapped("name"))})

    @api.multi
    def _stage_change_values(self, stage, vals):
        """Dates and hold time of the complaint entering ``stage``.  The SLA
        clock stops on hold and once the complaint is resolved or closed;
        the time it stood still, counted when it runs again (a reopening
        resumes it), moves the deadlines out."""
        self.ensure_one()
        now = fields.Datetime.to_string(self._now())
        values = {}
        finishing = stage.stage_kind in RESOLVING_KINDS or stage.is_closed
        if finishing or not stage.pauses_sla:
            # a hold ends at the resolution or the closing (the clock stops
            # there anyway), a stop of any kind when the clock runs again
            stopped_since = (self.date_hold_start if finishing
                             else fields.Datetime.to_string(self._sla_stopped_since()))
            if stopped_since:
                values["hold_hours"] = self.hold_hours + self._working_hours_between(
                    stopped_since, now)
            if self.date_hold_start:
                values["date_hold_start"] = False
        elif not self.date_hold_start:
            # on hold from now, or since a reopened complaint was finished
            values["date_hold_start"] = (
                fields.Datetime.to_string(self._sla_stopped_since()) or now)
        if stage.stage_kind != "new" and not self.date_acknowledged:
            values["date_acknowledged"] = vals.get("date_acknowledged") or now
        if stage.stage_kind in RESOLVING_KINDS:
            if not self.date_resolved:
                values["date_resolved"] = vals.get("date_resolved") or now
        elif stage.stage_kind != "rejected":
            values["date_resolved"] = False
        if stage.is_closed:
            values["date_closed"] = vals.get("date_closed") or self.date_closed or now
        else:
            values["date_closed"] = False
        if stage.stage_kind not in RESOLVING_KINDS and not stage.is_closed and (
                self.date_resolved or self.date_closed):
            self.message_post(body=_("Complaint reopened."),
                              subtype="mail.mt_note")
        return values

    @api.multi
    def _rearm_escalations(self):
        """After a reopening, the escalations of the earlier cycle neither
        block nor force those of the next one: a threshold the resumed clock
        has not reached is escalated when it is; one it had passed already
        keeps its escalation (made or still due), not made twice."""
        status = self._sla_status_at(self._now())
        values = {}
        if status not in ("at_risk", "breached") and self.escalated_at_risk:
            values["escalated_at_risk"] = False
        if status != "breached" and self.escalated_breached:
            values["escalated_breached"] = False
        if values:
            self.write(values)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _refresh_sla_status(self, now):
        """Bring the stored SLA status up to ``now`` where time may have
        moved it (see DUE_SQL), by the rule of :func:`sla_status`.  Returns
        the complaints due for an escalation, by threshold: {"breached":
        ids, "at_risk": ids}."""
        cr = self.env.cr
        cr.execute("""
            SELECT complaint.id, complaint.sla_status, complaint.escalated_at_risk,
                   complaint.escalated_breached, {columns}
              FROM crm_complaint complaint
             WHERE {due}
             ORDER BY complaint.id
        """.format(columns=", ".join("complaint.%s" % name for name in SlaValues._fields),
                   due=DUE_SQL), {"now": now})
        changed = {}
        due = {"breached": [], "at_risk": []}
        for row in cr.fetchall():
            complaint_id, stored, escalated_at_risk, escalated_breached = row[:4]
            values = sla_values(row[4:])
            status = sla_status(values, now)
            if status != stored:
                changed.setdefault(status, []).append(complaint_id)
            if sla_stopped_since(values) or escalated_breached:
                continue
            if status == "breached":
                due["breached"].append(complaint_id)
            elif status == "at_risk" and not escalated_at_risk:
                due["at_risk"].append(complaint_id)
        for status, ids in sorted(changed.items()):
            cr.execute("UPDATE crm_complaint SET sla_status = %s WHERE id IN %s",
                       (status or None, tuple(ids)))
            self.invalidate_cache(["sla_status"], ids)
        return due

    @api.model
    def _cron_escalate(self, now=None, batch_size=ESCALATION_BATCH):
        """Escalate the open complaints whose at-risk or breach moment has
        passed and that were not yet escalated for it, ``batch_size`` at a
        time; a complaint past both is escalated once, as breached.
        Re-running does nothing more: see :meth:`_escalate`.  Returns the
        number of escalations."""
        now = now or self._now()
        due = self._refresh_sla_status(now)
        escalated = 0
        for threshold in ("breached", "at_risk"):
            ids = due[threshold]
            for start in range(0, len(ids), batch_size):
                escalated += len(self.browse(ids[start:start + batch_size])._escalate(
                    threshold, now))
        _logger.info("Complaints: %d escalations", escalated)
        return escalated

    @api.multi
    def _escalate(self, threshold, now):
        """Escalate these complaints for ``threshold`` (at_risk, breached):
        claim them (flag and priority bump in one UPDATE that skips those
        already escalated for it), then write for the claimed ones, set-based,
        what the ORM writes when it escalates them one at a time (see
        test_12_7_escalation_writes_what_the_orm_writes): the priority's
        tracking, an activity for the team leader, who follows the complaint
        from then on, a chatter note and the email to the responsible from
        its template.  Returns the claimed complaints."""
        if not self:
            return self
        breached = threshold == "breached"
        cr, uid = self.env.cr, self.env.uid
        cr.execute("""
            UPDATE crm_complaint complaint
               SET escalated_at_risk = TRUE,
                   escalated_breached = COALESCE(complaint.escalated_breached, FALSE)
                                        OR %(breached)s,
                   priority = LEAST(COALESCE(NULLIF(complaint.priority, ''), '0')::int + 1,
                                    3)::text,
                   write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT id, priority FROM crm_complaint WHERE id IN %(ids)s) before
             WHERE complaint.id = before.id
               AND NOT COALESCE(complaint.escalated_breached, FALSE)
               AND (%(breached)s OR NOT COALESCE(complaint.escalated_at_risk, FALSE))
         RETURNING complaint.id, before.priority, complaint.priority
        """, {"breached": breached, "uid": uid, "now": now, "ids": tuple(self.ids)})
        priorities = {row[0]: row[1:] for row in cr.fetchall()}
        claimed = self.browse(sorted(priorities))
        self.invalidate_cache(["escalated_at_risk", "escalated_breached", "priority"], self.ids)
        if not claimed:
            return claimed
        if breached:
            label = _("SLA breached")
        else:
            label = _("SLA at risk")
        claimed._escalation_tracking(priorities, now)
        claimed._escalation_activities(label, now)
        claimed._escalation_notes(label, now)
        claimed._escalation_emails(label, now)
        return claimed

    @api.model
    def _insert_rows(self, table, rows, returning=None):
        """Insert ``rows`` (dicts with the same keys) into ``table`` in one
        statement; returns the ``returning`` columns of the new rows."""
        cr = self.env.cr
        columns = sorted(rows[0])
        query = sql.SQL("INSERT INTO {table} ({columns}) VALUES ").format(
            table=sql.Identifier(table),
            columns=sql.SQL(", ").join(sql.Identifier(column) for column in columns))
        row_sql = "(%s)" % ", ".join(["%s"] * len(columns))
        tail = ""
        if returning:
            tail = sql.SQL(" RETURNING {}").format(sql.SQL(", ").join(
                sql.Identifier(column) for column in returning)).as_string(cr._obj)
        cr.execute(query.as_string(cr._obj) + ", ".join([row_sql] * len(rows)) + tail,
                   [row[column] for row in rows for column in columns])
        return cr.fetchall() if returning else None

    @api.model
    def _stamp(self, now):
        """The columns the ORM writes on every row it creates."""
        return {"create_uid": self.env.uid, "create_date": now,
                "write_uid": self.env.uid, "write_date": now}

    @api.multi
    def _escalation_tracking(self, priorities, now):
        """The tracking message of the raised priorities, as write() posts
        it; ``priorities``: {complaint id: (before, after)}."""
        field_info = self.fields_get(["priority"])["priority"]
        tracking = self.env["mail.tracking.value"]
        changed = [(complaint_id, before, after)
                   for complaint_id, (before, after) in sorted(priorities.items())
                   if (before or False) != (after or False)]
        if not changed:
            return
        messages = self._insert_messages(
            [{"res_id": complaint_id, "body": ""} for complaint_id, _before, _after in changed],
            now)
        self._insert_rows("mail_tracking_value", [dict(
            tracking.create_tracking_values(before, after, "priority", field_info),
            mail_message_id=messages[complaint_id], **self._stamp(now))
            for complaint_id, before, after in changed])

    @api.multi
    def _escalation_activities(self, label, now):
        """An activity per complaint for the leader of its team, else of the
        responsible's team, else the responsible, else the creator, who then
        follows the complaint (mail.activity.create subscribes and notifies
        one record at a time); each leader is notified once."""
        activity_type = self.env.ref("crm_ext.mail_activity_data_complaint_escalation")
        self.env.cr.execute("""
            SELECT complaint.id,
                   COALESCE(team.user_id, user_team.user_id, complaint.user_id,
                            complaint.create_uid)
              FROM crm_complaint complaint
              LEFT JOIN crm_team team ON team.id = complaint.team_id
              LEFT JOIN res_users responsible ON responsible.id = complaint.user_id
              LEFT JOIN crm_team user_team ON user_team.id = responsible.sale_team_id
             WHERE complaint.id IN %s
             ORDER BY complaint.id
        """, (tuple(self.ids),))
        leaders = [row for row in self.env.cr.fetchall() if row[1]]
        if not leaders:
            return
        names = dict(self.sudo().with_context(prefetch_fields=False).browse(
            [row[0] for row in leaders]).name_get())
        model_id = self.env["ir.model"]._get_id(self._name)
        self._insert_rows("mail_activity", [dict(
            res_id=complaint_id, res_model_id=model_id, res_model=self._name,
            res_name=names[complaint_id], activity_type_id=activity_type.id,
            summary="%s: %s" % (label, names[complaint_id]), date_deadline=now.date(),
            user_id=user_id, **self._stamp(now)) for complaint_id, user_id in leaders])
        self.invalidate_cache(["activity_ids"], self.ids)
        users = self.env["res.users"].browse(set(row[1] for row in leaders))
        self._subscribe_partners([(complaint_id, users.browse(user_id).partner_id.id)
                                  for complaint_id, user_id in leaders], now)
        for partner in users.mapped("partner_id"):
            self.env["bus.bus"].sendone(
                (self.env.cr.dbname, "res.partner", partner.id),
                {"type": "activity_updated", "activity_created": True})

    @api.model
    def _subscribe_partners(self, pairs, now):
        """Make each partner of ``pairs`` (complaint id, partner id) a
        follower of the complaint with the default subtypes, as
        message_subscribe does (the partner's earlier subscription goes)."""
        cr = self.env.cr
        cr.execute("""
            DELETE FROM mail_followers
             WHERE res_model = %s
               AND (res_id, partner_id) IN (SELECT * FROM unnest(%s::int[], %s::int[]))
        """, (self._name, [pair[0] for pair in pairs], [pair[1] for pair in pairs]))
        followers = self._insert_rows("mail_followers", [
            {"res_model": self._name, "res_id": res_id, "partner_id": partner_id}
            for res_id, partner_id in pairs], returning=("id", "partner_id"))
        subtypes, _internal, external = self.env["mail.message.subtype"].default_subtypes(
            self._name)
        employees = self.env["res.users"].sudo().search([
            ("partner_id", "in", list(set(pair[1] for pair in pairs))),
            ("share", "=", False)]).mapped("partner_id").ids
        rows = [{"mail_followers_id": follower_id, "mail_message_subtype_id": subtype_id}
                for follower_id, partner_id in followers
                for subtype_id in (subtypes if partner_id in employees else external).ids]
        if rows:
            self._insert_rows("mail_followers_mail_message_subtype_rel", rows)
        self.invalidate_cache(["message_follower_ids", "message_partner_ids"],
                              [pair[0] for pair in pairs])

    @api.model
    def _insert_messages(self, values_list, now, notify=True):
        """Chatter messages of complaints in one INSERT, stored as
        message_post stores them (a note by default, answering the thread's
        first email else its first message, with the reply-to address of the
        complaint); ``values_list``: dicts of mail.message values with
        ``res_id`` and ``body``.  The followers of their subtype are notified
        as message_post notifies them.  Returns {res_id: message id}."""
        author = self.env.user.partner_id
        email_from = self.env["mail.message"]._get_default_from()
        res_ids = [values["res_id"] for values in values_list]
        reply_to = self.message_get_reply_to(res_ids, default=email_from)
        names = dict(self.sudo().with_context(prefetch_fields=False).browse(res_ids).name_get())
        body_field = self.env["mail.message"]._fields["body"]
        note = self.env.ref("mail.mt_note")
        # message_post answers the first email of the thread, else its first
        # message (an email from the template answers nothing)
        self.env.cr.execute("""
            SELECT res_id, COALESCE(MIN(id) FILTER (WHERE message_type = 'email'), MIN(id))
              FROM mail_message WHERE model = %s AND res_id IN %s GROUP BY res_id
        """, (self._name, tuple(res_ids)))
        threads = dict(self.env.cr.fetchall())
        sanitized = {}
        rows = []
        for values in values_list:
            res_id = values["res_id"]
            if values["body"] not in sanitized:
                sanitized[values["body"]] = body_field.convert_to_column(
                    values["body"], self.env["mail.message"])
            row = {
                "model": self._name, "res_id": res_id, "record_name": names[res_id],
                "subject": None, "message_type": "notification", "subtype_id": note.id,
                "author_id": author.id, "email_from": email_from,
                "reply_to": reply_to[res_id], "date": now, "no_auto_thread": False,
                "mail_server_id": None, "mail_activity_type_id": None,
                "parent_id": threads.get(res_id),
                # what the rating module computes of a message nobody rated
                "rating_value": 0.0,
                "message_id": tools.generate_tracking_message_id(
                    "%s-%s" % (res_id, self._name)),
            }
            row.update(values, body=sanitized[values["body"]])
            if row["message_type"] == "email":
                row["parent_id"] = None
            rows.append(dict(row, **self._stamp(now)))
        messages = dict(self._insert_rows("mail_message", rows, returning=("res_id", "id")))
        if notify:
            self._notify_followers(list(messages.values()))
        self.invalidate_cache(["message_ids"], res_ids)
        return messages

    @api.model
    def _notify_followers(self, message_ids):
        """Notify the messages as mail.message.create does, for those that
        have someone to notify (followers of their subtype but the author):
        few or none of an escalation's notes."""
        self.env.cr.execute("""
            SELECT DISTINCT message.id
              FROM mail_message message
              JOIN mail_followers follower ON follower.res_model = message.model
                                          AND follower.res_id = message.res_id
              JOIN mail_followers_mail_message_subtype_rel subtype
                   ON subtype.mail_followers_id = follower.id
                  AND subtype.mail_message_subtype_id = message.subtype_id
             WHERE message.id IN %s
               AND (follower.channel_id IS NOT NULL
                    OR follower.partner_id IS DISTINCT FROM message.author_id)
             ORDER BY message.id
        """, (tuple(message_ids),))
        context = self.env.context
        for message in self.env["mail.message"].browse([row[0] for row in self.env.cr.fetchall()]):
            message._notify(force_send=context.get("mail_notify_force_send", True),
                            user_signature=context.get("mail_notify_user_signature", True))

    @api.multi
    def _escalation_notes(self, label, now):
        body = "<p>%s</p>" % tools.html_escape(_(
            "%s: escalated to the team leader, priority raised.") % label)
        self._insert_messages([{"res_id": complaint_id, "body": body}
                               for complaint_id in self.ids], now)

    @api.multi
    def _escalation_emails(self, label, now):
        """The escalation email to the responsible of each complaint, as the
        template's send_mail() queues it (not sent), rendered for the whole
        batch (see :meth:`_render_mail_template`); a complaint without
        anyone to send it to gets none."""
        template = self.env.ref("crm_ext.crm_complaint_mail_template_escalation",
                                raise_if_not_found=False)
        if not template:
            return
        template = template.with_context(escalation_label=label)
        if template.attachment_ids or template.report_template or template.use_default_to:
            # files to attach, or the default recipients: as send_mail does
            for complaint_id in self.ids:
                template.send_mail(complaint_id)
            return
        rendered = self._render_mail_template(template)
        complaint_ids = sorted(complaint_id for complaint_id, values in rendered.items()
                               if values["partner_ids"])
        if not complaint_ids:
            return
        default_from = self.env["mail.message"]._get_default_from()
        messages = self._insert_messages([{
            "res_id": complaint_id,
            "message_type": "email",
            "subtype_id": None,
            "subject": rendered[complaint_id]["subject"],
            "body": rendered[complaint_id]["body_html"],
            "email_from": rendered[complaint_id]["email_from"] or default_from,
            "reply_to": rendered[complaint_id]["reply_to"],
            "mail_server_id": rendered[complaint_id]["mail_server_id"] or None,
        } for complaint_id in complaint_ids], now, notify=False)
        mails = self._insert_rows("mail_mail", [dict(
            mail_message_id=messages[complaint_id],
            body_html=rendered[complaint_id]["body_html"],
            email_to=rendered[complaint_id]["email_to"],
            email_cc=rendered[complaint_id]["email_cc"],
            scheduled_date=rendered[complaint_id]["scheduled_date"],
            auto_delete=rendered[complaint_id]["auto_delete"],
            state="outgoing", notification=False, **self._stamp(now))
            for complaint_id in complaint_ids], returning=("mail_message_id", "id"))
        mail_of = dict(mails)
        self._insert_rows("mail_mail_res_partner_rel", [
            {"mail_mail_id": mail_of[messages[complaint_id]], "res_partner_id": partner_id}
            for complaint_id in complaint_ids
            for partner_id in rendered[complaint_id]["partner_ids"]])

    @api.multi
    def _render_mail_template(self, template):
        """{complaint id: values} of ``template`` (without files or default
        recipients) for these complaints, as its generate_email() gives them
        to send_mail(): each field rendered for the records of each
        language, the recipients of partner_to that exist.  Unlike
        generate_email(), it reads only the fields the template reads, and
        checks the recipients in one query."""
        template = template.with_context(prefetch_fields=False)
        results = {}
        by_language = {}
        for res_id, localized in template.get_email_template(self.ids).items():
            by_language.setdefault(localized, []).append(res_id)
        for localized, res_ids in by_language.items():
            renderer = template.browse()
            if localized.lang:
                renderer = renderer.with_context(lang=localized.env.context.get("lang"))
            for field in MAIL_TEMPLATE_FIELDS:
                text = localized[field]
                # an empty text renders as an empty string
                values = renderer.with_context(safe=field == "subject").render_template(
                    text, localized.model, res_ids, post_process=field == "body_html",
                ) if text else dict.fromkeys(res_ids, "")
                for res_id, value in values.items():
                    results.setdefault(res_id, {})[field] = value
            signature = localized.user_signature and self.env.user.signature
            for res_id in res_ids:
                if signature:
                    results[res_id]["body_html"] = tools.append_content_to_html(
                        results[res_id]["body_html"], signature, plaintext=False)
                results[res_id].update(mail_server_id=localized.mail_server_id.id,
                                       auto_delete=localized.auto_delete)
        wanted = {res_id: [int(partner_id)
                           for partner_id in values.pop("partner_to").split(",") if partner_id]
                  for res_id, values in results.items()}
        existing = set(self.env["res.partner"].sudo().browse(
            set().union(*wanted.values())).exists().ids)
        for res_id, partner_ids in wanted.items():
            results[res_id]["partner_ids"] = [partner_id for partner_id in partner_ids
                                              if partner_id in existing]
        return results

    # ------------------------------------------------------------------
    # Mail gateway and tracking
    # ------------------------------------------------------------------

    @api.model
    @api.returns("self", lambda complaint: complaint.id)
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an email to the complaints alias: the sender is
        the customer (found by address, created when unknown).  Called by
        Odoo's mail gateway with the parsed message (a dict, see
        ``mail.thread.message_parse``); returns the complaint (its id over
        RPC).

        :raises AccessError: the caller is not the user the complaints
            alias runs as (the mail gateway runs it as that user).
        :raises UserError: the message has no sender.
        """
        aliases = self.env["mail.alias"].sudo().search(
            [("alias_model_id.model", "=", self._name)])
        if self.env.uid != SUPERUSER_ID and self.env.uid not in aliases.mapped("alias_user_id").ids:
            raise AccessError(_("Complaints arrive by email through the complaints alias."))
        if not isinstance(msg_dict, dict) or not (
                msg_dict.get("email_from") or msg_dict.get("author_id")):
            raise UserError(_("A complaint received by email needs the sender's address."))
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner_id = msg_dict.get("author_id")
        if not partner_id and email_from:
            partner_id = self._find_partner_from_emails(
                [email_from], res_model=False, force_create=True)[0]
        partner = self.env["res.partner"].browse(partner_id)
        if partner:
            values.setdefault("partner_id", partner.commercial_partner_id.id)
            if partner != partner.commercial_partner_id:
                values.setdefault("contact_id", partner.id)
        values.setdefault("channel", "email")
        # the reference comes from the sequence, not from the subject
        values.setdefault("name", _("New"))
        values.setdefault("description", msg_dict.get("body") or "")
        if msg_dict.get("date"):
            values.setdefault("date_received", msg_dict["date"])
        return super(CrmComplaint, self).message_new(msg_dict, custom_values=values)

    @api.multi
    def _track_template(self, tracking):
        """Send the template of the stage a complaint enters (to its
        followers, the customer among them)."""
        res = super(CrmComplaint, self)._track_template(tracking)
        complaint = self[0]
        changes, _tracking_values = tracking[complaint.id]
        if "stage_id" in changes and complaint.stage_id.mail_template_id:
            res["stage_id"] = (complaint.stage_id.mail_template_id,
                               {"composition_mode": "mass_mail"})
        return res

    @api.multi
    def message_get_suggested_recipients(self):
        access.check_readable(self)
        recipients = super(CrmComplaint, self).message_get_suggested_recipients()
        for complaint in self.filtered("partner_id"):
            complaint._message_add_suggested_recipient(
                recipients, partner=complaint.contact_id or complaint.partner_id,
                reason=_("Customer"))
        return recipients
