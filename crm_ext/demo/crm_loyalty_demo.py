# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

# (days ago, bonus awarded then): today's comes with today's daily run; the
# one of 350 days ago expires within the month, the one of 400 days ago has
# expired
BIRTHDAYS = [(0, False), (40, True), (350, True), (400, True), (-60, False), (-150, False)]


class CrmLoyaltyDemo(models.AbstractModel):
    """Gives the demo loyalty program a past, once the demo customer base
    has earned its points (``crm.customer.demo``): enrolment on the first
    invoice, two years of tier changes, birthdays, a referral, redemptions
    on quotations, manual adjustments, then the daily run."""

    _name = "crm.loyalty.demo"
    _description = "Loyalty Demo Data"

    @api.model
    def _generate(self):
        program = self.env.ref("crm_ext.crm_loyalty_program_demo", raise_if_not_found=False)
        if not program:
            return False
        env = self.with_context(tracking_disable=True, mail_create_nolog=True,
                                mail_create_nosubscribe=True).env
        program = program.with_env(env)
        members = env["crm.loyalty.member"].search([("program_id", "=", program.id)])
        if not members:
            _logger.info("No loyalty member in %s: no demo loyalty history.", program.name)
            return False
        today = fields.Date.from_string(fields.Date.context_today(self))
        self._demo_journal_numbering(program.journal_id)
        self._demo_enrolment(members)
        self._demo_tier_history(program, members, today)
        self._demo_birthdays(program, members, today)
        self._demo_referral(program, members)
        members = env["crm.loyalty.member"].search([("program_id", "=", program.id)])
        self._demo_redemptions(members)
        self._demo_adjustments(members)
        program._run_daily()
        return True

    @api.model
    def _demo_journal_numbering(self, journal):
        """The demo's points journal numbered by a PostgreSQL sequence, as
        CONFIGURE advises: Odoo 11 numbers journals gaplessly, with a row
        lock held until the transaction ends, which every invoice, payment,
        redemption and expiry that books points would queue on."""
        if journal.sequence_id.implementation == "no_gap":
            journal.sequence_id.sudo().write({"implementation": "standard"})

    @api.model
    def _demo_enrolment(self, members):
        """Members enrolled with their first invoice rather than on the day
        the demo data was loaded."""
        self.env.cr.execute("""
            SELECT member.id, MIN(inv.date_invoice)
              FROM crm_loyalty_member member
              JOIN crm_loyalty_program program ON program.id = member.program_id
              JOIN account_invoice inv ON inv.commercial_partner_id = member.partner_id
                                      AND inv.company_id = program.company_id
             WHERE member.id IN %s AND inv.type = 'out_invoice'
               AND inv.state IN ('open', 'paid')
             GROUP BY member.id
        """, (tuple(members.ids),))
        for member_id, first_invoice in self.env.cr.fetchall():
            members.browse(member_id).write({"enrol_date": first_invoice})

    @api.model
    def _demo_tier_history(self, program, members, today):
        """Replay two years of tiers month by month: upgrades as the spend
        came in, the yearly review (seven months ago, and every year
        before) and its grace period."""
        day = date(today.year - 2, 1, 1)
        review = today.replace(day=1) - relativedelta(months=31)
        program.write({"tier_review_date": fields.Date.to_string(review)})
        while day <= today:
            day_string = fields.Date.to_string(day)
            members.filtered(lambda member: member.enrol_date <= day_string)._update_tiers(
                upgrade_only=True, day=day_string)
            program._review_tiers(day_string)
            day += relativedelta(months=1)
        members._update_tiers(upgrade_only=True)

    @api.model
    def _demo_birthdays(self, program, members, today):
        """Birthdays, with the bonus of those already past (the daily run of
        that day)."""
        members = members.sorted(lambda member: (member.enrol_date, member.id))
        for member, (days_ago, awarded) in zip(members[::2], BIRTHDAYS):
            day = today - timedelta(days=days_ago)
            # born in a leap year, so that 29 February is a birthday too
            member.partner_id.write({"birthdate": fields.Date.to_string(
                date(1984, day.month, day.day))})
            if awarded and program.birthday_bonus:
                program._award_birthday_bonuses(fields.Date.to_string(day))

    @api.model
    def _demo_referral(self, program, members):
        """A customer brought by the best member pays its first invoice: it
        earns its first points and its referrer the referral bonus."""
        earning = self.env["crm.loyalty.entry"].search(
            [("program_id", "=", program.id)]).mapped("partner_id")
        invoice = self.env["account.invoice"].search([
            ("type", "=", "out_invoice"), ("state", "=", "open"),
            ("company_id", "=", program.company_id.id),
            ("commercial_partner_id", "not in", earning.ids),
        ], order="date_invoice desc, id desc", limit=1)
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", program.company_id.id)], limit=1)
        if not invoice or not bank:
            return
        referrer = members.sorted(lambda member: (-member.balance, member.id))[0]
        invoice.commercial_partner_id.write({"referred_by_id": referrer.partner_id.id})
        self.env["account.payment"].create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": invoice.residual,
            "journal_id": bank.id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "payment_date": fields.Date.context_today(self),
            "invoice_ids": [(6, 0, invoice.ids)],
        }).post()

    @api.model
    def _demo_redemptions(self, members):
        """Points redeemed on three quotations of the richest members: one
        order confirmed, one still a quotation, one cancelled (its points
        came back)."""
        product = self.env.ref("product.product_product_8", raise_if_not_found=False) \
            or self.env["product.product"].search([("sale_ok", "=", True)], limit=1)
        wizards = self.env["crm.loyalty.redeem.wizard"]
        richest = members.sorted(lambda member: (-member.balance, member.id))[1:4]
        for index, member in enumerate(richest):
            order = self.env["sale.order"].create({
                "partner_id": member.partner_id.id,
                "user_id": member.partner_id.user_id.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
            })
            wizard = wizards.with_context(active_model="sale.order", active_id=order.id).create(
                {})
            if wizard.points < wizard.min_points:
                continue
            # about half of what the order allows, in hundreds
            wizard.points = max(wizard.min_points, wizard.points // 200 * 100)
            wizard.action_apply()
            if index == 0:
                order.action_confirm()
            elif index == 2:
                order.action_cancel()

    @api.model
    def _demo_adjustments(self, members):
        wizards = self.env["crm.loyalty.adjust.wizard"]
        members = members.sorted("id")
        for member, points, reason in (
                (members[-1:], 250, "Compensation for a late delivery"),
                (members[1:2], -100, "Points of a duplicated invoice line given back")):
            if member and member.balance + points >= 0:
                wizards.create({"member_id": member.id, "points": points,
                                "reason": reason}).action_apply()
