# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.complaint: the model, its fields, its records (CRUD) and its stage changes."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import clock
from .crm_complaint_sla import SEVERITIES
from .crm_complaint_stage import RESOLVING_KINDS, STAGE_KINDS

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("web", "Web"),
    ("walk_in", "Walk-in"),
    ("social_media", "Social Media"),
    ("letter", "Letter"),
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
# fields that choose the SLA policy of a complaint (see _match_sla)
SLA_MATCH_FIELDS = ("severity", "category_id", "partner_id", "company_id")
# the group of those who handle all complaints
OFFICER_GROUP = "crm_ext.crm_complaint_group_officer"


class CrmComplaint(models.Model):
    """A customer complaint, from reception to closing.  Its stage changes
    set its dates and stop or resume its SLA clock (see
    :meth:`_stage_change_values`).  Its other concerns have files of their
    own: crm_complaint_sla_tracking (SLA), crm_complaint_escalation,
    crm_complaint_mail (mail gateway), crm_complaint_rating and
    crm_complaint_resolution."""

    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_received desc, id desc"

    name = fields.Char(
        "Reference", required=True, copy=False, readonly=True, index=True,
        default=lambda self: _("New"))
    subject = fields.Char(
        track_visibility="onchange",
        help="What the complaint is about, in a few words (an email's subject).")
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

    # CRUD and stage changes

    @api.model
    def create(self, vals):
        """Record a complaint (``vals``: its field values).  Its reference
        comes from the sequence; it enters the first stage, then the stage
        of ``vals`` through :meth:`write` (whose dates and checks apply);
        its SLA policy is matched (before it is created) unless ``vals`` gives
        one.  Returns the complaint (its id over RPC).

        :raises UserError: a resolving stage without a resolution (see
            :meth:`_check_can_enter`).
        """
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
        if not vals.get("sla_id"):
            # matched before the record exists: the email of the first
            # stage, sent as it is created, gives the deadlines
            draft = self.new(dict(self.default_get(list(SLA_MATCH_FIELDS)), **vals))
            vals["sla_id"] = draft._match_sla()[draft].id
        complaint = super(CrmComplaint, self).create(vals)
        if stage:
            complaint.write({"stage_id": stage.id})
        return complaint

    @api.multi
    def write(self, vals):
        """Change complaints (``vals``: field values).  Entering another
        stage sets the stage dates and the time on hold (see
        :meth:`_stage_change_values`), a reopening re-arms the escalations;
        a change of what chooses the SLA policy (SLA_MATCH_FIELDS) matches
        it again.  Idempotent: the same call twice leaves the same state.
        Returns True.

        :raises UserError: a resolving stage, or a resolved complaint's
            resolution, without a resolution type and text.
        """
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
