from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyCard(LoyaltyCase):
    """A member's card adds up: earned - redeemed - expired + adjusted =
    balance, every movement counted once, a reversal with what it reverses
    (issue 12, item 16)."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyCard, cls).setUpClass()
        # born on this day (in a leap year for a 29 February)
        cls.customer = cls._customer("Card Holder", user_id=cls.salesman.id,
                                     birthdate="1992" + cls.today[4:])
        cls.member = cls._enrol(cls.customer)

    def assertCard(self, earned, redeemed, expired, adjusted, balance):
        self.member.invalidate_cache()
        card = self.member
        self.assertEqual(
            (card.lifetime_earned, card.lifetime_redeemed, card.lifetime_expired,
             card.lifetime_adjusted, card.balance),
            (earned, redeemed, expired, adjusted, balance))
        self.assertEqual(card.lifetime_earned - card.lifetime_redeemed - card.lifetime_expired
                         + card.lifetime_adjusted, card.balance)

    def test_cancelled_redemption(self):
        self._give(self.member, 10000.0, entry_type="earn")
        self._give(self.member, 8600.0, entry_type="earn")
        order = self._quotation(self.customer, 100000.0)
        order.apply_loyalty_points(14300.0)
        order.action_cancel()
        self._quotation(self.customer, 100000.0).apply_loyalty_points(5000.0)
        self.assertCard(18600.0, 5000.0, 0.0, 0.0, 13600.0)

    def test_every_movement(self):
        self.program.earn_on = "posted"
        invoice = self._sell(self.customer, 1000.0)            # earned 1,000
        self._refund(invoice, 200.0)                            # taken back 200
        self.program._run_daily(self.today)                     # birthday bonus 50
        self._give(self.member, 300.0)                          # adjusted +300
        self._give(self.member, -40.0)                          # adjusted -40
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(400.0)                       # redeemed 400
        order.apply_loyalty_points(250.0)                       # 150 given back
        self._quotation(self.customer, 1000.0).apply_loyalty_points(100.0)
        self._give(self.member, 120.0, expiry_date=self._date(days=10))  # adjusted +120
        self.program._run_daily(self._date(days=10))            # the 120 expire
        self.assertCard(850.0, 350.0, 120.0, 380.0, 760.0)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()
