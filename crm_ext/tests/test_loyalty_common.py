"""Fixtures of the loyalty tests: a program booked in accounting with three
tiers, users of each group, and helpers that invoice, pay, refund and redeem
the way users do.  No test here: the test_loyalty_* files use them."""
import contextlib

from dateutil.relativedelta import relativedelta

from odoo import fields

from .common import InsightCase


class LoyaltyCase(InsightCase):
    """A program earning 1 point per currency unit paid, a point worth 0.01,
    points expiring after 12 months, tiers Base (0), Silver (2,000 x1.5) and
    Gold (5,000 x2)."""

    @classmethod
    def setUpClass(cls):
        super(LoyaltyCase, cls).setUpClass()
        cls.program_model = cls.env["crm.loyalty.program"]
        cls.member_model = cls.env["crm.loyalty.member"]
        cls.entry_model = cls.env["crm.loyalty.entry"]
        cls.today = fields.Date.context_today(cls.program_model)
        # the tests' program is the only one running
        cls.program_model.search([]).write({"active": False})
        # cancelling invoices and payments, as with account_cancel
        (cls.sale_journal | cls.bank_journal).write({"update_posted": True})
        cls.loyalty_journal = cls.env["account.journal"].create({
            "name": "Loyalty Points", "code": "LOYT", "type": "general",
            "company_id": cls.company.id})
        cls.expense_account = cls._account(
            "LOYT610", "Loyalty expense", "account.data_account_type_expenses")
        cls.liability_account = cls._account(
            "LOYT250", "Loyalty points liability",
            "account.data_account_type_current_liabilities")
        cls.expiry_income_account = cls._account(
            "LOYT790", "Expired loyalty points", "account.data_account_type_other_income")
        cls.discount_product = cls.env.ref("crm_ext.crm_loyalty_product_discount")
        cls.program = cls.program_model.create({
            "name": "Test Loyalty",
            "sequence": 1,
            "company_id": cls.company.id,
            "earn_on": "paid",
            "points_per_unit": 1.0,
            "points_rounding": 1.0,
            "point_value": 0.01,
            "min_redeem_points": 100.0,
            "max_redeem_share": 50.0,
            "expiry_months": 12,
            "enrol_mode": "all",
            "birthday_bonus": 50.0,
            "referral_bonus": 200.0,
            "tier_grace_days": 90,
            "discount_product_id": cls.discount_product.id,
            "journal_id": cls.loyalty_journal.id,
            "expense_account_id": cls.expense_account.id,
            "liability_account_id": cls.liability_account.id,
            "income_account_id": cls.expiry_income_account.id,
            "tier_ids": [
                (0, 0, {"name": "Base", "min_spend": 0.0, "earn_multiplier": 1.0}),
                (0, 0, {"name": "Silver", "min_spend": 2000.0, "earn_multiplier": 1.5}),
                (0, 0, {"name": "Gold", "min_spend": 5000.0, "earn_multiplier": 2.0}),
            ],
        })
        cls.tier_base, cls.tier_silver, cls.tier_gold = cls.program.tier_ids.sorted("min_spend")
        cls.salesman = cls._user("loyalty_salesman", "sales_team.group_sale_salesman")
        cls.other_salesman = cls._user("loyalty_salesman2", "sales_team.group_sale_salesman")
        cls.loyalty_manager = cls._user(
            "loyalty_manager", "crm_ext.crm_loyalty_program_group_manager")
        cls.accountant = cls._user("loyalty_accountant", "account.group_account_invoice")

    @classmethod
    def _account(cls, code, name, type_xmlid):
        return cls.env["account.account"].create({
            "code": code, "name": name, "company_id": cls.company.id,
            "user_type_id": cls.env.ref(type_xmlid).id})

    @classmethod
    def _date(cls, day=None, **delta):
        """``day`` (today by default) moved by a relativedelta, as a string."""
        return fields.Date.to_string(
            fields.Date.from_string(day or cls.today) + relativedelta(**delta))

    # documents

    @classmethod
    def _sell(cls, partner, amount, date=None, post=True):
        """A customer invoice of ``amount`` untaxed (no tax), validated."""
        return cls._invoice(partner, date or cls.today, price=amount, post=post)

    @classmethod
    def _refund(cls, invoice, amount, reconcile=False):
        """A validated credit note of ``amount`` on ``invoice``, reconciled
        with it when asked (the 'cancel' mode of the refund wizard)."""
        refund = invoice.refund(description="Refund")
        refund.invoice_line_ids[1:].unlink()
        refund.invoice_line_ids.write({"quantity": 1.0, "price_unit": amount})
        refund.compute_taxes()
        refund.action_invoice_open()
        if reconcile:
            (invoice.move_id.line_ids | refund.move_id.line_ids).filtered(
                lambda line: line.account_id == invoice.account_id
                and not line.reconciled).reconcile()
        return refund

    @classmethod
    def _unpay(cls, payment):
        """Unreconcile ``payment`` from its invoices, as the invoice's
        'Unreconcile' button does."""
        payment.move_line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable").remove_move_reconcile()

    @classmethod
    def _quotation(cls, partner, amount=1000.0, user=None):
        """A quotation of ``amount`` (no tax) for ``partner``, made by
        ``user`` (the salesperson), as that user."""
        env = cls.env(user=user.id) if user else cls.env
        return env["sale.order"].create({
            "partner_id": partner.id,
            "user_id": env.uid,
            "order_line": [(0, 0, {
                "product_id": cls.product.id,
                "name": cls.product.name,
                "product_uom_qty": 1.0,
                "price_unit": amount,
                "tax_id": [(6, 0, [])],
            })],
        })

    # the ledger

    @classmethod
    def _member(cls, partner):
        return cls.member_model.search([
            ("program_id", "=", cls.program.id),
            ("partner_id", "=", partner.commercial_partner_id.id)])

    @classmethod
    def _enrol(cls, partner):
        return cls.member_model._member_of(cls.program, partner)

    @staticmethod
    def _earned(invoice):
        """The points an invoice holds (its earnings and their reversals)."""
        invoice.invalidate_cache(["loyalty_entry_ids"])
        return sum(invoice.loyalty_entry_ids.mapped("points"))

    @staticmethod
    def _balance(member):
        """The balance as a new request reads it (it is computed from the
        ledger, with no dependency the ORM could invalidate it on)."""
        member.invalidate_cache()
        return member.balance

    @classmethod
    def _give(cls, member, points, date=None, expiry_date=None, entry_type="adjust"):
        """Record a movement of ``points`` for ``member`` (an adjustment by
        default) on ``date``, expiring on ``expiry_date`` when given."""
        vals = {"member_id": member.id, "entry_type": entry_type, "points": points,
                "date": date or cls.today, "origin": "Test"}
        if expiry_date:
            vals["expiry_date"] = expiry_date
        return cls.entry_model._record([vals])

    @contextlib.contextmanager
    def _rolled_back(self):
        """Whatever the block does is rolled back after it (a subtest's
        changes do not reach the next one)."""
        self.env.cr.execute("SAVEPOINT loyalty_rolled_back")
        try:
            yield
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT loyalty_rolled_back")
            self.env.clear()

    def _counts(self):
        """Rows of every table a loyalty operation may write."""
        return {model: self.env[model].sudo().with_context(active_test=False).search_count([])
                for model in ("crm.loyalty.entry", "crm.loyalty.member", "crm.loyalty.program",
                              "crm.loyalty.tier", "crm.loyalty.tier.history",
                              "sale.order.line", "account.move", "mail.mail")}

    def assertLedgerConsistent(self, member):
        """The balance is the sum of the entries; remaining points are never
        negative and are the balance when it is positive; what they fall
        short of the balance is the debt, settled by later earnings."""
        member.invalidate_cache()
        entries = self.entry_model.sudo().search([("member_id", "=", member.id)])
        balance = sum(entries.mapped("points"))
        remaining = sum(entries.mapped("remaining_points"))
        self.assertAlmostEqual(member.balance, balance)
        self.assertFalse(entries.filtered(lambda entry: entry.remaining_points < 0))
        self.assertFalse(entries.filtered(
            lambda entry: entry.points < 0 and entry.remaining_points))
        self.assertFalse(entries.filtered(
            lambda entry: entry.points > 0 and entry.remaining_points > entry.points + 1e-6))
        debt = self.entry_model._debt(member)
        self.assertGreaterEqual(debt, 0.0)
        self.assertAlmostEqual(remaining - balance, debt)
        self.assertAlmostEqual(remaining, max(balance, 0.0))

    def _debit_liability_by_hand(self, amount):
        """A posted journal entry moving ``amount`` from the liability
        account to the expense account, outside the ledger."""
        move = self.env["account.move"].create({
            "journal_id": self.loyalty_journal.id,
            "line_ids": [
                (0, 0, {"name": "Manual", "account_id": self.liability_account.id,
                        "debit": amount, "credit": 0.0}),
                (0, 0, {"name": "Manual", "account_id": self.expense_account.id,
                        "debit": 0.0, "credit": amount}),
            ]})
        move.post()
        return move

    def assertLiabilityBalanced(self, program=None):
        check = (program or self.program).check_liability()
        self.assertTrue(check["balanced"], check)
        return check
