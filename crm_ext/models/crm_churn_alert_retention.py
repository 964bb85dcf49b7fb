# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The retention actions of crm.churn.alert: calls, visits, win-back offers and bonus points."""
from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html

from ..tools import clock
from ..tools.points import format_points


class CrmChurnAlert(models.Model):
    """What the owner of an alert does to keep the customer, each step a
    crm.churn.action with its cost: see :meth:`_take_action`."""

    # one concern of the model per file
    _inherit = "crm.churn.alert"  # pylint: disable=consider-merging-classes-inherited

    @api.multi
    def _take_action(self, action_type, note=False, cost=0.0, points=0.0):
        """Take the retention action ``action_type`` (call, visit, offer,
        points) on this alert after :meth:`_check_actionable`: ``note`` (a
        text), ``cost`` (in the company currency; for points, their value
        by the loyalty program), ``points`` (bonus points, for ``points``).
        The alert goes in progress.  Returns the crm.churn.action.

        :raises UserError: closed or held-out alert, negative cost, no
            customer email for an offer, no program, points not positive
            or not whole, or a customer the program does not enrol.
        """
        self.ensure_one()
        self._check_actionable()
        if cost < 0:
            raise UserError(_("The cost of a retention action cannot be negative."))
        values = {"alert_id": self.id, "action_type": action_type, "cost": cost,
                  "note": (note or "").strip() or False, "user_id": self.env.uid,
                  "date": clock.now(self.env)}
        if action_type == "points":
            entry = self._grant_points(points, values["note"])
            values.update(points=entry.points, loyalty_entry_id=entry.id,
                          cost=self.currency_id.round(
                              entry.program_id._points_value(entry.points)))
        elif action_type == "offer":
            self._send_offer()
        else:
            self._log_contact(action_type, values["note"])
        action = self.env["crm.churn.action"].sudo().create(values)
        if self.state == "new":
            self._write_outcome({"state": "in_progress"})
        return action

    @api.multi
    def _log_contact(self, action_type, note):
        """A call or visit: the owner's planned activities on the alert are
        done with ``note`` as their feedback, else a note is posted."""
        label = dict(self.env["crm.churn.action"]._fields["action_type"]._description_selection(
            self.env))[action_type]
        feedback = "%s: %s" % (label, note) if note else label
        activities = self.activity_ids
        if activities:
            activities.action_feedback(feedback=plaintext2html(feedback))
        else:
            self.message_post(body=plaintext2html(feedback), subtype="mail.mt_note")

    @api.multi
    def _retention_offer_template(self):
        """The mail template of the win-back offer.  Meant to be overridden
        by a module that sends another offer (by segment, by language...)."""
        return self.env.ref("crm_ext.crm_churn_alert_mail_template_offer")

    @api.multi
    def _send_offer(self):
        """The win-back offer, sent to the customer from the alert's
        chatter (see :meth:`_retention_offer_template`)."""
        if not self.partner_id.email:
            raise UserError(_("%s has no email address: the offer cannot be sent.")
                            % self.partner_id.display_name)
        self.message_post_with_template(
            self._retention_offer_template().id, composition_mode="comment",
            subtype_id=self.env.ref("mail.mt_comment").id)

    @api.multi
    def _grant_points(self, points, note):
        """``points`` bonus points for the customer in the loyalty ledger of
        the company's active program (enrolled if the program allows it),
        as the complaint compensation gives them.  Returns the ledger entry;
        bad input raises before anything is written."""
        program = self.env["crm.loyalty.program"].sudo()._active_program(self.company_id)
        if not program:
            raise UserError(_("%s has no active loyalty program: no points can be granted.")
                            % self.company_id.name)
        if points <= 0:
            raise UserError(_("Grant a positive number of bonus points."))
        program._check_whole_points(points)
        member = self.env["crm.loyalty.member"]._member_of(program, self.partner_id)
        if not member:
            raise UserError(_("%(customer)s is not a member of %(program)s and the program "
                              "does not enrol it: enrol the customer first.") % {
                "customer": self.partner_id.display_name, "program": program.name})
        entry = self.env["crm.loyalty.entry"]._record([{
            "member_id": member.id, "entry_type": "bonus", "bonus_reason": "other",
            "points": points, "origin": _("Churn alert %s") % self.partner_id.display_name,
            "note": note, "user_id": self.env.uid}]).sudo()
        self.message_post(body=plaintext2html(_("%(points)s bonus points granted (%(card)s).") % {
            "points": format_points(entry.points), "card": member.card_number}),
            subtype="mail.mt_note")
        return entry
