# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html

from ..exceptions import LoyaltyManagersOnlyError
from ..tools import access
from ..tools.points import format_points

MANAGER_GROUP = "crm_ext.crm_loyalty_program_group_manager"


class CrmLoyaltyAdjustWizard(models.TransientModel):
    """A loyalty manager adds or takes away points by hand: an adjustment
    in the ledger, with its reason, also posted in the member's history."""

    _name = "crm.loyalty.adjust.wizard"
    _description = "Adjust Loyalty Points"

    member_id = fields.Many2one(
        "crm.loyalty.member", "Card", required=True, ondelete="cascade",
        default=lambda self: self._default_member_id())
    partner_id = fields.Many2one(related="member_id.partner_id", readonly=True)
    balance = fields.Float(related="member_id.balance", readonly=True)
    points = fields.Float(help="Points added (positive) or taken away (negative).")
    new_balance = fields.Float(compute="_compute_new_balance")
    reason = fields.Text(
        help="Why the points are adjusted: kept in the ledger entry and posted in the "
             "member's history.")

    def _default_member_id(self):
        context = self.env.context
        if context.get("active_model") == "crm.loyalty.member" and context.get("active_id"):
            return context["active_id"]
        return False

    @api.depends("member_id", "points")
    def _compute_new_balance(self):
        for wizard in self:
            wizard.new_balance = wizard.balance + wizard.points

    @api.multi
    def action_apply(self):
        """Record the adjustment in the member's ledger and post it in the
        member's history; returns the action closing the wizard (a dict).

        :raises AccessError: the caller is not a loyalty manager
            (``LoyaltyManagersOnlyError``) or may not change the member.
        :raises UserError: no reason, zero points, points not a whole
            multiple of the program's step (``NotWholePointsError``), or
            more taken away than the balance.  Nothing is written then.
        :raises ValueError: not exactly one wizard.
        """
        self.ensure_one()
        self._check_adjustment()
        member = self.member_id
        member._lock()
        member.invalidate_cache(["balance"], member.ids)
        if self.points < 0 and member.balance + self.points < 0:
            raise UserError(_("%(card)s has %(balance)s points: %(points)s cannot be taken "
                              "away.") % {"card": member.card_number,
                                          "balance": format_points(member.balance),
                                          "points": format_points(-self.points)})
        reason = self.reason.strip()
        self.env["crm.loyalty.entry"]._record([{
            "member_id": member.id, "entry_type": "adjust", "points": self.points,
            "note": reason, "origin": _("Manual adjustment"), "user_id": self.env.uid,
        }])
        member.message_post(
            body=plaintext2html(_("Points adjusted by %(points)s: %(reason)s") % {
                "points": ("+" if self.points > 0 else "") + format_points(self.points),
                "reason": reason}),
            message_type="comment", subtype="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}

    def _check_adjustment(self):
        """Refuse, in the user's language, what the ledger must not record."""
        self.ensure_one()
        if not self.user_has_groups(MANAGER_GROUP):
            raise LoyaltyManagersOnlyError(self)
        access.check_writable(self.member_id)
        if not (self.reason or "").strip():
            raise UserError(_("Give the reason of the adjustment: it is kept in the ledger "
                              "and in the member's history."))
        program = self.member_id.program_id
        if not self.points:
            raise UserError(_("Adjust the balance by a number of points other than zero."))
        program._check_whole_points(self.points)
