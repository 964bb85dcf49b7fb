# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer insight of res.partner: mirror, manual ratings, history, receivable."""
from odoo import SUPERUSER_ID, api, fields, models

from ..exceptions import ManualRatingRefused
from ..tools import access, actions

# rated by the account manager: only salespeople may change them (the
# customer form shows them read-only to the others: res_partner_views.xml)
MANUAL_RATINGS = ("industry_rating", "customer_satisfaction")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.customer.insight.mirror"]

    industry_rating = fields.Selection([
        ("0", "Unknown"),
        ("1", "Marginal"),
        ("2", "Follower"),
        ("3", "Established"),
        ("4", "Leading"),
        ("5", "Market leader"),
    ], "Industry Position", default="0",
        help="The customer's standing in its industry, rated by the account manager; "
             "part of the customer value score (future value).")
    customer_satisfaction = fields.Float(
        "Satisfaction", groups=access.INSIGHT_READERS, copy=False,
        help="Satisfaction of the customer from 1 to 5 (0: unknown); part of the customer "
             "value score.")
    customer_history_count = fields.Integer(compute="_compute_customer_history_count")

    def _compute_customer_history_count(self):
        history = self.env["crm.customer.segment.history"]
        counts = []
        if history.check_access_rights("read", raise_exception=False):
            counts = history.read_group(
                [("partner_id", "in", self.mapped("commercial_partner_id").ids),
                 ("company_id", "=", self.env.user.company_id.id)],
                ["partner_id"], ["partner_id"])
        by_partner = {row["partner_id"][0]: row["partner_id_count"] for row in counts}
        for partner in self:
            partner.customer_history_count = by_partner.get(partner.commercial_partner_id.id, 0)

    @api.multi
    def write(self, vals):
        """As ``res.partner.write``.

        :raises AccessError: the manual ratings (industry position,
            satisfaction) change and the user may not change them (see
            :meth:`_can_edit_manual_ratings`).
        """
        if set(vals) & set(MANUAL_RATINGS) and not self._can_edit_manual_ratings():
            raise ManualRatingRefused(self.env)
        return super(ResPartner, self).write(vals)

    @api.multi
    def action_view_open_receivable(self):
        """The open receivable journal items behind the ledger summary of
        one customer: those of its commercial entity and its contacts in the
        user's current company.

        :returns: the window action (a dict) of the journal items.
        :raises AccessError: the user may not read this partner.
        :raises ValueError: called on several partners.
        """
        self.ensure_one()
        return actions.window_action(self, "account.action_account_moves_all_a", [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("account_id.internal_type", "=", "receivable"),
            ("reconciled", "=", False),
            ("company_id", "=", self.env.user.company_id.id),
        ])

    @api.multi
    def action_view_customer_insight(self):
        """All the figures of one customer (the "All figures" link of its
        insight page): the form of its commercial entity's insight row in
        the user's current company, or the (ungrouped) list of its rows
        when it has none there.

        :returns: the window action (a dict) of the insight.
        :raises AccessError: the user may not read this partner or the
            customer insight.
        :raises ValueError: called on several partners.
        """
        self.ensure_one()
        self.env["crm.customer.insight"].check_access_rights("read")
        return self._commercial_entity_action(
            "crm_ext.crm_customer_insight_action", single=self.customer_insight_id)

    @api.multi
    def action_view_customer_history(self):
        """The changes of segment, grade, ABC class and lifecycle stage of
        one customer's commercial entity.

        :returns: the window action (a dict) of the history.
        :raises AccessError: the user may not read this partner.
        :raises ValueError: called on several partners.
        """
        return self._commercial_entity_action("crm_ext.crm_customer_segment_history_action")

    def _commercial_entity_action(self, xmlid, partner_field="partner_id", context=None,
                                  single=None):
        """The window action ``xmlid`` (a dict) restricted to the records of
        this partner's commercial entity (``partner_field`` of the action's
        model), for a user who may read the partner; ``context`` and
        ``single`` as in ``tools.actions.window_action``.

        :raises AccessError: the user may not read this partner.
        :raises ValueError: called on several partners.
        """
        self.ensure_one()
        return actions.window_action(
            self, xmlid, [(partner_field, "=", self.commercial_partner_id.id)], context,
            single=single)

    def _commercial_partner_ids(self):
        """Ids of the commercial partners of ``self`` already in the
        database (not of new records of a form being edited): loyalty cards,
        points and complaints belong to the commercial entity."""
        return [partner_id for partner_id in self.mapped("commercial_partner_id").ids
                if isinstance(partner_id, int)]

    @api.model
    def _can_edit_manual_ratings(self):
        """Whether the user may change the industry position and the
        satisfaction of customers: salespeople (and the superuser).  Meant
        to be overridden to let other users rate customers (their form
        shows the ratings read-only unless a view for their group says
        otherwise: see ``res_partner_view_form_salesman``)."""
        return (self.env.uid == SUPERUSER_ID
                or self.user_has_groups("sales_team.group_sale_salesman"))
