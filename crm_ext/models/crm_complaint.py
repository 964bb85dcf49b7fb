# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime
import logging

from psycopg2.extras import execute_values

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

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
# complaints the SLA clock still runs for (SQL, table alias "complaint")
OPEN_SQL = """complaint.sla_id IS NOT NULL
          AND NOT COALESCE(complaint.is_closed, FALSE)
          AND complaint.stage_kind IS DISTINCT FROM 'resolved'
          AND complaint.date_hold_start IS NULL"""
BREACHED_SQL = """((complaint.date_acknowledged IS NULL AND complaint.ack_deadline <= %(now)s)
           OR COALESCE(complaint.date_acknowledged > complaint.ack_deadline, FALSE)
           OR complaint.resolve_deadline <= %(now)s)"""
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
    contact_id = fields.Many2one("res.partner", "Contact")
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    category_id = fields.Many2one(
        "crm.complaint.category", index=True, track_visibility="onchange")
    tag_ids = fields.Many2many("crm.complaint.tag", string="Tags")
    severity = fields.Selection(
        SEVERITIES, required=True, default="normal", track_visibility="onchange")
    priority = fields.Selection(PRIORITIES, default="0", index=True)
    description = fields.Html()
    sale_order_id = fields.Many2one("sale.order", "Sale Order")
    invoice_id = fields.Many2one("account.invoice", "Invoice")
    picking_id = fields.Many2one("stock.picking", "Delivery")
    product_id = fields.Many2one("product.product", "Product")
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial Number")
    team_id = fields.Many2one(
        "crm.team", "Team", index=True, track_visibility="onchange",
        default=lambda self: self.env.user.sale_team_id)
    user_id = fields.Many2one(
        "res.users", "Responsible", index=True, track_visibility="onchange",
        default=lambda self: self.env.user)
    stage_id = fields.Many2one(
        "crm.complaint.stage", "Stage", required=True, index=True, copy=False,
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
        "Acknowledge By", compute="_compute_sla_deadlines", store=True)
    resolve_deadline = fields.Datetime(
        "Resolve By", compute="_compute_sla_deadlines", store=True, index=True)
    at_risk_deadline = fields.Datetime(
        "At Risk From", compute="_compute_sla_deadlines", store=True, index=True,
        help="After this moment the next deadline is at risk (at the policy's at-risk "
             "ratio of the allowed time).")
    sla_status = fields.Selection(
        SLA_STATUSES, "SLA Status", compute="_compute_sla_status", store=True, index=True,
        help="Kept current by the escalation job while the complaint is open.")
    hold_hours = fields.Float(
        "Hours on Hold", readonly=True, copy=False,
        help="Working hours spent in stages that pause the SLA; the deadlines move out "
             "by them.")
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
        return stages.search([], order=order)

    @api.model
    def _now(self):
        """The current moment (naive UTC); tests and the benchmark pass
        ``complaint_now`` in the context."""
        now = self.env.context.get("complaint_now")
        if isinstance(now, str):
            now = fields.Datetime.from_string(now)
        return now or datetime.datetime.utcnow().replace(microsecond=0)

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------

    @api.model
    def _working_time(self, calendar):
        """Working time of ``calendar`` in the time zone of its company (UTC
        without one), read once per ``complaint_working_time_cache`` of the
        context (a dict shared by one computation over many complaints)."""
        cache = self.env.context.get("complaint_working_time_cache")
        if cache is not None and calendar.id in cache:
            return cache[calendar.id]
        working_time = WorkingTime(calendar, calendar.company_id.partner_id.tz or "UTC")
        if cache is not None:
            cache[calendar.id] = working_time
        return working_time

    @api.model
    def _sla_deadline(self, start, hours, calendar):
        """The moment ``hours`` working hours of ``calendar`` after
        ``start`` (naive UTC datetimes), leaves excluded."""
        deadline = self._working_time(calendar).plan(start, hours)
        if deadline is None:
            raise UserError(_("The working hours %s have no working time to plan %s hours.")
                            % (calendar.name, hours))
        return deadline

    @api.multi
    def _customer_profiles(self):
        """{(commercial partner id, company id): (grade code, segment id)}
        from the customer insight, in one query."""
        partner_ids = list(set(self.mapped("commercial_partner_id").ids))
        if not partner_ids:
            return {}
        self.env.cr.execute("""
            SELECT partner_id, company_id, grade, segment_id
              FROM crm_customer_insight
             WHERE partner_id IN %s AND company_id IN %s
        """, (tuple(partner_ids), tuple(set(self.mapped("company_id").ids))))
        return {(row[0], row[1]): (row[2], row[3]) for row in self.env.cr.fetchall()}

    @api.multi
    def _match_sla(self):
        """The first matching active SLA policy of each complaint by
        sequence: {complaint: policy (possibly empty)}."""
        policies = self.env["crm.complaint.sla"].sudo().search(
            [("company_id", "in", self.mapped("company_id").ids)])
        profiles = self._customer_profiles()
        result = {}
        for complaint in self:
            grade, segment_id = profiles.get(
                (complaint.commercial_partner_id.id, complaint.company_id.id), (None, None))
            category_ids = complaint.category_id._ancestor_ids()
            result[complaint] = next(
                (policy for policy in policies
                 if policy.company_id == complaint.company_id
                 and policy._matches(complaint.severity, category_ids, grade, segment_id)),
                policies.browse())
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
            super(CrmComplaint, complaints).write({"sla_id": policy.id})

    @api.depends("sla_id", "date_received", "hold_hours", "date_acknowledged")
    def _compute_sla_deadlines(self):
        """Deadlines in working hours of the policy's calendar from the
        reception, moved out by the hours on hold; the at-risk moment is
        the policy's ratio of the time of the next deadline."""
        cache = dict(self.env.context.get("complaint_working_time_cache") or {})
        model = self.with_context(complaint_working_time_cache=cache)
        for complaint in self:
            sla = complaint.sla_id
            if not sla or not complaint.date_received:
                complaint.ack_deadline = False
                complaint.resolve_deadline = False
                complaint.at_risk_deadline = False
                continue
            calendar = sla.resource_calendar_id
            start = fields.Datetime.from_string(complaint.date_received)
            hold = complaint.hold_hours
            risk_hours = sla.resolve_hours if complaint.date_acknowledged else sla.ack_hours
            complaint.ack_deadline = model._sla_deadline(start, sla.ack_hours + hold, calendar)
            complaint.resolve_deadline = model._sla_deadline(
                start, sla.resolve_hours + hold, calendar)
            complaint.at_risk_deadline = model._sla_deadline(
                start, risk_hours * sla.at_risk_ratio + hold, calendar)

    @api.depends("ack_deadline", "resolve_deadline", "at_risk_deadline", "date_acknowledged",
                 "date_resolved", "date_closed", "date_hold_start", "stage_id")
    def _compute_sla_status(self):
        now = self._now()
        for complaint in self:
            complaint.sla_status = complaint._sla_status_at(now)

    @api.multi
    def _sla_status_at(self, now):
        """The SLA status at ``now``: the clock stops at the resolution (or
        the closing) and while the complaint is on hold."""
        self.ensure_one()
        if not self.sla_id or not self.resolve_deadline:
            return False
        to_dt = fields.Datetime.from_string
        end = to_dt(self.date_resolved) or (self.is_closed and to_dt(self.date_closed))
        clock = end or to_dt(self.date_hold_start) or now
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
                stage_vals = complaint._stage_change_values(stage, vals)
                super(CrmComplaint, complaint).write(dict(vals, **stage_vals))
        else:
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
                "complaints to %s: %s") % (stage.name, ", ".join(missing.mapped("name"))))

    @api.multi
    def _stage_change_values(self, stage, vals):
        """Dates and hold time of the complaint entering ``stage``."""
        self.ensure_one()
        now = fields.Datetime.to_string(self._now())
        values = {}
        if self.date_hold_start and not stage.pauses_sla:
            values["hold_hours"] = self.hold_hours + self._working_hours_between(
                self.date_hold_start, now)
            values["date_hold_start"] = False
        elif stage.pauses_sla and not self.date_hold_start:
            values["date_hold_start"] = now
        if stage.stage_kind != "new" and not self.date_acknowledged:
            values["date_acknowledged"] = vals.get("date_acknowledged") or now
        if stage.stage_kind in RESOLVING_KINDS:
            if not self.date_resolved:
                values["date_resolved"] = vals.get("date_resolved") or now
        elif stage.stage_kind != "rejected":
            values["date_resolved"] = False
        if stage.is_closed:
            values["date_closed"] = vals.get("date_closed") or now
        else:
            values["date_closed"] = False
        if stage.stage_kind not in RESOLVING_KINDS and not stage.is_closed and (
                self.date_resolved or self.date_closed):
            self.message_post(body=_("Complaint reopened."),
                              subtype="mail.mt_note")
        return values

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _refresh_sla_status(self, now):
        """Bring the stored SLA status of the open complaints up to ``now``
        in one statement (the same rules as :meth:`_sla_status_at`)."""
        self.env.cr.execute("""
            UPDATE crm_complaint target
               SET sla_status = current.status
              FROM (SELECT complaint.id,
                           CASE WHEN {breached} THEN 'breached'
                                WHEN complaint.at_risk_deadline <= %(now)s THEN 'at_risk'
                                ELSE 'on_track' END AS status
                      FROM crm_complaint complaint
                     WHERE {open}) current
             WHERE target.id = current.id
               AND target.sla_status IS DISTINCT FROM current.status
        """.format(breached=BREACHED_SQL, open=OPEN_SQL), {"now": now})
        self.invalidate_cache(["sla_status"])

    @api.model
    def _cron_escalate(self, now=None, batch_size=ESCALATION_BATCH):
        """Escalate the open complaints whose at-risk or breach moment has
        passed and that were not yet escalated for it, ``batch_size`` at a
        time; a complaint past both is escalated once, as breached.
        Re-running does nothing more: see :meth:`_escalate`.  Returns the
        number of escalations."""
        now = now or self._now()
        self._refresh_sla_status(now)
        self.env.cr.execute("""
            SELECT complaint.id, {breached}
              FROM crm_complaint complaint
             WHERE {open}
               AND NOT COALESCE(complaint.escalated_breached, FALSE)
               AND ({breached}
                    OR (complaint.at_risk_deadline <= %(now)s
                        AND NOT COALESCE(complaint.escalated_at_risk, FALSE)))
             ORDER BY complaint.id
        """.format(breached=BREACHED_SQL, open=OPEN_SQL), {"now": now})
        rows = self.env.cr.fetchall()
        escalated = 0
        for threshold, breached in (("breached", True), ("at_risk", False)):
            ids = [complaint_id for complaint_id, is_breached in rows
                   if is_breached == breached]
            for start in range(0, len(ids), batch_size):
                escalated += len(self.browse(ids[start:start + batch_size])._escalate(
                    threshold, now))
        if escalated:
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
        claimed._escalation_activities(label, now)
        claimed._escalation_notes(label, now)
        claimed._escalation_emails(label, now)
        return claimed

    @api.multi
    def _escalation_leaders(self):
        """{complaint id: user to act}: the leader of the complaint's team,
        else of the responsible's team, else the responsible, else the
        creator."""
        self.env.cr.execute("""
            SELECT complaint.id,
                   COALESCE(team.user_id, user_team.user_id, complaint.user_id,
                            complaint.create_uid)
              FROM crm_complaint complaint
              LEFT JOIN crm_team team ON team.id = complaint.team_id
              LEFT JOIN res_users responsible ON responsible.id = complaint.user_id
              LEFT JOIN crm_team user_team ON user_team.id = responsible.sale_team_id
             WHERE complaint.id IN %s
        """, (tuple(self.ids),))
        return dict(self.env.cr.fetchall())

    @api.multi
    def _escalation_activities(self, label, now):
        """One activity per complaint for its team leader, in one INSERT
        (mail.activity.create subscribes and notifies one record at a
        time); each leader is notified once."""
        leaders = self._escalation_leaders()
        activity_type = self.env.ref("crm_ext.mail_activity_data_complaint_escalation")
        model_id = self.env["ir.model"]._get_id(self._name)
        rows = [(complaint.id, complaint.name, leaders[complaint.id],
                 "%s: %s" % (label, complaint.name))
                for complaint in self if leaders.get(complaint.id)]
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
    def _escalation_notes(self, label, now):
        body = "<p>%s</p>" % tools.html_escape(_(
            "%s: escalated to the team leader, priority raised.") % label)
        email_from = self.env.user.partner_id.email or False
        self._insert_messages(
            [(complaint.id, complaint.name, False, body, email_from) for complaint in self],
            "notification", self.env.ref("mail.mt_note"), now)

    @api.multi
    def _escalation_emails(self, label, now):
        """The escalation email to the responsible of each complaint, from
        the template rendered for the whole batch, queued (not sent)."""
        complaints = self.filtered("user_id")
        template = self.env.ref("crm_ext.crm_complaint_mail_template_escalation",
                                raise_if_not_found=False)
        if not complaints or not template:
            return
        values = template.with_context(escalation_label=label).generate_email(
            complaints.ids, ["subject", "body_html", "email_from", "partner_to"])
        rows = [(complaint.id, complaint.name, values[complaint.id].get("subject"),
                 values[complaint.id].get("body_html") or "",
                 values[complaint.id].get("email_from"))
                for complaint in complaints]
        messages = self._insert_messages(rows, "email", self.env["mail.message.subtype"], now)
        pairs = [(messages[complaint.id], partner_id) for complaint in complaints
                 for partner_id in values[complaint.id].get("partner_ids") or []]
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
            "message_ids": [messages[row[0]] for row in rows],
            "bodies": [row[3] for row in rows],
        })
        mails = dict(self.env.cr.fetchall())
        if pairs:
            self.env.cr.execute("""
                INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
                SELECT * FROM unnest(%(messages)s::int[], %(partners)s::int[])
            """, {"messages": [pair[0] for pair in pairs],
                  "partners": [pair[1] for pair in pairs]})
            self.env.cr.execute("""
                INSERT INTO mail_mail_res_partner_rel (mail_mail_id, res_partner_id)
                SELECT * FROM unnest(%(mails)s::int[], %(partners)s::int[])
            """, {"mails": [mails[pair[0]] for pair in pairs],
                  "partners": [pair[1] for pair in pairs]})

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an email to the complaints alias: the sender is
        the customer (found by address, created when unknown)."""
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
    def message_get_suggested_recipients(self):
        recipients = super(CrmComplaint, self).message_get_suggested_recipients()
        for complaint in self.filtered("partner_id"):
            complaint._message_add_suggested_recipient(
                recipients, partner=complaint.contact_id or complaint.partner_id,
                reason=_("Customer"))
        return recipients
