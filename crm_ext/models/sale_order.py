# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round

from ..exceptions import NotEnoughPointsError, RedemptionNotAllowedError
from ..tools import access, in_progress

# an operation in progress (see in_progress): the orders whose loyalty
# discount line a redemption sets
LOYALTY_LINES = "loyalty_line_redemption"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "sale_order_id", "Loyalty Points", readonly=True,
        groups=access.LOYALTY_READERS)
    loyalty_points_redeemed = fields.Float(
        "Points Redeemed", compute="_compute_loyalty_points_redeemed",
        help="Points redeemed on this order and not given back.")

    loyalty_member = fields.Boolean(
        compute="_compute_loyalty_member",
        help="The customer has a card in the loyalty program running for the order's "
             "company: points can be redeemed on the order.")

    @api.depends("partner_id", "company_id")
    def _compute_loyalty_member(self):
        for order in self:
            order.loyalty_member = bool(order._loyalty_program_member()[1])

    def _loyalty_program_member(self):
        """(program, member): the loyalty program running for the order's
        company and the customer's card in it, as the superuser (empty
        recordsets when there is none)."""
        program = self.env["crm.loyalty.program"].sudo().browse()
        if self.company_id:
            program = program._active_program(self.company_id)
        member = self.env["crm.loyalty.member"].sudo().browse()
        if program and self.partner_id:
            member = member._member_of(program, self.partner_id, enrol=False)
        return program, member

    def _compute_loyalty_points_redeemed(self):
        # the customer reading its order through the portal sees its points,
        # not the ledger
        groups = self.env["crm.loyalty.entry"].sudo().read_group(
            [("sale_order_id", "in", [order_id for order_id in self.ids
                                      if isinstance(order_id, int)])],
            ["sale_order_id", "points"],
            ["sale_order_id"])
        points = {group["sale_order_id"][0]: group["points"] for group in groups}
        for order in self:
            order.loyalty_points_redeemed = -points.get(order.id, 0.0)

    @api.multi
    def apply_loyalty_points(self, points):
        """Redeem ``points`` of the customer's balance on this quotation.

        The quotation has one loyalty discount line, worth ``points`` x the
        value of a point (converted to the order's currency at its date).
        Idempotent: calling the method again on the same quotation sets that
        line to the new number of points, taking the difference from the
        balance or giving it back, and the same call twice leaves the same
        state, so a client may retry.  The member's row stays locked until
        the transaction ends, so two orders can never spend the same points.

        Salespeople who may change the order call it (the "Redeem Points"
        wizard does); a customer with a portal login only on its own
        quotation, when the program has "Customers Redeem Their Own Points".

        :param points: the points redeemed on the order in all, not those
            added to it (an int or a float above zero, a whole multiple of
            the program's rounding step; a point is worth the program's
            value of a point, in the company currency)
        :returns: the id (int) of the order's loyalty discount line
        :raises AccessError: the caller may not redeem points on this order
            (``RedemptionNotAllowedError``) or may not change it
        :raises UserError: not exactly one quotation (draft or sent); no
            running program, discount product or membership; points not a
            positive whole number of steps, below the program's minimum,
            beyond the balance (``NotEnoughPointsError``), or worth more
            than the share of the order points may pay.  Nothing is written
            then.
        """
        if len(self) != 1:
            raise UserError(_("Redeem loyalty points on one quotation at a time."))
        order = self._loyalty_redeemer_order()
        return order._redeem_loyalty_points(points, self.env.uid).id

    def _loyalty_redeemer_order(self):
        """This order in the environment the redemption runs in, once the
        caller's right to redeem on it is checked: the caller's own for a
        salesperson allowed to change the order; the program's for a
        customer redeeming on its own quotation, when the program allows."""
        self.ensure_one()
        if self.user_has_groups("sales_team.group_sale_salesman"):
            access.check_writable(self)
            return self
        if not self.user_has_groups("base.group_portal"):
            raise RedemptionNotAllowedError(self)
        access.check_readable(self)
        order = self.sudo()
        customer = self.env.user.partner_id.commercial_partner_id
        program = self.env["crm.loyalty.program"].sudo()._active_program(order.company_id)
        if order.partner_id.commercial_partner_id != customer \
                or not program.customer_redemption:
            raise RedemptionNotAllowedError(self)
        return order

    def _redeem_loyalty_points(self, points, user_id):
        """The loyalty discount line of this quotation set to ``points``
        (see :meth:`apply_loyalty_points`, which checks the caller's rights
        first), the ledger's movement recorded for ``user_id``; returns the
        line."""
        self.ensure_one()
        if self.state not in ("draft", "sent"):
            raise UserError(_("Points can only be redeemed on a quotation, not on a "
                              "confirmed or cancelled order."))
        program = self.env["crm.loyalty.program"].sudo()._active_program(self.company_id)
        if not program:
            raise UserError(_("%s has no loyalty program running.") % self.company_id.name)
        if not program.discount_product_id:
            raise UserError(_("Set the discount product of the loyalty program %s first.")
                            % program.name)
        member = self.env["crm.loyalty.member"]._member_of(
            program, self.partner_id, enrol=False)
        if not member:
            raise UserError(_("%(customer)s is not a member of %(program)s.") % {
                "customer": self.partner_id.commercial_partner_id.name,
                "program": program.name})
        if not isinstance(points, (int, float)) or isinstance(points, bool) \
                or points <= 0 or not program._is_whole_points(points):
            raise UserError(_("Redeem a positive number of points, in multiples of %s.")
                            % program.points_rounding)
        lines = self.order_line.filtered("loyalty_points")
        if len(lines) == 1 and lines.loyalty_points == points:
            return lines  # already so: a retried call changes nothing
        member._lock()
        member.invalidate_cache()
        current = self._loyalty_points_outstanding()
        if points > member.balance + current:
            raise NotEnoughPointsError(member, member.balance + current, points)
        if points < program.min_redeem_points:
            raise UserError(_("At least %s points must be redeemed at once.")
                            % program.min_redeem_points)
        limit, limit_points = self._loyalty_share(program)
        if points > limit_points + 1e-6:
            raise UserError(_("Points can pay at most %(share)s%% of this order "
                              "(%(limit).2f).") % {
                "share": program.max_redeem_share, "limit": limit})
        value = self._loyalty_points_value(program, points)
        redemption = lines[:1].loyalty_entry_id
        if points != current:
            moved = self.env["crm.loyalty.entry"]._record([{
                "member_id": member.id,
                "entry_type": "redeem" if points > current else "reversal",
                "points": current - points,
                "sale_order_id": self.id, "origin": self.name,
                "reversed_entry_id": redemption.id if points < current else False,
                "restore": points < current, "user_id": user_id}])
            redemption = redemption or moved
        values = {
            "name": _("Loyalty points: %s points redeemed") % ("%g" % points),
            "price_unit": -value,
            "loyalty_points": points,
            "loyalty_entry_id": redemption.id,
        }
        with in_progress.running(self.env.cr, LOYALTY_LINES, self.ids):
            if not lines:
                return self.env["sale.order.line"].sudo().create(dict(
                    values, order_id=self.id, product_id=program.discount_product_id.id,
                    product_uom_qty=1.0, tax_id=[(6, 0, [])]))
            # orders of earlier versions may hold several lines: one stays
            lines[1:].sudo().unlink()
            lines[:1].sudo().write(values)
        return lines[:1]

    def _loyalty_points_outstanding(self):
        """Points redeemed on this order and not given back (the ledger's
        redemptions less their reversals)."""
        self.ensure_one()
        self.env.cr.execute("SELECT COALESCE(-SUM(points), 0) FROM crm_loyalty_entry "
                            "WHERE sale_order_id = %s", (self.id,))
        return self.env.cr.fetchone()[0]

    def _loyalty_point_worth(self, program):
        """What a point is worth on this order, in its currency, unrounded:
        the one conversion between points and the order's money (a point is
        worth its value in the company currency, at the order's date)."""
        self.ensure_one()
        company_currency = program.currency_id.with_context(
            date=self.date_order or fields.Datetime.now())
        return company_currency.compute(program._points_value(1.0), self.currency_id,
                                        round=False)

    def _loyalty_points_value(self, program, points):
        """The discount ``points`` give on this order: their worth, rounded
        to the order's currency."""
        return self.currency_id.round(points * self._loyalty_point_worth(program))

    def _loyalty_share(self, program):
        """The most points may pay of this order, in its currency (its total
        without the loyalty lines x the program's maximum share, rounded
        down to the currency), and that in points: the most points whose
        worth stays within it, in whole steps.  The only limit the wizard
        shows and the redemption applies."""
        self.ensure_one()
        loyalty_lines = self.order_line.filtered("loyalty_points")
        order_total = sum((self.order_line - loyalty_lines).mapped("price_total"))
        limit = float_round(order_total * program.max_redeem_share / 100.0,
                            precision_rounding=self.currency_id.rounding,
                            rounding_method="DOWN")
        # a relative margin for the float division (500 - 1e-13 is 500 points)
        points = limit / self._loyalty_point_worth(program) * (1 + 1e-9)
        return limit, max(0.0, program._round_points(points))

    def _loyalty_points_redeemable(self, program, balance):
        """The most points :meth:`apply_loyalty_points` accepts on this
        order in all: the balance and the points already redeemed on it,
        within the share points may pay."""
        available = balance + (self._loyalty_points_outstanding() if self.id else 0.0)
        return max(0.0, program._round_points(min(available, self._loyalty_share(program)[1])))

    def _check_sales_action(self):
        """Cancelling an order or setting it back to quotation moves the
        customer's points: a salesperson's action (Odoo lets billing users
        write orders, to invoice them)."""
        if self.env.uid != SUPERUSER_ID \
                and not self.user_has_groups("sales_team.group_sale_salesman"):
            raise AccessError(_("Only salespeople cancel orders or set them back to "
                                "quotation."))

    @api.multi
    def action_cancel(self):
        """Cancel the orders: the points redeemed on them come back to
        their customers.

        :raises AccessError: the caller is not a salesperson.
        """
        self._check_sales_action()
        result = super(SaleOrder, self).action_cancel()
        self.mapped("order_line")._return_loyalty_points()
        return result

    @api.multi
    def action_draft(self):
        """Set cancelled orders back to quotation, their loyalty discount
        redeemed again (the points came back with the cancellation).

        :raises AccessError: the caller is not a salesperson.
        :raises UserError: the customer no longer has the points (see
            :meth:`apply_loyalty_points`).
        """
        self._check_sales_action()
        # the discount of a cancelled order comes back only with its points
        lines = self.filtered(lambda order: order.state == "cancel").mapped(
            "order_line").filtered("loyalty_points")
        points = {order: sum(lines.filtered(lambda line: line.order_id == order).mapped(
            "loyalty_points")) for order in lines.mapped("order_id")}
        # their points came back with the cancellation
        with in_progress.running(self.env.cr, LOYALTY_LINES, lines.mapped("order_id").ids):
            lines.unlink()
        result = super(SaleOrder, self).action_draft()
        for order, order_points in points.items():
            order._redeem_loyalty_points(order_points, self.env.uid)
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    loyalty_points = fields.Float("Points Redeemed", readonly=True, copy=False)
    loyalty_entry_id = fields.Many2one(
        "crm.loyalty.entry", "Redemption", readonly=True, copy=False, ondelete="restrict")

    @api.model
    def create(self, vals):
        """As ``create``, but loyalty discount lines come only from
        ``sale.order.apply_loyalty_points``.

        :raises UserError: ``vals`` make a loyalty line outside a redemption.
        """
        if (vals.get("loyalty_points") or vals.get("loyalty_entry_id")) \
                and vals.get("order_id") not in in_progress.ids(self.env.cr, LOYALTY_LINES):
            raise UserError(_("Loyalty discount lines are added by redeeming points on the "
                              "quotation."))
        return super(SaleOrderLine, self).create(vals)

    @api.multi
    def write(self, vals):
        """As ``write``, but a loyalty discount line keeps its points, price
        and quantity (remove it and redeem again).

        :raises UserError: ``vals`` change a loyalty line outside a redemption.
        """
        redeeming = in_progress.ids(self.env.cr, LOYALTY_LINES)
        if not set(self.mapped("order_id").ids) <= redeeming and (
                {"loyalty_points", "loyalty_entry_id"} & set(vals) or (
                    {"price_unit", "product_uom_qty", "discount", "product_id"} & set(vals)
                    and self.filtered("loyalty_points"))):
            raise UserError(_("A loyalty discount line cannot be changed: remove it and "
                              "redeem again."))
        return super(SaleOrderLine, self).write(vals)

    @api.multi
    def unlink(self):
        """Delete the lines; the points of loyalty discount lines go back to
        their members (once).  Returns True."""
        # lines a redemption replaces or of an order set back to quotation
        # have had their points counted or given back already
        redeeming = in_progress.ids(self.env.cr, LOYALTY_LINES)
        self.filtered(lambda line: line.order_id.state != "cancel"
                      and line.order_id.id not in redeeming)._return_loyalty_points()
        return super(SaleOrderLine, self).unlink()

    def _return_loyalty_points(self):
        """Give back the points of these loyalty discount lines, once: at
        most what their orders still hold redeemed in the ledger (a second
        cancellation gives nothing back)."""
        entries = self.env["crm.loyalty.entry"]
        redeeming = self.filtered("loyalty_entry_id")
        for order in redeeming.mapped("order_id"):
            lines = redeeming.filtered(lambda line: line.order_id == order)
            outstanding = order._loyalty_points_outstanding()
            if order.order_line.filtered("loyalty_points") - lines:
                outstanding = min(outstanding, sum(lines.mapped("loyalty_points")))
            if outstanding > 0:
                # the order's redemption, even when its customer's ledger is a
                # colleague's
                redemption = lines[0].loyalty_entry_id.sudo()
                entries._record([{
                    "member_id": redemption.member_id.id, "entry_type": "reversal",
                    "points": outstanding, "sale_order_id": order.id,
                    "reversed_entry_id": redemption.id, "origin": order.name,
                    "restore": True}])
