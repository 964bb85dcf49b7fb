# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

STAGE_KINDS = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
]
# the resolving kinds: entering a stage of these kinds needs a resolution (type
# and text), and the complaints in them are resolved (their resolution may be
# sent to the customer, published as a solution)
RESOLVING_KINDS = ("resolved", "closed")
# the stages of these kinds are closed: the complaints in them are finished
CLOSED_KINDS = ("closed", "rejected")


class CrmComplaintStage(models.Model):
    """A step of the complaint workflow; its kind drives the dates and the
    SLA of the complaints that enter it."""

    _name = "crm.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(help="Folded in the kanban view of the complaints.")
    stage_kind = fields.Selection(
        STAGE_KINDS, "Kind", required=True, default="in_progress",
        help="Acknowledged and later stages set the acknowledgement date, resolved and "
             "closed stages need a resolution and set the resolution date; closed and "
             "rejected stages set the closing date.")
    is_closed = fields.Boolean(
        "Closed", compute="_compute_is_closed", store=True,
        help="Closed and rejected stages: the complaints in them are finished, no more SLA "
             "deadlines.")
    pauses_sla = fields.Boolean(
        "Pauses SLA", help="Time spent in this stage (e.g. waiting on the customer) does "
                           "not count against the SLA: the deadlines move out by it.")
    mail_template_id = fields.Many2one(
        "mail.template", "Email on entering this stage",
        domain=[("model", "=", "crm.complaint")],
        help="Sent to the customer each time a complaint enters this stage (the shipped "
             "first stage acknowledges the complaint); when the customer has no email "
             "address, a note in the complaint's chatter says so instead.")

    @api.depends("stage_kind")
    def _compute_is_closed(self):
        for stage in self:
            stage.is_closed = stage.stage_kind in CLOSED_KINDS

    @api.constrains("stage_kind", "is_closed")
    def _check_is_closed(self):
        for stage in self:
            if stage.is_closed != (stage.stage_kind in CLOSED_KINDS):
                raise ValidationError(_(
                    "Stage %s: closed and rejected stages are the closed ones; the kind "
                    "decides.") % stage.name)
