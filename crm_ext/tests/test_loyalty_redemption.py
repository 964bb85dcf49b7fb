from odoo.exceptions import UserError, ValidationError
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyRedemption(LoyaltyCase):
    """Redeeming points on quotations: a discount line, the soonest-expiring
    points used first, every bad request refused with nothing written, the
    points given back with the order or the line."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyRedemption, cls).setUpClass()
        cls.customer = cls._customer("Redeemer", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        # 1,000 points: the later-expiring ones earned first
        cls.late = cls._give(cls.member, 600.0, date=cls._date(months=-2),
                             expiry_date=cls._date(months=10))
        cls.soon = cls._give(cls.member, 400.0, date=cls._date(months=-1),
                             expiry_date=cls._date(months=2))

    def assertRefused(self, order, points, message):
        counts = self._counts()
        balance = self._balance(self.member)
        with self.assertRaises(UserError) as caught:
            order.apply_loyalty_points(points)
        self.assertIn(message, caught.exception.name)
        self.assertEqual(self._counts(), counts)
        self.assertEqual(self._balance(self.member), balance)

    def test_redeem_adds_a_discount_line(self):
        order = self._quotation(self.customer, 1000.0)
        line_id = order.apply_loyalty_points(300.0)
        line = order.order_line.filtered("loyalty_points")
        self.assertEqual(line_id, line.id)
        entry = line.loyalty_entry_id
        self.assertEqual((line.product_id, line.price_unit),
                         (self.discount_product, -3.0))
        self.assertEqual(order.amount_total, 997.0)
        self.assertEqual((entry.entry_type, entry.points, entry.sale_order_id),
                         ("redeem", -300.0, order))
        self.assertEqual(order.loyalty_points_redeemed, 300.0)
        self.assertEqual(self._balance(self.member), 700.0)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()

    def test_soonest_expiring_points_are_used_first(self):
        self._quotation(self.customer, 2000.0).apply_loyalty_points(500.0)
        self.assertEqual(self.soon.remaining_points, 0.0)
        self.assertEqual(self.late.remaining_points, 500.0)

    def test_more_than_the_balance_is_refused(self):
        self.assertRefused(self._quotation(self.customer, 5000.0), 1100.0,
                           "has 1000.0 points: 1100.0 cannot be redeemed")

    def test_below_the_minimum_is_refused(self):
        self.assertRefused(self._quotation(self.customer, 1000.0), 99.0,
                           "At least 100.0 points")

    def test_zero_negative_or_partial_points_are_refused(self):
        order = self._quotation(self.customer, 1000.0)
        for points in (0.0, -200.0, 150.5):
            self.assertRefused(order, points, "Redeem a positive number of points")

    def test_more_than_the_share_of_the_order_is_refused(self):
        order = self._quotation(self.customer, 10.0)
        # 50% of 10.00 is 500 points, the points already redeemed on it included
        order.apply_loyalty_points(500.0)
        self.assertRefused(order, 600.0, "Points can pay at most 50.0% of this order (5.00)")

    def test_confirmed_order_is_refused(self):
        order = self._quotation(self.customer, 1000.0)
        order.action_confirm()
        self.assertRefused(order, 200.0, "only be redeemed on a quotation")

    def test_cancelled_order_is_refused(self):
        order = self._quotation(self.customer, 1000.0)
        order.action_cancel()
        self.assertRefused(order, 200.0, "only be redeemed on a quotation")

    def test_non_member_is_refused(self):
        stranger = self._customer("Stranger")
        counts = self._counts()
        with self.assertRaises(UserError):
            self._quotation(stranger, 1000.0).apply_loyalty_points(200.0)
        self.assertEqual(self._counts()["crm.loyalty.entry"], counts["crm.loyalty.entry"])
        self.assertFalse(self._member(stranger), "redeeming enrols nobody")

    def test_cancelling_the_order_gives_the_points_back(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        redemption = order.order_line.filtered("loyalty_points").loyalty_entry_id
        order.action_cancel()
        self.assertEqual(self._balance(self.member), 1000.0)
        reversal = order.loyalty_entry_ids.filtered(lambda e: e.entry_type == "reversal")
        self.assertEqual((reversal.points, reversal.reversed_entry_id), (300.0, redemption))
        # the discount line stays on the cancelled order, the points come back once
        order.action_cancel()
        self.assertEqual(len(order.loyalty_entry_ids), 2)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()

    def test_cancelling_a_confirmed_order_gives_the_points_back(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        order.action_confirm()
        order.action_cancel()
        self.assertEqual(self._balance(self.member), 1000.0)

    def test_reset_to_quotation_redeems_again(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        order.action_cancel()
        order.action_draft()
        self.assertEqual(self._balance(self.member), 700.0)
        self.assertEqual(order.order_line.filtered("loyalty_points").loyalty_points, 300.0)
        self.assertEqual(order.amount_total, 997.0)
        self.assertLedgerConsistent(self.member)

    def test_removing_the_line_gives_the_points_back(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        order.order_line.filtered("loyalty_points").unlink()
        self.assertEqual(self._balance(self.member), 1000.0)
        self.assertEqual(order.amount_total, 1000.0)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()

    def test_discount_line_cannot_be_changed(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        with self.assertRaises(UserError):
            order.order_line.filtered("loyalty_points").write({"price_unit": -30.0})

    def test_the_same_call_twice_redeems_once(self):
        order = self._quotation(self.customer, 1000.0)
        first = order.apply_loyalty_points(300.0)
        counts = self._counts()
        self.assertEqual(order.apply_loyalty_points(300.0), first)
        self.assertEqual(self._counts(), counts)
        self.assertEqual(len(order.order_line.filtered("loyalty_points")), 1)
        self.assertEqual(self._balance(self.member), 700.0)

    def test_redeeming_again_sets_the_line_to_the_new_points(self):
        order = self._quotation(self.customer, 1000.0)
        line_id = order.apply_loyalty_points(300.0)
        # fewer: the difference comes back
        self.assertEqual(order.apply_loyalty_points(200.0), line_id)
        line = order.order_line.filtered("loyalty_points")
        self.assertEqual((len(line), line.loyalty_points, line.price_unit), (1, 200.0, -2.0))
        self.assertEqual(self._balance(self.member), 800.0)
        # more: the difference is taken
        self.assertEqual(order.apply_loyalty_points(900.0), line_id)
        self.assertEqual((line.loyalty_points, line.price_unit), (900.0, -9.0))
        self.assertEqual(self._balance(self.member), 100.0)
        self.assertEqual(order.loyalty_points_redeemed, 900.0)
        self.assertEqual(order.amount_total, 991.0)
        # the whole balance and what the order holds, not more
        self.assertRefused(order, 1100.0, "has 1000.0 points: 1100.0 cannot be redeemed")
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()
        # cancelling gives back what the order holds, once
        order.action_cancel()
        self.assertEqual(self._balance(self.member), 1000.0)

    def test_removing_a_line_set_twice_gives_back_its_points_once(self):
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(300.0)
        order.apply_loyalty_points(500.0)
        order.order_line.filtered("loyalty_points").unlink()
        self.assertEqual(self._balance(self.member), 1000.0)
        self.assertLedgerConsistent(self.member)

    def test_loyalty_fields_of_a_line_are_not_written_by_hand(self):
        order = self._quotation(self.customer, 1000.0)
        redemption_order = self._quotation(self.customer, 1000.0)
        redemption_order.apply_loyalty_points(300.0)
        redemption = redemption_order.order_line.filtered("loyalty_points").loyalty_entry_id
        plain = order.order_line
        with self.assertRaises(UserError):
            plain.write({"loyalty_points": 300.0})
        with self.assertRaises(UserError):
            plain.write({"loyalty_entry_id": redemption.id})
        with self.assertRaises(UserError):
            self.env["sale.order.line"].create({
                "order_id": order.id, "product_id": self.product.id, "price_unit": -3.0,
                "loyalty_points": 300.0, "loyalty_entry_id": redemption.id})
        self.assertEqual(self._balance(self.member), 700.0)

    def test_errors_are_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        self.salesman.lang = "zh_CN"
        sources = [
            "%(customer)s has %(balance)s points: %(points)s cannot be redeemed.",
            "At least %s points must be redeemed at once.",
            "Points can only be redeemed on a quotation, not on a confirmed or cancelled "
            "order.",
            "Two tiers of %s have the same qualifying spend: each tier needs its own "
            "threshold.",
        ]
        # code translations, as crm_ext's zh_CN.po loads them (looked up by
        # source), in place of those of a database where zh_CN is installed
        self.env["ir.translation"].search([
            ("type", "=", "code"), ("lang", "=", "zh_CN"), ("src", "in", sources)]).unlink()
        for source in sources:
            self.env["ir.translation"].create({
                "name": "addons/crm_ext/models/sale_order.py", "type": "code", "lang": "zh_CN",
                "module": "crm_ext", "state": "translated", "src": source,
                "value": "【中文】" + source})
        self.env["ir.translation"].clear_caches()
        self.addCleanup(self.env["ir.translation"].clear_caches)
        as_salesman = self.env(user=self.salesman.id, context=dict(
            self.env.context, lang=self.salesman.lang))
        order = as_salesman["sale.order"].browse(
            self._quotation(self.customer, 5000.0, user=self.salesman).id)
        for points in (2000.0, 50.0):
            with self.assertRaises(UserError) as caught:
                order.apply_loyalty_points(points)
            self.assertTrue(caught.exception.name.startswith("【中文】"), caught.exception.name)
        order.sudo().action_cancel()
        with self.assertRaises(UserError) as caught:
            order.apply_loyalty_points(200.0)
        self.assertTrue(caught.exception.name.startswith("【中文】"))
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.program.with_context(lang="zh_CN").write({"tier_ids": [(0, 0, {
                "name": "Silver again", "min_spend": 2000.0})]})
        self.assertTrue(caught.exception.name.startswith("【中文】"))
