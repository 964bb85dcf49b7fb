# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from .. import clock
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
# status and whether the clock runs are decided by _sla_status_at and
# _sla_stopped_since, the one rule of the form and of the job.
DUE_SQL = """complaint.sla_id IS NOT NULL
          AND complaint.date_hold_start IS NULL
          AND complaint.date_resolved IS NULL
          AND complaint.date_closed IS NULL
          AND ((complaint.sla_status IN ('on_track', 'at_risk')
                AND complaint.at_risk_deadline <= %(now)s)
               OR (complaint.sla_status = 'breached'
                   AND NOT COALESCE(complaint.escalated_breached, FALSE)))"""
# fields that choose the SLA policy of a complaint
SLA_MATCH_FIELDS = ("severity", "category_id", "partner_id", "company_id")
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
    contact_id = fields.Many2one("res.partner")
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    category_id = fields.Many2one(
        "crm.complaint.category", index=True, track_visibility="onchange")
    tag_ids = fields.Many2many("crm.complaint.tag")
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", track_visibility="onchange")
    priority = fields.Selection(PRIORITIES, default="0", index=True)
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
        :mod:`odoo.addons.crm_ext.clock`: tests freeze it there)."""
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
    def _sla_end(self):
        """When the complaint was resolved, else closed (naive UTC), or
        None while it is open."""
        self.ensure_one()
        to_dt = fields.Datetime.from_string
        return to_dt(self.date_resolved) or (
            to_dt(self.date_closed) if self.is_closed else None)

    @api.multi
    def _sla_stopped_since(self):
        """When the SLA clock of the complaint stopped: at its resolution or
        closing, or when it went on hold; None while the clock runs."""
        self.ensure_one()
        return self._sla_end() or fields.Datetime.from_string(self.date_hold_start)

    @api.multi
    def _sla_status_at(self, now):
        """The SLA status at ``now``: the clock stops at the resolution (or
        the closing) and while the complaint is on hold.  The one rule of
        the status: the form computes it, the escalation job writes it."""
        self.ensure_one()
        if not self.sla_id or not self.resolve_deadline:
            return False
        to_dt = fields.Datetime.from_string
        end = self._sla_end()
        clock = self._sla_stopped_since() or now
        acknowledged = to_dt(self.date_acknowledged) or (end and clock)
        late = ((acknowledged or clock) > to_dt(self.ack_deadline)
                if acknowledged else clock >= to_dt(self.ack_deadline))
        if late or (end and end > to_dt(self.resolve_deadline)) or (
                not end and clock >= to_dt(self.resolve_deadline)):
            return "breached"
        if end:
            return "met"
        if clock >= to_dt(self.at_risk_deadline):
            return "at_risk"
        return "on_track"

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
        moved it (see DUE_SQL), by the rule of :meth:`_sla_status_at`.
        Returns the complaints due for an escalation, by threshold:
        {"breached": ids, "at_risk": ids}."""
        cr = self.env.cr
        cr.execute("SELECT complaint.id FROM crm_complaint complaint WHERE %s "
                   "ORDER BY complaint.id" % DUE_SQL, {"now": now})
        # only the fields the rule reads, for the whole lot
        complaints = self.with_context(prefetch_fields=False).browse(
            [row[0] for row in cr.fetchall()])
        changed = {}
        due = {"breached": [], "at_risk": []}
        for complaint in complaints:
            status = complaint._sla_status_at(now)
            if status != complaint.sla_status:
                changed.setdefault(status, []).append(complaint.id)
            if complaint._sla_stopped_since() or complaint.escalated_breached:
                continue
            if status == "breached":
                due["breached"].append(complaint.id)
            elif status == "at_risk" and not complaint.escalated_at_risk:
                due["at_risk"].append(complaint.id)
        for status, ids in sorted(changed.items()):
            cr.execute("UPDATE crm_complaint SET sla_status = %s WHERE id IN %s",
                       (status or None, tuple(ids)))
        self.invalidate_cache(["sla_status"], complaints.ids)
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
        already escalated for it), then for the claimed ones an activity for
        the team leader, a chatter note and an email to the responsible,
        written set-based.  Returns the claimed complaints."""
        if not self:
            return self
        breached = threshold == "breached"
        cr, uid = self.env.cr, self.env.uid
        cr.execute("""
            UPDATE crm_complaint
               SET escalated_at_risk = TRUE,
                   escalated_breached = COALESCE(escalated_breached, FALSE) OR %(breached)s,
                   priority = LEAST(COALESCE(NULLIF(priority, ''), '0')::int + 1, 3)::text,
                   write_uid = %(uid)s, write_date = %(now)s
             WHERE id IN %(ids)s
               AND NOT COALESCE(escalated_breached, FALSE)
               AND (%(breached)s OR NOT COALESCE(escalated_at_risk, FALSE))
         RETURNING id
        """, {"breached": breached, "uid": uid, "now": now, "ids": tuple(self.ids)})
        claimed = self.browse(sorted(row[0] for row in cr.fetchall()))
        self.invalidate_cache(["escalated_at_risk", "escalated_breached", "priority"], self.ids)
        if not claimed:
            return claimed
        if breached:
            label = _("SLA breached")
        else:
            label = _("SLA at risk")
        targets = claimed._escalation_targets()
        claimed._escalation_activities(label, now, targets)
        claimed._escalation_notes(label, now, targets)
        claimed._escalation_emails(label, now, targets)
        return claimed

    @api.multi
    def _escalation_targets(self):
        """{complaint id: (reference, user to act)}: the user is the leader
        of the complaint's team, else of the responsible's team, else the
        responsible, else the creator (one query, no records read)."""
        self.env.cr.execute("""
            SELECT complaint.id, complaint.name,
                   COALESCE(team.user_id, user_team.user_id, complaint.user_id,
                            complaint.create_uid)
              FROM crm_complaint complaint
              LEFT JOIN crm_team team ON team.id = complaint.team_id
              LEFT JOIN res_users responsible ON responsible.id = complaint.user_id
              LEFT JOIN crm_team user_team ON user_team.id = responsible.sale_team_id
             WHERE complaint.id IN %s
        """, (tuple(self.ids),))
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.multi
    def _escalation_activities(self, label, now, targets):
        """One activity per complaint for its team leader, in one INSERT
        (mail.activity.create subscribes and notifies one record at a
        time); each leader is notified once."""
        activity_type = self.env.ref("crm_ext.mail_activity_data_complaint_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        rows = [(complaint_id, name, user_id, "%s: %s" % (label, name))
                for complaint_id, (name, user_id) in sorted(targets.items()) if user_id]
        if not rows:
            return
        self.env.cr.execute("""
            INSERT INTO mail_activity (res_id, res_model_id, res_model, res_name,
                                       activity_type_id, summary, date_deadline, user_id,
                                       create_uid, create_date, write_uid, write_date)
            SELECT data.res_id, %(model_id)s, %(model)s, data.res_name, %(type)s, data.summary,
                   %(today)s, data.user_id, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(res_ids)s::int[], %(names)s::varchar[], %(users)s::int[],
                          %(summaries)s::varchar[])
                   AS data(res_id, res_name, user_id, summary)
        """, {
            "model_id": model_id, "model": self._name, "type": activity_type.id,
            "today": now.date(), "uid": self.env.uid, "now": now,
            "res_ids": [row[0] for row in rows], "names": [row[1] for row in rows],
            "users": [row[2] for row in rows], "summaries": [row[3] for row in rows],
        })
        self.invalidate_cache(["activity_ids"], self.ids)
        users = self.env["res.users"].browse(set(row[2] for row in rows))
        for partner in users.mapped("partner_id"):
            self.env["bus.bus"].sendone(
                (self.env.cr.dbname, "res.partner", partner.id),
                {"type": "activity_updated", "activity_created": True})

    @api.model
    def _insert_messages(self, rows, message_type, subtype, now):
        """Insert chatter messages in one statement; ``rows`` are (res_id,
        record name, subject, body, email_from).  Returns {res_id: message
        id}."""
        author = self.env.user.partner_id
        self.env.cr.execute("""
            INSERT INTO mail_message (res_id, record_name, subject, body, email_from, model,
                                      message_type, subtype_id, author_id, date, message_id,
                                      create_uid, create_date, write_uid, write_date)
            SELECT data.res_id, data.record_name, data.subject, data.body, data.email_from,
                   %(model)s, %(type)s, %(subtype)s, %(author)s, %(now)s, data.message_id,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(res_ids)s::int[], %(names)s::varchar[], %(subjects)s::varchar[],
                          %(bodies)s::text[], %(froms)s::varchar[], %(message_ids)s::varchar[])
                   AS data(res_id, record_name, subject, body, email_from, message_id)
         RETURNING res_id, id
        """, {
            "model": self._name, "type": message_type, "subtype": subtype.id or None,
            "author": author.id, "now": now, "uid": self.env.uid,
            "res_ids": [row[0] for row in rows], "names": [row[1] for row in rows],
            "subjects": [row[2] for row in rows], "bodies": [row[3] for row in rows],
            "froms": [row[4] for row in rows],
            "message_ids": [tools.generate_tracking_message_id("complaint-%s" % row[0])
                            for row in rows],
        })
        messages = dict(self.env.cr.fetchall())
        self.invalidate_cache(["message_ids"], [row[0] for row in rows])
        return messages

    @api.multi
    def _escalation_notes(self, label, now, targets):
        body = "<p>%s</p>" % tools.html_escape(_(
            "%s: escalated to the team leader, priority raised.") % label)
        email_from = self.env.user.partner_id.email or False
        self._insert_messages(
            [(complaint_id, name, False, body, email_from)
             for complaint_id, (name, _user_id) in sorted(targets.items())],
            "notification", self.env.ref("mail.mt_note"), now)

    @api.multi
    def _escalation_emails(self, label, now, targets):
        """The escalation email to the responsible of each complaint from
        the template, rendered for the whole batch in the responsible's
        language and queued (not sent).  Only the fields the template reads
        are loaded (``prefetch_fields``)."""
        template = self.env.ref("crm_ext.crm_complaint_mail_template_escalation",
                                raise_if_not_found=False)
        self.env.cr.execute("""
            SELECT complaint.id, responsible.partner_id, partner.lang
              FROM crm_complaint complaint
              JOIN res_users responsible ON responsible.id = complaint.user_id
              JOIN res_partner partner ON partner.id = responsible.partner_id
             WHERE complaint.id IN %s
        """, (tuple(self.ids),))
        recipients = {}
        by_lang = {}
        for complaint_id, partner_id, lang in self.env.cr.fetchall():
            recipients[complaint_id] = partner_id
            by_lang.setdefault(lang, []).append(complaint_id)
        if not recipients or not template:
            return
        rendered = {}
        for lang, complaint_ids in by_lang.items():
            renderer = template.with_context(
                lang=lang, escalation_label=label, prefetch_fields=False)
            subjects = renderer.render_template(template.subject, self._name, complaint_ids)
            bodies = renderer.render_template(template.body_html, self._name, complaint_ids,
                                              post_process=True)
            senders = renderer.render_template(template.email_from, self._name, complaint_ids)
            for complaint_id in complaint_ids:
                rendered[complaint_id] = (
                    subjects[complaint_id], bodies[complaint_id], senders[complaint_id])
        complaint_ids = sorted(rendered)
        messages = self._insert_messages(
            [(complaint_id, targets[complaint_id][0]) + rendered[complaint_id]
             for complaint_id in complaint_ids],
            "email", self.env["mail.message.subtype"], now)
        self.env.cr.execute("""
            INSERT INTO mail_mail (mail_message_id, body_html, state, auto_delete,
                                   notification, create_uid, create_date, write_uid,
                                   write_date)
            SELECT data.message_id, data.body, 'outgoing', %(auto_delete)s, FALSE,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(message_ids)s::int[], %(bodies)s::text[])
                   AS data(message_id, body)
         RETURNING mail_message_id, id
        """, {
            "auto_delete": template.auto_delete, "uid": self.env.uid, "now": now,
            "message_ids": [messages[complaint_id] for complaint_id in complaint_ids],
            "bodies": [rendered[complaint_id][1] for complaint_id in complaint_ids],
        })
        mails = dict(self.env.cr.fetchall())
        message_ids = [messages[complaint_id] for complaint_id in complaint_ids]
        partner_ids = [recipients[complaint_id] for complaint_id in complaint_ids]
        self.env.cr.execute("""
            INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
            SELECT * FROM unnest(%(messages)s::int[], %(partners)s::int[])
        """, {"messages": message_ids, "partners": partner_ids})
        self.env.cr.execute("""
            INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
            SELECT * FROM unnest(%(mails)s::int[], %(partners)s::int[])
        """, {"mails": [mails[message_id] for message_id in message_ids],
              "partners": partner_ids})

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

        :raises UserError: the message has no sender.
        """
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
        self.check_access_rule("read")
        recipients = super(CrmComplaint, self).message_get_suggested_recipients()
        for complaint in self.filtered("partner_id"):
            complaint._message_add_suggested_recipient(
                recipients, partner=complaint.contact_id or complaint.partner_id,
                reason=_("Customer"))
        return recipients
