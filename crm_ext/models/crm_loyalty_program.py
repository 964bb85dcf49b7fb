# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_round

from ..exceptions import NotWholePointsError
from ..tools import actions


# the program that applies to a company on a day: the first by sequence
ACTIVE_PROGRAM = """
    SELECT id FROM crm_loyalty_program
     WHERE active AND company_id = %(company)s
       AND (date_start IS NULL OR date_start <= %(day)s)
       AND (date_end IS NULL OR date_end >= %(day)s)
     ORDER BY sequence, id LIMIT 1
"""


class CrmLoyaltyProgram(models.Model):
    """A loyalty program of one company: how customers earn points on their
    invoices, what a point is worth when redeemed, when points expire, and
    how they are booked in accounting.  Its daily run is in
    crm_loyalty_program_daily.py, the check of its liability account in
    crm_loyalty_program_liability.py; what invoices earn is reckoned by
    ``crm.loyalty.earning``."""

    _name = "crm.loyalty.program"
    _description = "Loyalty Program"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, track_visibility="onchange")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, index=True,
        default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date_start = fields.Date("Start Date")
    date_end = fields.Date("End Date")
    earn_on = fields.Selection([
        ("posted", "Invoice posted"),
        ("paid", "Invoice paid"),
    ], "Earn Points When", default="paid", required=True, track_visibility="onchange",
        help="Paid: points follow the payments (a partial payment earns its share).")
    points_per_unit = fields.Float(
        "Points per Currency Unit", default=1.0, required=True, track_visibility="onchange",
        help="Points earned per unit of untaxed amount, in the company currency.")
    category_rule_ids = fields.One2many(
        "crm.loyalty.program.category", "program_id", "Category Multipliers", copy=True)
    excluded_product_ids = fields.Many2many(
        "product.product", "crm_loyalty_program_excluded_product_rel", "program_id",
        "product_id", "Excluded Products",
        help="Invoice lines of these products earn no points.")
    min_amount = fields.Monetary(
        "Minimum Invoice Amount", help="Untaxed invoices below this amount earn no points.")
    points_rounding = fields.Float(
        "Rounding", default=1.0, required=True,
        help="Points earned are rounded down to a multiple of this step, a whole "
             "number of points (1, 5, 10...).")
    # a float with its own precision: a point may be worth less than a cent
    point_value = fields.Float(
        "Value of a Point", digits=(16, 6), default=0.01, required=True,
        track_visibility="onchange",
        help="Discount granted per point redeemed, in the company currency.")
    min_redeem_points = fields.Float("Minimum Points to Redeem", default=100.0)
    max_redeem_share = fields.Float(
        "Maximum Share Paid with Points (%)", default=50.0,
        help="Largest part of an order's total that points can pay.")
    customer_redemption = fields.Boolean(
        "Customers Redeem Their Own Points", track_visibility="onchange",
        help="Lets customers with a portal login redeem their own points on their "
             "quotations (through sale.order.apply_loyalty_points). Off: only salespeople "
             "redeem points.")
    expiry_months = fields.Integer(
        "Points Expire After (months)", default=12,
        help="0: points never expire.")
    enrol_mode = fields.Selection([
        ("all", "All customers"),
        ("classified", "Customers of some segments or grades"),
        ("manual", "Enrolled by hand"),
    ], "Automatic Enrolment", default="all", required=True,
        help="Customers are enrolled when they first earn points.")
    enrol_segment_ids = fields.Many2many(
        "crm.customer.segment", "crm_loyalty_program_segment_rel", "program_id",
        "segment_id", "Enrolled Segments")
    enrol_grade_ids = fields.Many2many(
        "crm.customer.grade", "crm_loyalty_program_grade_rel", "program_id", "grade_id",
        "Enrolled Grades")
    birthday_bonus = fields.Float("Birthday Bonus (points)")
    referral_bonus = fields.Float(
        "Referral Bonus (points)",
        help="Points for the referrer when the referred customer's first invoice is paid.")
    tier_ids = fields.One2many("crm.loyalty.tier", "program_id", "Tiers", copy=True)
    tier_review_date = fields.Date(
        "Next Tier Review", help="Once a year, members who no longer qualify for their "
                                 "tier enter the grace period; upgrades apply at once.")
    tier_grace_days = fields.Integer("Grace Period (days)", default=90)
    discount_product_id = fields.Many2one(
        "product.product", domain=[("type", "=", "service")],
        help="The service product of the discount line added to sale orders when points "
             "are redeemed.")
    journal_id = fields.Many2one(
        "account.journal",
        help="Set the journal and the accounts to book the points in accounting.")
    expense_account_id = fields.Many2one(
        "account.account", "Loyalty Expense Account",
        help="Debited when points are earned, credited when they are redeemed or "
             "reversed.")
    liability_account_id = fields.Many2one(
        "account.account", "Points Liability Account",
        help="Holds the value of the points outstanding.")
    income_account_id = fields.Many2one(
        "account.account", "Expired Points Income Account",
        help="Credited with the value of the points that expire.")
    member_ids = fields.One2many("crm.loyalty.member", "program_id", "Members")
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        ("points_per_unit_positive", "CHECK (points_per_unit > 0)",
         "Points per currency unit must be above zero."),
        ("point_value_positive", "CHECK (point_value > 0)",
         "The value of a point must be above zero."),
        ("rounding_positive", "CHECK (points_rounding > 0)", "The rounding must be above zero."),
        ("min_amount_positive", "CHECK (min_amount IS NULL OR min_amount >= 0)",
         "The minimum invoice amount cannot be negative."),
        ("min_redeem_positive", "CHECK (min_redeem_points >= 0)",
         "The minimum points to redeem cannot be negative."),
        ("max_share_range", "CHECK (max_redeem_share > 0 AND max_redeem_share <= 100)",
         "The maximum share paid with points is above 0% and at most 100%."),
        ("expiry_positive", "CHECK (expiry_months >= 0)",
         "The expiry cannot be negative."),
        ("bonus_positive", "CHECK (COALESCE(birthday_bonus, 0) >= 0 "
                           "AND COALESCE(referral_bonus, 0) >= 0)",
         "Bonuses cannot be negative."),
        ("grace_positive", "CHECK (tier_grace_days >= 0)",
         "The grace period cannot be negative."),
    ]

    def _compute_member_count(self):
        groups = self.env["crm.loyalty.member"].read_group(
            [("program_id", "in", self.ids)], ["program_id"], ["program_id"])
        counts = {group["program_id"][0]: group["program_id_count"] for group in groups}
        for program in self:
            program.member_count = counts.get(program.id, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for program in self:
            if program.date_start and program.date_end and program.date_end < program.date_start:
                raise ValidationError(_("A loyalty program cannot end before it starts."))

    @api.constrains("journal_id", "expense_account_id", "liability_account_id",
                    "income_account_id", "company_id")
    def _check_accounting(self):
        for program in self:
            accounts = (program.expense_account_id | program.liability_account_id
                        | program.income_account_id)
            if program.journal_id and len(accounts) < 3:
                raise ValidationError(_(
                    "To book the points, set the expense, liability and income accounts "
                    "(three different accounts) with the journal."))
            if [record for record in (accounts, program.journal_id)
                    for record in record if record.company_id != program.company_id]:
                raise ValidationError(_(
                    "The journal and accounts must belong to the program's company."))

    @api.constrains("point_value", "points_rounding", "birthday_bonus", "referral_bonus")
    def _check_exact_values(self):
        """Points move by multiples of the rounding step, a whole number of
        points, so that every movement is a whole number of points worth an
        exact amount of money and the liability account always equals the
        points outstanding x their value."""
        for program in self:
            step_value = program._points_value(program.points_rounding)
            cents = step_value / program.currency_id.rounding
            if abs(cents - round(cents)) > 1e-6:
                raise ValidationError(_(
                    "The value of a point x the rounding step (%(value)s) must be a whole "
                    "number of %(rounding)s, so that points are always worth an exact "
                    "amount.") % {"value": step_value,
                                  "rounding": program.currency_id.rounding})
            # points are whole numbers: shown as such everywhere
            steps = program.points_rounding
            if steps < 1 or abs(steps - round(steps)) > 1e-9:
                raise ValidationError(_(
                    "Points are whole numbers: the rounding step must be a whole number of "
                    "points (1, 5, 10...), not %s.") % steps)
            for bonus in (program.birthday_bonus, program.referral_bonus):
                if not program._is_whole_points(bonus or 0.0):
                    raise ValidationError(_(
                        "Bonuses must be multiples of the rounding step (%s points).")
                        % program.points_rounding)

    @api.model
    def _active_program(self, company, day=None):
        """The program that applies to ``company`` on ``day`` (the first by
        sequence), or an empty recordset (also for no company)."""
        if not company:
            return self.browse()
        day = day or fields.Date.context_today(self)
        if self.env.uid == SUPERUSER_ID and self.env.context.get("active_test", True):
            # each validated invoice asks (no record rule applies): one query
            self.env.cr.execute(ACTIVE_PROGRAM, {"company": company.id, "day": day})
            return self.browse([row[0] for row in self.env.cr.fetchall()])
        return self.search([
            ("company_id", "=", company.id),
            "|", ("date_start", "=", False), ("date_start", "<=", day),
            "|", ("date_end", "=", False), ("date_end", ">=", day),
        ], limit=1)

    @api.model
    def _spends_and_tiers(self, customers, day=None, excluded_invoice_ids=()):
        """{key: (qualifying spend up to ``day``, the highest tier of the
        program that spend reaches)} for ``customers``, ``[(key, program id,
        commercial partner id)]``, in one query; ``excluded_invoice_ids``
        not counted."""
        if not customers:
            return {}
        day = fields.Date.from_string(day or fields.Date.context_today(self))
        # invoices being validated count as validated
        posting = list(self.env["crm.loyalty.earning"]._posting_ids())
        keys, program_ids, partner_ids = zip(*customers)
        self.env.cr.execute("""
            SELECT who.key, spend.amount,
                   (SELECT tier.id FROM crm_loyalty_tier tier
                     WHERE tier.program_id = who.program_id
                       AND COALESCE(tier.min_spend, 0) <= spend.amount
                     ORDER BY COALESCE(tier.min_spend, 0) DESC, tier.id DESC LIMIT 1)
              FROM unnest(%(keys)s::int[], %(programs)s::int[], %(partners)s::int[])
                   AS who(key, program_id, partner_id)
              JOIN crm_loyalty_program program ON program.id = who.program_id,
                   LATERAL (
                       SELECT COALESCE(SUM(inv.amount_untaxed_signed), 0) AS amount
                         FROM account_invoice inv
                        WHERE inv.commercial_partner_id = who.partner_id
                          AND inv.company_id = program.company_id
                          AND inv.type IN ('out_invoice', 'out_refund')
                          AND (inv.state IN ('open', 'paid') OR inv.id = ANY(%(posting)s))
                          AND inv.id <> ALL(%(excluded)s)
                          AND inv.date_invoice > %(since)s AND inv.date_invoice <= %(day)s
                   ) spend
        """, {"keys": list(keys), "programs": list(program_ids), "partners": list(partner_ids),
              "posting": posting, "excluded": list(excluded_invoice_ids),
              "since": day - timedelta(days=365), "day": day})
        tiers = self.env["crm.loyalty.tier"]
        return {key: (spend, tiers.browse(tier_id))
                for key, spend, tier_id in self.env.cr.fetchall()}

    def _round_points(self, points):
        """Points rounded towards zero to a multiple of the rounding step."""
        self.ensure_one()
        rounded = float_round(abs(points), precision_rounding=self.points_rounding,
                              rounding_method="DOWN")
        return rounded if points >= 0 else -rounded

    def _points_value(self, points):
        """What ``points`` are worth in the company currency, unrounded: the
        one conversion from points to money (an order converts this to its
        own currency, see ``sale.order._loyalty_point_worth``); 0 without a
        program."""
        return points * (self.point_value or 0.0)

    def _is_whole_points(self, points):
        """Whether ``points`` (a number) is a whole multiple of the rounding
        step: the one test of it (see :meth:`_check_whole_points`)."""
        self.ensure_one()
        steps = points / self.points_rounding
        return abs(steps - round(steps)) < 1e-6

    def _check_whole_points(self, points):
        """Refuse a movement of ``points`` that is not a whole multiple of
        the rounding step.

        :raises NotWholePointsError: it is not.
        """
        if not self._is_whole_points(points):
            raise NotWholePointsError(self, points)

    def _expiry_date(self, day):
        """The day points earned on ``day`` (a ``'YYYY-MM-DD'`` string)
        expire, as such a string, or False when they never do.  Meant to be
        overridden to change when points expire."""
        self.ensure_one()
        if not self.expiry_months:
            return False
        return fields.Date.to_string(
            fields.Date.from_string(day) + relativedelta(months=self.expiry_months))

    def _category_multipliers(self):
        """{product category id: multiplier}, children inheriting the rule of
        their nearest ancestor."""
        self.ensure_one()
        rules = {rule.categ_id.id: rule.multiplier for rule in self.category_rule_ids}
        if not rules:
            return {}
        result = {}
        for category in self.env["product.category"].search(
                [("id", "child_of", list(rules))]):
            node = category
            while node and node.id not in rules:
                node = node.parent_id
            result[category.id] = rules[node.id]
        return result

    def _enrolment_allowed(self, partner):
        """Whether ``partner`` (its commercial entity) is enrolled when it
        first earns points, by the program's automatic enrolment."""
        self.ensure_one()
        if self.enrol_mode == "all":
            return True
        if self.enrol_mode == "manual":
            return False
        insight = self.env["crm.customer.insight"].sudo().search([
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", self.company_id.id)], limit=1)
        return bool(
            (insight.segment_id and insight.segment_id in self.enrol_segment_ids)
            or (insight.grade and insight.grade in self.enrol_grade_ids.mapped("code")))

    @api.multi
    def action_view_members(self):
        """The window action (a dict) of this program's members.

        :raises AccessError: the caller may not read this program.
        :raises ValueError: not exactly one program.
        """
        return actions.window_action(
            self, "crm_ext.crm_loyalty_member_action", [("program_id", "=", self.id)],
            {"default_program_id": self.id})
