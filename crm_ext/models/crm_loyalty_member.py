# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import actions


class CrmLoyaltyMember(models.Model):
    """A customer (commercial partner) enrolled in a loyalty program.  The
    balance is always the sum of the member's ledger entries."""

    _name = "crm.loyalty.member"
    _description = "Loyalty Member"
    _inherit = ["mail.thread"]
    _order = "program_id, card_number"
    _rec_name = "card_number"

    program_id = fields.Many2one(
        "crm.loyalty.program", required=True, index=True, ondelete="restrict",
        track_visibility="onchange")
    company_id = fields.Many2one(related="program_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="program_id.currency_id", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict",
        domain=[("parent_id", "=", False)], auto_join=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson", readonly=True)
    card_number = fields.Char(
        required=True, readonly=True, copy=False, index=True,
        default=lambda self: self.env["ir.sequence"].next_by_code("crm.loyalty.member") or "/")
    enrol_date = fields.Date(
        "Enrolment Date", required=True, default=fields.Date.context_today)
    tier_id = fields.Many2one("crm.loyalty.tier", readonly=True, track_visibility="onchange")
    tier_since = fields.Date(readonly=True)
    tier_grace_until = fields.Date(
        "Tier Kept Until", readonly=True,
        help="The member no longer qualifies for the tier at the last review and keeps it "
             "until this date.")
    expiry_reminder_date = fields.Date(
        "Expiry Reminder Sent On", readonly=True, copy=False)
    entry_ids = fields.One2many("crm.loyalty.entry", "member_id", "Ledger", readonly=True)
    tier_history_ids = fields.One2many(
        "crm.loyalty.tier.history", "member_id", readonly=True)
    balance = fields.Float(compute="_compute_points", help="Sum of the ledger entries.")
    balance_value = fields.Monetary(compute="_compute_points")
    expiring_points = fields.Float(
        "Expiring in 30 Days", compute="_compute_points",
        help="Points that expire within the next 30 days.")
    lifetime_earned = fields.Float(
        compute="_compute_points",
        help="Points earned on invoices and as bonuses, less what credit notes and "
             "cancellations took back.")
    lifetime_redeemed = fields.Float(
        compute="_compute_points", help="Points redeemed on orders, less what was given back.")
    lifetime_expired = fields.Float(compute="_compute_points")
    lifetime_adjusted = fields.Float(
        compute="_compute_points",
        help="Points added (or taken away, negative) by hand. Earned - redeemed - expired "
             "+ adjusted = balance.")
    qualifying_spend = fields.Monetary(
        "Spend, Last 12 Months", compute="_compute_qualifying_spend")

    _sql_constraints = [
        ("partner_program_uniq", "unique(program_id, partner_id)",
         "A customer is enrolled once per program."),
        ("card_number_uniq", "unique(card_number)", "Card numbers are unique."),
    ]

    def _compute_points(self):
        if not self.ids:
            return
        in_30_days = fields.Date.to_string(
            fields.Date.from_string(fields.Date.context_today(self)) + timedelta(days=30))
        # every entry in one figure of the card: a reversal with what it
        # reverses (an order's give-back with its redemptions, a credit
        # note's or a cancellation's with the earnings)
        self.env.cr.execute("""
            SELECT member_id,
                   SUM(points),
                   SUM(remaining_points) FILTER (WHERE expiry_date <= %s),
                   SUM(points) FILTER (WHERE entry_type IN ('earn', 'bonus')
                                          OR entry_type = 'reversal' AND sale_order_id IS NULL),
                   -SUM(points) FILTER (WHERE entry_type = 'redeem'
                                           OR entry_type = 'reversal'
                                              AND sale_order_id IS NOT NULL),
                   -SUM(points) FILTER (WHERE entry_type = 'expire'),
                   SUM(points) FILTER (WHERE entry_type = 'adjust')
              FROM crm_loyalty_entry
             WHERE member_id IN %s
             GROUP BY member_id
        """, (in_30_days, tuple(self.ids)))
        figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for member in self:
            balance, expiring, earned, redeemed, expired, adjusted = [
                figure or 0.0 for figure in figures.get(member.id, (0.0,) * 6)]
            member.balance = balance
            member.balance_value = member.program_id._points_value(balance)
            member.expiring_points = expiring
            member.lifetime_earned = earned
            member.lifetime_redeemed = redeemed
            member.lifetime_expired = expired
            member.lifetime_adjusted = adjusted

    def _compute_qualifying_spend(self):
        spend = self._qualifying_spends()
        for member in self:
            member.qualifying_spend = spend.get(member.id, 0.0)

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for member in self:
            if member.partner_id != member.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "%(contact)s is a contact of %(company)s: enrol the company, its contacts "
                    "earn with it.") % {
                        "contact": member.partner_id.name,
                        "company": member.partner_id.commercial_partner_id.name})

    @api.model
    def create(self, vals):
        """As ``create``; a new member starts at the tier its spend of the
        program's period reaches.  Returns the member."""
        member = super(CrmLoyaltyMember, self).create(vals)
        # however it is enrolled, a member starts at the tier its spend reaches
        member._update_tiers(upgrade_only=True)
        return member

    @api.multi
    def unlink(self):
        """Delete members that have no ledger entry.

        :raises UserError: a member has entries (its points stay accounted).
        """
        if self.env["crm.loyalty.entry"].search_count([("member_id", "in", self.ids)]):
            raise UserError(_("A member with ledger entries cannot be deleted: archive the "
                              "customer or adjust the balance to zero."))
        return super(CrmLoyaltyMember, self).unlink()

    # business methods

    @api.model
    def _member_of(self, program, partner, enrol=True, day=None):
        """The member of ``program`` for ``partner``'s commercial entity,
        enrolled now if the program enrols it automatically."""
        commercial = partner.commercial_partner_id
        self.env.cr.execute(
            "SELECT id FROM crm_loyalty_member WHERE program_id = %s AND partner_id = %s",
            (program.id, commercial.id))
        member = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if not member and enrol and program._enrolment_allowed(commercial):
            member = self.sudo().with_context(
                tracking_disable=True, mail_create_nolog=True).create({
                "program_id": program.id, "partner_id": commercial.id,
                "enrol_date": day or fields.Date.context_today(self)})
        return member

    def _lock(self):
        """Lock the members' rows until the end of the transaction: two
        movements of the same balance never interleave.  The rows are
        updated, not only locked: a transaction that waited for the lock
        with a snapshot older than the other's commit then fails with a
        serialization error, which Odoo retries, instead of reading the
        ledger as it was before (repeatable read)."""
        if self.ids:
            self.env.cr.execute("""
                UPDATE crm_loyalty_member SET write_date = write_date
                 WHERE id IN (SELECT id FROM crm_loyalty_member WHERE id IN %s
                               ORDER BY id FOR UPDATE)
            """, (tuple(self.ids),))

    def _qualifying_spends(self, day=None):
        """{member id: untaxed amount invoiced over the 12 months up to
        ``day``, refunds subtracted, company currency}."""
        return {member_id: spend for member_id, (spend, _tier) in self._spends_and_tiers(
            day).items()}

    def _spends_and_tiers(self, day=None):
        """{member id: (qualifying spend up to ``day``, the highest tier of
        its program that spend reaches)}, in one query."""
        return self.env["crm.loyalty.program"]._spends_and_tiers(
            [(member.id, member.program_id.id, member.partner_id.id) for member in self], day)

    def _update_tiers(self, upgrade_only=False, day=None):
        """Move members to the tier their spend reaches: upgrades at once;
        downgrades (``upgrade_only=False``, the yearly review) after the
        grace period."""
        day = day or fields.Date.context_today(self)
        spends_and_tiers = self._spends_and_tiers(day)
        history = self.env["crm.loyalty.tier.history"].sudo()
        for member in self:
            spend, target = spends_and_tiers[member.id]
            current = member.tier_id
            if target == current:
                if member.tier_grace_until:
                    member.sudo().write({"tier_grace_until": False})
                continue
            upgrade = not current or (target and target.min_spend > current.min_spend)
            if not upgrade:
                if upgrade_only:
                    continue
                grace_days = member.program_id.tier_grace_days
                if not member.tier_grace_until and grace_days:
                    member.sudo().write({"tier_grace_until": fields.Date.to_string(
                        fields.Date.from_string(day) + timedelta(days=grace_days))})
                    continue
                if member.tier_grace_until and member.tier_grace_until > day:
                    continue
            history.create({
                "member_id": member.id, "date": day, "old_tier_id": current.id,
                "new_tier_id": target.id, "qualifying_spend": spend,
                "reason": "upgrade" if upgrade else "review"})
            member.sudo().write({"tier_id": target.id, "tier_since": day,
                                 "tier_grace_until": False})

    @api.multi
    def action_view_entries(self):
        """The ledger of this card: the window action (a dict) listing its
        entries, where a new entry would be this member's.

        :raises AccessError: the caller may not read the member.
        :raises ValueError: not exactly one member.
        """
        return actions.window_action(
            self, "crm_ext.crm_loyalty_entry_action", [("member_id", "=", self.id)],
            {"default_member_id": self.id})
