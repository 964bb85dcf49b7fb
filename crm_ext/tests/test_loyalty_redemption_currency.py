from odoo.exceptions import UserError
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyRedemptionCurrency(LoyaltyCase):
    """Points and money are converted one way, rounded one way: the most the
    redeem wizard shows is exactly what apply_loyalty_points accepts, and the
    discount line is worth what the wizard shows, in any order currency
    (issue 12, item 4)."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyRedemptionCurrency, cls).setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        assert cls.company.currency_id != cls.eur
        cls.customer = cls._customer("Euro Customer", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        cls._give(cls.member, 100000.0)

    def _rate(self, rate):
        """1 unit of the company currency is worth ``rate`` euros."""
        currencies = self.eur | self.company.currency_id
        self.env["res.currency.rate"].search([("currency_id", "in", currencies.ids)]).unlink()
        for currency, currency_rate in ((self.eur, rate), (self.company.currency_id, 1.0)):
            self.env["res.currency.rate"].create({
                "currency_id": currency.id, "rate": currency_rate, "name": "2000-01-01",
                "company_id": self.company.id})
        currencies.invalidate_cache()

    def _euro_quotation(self, amount):
        pricelist = self.env["product.pricelist"].create({
            "name": "Euro", "currency_id": self.eur.id})
        order = self._quotation(self.customer, amount)
        order.write({"pricelist_id": pricelist.id})
        self.assertEqual(order.currency_id, self.eur)
        return order

    def _wizard(self, order):
        return self.env["crm.loyalty.redeem.wizard"].with_context(
            active_model="sale.order", active_id=order.id).create({})

    def test_the_issues_quotation_of_ten_euros(self):
        self._rate(0.654)
        order = self._euro_quotation(10.0)
        wizard = self._wizard(order)
        self.assertEqual(wizard.max_points, 764.0)
        wizard.points = wizard.max_points
        self.assertEqual(wizard.value, 5.0)
        counts = self._counts()
        with self.assertRaises(UserError):
            order.apply_loyalty_points(765.0)
        self.assertEqual(self._counts(), counts)
        wizard.action_apply()
        line = order.order_line.filtered("loyalty_points")
        self.assertEqual((line.loyalty_points, line.price_unit), (764.0, -5.0))
        self.assertEqual(line.loyalty_entry_id.points, -764.0)
        self.assertEqual(order.amount_total, 5.0)

    def test_wizard_maximum_is_what_the_method_accepts(self):
        for rate in (0.654, 1.0, 1.2345, 0.5, 3.3333, 0.07):
            for amount in (10.0, 37.77, 1234.56):
                with self.subTest(rate=rate, amount=amount), self._rolled_back():
                    self._rate(rate)
                    order = self._euro_quotation(amount)
                    wizard = self._wizard(order)
                    maximum = wizard.max_points
                    if maximum < self.program.min_redeem_points:
                        continue
                    with self.assertRaises(UserError), self.env.cr.savepoint():
                        order.apply_loyalty_points(maximum + 1.0)
                    wizard.points = maximum
                    shown = wizard.value
                    order.apply_loyalty_points(maximum)
                    line = order.order_line.filtered("loyalty_points")
                    self.assertEqual(-line.price_unit, shown)
                    self.assertLessEqual(shown, order.currency_id.round(amount / 2))

    def test_company_currency_maximum_is_what_the_method_accepts(self):
        for amount in (10.0, 37.77, 1234.56, 0.03 * 7):
            with self.subTest(amount=amount), self._rolled_back():
                order = self._quotation(self.customer, amount)
                maximum = self._wizard(order).max_points
                if maximum < self.program.min_redeem_points:
                    continue
                with self.assertRaises(UserError), self.env.cr.savepoint():
                    order.apply_loyalty_points(maximum + 1.0)
                order.apply_loyalty_points(maximum)
