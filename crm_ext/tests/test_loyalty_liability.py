from hypothesis import HealthCheck, event, given, settings, strategies as st

from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase

SHARES = st.sampled_from([0.25, 0.5, 1.0])
INDEXES = st.integers(0, 9)
DAYS = st.integers(0, 800)
# -500 to 500 points, never 0
ADJUSTMENTS = st.integers(-20, 19).map(lambda n: (n if n < 0 else n + 1) * 25.0)
OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("invoice"), st.integers(1, 30).map(lambda n: n * 100.0)),
    st.tuples(st.just("pay"), INDEXES, SHARES),
    st.tuples(st.just("unpay"), INDEXES),
    st.tuples(st.just("refund"), INDEXES, SHARES),
    st.tuples(st.just("cancel_invoice"), INDEXES),
    # a share of the balance: beyond it, or below the minimum, it is refused
    st.tuples(st.just("redeem"), st.sampled_from([0.1, 0.5, 1.0, 1.2])),
    st.tuples(st.just("cancel_order"), INDEXES),
    st.tuples(st.just("remove_line"), INDEXES),
    st.tuples(st.just("adjust"), ADJUSTMENTS, st.integers(1, 500)),
    st.tuples(st.just("expire"), DAYS),
    st.tuples(st.just("birthday"), DAYS),
), min_size=1, max_size=10)


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyLiability(LoyaltyCase):
    """The points liability account always holds the points outstanding x
    the value of a point, and each member's ledger stays consistent, whatever
    the sequence of invoices, payments, refunds, redemptions, adjustments,
    expiries and bonuses."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyLiability, cls).setUpClass()
        cls.customer = cls._customer("Liability", user_id=cls.salesman.id,
                                     email="liability@example.com")
        cls.member = cls._enrol(cls.customer)

    def test_liability_follows_every_movement(self):
        self.program.earn_on = "posted"
        invoice = self._sell(self.customer, 2000.0)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 20.0)
        order = self._quotation(self.customer, 1000.0)
        order.apply_loyalty_points(500.0)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 15.0)
        order.action_cancel()
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 20.0)
        self._refund(invoice, 500.0)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 15.0)
        self.program._run_daily(self._date(months=13))
        check = self.assertLiabilityBalanced()
        self.assertEqual((check["outstanding_points"], check["liability_balance"]), (0.0, 0.0))
        income = self.env["account.move.line"].search(
            [("account_id", "=", self.expiry_income_account.id)])
        self.assertEqual(sum(income.mapped("credit")), 15.0)

    def test_check_reports_a_difference(self):
        self._give(self.member, 1000.0)
        self._debit_liability_by_hand(2.5)
        check = self.program.check_liability()
        self.assertFalse(check["balanced"])
        self.assertEqual((check["outstanding_value"], check["liability_balance"],
                          check["difference"]), (10.0, 7.5, -2.5))
        self.assertEqual(self.program.liability_difference, -2.5)

    def test_accountant_opens_the_liability_journal_items(self):
        self.program.earn_on = "posted"
        self._sell(self.customer, 2000.0)
        server_action = self.env.ref("crm_ext.crm_loyalty_program_action_liability_items")
        action = server_action.sudo(self.accountant).with_context(
            active_model="crm.loyalty.program").run()
        items = self.env["account.move.line"].sudo(self.accountant).search(action["domain"])
        self.assertEqual(items.mapped("account_id"), self.liability_account)
        self.assertAlmostEqual(sum(items.mapped("balance")), -20.0)
        self.assertEqual(action["res_model"], "account.move.line")

    def test_salesperson_cannot_open_the_liability_journal_items(self):
        with self.assertRaises(AccessError):
            self.program.sudo(self.salesman).action_view_liability_items()

    # property-based: a random sequence of operations, each example rolled back

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(operations=OPERATIONS, earn_on=st.sampled_from(["posted", "paid"]),
           opening=st.integers(0, 20).map(lambda n: n * 100.0))
    def test_ledger_and_liability_stay_consistent(self, operations, earn_on, opening):
        self.env.cr.execute("SAVEPOINT loyalty_property")
        try:
            if opening:
                self._give(self.member, opening)
            self._play(operations, earn_on)
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT loyalty_property")
            self.env.clear()

    def _play(self, operations, earn_on):
        self.program.earn_on = earn_on
        self.invoices, self.payments, self.orders = [], [], []
        for operation in operations:
            if getattr(self, "_op_" + operation[0])(*operation[1:]):
                event(operation[0])
            self.assertLedgerConsistent(self.member)
            self.assertLiabilityBalanced()
        event("ends with a debt" if self.entry_model._debt(self.member) else "ends without debt")
        for invoice in self.invoices:
            self._assert_invoice_points(invoice)
        consistency = self.env["crm.loyalty.program"]._ledger_consistency()
        self.assertTrue(consistency["consistent"], consistency)

    # the operations: each returns whether it did something

    @staticmethod
    def _pick(records, index):
        return records[index % len(records)] if records else None

    def _op_invoice(self, amount):
        self.invoices.append(self._sell(self.customer, amount))
        return True

    def _op_pay(self, index, share):
        invoice = self._pick(self.invoices, index)
        if invoice and invoice.state == "open":
            amount = invoice.currency_id.round(invoice.residual * share)
            self.payments.append(self._pay(invoice, amount))
            return True

    def _op_unpay(self, index):
        payment = self._pick(self.payments, index)
        if payment and payment.move_line_ids.filtered("reconciled"):
            self._unpay(payment)
            return True

    def _op_refund(self, index, share):
        invoice = self._pick(self.invoices, index)
        if invoice and invoice.state in ("open", "paid"):
            self._refund(invoice, invoice.amount_untaxed * share)
            return True

    def _op_cancel_invoice(self, index):
        invoice = self._pick(self.invoices, index)
        if invoice and invoice.state == "open" and not invoice.payment_move_line_ids:
            invoice.action_invoice_cancel()
            return True

    def _op_redeem(self, share):
        """Redeem a ``share`` of the balance (in steps of 50 points) on a new
        quotation: refused, with nothing written, exactly when the balance or
        the minimum does not allow it."""
        order = self._quotation(self.customer, 10000.0, user=self.salesman)
        self.orders.append(order)
        balance = self._balance(self.member)
        points = max(50.0, balance * share // 50 * 50)
        if points > balance or points < self.program.min_redeem_points:
            counts = self._counts()
            with self.assertRaises(UserError):
                order.apply_loyalty_points(points)
            self.assertEqual(self._counts(), counts)
            event("redemption refused")
            return False
        order.apply_loyalty_points(points)
        self.assertEqual(self._balance(self.member), balance - points)
        return True

    def _op_cancel_order(self, index):
        order = self._pick(self.orders, index)
        if order and order.state != "cancel":
            order.action_cancel()
            return True

    def _op_remove_line(self, index):
        order = self._pick(self.orders, index)
        lines = order.order_line.filtered("loyalty_points") if order else None
        if lines and order.state != "cancel":
            lines.unlink()
            return True

    def _op_adjust(self, points, expiry_days):
        self._give(self.member, points, expiry_date=self._date(days=expiry_days))
        return True

    def _op_expire(self, days):
        self.program._run_daily(self._date(days=days))
        return True

    def _op_birthday(self, days):
        day = self._date(days=days)
        self.customer.birthdate = ("1992" if day[5:] == "02-29" else "1990") + day[4:]
        self.program._run_daily(day)
        return True

    def _assert_invoice_points(self, invoice):
        """An invoice holds exactly the points it earns now, never twice;
        more only when what it would take back has expired already."""
        invoice.invalidate_cache()
        entries = invoice.loyalty_entry_ids
        held = sum(entries.mapped("points"))
        due = self.env["crm.loyalty.earning"]._points_due(invoice, self.program)
        expired = sum(entries.mapped("expired_points"))
        self.assertEqual(held, due if held <= due else max(due, min(held, expired)))
