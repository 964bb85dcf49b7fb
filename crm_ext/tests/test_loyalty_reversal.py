from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyReversal(LoyaltyCase):
    """A credit note takes back its share of what the invoice earned, by the
    rules it earned with, less what has expired or been taken back already:
    never more, never an earning (issue 12, item 6).  Points given back come
    back with the expiry they had."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyReversal, cls).setUpClass()
        cls.program.write({"earn_on": "posted"})
        cls.customer = cls._customer("Reversed", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        # one tier, so that the multiplier stays 1
        cls.program.tier_ids.filtered(lambda tier: tier.min_spend).unlink()

    def assertSettled(self, balance):
        self.assertEqual(self._balance(self.member), balance)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()

    def _earn_redeem_and_expire(self):
        """The issue's customer: 1,000 points expiring in a month and 500
        in a year earned, 300 redeemed (from the 1,000), the other 700
        expired; returns the invoice of the 1,000."""
        self.program.expiry_months = 1
        first = self._sell(self.customer, 1000.0)
        self.program.expiry_months = 12
        self._sell(self.customer, 500.0)
        self._quotation(self.customer, 2000.0).apply_loyalty_points(300.0)
        self.assertEqual(first.loyalty_entry_ids.remaining_points, 700.0,
                         "taken from the 1,000 first")
        self.program._run_daily(self._date(months=1))
        self.assertSettled(500.0)
        return first

    def test_expired_points_are_not_taken_back_again(self):
        first = self._earn_redeem_and_expire()
        self._refund(first, 1000.0)
        self.assertEqual(self._earned(first), 700.0, "the 300 redeemed taken back")
        self.assertSettled(200.0)

    def test_partial_credit_note_after_expiry(self):
        first = self._earn_redeem_and_expire()
        # half refunded: the invoice keeps 500 points, and 700 of its points
        # have expired: the 300 redeemed are taken back, not the expired ones
        refund = self._refund(first, 500.0)
        self.assertEqual(self._earned(first), 700.0)
        self.assertSettled(200.0)
        # the other half: nothing more to take back
        self._refund(first, 500.0)
        self.assertEqual(self._earned(first), 700.0)
        self.assertSettled(200.0)
        # a credit note cancelled: half refunded again, as after the first
        refund.action_invoice_cancel()
        self.assertEqual(self._earned(first), 700.0)
        self.assertSettled(200.0)

    def test_credit_note_after_the_rate_changed(self):
        invoice = self._sell(self.customer, 1000.0)
        self.assertEqual(self._earned(invoice), 1000.0)
        self.program.points_per_unit = 2.0
        self._refund(invoice, 100.0)
        self.assertEqual(invoice.loyalty_entry_ids.mapped("entry_type"), ["reversal", "earn"])
        self.assertEqual(self._earned(invoice), 900.0)
        self.assertSettled(900.0)

    def test_credit_note_after_any_rule_changed(self):
        category = self.env["product.category"].create({"name": "Reversal x3"})
        changes = {
            "rate": {"points_per_unit": 2.0},
            "rounding": {"points_rounding": 100.0, "birthday_bonus": 0.0,
                         "referral_bonus": 0.0},
            "exclusion": {"excluded_product_ids": [(6, 0, self.product.ids)]},
            "minimum": {"min_amount": 5000.0},
            "category": {"category_rule_ids": [(0, 0, {"categ_id": category.id,
                                                       "multiplier": 3.0})]},
            "tier": {"tier_ids": [(0, 0, {"name": "From 1 x2", "min_spend": 1.0,
                                          "earn_multiplier": 2.0})]},
        }
        self.product.categ_id = category
        for name, values in sorted(changes.items()):
            with self.subTest(change=name), self._rolled_back():
                invoice = self._sell(self.customer, 1000.0)
                self.program.write(values)
                self._refund(invoice, 100.0)
                self.assertEqual(self._earned(invoice), 900.0)
                self.assertSettled(900.0)
                self._refund(invoice, 900.0)
                self.assertSettled(0.0)

    def test_points_given_back_keep_their_expiry(self):
        late = self._give(self.member, 600.0, date=self._date(months=-2),
                          expiry_date=self._date(months=10))
        soon = self._give(self.member, 400.0, date=self._date(months=-1),
                          expiry_date=self._date(months=2))
        order = self._quotation(self.customer, 2000.0)
        order.apply_loyalty_points(500.0)
        self.assertEqual((soon.remaining_points, late.remaining_points), (0.0, 500.0))
        # fewer points: the last used come back first
        order.apply_loyalty_points(200.0)
        self.assertEqual((soon.remaining_points, late.remaining_points), (200.0, 600.0))
        order.action_cancel()
        self.assertEqual((soon.remaining_points, late.remaining_points), (400.0, 600.0))
        self.assertFalse(order.loyalty_entry_ids.filtered("remaining_points"))
        self.assertSettled(1000.0)
        # they expire when they would have
        self.program._run_daily(self._date(months=2))
        self.assertSettled(600.0)

    def test_points_given_back_after_their_expiry_expire_at_the_next_run(self):
        soon = self._give(self.member, 400.0, date=self._date(months=-1),
                          expiry_date=self._date(days=1))
        self._give(self.member, 600.0, expiry_date=self._date(months=10))
        order = self._quotation(self.customer, 2000.0)
        order.apply_loyalty_points(300.0)
        self.program._run_daily(self._date(days=1))
        self.assertSettled(600.0)
        order.action_cancel()
        self.assertEqual(soon.remaining_points, 300.0)
        self.program._run_daily(self._date(days=2))
        self.assertSettled(600.0)

    def test_cancelled_credit_note_gives_back_the_expiry_it_took(self):
        invoice = self._sell(self.customer, 1000.0)
        earning = invoice.loyalty_entry_ids
        refund = self._refund(invoice, 1000.0)
        self.assertEqual(earning.remaining_points, 0.0)
        refund.action_invoice_cancel()
        self.assertEqual(self._earned(invoice), 1000.0)
        self.assertEqual(earning.remaining_points, 1000.0)
        self.assertSettled(1000.0)
