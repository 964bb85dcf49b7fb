# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The next-step concern of res.partner: what to do next, the segment's advice, labels explained."""
from odoo import _, api, fields, models
from odoo.tools.misc import formatLang

from ..tools import access, clock, next_step

# churn alerts someone still acts on (crm_churn_alert.ALERT_STATES)
OPEN_ALERT_STATES = ("new", "in_progress")


class ResPartner(models.Model):
    """The customer insight page says what to do next: the most urgent step
    of the customer's situation (tools/next_step.py), the advice of its
    segment, and why a segment and a lifecycle stage that seem to contradict
    both hold."""

    # one file per concern of the partner (STYLE.md), not one class
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_segment_advice = fields.Text(
        "Segment Advice", compute="_compute_customer_next_step",
        help="Who the customers of the segment are and what to do with them (the segment's "
             "description).")
    customer_next_step = fields.Char(
        "Next Step", compute="_compute_customer_next_step",
        help="The most urgent of: an open churn alert, open complaints, an overdue "
             "receivable, a planned activity due, the segment's advice.")
    insight_explanation = fields.Text(
        "Why Both Hold", compute="_compute_customer_next_step",
        help="Shown when the segment and the lifecycle stage seem to contradict.")
    insight_basis = fields.Char(
        "Basis of the Figures", compute="_compute_customer_next_step",
        help="The period and the currency of the figures.")

    def _compute_customer_next_step(self):
        situations = self._next_step_situations()
        stages = dict(self._fields["lifecycle_stage"]._description_selection(self.env))
        for partner in self:
            insight = partner.customer_insight_id
            segment = partner.customer_segment_id
            situation = dict(situations.get(partner.commercial_partner_id.id, {}))
            situation.update(overdue_amount=partner.overdue_amount,
                             segment_advice=segment.description)
            partner.customer_segment_advice = segment.description
            partner.customer_next_step = self._next_step_text(
                next_step.next_step(situation), partner, situation)
            explanation = next_step.contradiction(
                insight.r_score, insight.f_score, insight.lifecycle_stage)
            partner.insight_explanation = explanation and self._explanation_text(
                explanation, segment.name, stages.get(insight.lifecycle_stage))
            partner.insight_basis = insight and _(
                "Figures of the last %(days)s days in %(currency)s, from posted invoices "
                "(refunds deducted, taxes excluded); receivable and overdue as of today.") % {
                    "days": insight.company_id.insight_window_days,
                    "currency": insight.currency_id.name}

    def _next_step_situations(self):
        """{commercial partner id: {"churn_alert": bool, "open_complaints":
        int, "activity_due": bool}} of ``self`` in the user's company: one
        query per kind of record, those the user may read."""
        partner_ids = self._commercial_partner_ids()
        situations = {partner_id: {} for partner_id in partner_ids}
        if not partner_ids or not self.user_has_groups(access.INSIGHT_READERS):
            return situations
        company_id = self.env.user.company_id.id
        alerts = self.env["crm.churn.alert"]
        if alerts.check_access_rights("read", raise_exception=False):
            for group in alerts.read_group(
                    [("partner_id", "in", partner_ids), ("company_id", "=", company_id),
                     ("state", "in", OPEN_ALERT_STATES)], ["partner_id"], ["partner_id"]):
                situations[group["partner_id"][0]]["churn_alert"] = True
        complaints = self.env["crm.complaint"]
        if complaints.check_access_rights("read", raise_exception=False):
            for group in complaints.read_group(
                    [("commercial_partner_id", "in", partner_ids), ("is_closed", "=", False)],
                    ["commercial_partner_id"], ["commercial_partner_id"]):
                situations[group["commercial_partner_id"][0]]["open_complaints"] = \
                    group["commercial_partner_id_count"]
        today = fields.Date.context_today(self, clock.now(self.env))
        for group in self.env["mail.activity"].read_group(
                [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids),
                 ("date_deadline", "<=", today)], ["res_id"], ["res_id"]):
            situations[group["res_id"]]["activity_due"] = True
        return situations

    @api.model
    def _next_step_text(self, step, partner, situation):
        """The step (a code of ``tools.next_step.STEPS``, or None) of
        ``partner`` in words, in the user's language.  Meant to be
        overridden to word a step otherwise or to word a step a module
        adds."""
        if step == "churn_alert":
            return _("Call the customer about its open churn alert and record a retention "
                     "action on it.")
        if step == "complaint":
            return _("Follow up the open complaints (%s) and tell the customer where they "
                     "stand.") % situation["open_complaints"]
        if step == "overdue":
            return _("Collect the overdue receivable of %s.") % formatLang(
                self.env, partner.overdue_amount, currency_obj=partner.insight_currency_id)
        if step == "activity_due":
            return _("Do the planned activities that are due (the visits of the customer's "
                     "grade among them).")
        if step == "segment_advice":
            return partner.customer_segment_id.description
        return False

    @api.model
    def _explanation_text(self, explanation, segment, stage):
        """Why the segment ``segment`` and the stage ``stage`` (their
        names) both hold, for an ``explanation`` of
        ``tools.next_step.contradiction``."""
        if explanation == "quiet_but_buying":
            return _(
                "Both hold. The segment %(segment)s ranks the customer against the others "
                "(RFM scores): it has bought less recently than most. The stage %(stage)s "
                "follows its own revenue, which is steady or growing over the last 12 months "
                "against the 12 before. Its orders are large or regular but come later than "
                "others': check when it orders next.") % {"segment": segment, "stage": stage}
        return _(
            "Both hold. The segment %(segment)s ranks the customer against the others (RFM "
            "scores): it buys more recently and more often than most. The stage %(stage)s "
            "follows its own revenue, which falls over the last 12 months against the 12 "
            "before: it still buys, but less. Ask why.") % {"segment": segment, "stage": stage}
