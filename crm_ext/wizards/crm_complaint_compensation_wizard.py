# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html

from ..exceptions import ComplaintOfficerError
from ..models.crm_complaint import OFFICER_GROUP
from ..tools.points import format_points


class CrmComplaintCompensationWizard(models.TransientModel):
    """Compensation points for a complaint: a bonus in the loyalty ledger
    of the customer (enrolled if the program allows it), linked to the
    complaint.  The points are a gesture on top of what was sold, not a
    refund of it: no sold quantity bounds them (the program's rules do),
    but one wizard gives them once."""

    _name = "crm.complaint.compensation.wizard"
    _description = "Complaint Compensation Points"

    complaint_id = fields.Many2one("crm.complaint", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="complaint_id.commercial_partner_id", readonly=True)
    program_id = fields.Many2one(
        "crm.loyalty.program", compute="_compute_program_id",
        help="The active loyalty program of the complaint's company.")
    currency_id = fields.Many2one(related="program_id.currency_id", readonly=True)
    points = fields.Float(help="Points given to the customer.")
    value = fields.Monetary(compute="_compute_value", help="What the points are worth.")
    note = fields.Text(help="Kept in the ledger entry.")
    entry_id = fields.Many2one("crm.loyalty.entry", readonly=True)

    @api.depends("complaint_id")
    def _compute_program_id(self):
        # the web client's first onchange computes this before the
        # complaint is filled in (the value's currency asks for the program)
        programs = self.env["crm.loyalty.program"].sudo()
        for wizard in self:
            company = wizard.complaint_id.company_id
            wizard.program_id = programs._active_program(company) if company else programs

    @api.depends("program_id", "points")
    def _compute_value(self):
        for wizard in self:
            wizard.value = wizard.program_id._points_value(wizard.points)

    @api.multi
    def action_apply(self):
        """Give the points (once: applying the same wizard again, as a
        retried call does, gives nothing more).  Returns the action that
        closes the wizard (a dict).

        :raises ComplaintOfficerError: (an AccessError) the caller is no
            complaint officer.
        :raises AccessError: the caller may not change the complaint.
        :raises UserError: no active loyalty program, points that are not
            positive or not whole for the program, or a customer the
            program does not enrol.
        """
        self.ensure_one()
        if self.entry_id:
            return {"type": "ir.actions.act_window_close"}
        entry = self._record_compensation()
        self.entry_id = entry
        self.complaint_id.message_post(
            body=plaintext2html(_("%(points)s compensation points given (%(card)s).") % {
                "points": format_points(entry.points), "card": entry.member_id.card_number}),
            subtype="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}

    def _record_compensation(self):
        """The bonus entry of the compensation, as the program reads it (the
        officer may not see the customer's ledger); bad input raises before
        anything is written."""
        if not self.user_has_groups(OFFICER_GROUP):
            raise ComplaintOfficerError(self.env)
        complaint = self.complaint_id
        complaint._check_caller_may_resolve()
        program = complaint._compensation_program()
        if self.points <= 0:
            raise UserError(_("Give a positive number of compensation points."))
        program._check_whole_points(self.points)
        member = self.env["crm.loyalty.member"]._member_of(program, complaint.partner_id)
        if not member:
            raise UserError(_("%(customer)s is not a member of %(program)s and the program "
                              "does not enrol it: enrol the customer first.") % {
                "customer": complaint.commercial_partner_id.display_name,
                "program": program.name})
        return self.env["crm.loyalty.entry"]._record([{
            "member_id": member.id,
            "entry_type": "bonus",
            "bonus_reason": "compensation",
            "points": self.points,
            "complaint_id": complaint.id,
            "origin": complaint.name,
            "note": (self.note or "").strip() or False,
            "user_id": self.env.uid,
        }]).sudo()
