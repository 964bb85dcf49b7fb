# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLoyaltyRedeemWizard(models.TransientModel):
    """Redeem some of the customer's points on a quotation: shows the
    balance, the most the order accepts and what the points are worth, then
    lets :meth:`sale.order.apply_loyalty_points` check and book them."""

    _name = "crm.loyalty.redeem.wizard"
    _description = "Redeem Loyalty Points"

    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade",
        default=lambda self: self._default_order_id())
    partner_id = fields.Many2one(related="order_id.partner_id", readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id", readonly=True)
    program_id = fields.Many2one(
        "crm.loyalty.program", compute="_compute_figures")
    member_id = fields.Many2one("crm.loyalty.member", "Card", compute="_compute_figures")
    balance = fields.Float(compute="_compute_figures", help="Points the customer has.")
    max_points = fields.Float(
        "Redeemable on this Order", compute="_compute_figures",
        help="The balance and the points already redeemed on this order, within the "
             "share of the order that points can pay.")
    min_points = fields.Float(
        "Minimum to Redeem", compute="_compute_figures",
        help="The fewest points redeemed at once.")
    points = fields.Float(
        "Points to Redeem", default=lambda self: self._default_points(),
        help="The points redeemed on this order in all: redeeming again replaces the "
             "points already redeemed on it (what it starts at; nothing on a new order).")
    point_value = fields.Float(
        "Value of a Point", digits=(16, 4), compute="_compute_figures",
        help="What a point is worth on this order, in its currency.")
    value = fields.Monetary(
        "Discount", compute="_compute_value", help="Points x the value of a point.")
    balance_after = fields.Float(
        compute="_compute_value",
        help="The customer's points once these are redeemed on this order (the points "
             "already redeemed on it given back first).")

    def _default_order_id(self):
        context = self.env.context
        if context.get("active_model") == "sale.order" and context.get("active_id"):
            return context["active_id"]
        return False

    def _default_points(self):
        # the points already redeemed on the order: nothing on a new one (the
        # salesperson says how many; the most is shown beside)
        order = self.env["sale.order"].browse(
            self.env.context.get("default_order_id") or self._default_order_id())
        return order._loyalty_points_outstanding() if order else 0.0

    @api.depends("order_id")
    def _compute_figures(self):
        for wizard in self:
            figures = self._redeem_figures(wizard.order_id)
            wizard.program_id = figures["program"]
            wizard.member_id = figures["member"]
            wizard.balance = figures["balance"]
            wizard.max_points = figures["max_points"]
            wizard.min_points = figures["min_points"]
            wizard.point_value = (wizard.order_id._loyalty_point_worth(figures["program"])
                                  if figures["program"] else 0.0)

    @api.depends("points", "order_id")
    def _compute_value(self):
        for wizard in self:
            # the discount line's amount, as sale.order.apply_loyalty_points computes it
            wizard.value = (wizard.order_id._loyalty_points_value(
                wizard.program_id, wizard.points) if wizard.program_id else 0.0)
            outstanding = (wizard.order_id._loyalty_points_outstanding()
                           if wizard.member_id and isinstance(wizard.order_id.id, int) else 0.0)
            wizard.balance_after = (wizard.balance + outstanding - wizard.points
                                    if wizard.member_id else 0.0)

    @api.multi
    def action_apply(self):
        """Redeem the points on the order with
        :meth:`sale.order.apply_loyalty_points`, which checks the caller's
        rights and the points; returns the action closing the wizard (a
        dict).

        :raises AccessError: the caller may not redeem points on the order.
        :raises UserError: the points are refused (see
            ``apply_loyalty_points``).
        :raises ValueError: not exactly one wizard.
        """
        self.ensure_one()
        self.order_id.apply_loyalty_points(self.points)
        return {"type": "ir.actions.act_window_close"}

    @api.model
    def _redeem_figures(self, order):
        """The program, member, balance and the most points redeemable on
        ``order``, by the rules of :meth:`sale.order.apply_loyalty_points`."""
        program, member = (order._loyalty_program_member() if order else (
            self.env["crm.loyalty.program"].browse(), self.env["crm.loyalty.member"].browse()))
        balance = member.balance if member else 0.0
        max_points = order._loyalty_points_redeemable(program, balance) if member else 0.0
        return {
            "program": program,
            "member": member,
            "balance": balance,
            "max_points": max_points,
            "min_points": program.min_redeem_points if program else 0.0,
        }
