# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "sale_order_id", "Loyalty Points", readonly=True)
    loyalty_points_redeemed = fields.Float(
        "Points Redeemed", compute="_compute_loyalty_points_redeemed")

    def _compute_loyalty_points_redeemed(self):
        for order in self:
            # the order's, even when its customer's ledger is a colleague's
            order.loyalty_points_redeemed = -sum(
                order.sudo().loyalty_entry_ids.mapped("points"))

    @api.multi
    def apply_loyalty_points(self, points):
        """Redeem ``points`` of the customer's balance on this quotation: a
        discount line worth points x the value of a point.  Within the
        balance, the program's minimum and the maximum share of the order;
        the member's row stays locked until the transaction ends, so two
        orders can never spend the same points."""
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
        if points <= 0 or not program._is_whole_points(points):
            raise UserError(_("Redeem a positive number of points, in multiples of %s.")
                            % program.points_rounding)
        member._lock()
        member.invalidate_cache()
        if points > member.balance:
            raise UserError(_("%(customer)s has %(balance)s points: %(points)s cannot be "
                              "redeemed.") % {"customer": member.partner_id.name,
                                              "balance": member.balance, "points": points})
        if points < program.min_redeem_points:
            raise UserError(_("At least %s points must be redeemed at once.")
                            % program.min_redeem_points)
        limit, redeemed = self._loyalty_share(program)
        value = self._loyalty_points_value(program, points)
        if self._loyalty_points_value(program, redeemed + points) > limit + 1e-6:
            raise UserError(_("Points can pay at most %(share)s%% of this order "
                              "(%(limit).2f).") % {
                "share": program.max_redeem_share, "limit": limit})
        entry = self.env["crm.loyalty.entry"]._record([{
            "member_id": member.id, "entry_type": "redeem", "points": -points,
            "sale_order_id": self.id, "origin": self.name}])
        self.env["sale.order.line"].sudo().create({
            "order_id": self.id,
            "product_id": program.discount_product_id.id,
            "name": _("Loyalty points: %s points redeemed") % ("%g" % points),
            "product_uom_qty": 1.0,
            "price_unit": -value,
            "tax_id": [(6, 0, [])],
            "loyalty_points": points,
            "loyalty_entry_id": entry.id,
        })
        return entry

    def _loyalty_points_value(self, program, points):
        """What ``points`` are worth on this order, in its currency: points
        are worth their value in the company currency."""
        self.ensure_one()
        company_currency = program.currency_id.with_context(
            date=self.date_order or fields.Datetime.now())
        return company_currency.compute(points * program.point_value, self.currency_id)

    def _loyalty_share(self, program):
        """The most points may pay of this order (its total without the
        loyalty lines x the program's maximum share, in the order's
        currency), and the points already redeemed on it."""
        self.ensure_one()
        loyalty_lines = self.order_line.filtered("loyalty_points")
        order_total = sum((self.order_line - loyalty_lines).mapped("price_total"))
        return (order_total * program.max_redeem_share / 100.0,
                sum(loyalty_lines.mapped("loyalty_points")))

    def _loyalty_points_redeemable(self, program, balance):
        """The most points :meth:`apply_loyalty_points` accepts on this
        order: the balance, within the share points may pay, less those
        already redeemed on it."""
        limit, redeemed = self._loyalty_share(program)
        order_currency = self.currency_id.with_context(
            date=self.date_order or fields.Datetime.now())
        limit_points = order_currency.compute(
            limit, program.currency_id, round=False) / program.point_value
        return max(0.0, program._round_points(min(balance, limit_points - redeemed)))

    @api.multi
    def action_cancel(self):
        result = super(SaleOrder, self).action_cancel()
        self.mapped("order_line")._return_loyalty_points()
        return result

    @api.multi
    def action_draft(self):
        lines = self.filtered(lambda order: order.state == "cancel").mapped(
            "order_line").filtered("loyalty_points")
        result = super(SaleOrder, self).action_draft()
        # the discount of a cancelled order comes back only with its points
        for line in lines:
            points = line.loyalty_points
            order = line.order_id
            line.with_context(crm_loyalty_points_returned=True).unlink()
            order.apply_loyalty_points(points)
        return result


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    loyalty_points = fields.Float("Points Redeemed", readonly=True, copy=False)
    loyalty_entry_id = fields.Many2one(
        "crm.loyalty.entry", "Redemption", readonly=True, copy=False, ondelete="restrict")

    @api.multi
    def write(self, vals):
        if any(key in vals for key in ("price_unit", "product_uom_qty", "discount",
                                       "product_id")) and self.filtered("loyalty_points"):
            raise UserError(_("A loyalty discount line cannot be changed: remove it and "
                              "redeem again."))
        return super(SaleOrderLine, self).write(vals)

    @api.multi
    def unlink(self):
        if not self.env.context.get("crm_loyalty_points_returned"):
            self.filtered(lambda line: line.order_id.state != "cancel")._return_loyalty_points()
        return super(SaleOrderLine, self).unlink()

    def _return_loyalty_points(self):
        """Give back the points of loyalty discount lines, once."""
        entries = self.env["crm.loyalty.entry"]
        for line in self.filtered("loyalty_entry_id"):
            # the order's redemption, even when its customer's ledger is a
            # colleague's
            redemption = line.loyalty_entry_id.sudo()
            returned = sum(entries.sudo().search([
                ("reversed_entry_id", "=", redemption.id)]).mapped("points"))
            points = -redemption.points - returned
            if points > 0:
                entries._record([{
                    "member_id": redemption.member_id.id, "entry_type": "reversal",
                    "points": points, "sale_order_id": line.order_id.id,
                    "reversed_entry_id": redemption.id, "origin": line.order_id.name}])
