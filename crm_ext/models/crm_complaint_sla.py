# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SEVERITIES = [
    ("low", "Low"),
    ("normal", "Normal"),
    ("high", "High"),
    ("critical", "Critical"),
]


class CrmComplaintSla(models.Model):
    """A service level policy: the first active policy by sequence whose
    criteria all match a complaint gives its deadlines, counted in working
    hours of the policy's calendar (leaves excluded)."""

    _name = "crm.complaint.sla"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="The first matching policy applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    category_id = fields.Many2one(
        "crm.complaint.category", ondelete="cascade",
        help="Empty: any category; a category also matches its subcategories.")
    grade_id = fields.Many2one(
        "crm.customer.grade", "Customer Grade", ondelete="cascade",
        help="Empty: any grade; otherwise the customer's grade in the complaint's company.")
    segment_id = fields.Many2one(
        "crm.customer.segment", "Customer Segment", ondelete="cascade",
        help="Empty: any segment; otherwise the customer's segment in the complaint's "
             "company.")
    ack_hours = fields.Float(
        "Acknowledge Within (hours)", required=True, default=8.0,
        help="Working hours from reception to acknowledgement.")
    resolve_hours = fields.Float(
        "Resolve Within (hours)", required=True, default=40.0,
        help="Working hours from reception to resolution.")
    resource_calendar_id = fields.Many2one(
        "resource.calendar", "Working Hours", required=True,
        default=lambda self: self.env.user.company_id.resource_calendar_id,
        help="The deadlines count the working hours of this calendar, without its "
             "leaves, in the time zone of the calendar's company (the time zone of its "
             "address); in UTC when the calendar has no company or the company no time "
             "zone.")
    time_zone = fields.Char(
        compute="_compute_time_zone",
        help="The time zone the deadlines are counted in: the one of the working hours' "
             "company, UTC when there is none.")
    time_zone_missing = fields.Boolean(compute="_compute_time_zone")
    at_risk_ratio = fields.Float(
        "At Risk At", default=0.8,
        help="Share of the allowed time after which a complaint is at risk (0.8: 80%).")

    @api.depends("resource_calendar_id.company_id.partner_id.tz")
    def _compute_time_zone(self):
        # the time zone of WorkingTime, as crm.complaint reads it for the deadlines
        for sla in self:
            time_zone = sla.resource_calendar_id.company_id.partner_id.tz
            sla.time_zone = time_zone or "UTC"
            sla.time_zone_missing = not time_zone

    @api.constrains("ack_hours", "resolve_hours", "at_risk_ratio")
    def _check_hours(self):
        for sla in self:
            if sla.ack_hours <= 0 or sla.resolve_hours <= 0:
                raise ValidationError(_(
                    "The SLA policy %s needs a positive number of hours to acknowledge "
                    "and to resolve.") % sla.name)
            if sla.ack_hours > sla.resolve_hours:
                raise ValidationError(_(
                    "The SLA policy %s gives more time to acknowledge than to resolve.")
                    % sla.name)
            if not 0 < sla.at_risk_ratio < 1:
                raise ValidationError(_(
                    "The at-risk ratio of the SLA policy %s is between 0 and 1 (0.8: at "
                    "risk after 80%% of the time).") % sla.name)
