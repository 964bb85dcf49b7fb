"""Two transactions moving the same member's points at once, each on its own
cursor in its own thread, as two users' requests are: the second waits for
the member's lock and then works on what the first one committed.

The test cursor cannot see other cursors' uncommitted work, so the fixtures
are committed on a cursor of their own in setUp and deleted after each test
(the ledger's rows with SQL: the ledger refuses unlink)."""
import threading
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.service import model as service_model
from odoo.tests import common

TIMEOUT = 30.0
# how long the first transaction keeps the lock once the second waits for it
HOLD = 0.5


@service_model.check
def _in_transaction(dbname, function):
    """Run ``function(env)`` the way an RPC call runs: on a new cursor,
    committed at the end, retried after a serialization failure."""
    with odoo.registry(dbname).cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}))


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyConcurrency(common.TransactionCase):

    def setUp(self):
        super(TestLoyaltyConcurrency, self).setUp()
        self.dbname = self.env.cr.dbname
        with self._env() as env:
            program = env["crm.loyalty.program"].create({
                "name": "Concurrency test program", "sequence": -100,
                "company_id": env.ref("base.main_company").id,
                "min_redeem_points": 100.0, "max_redeem_share": 50.0,
                "discount_product_id": env.ref("crm_ext.crm_loyalty_product_discount").id})
            partner = env["res.partner"].create({
                "name": "Concurrent Customer", "customer": True, "is_company": True})
            product = env["product.product"].create({
                "name": "Concurrency widget", "type": "service", "list_price": 2000.0})
            member = env["crm.loyalty.member"]._member_of(program, partner)
            orders = env["sale.order"]
            for _index in range(2):
                orders |= env["sale.order"].create({
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {
                        "product_id": product.id, "name": product.name,
                        "product_uom_qty": 1.0, "price_unit": 2000.0,
                        "tax_id": [(6, 0, [])]})]})
            self.program_id, self.partner_id, self.product_id = (
                program.id, partner.id, product.id)
            self.member_id, self.order_ids = member.id, orders.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self._env() as env:
            env.cr.execute("DELETE FROM sale_order_line WHERE order_id IN %s",
                           (tuple(self.order_ids),))
            env.cr.execute("DELETE FROM crm_loyalty_entry_use WHERE entry_id IN (SELECT id "
                           "FROM crm_loyalty_entry WHERE member_id = %s)", (self.member_id,))
            env.cr.execute("DELETE FROM crm_loyalty_entry WHERE member_id = %s",
                           (self.member_id,))
            env["sale.order"].browse(self.order_ids).unlink()
            env["crm.loyalty.member"].browse(self.member_id).unlink()
            env["crm.loyalty.program"].browse(self.program_id).unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    @contextmanager
    def _env(self):
        """An environment on a new cursor, committed when the block ends."""
        with api.Environment.manage(), odoo.registry(self.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {
                "tracking_disable": True, "mail_create_nolog": True,
                "mail_create_nosubscribe": True})

    def _give(self, points):
        with self._env() as env:
            env["crm.loyalty.entry"]._record([{
                "member_id": self.member_id, "entry_type": "adjust", "points": points}])

    def _ledger(self):
        """(balance, remaining points, redemptions) as committed."""
        with self._env() as env:
            env.cr.execute("""
                SELECT SUM(points), SUM(remaining_points),
                       COUNT(*) FILTER (WHERE entry_type = 'redeem')
                  FROM crm_loyalty_entry WHERE member_id = %s
            """, (self.member_id,))
            return env.cr.fetchone()

    def _discount_lines(self):
        with self._env() as env:
            return [len(order.order_line.filtered("loyalty_points"))
                    for order in env["sale.order"].browse(self.order_ids)]

    def _race(self, first, second):
        """``first(env)`` runs in a transaction that keeps the member locked
        until ``second`` (a callable without arguments, which opens its own
        transaction) is seen waiting for that lock; then ``first`` commits.
        Returns what ``second`` returned or raised, how long it took, and
        the statement it waited on."""
        locked, release = threading.Event(), threading.Event()
        outcome = {}

        def run_first():
            try:
                with self._env() as env:
                    env.cr.execute("SELECT pg_backend_pid()")
                    outcome["pid"] = env.cr.fetchone()[0]
                    first(env)
                    locked.set()
                    release.wait(TIMEOUT)
            except Exception as error:
                outcome["first_error"] = error
                locked.set()

        def run_second():
            started = time.time()
            try:
                with api.Environment.manage():
                    outcome["result"] = second()
            except Exception as error:
                outcome["result"] = error
            outcome["duration"] = time.time() - started

        threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
        threads[0].start()
        try:
            self.assertTrue(locked.wait(TIMEOUT))
            self.assertNotIn("first_error", outcome)
            threads[1].start()
            outcome["waited_on"] = self._wait_until_blocked_by(outcome["pid"])
            time.sleep(HOLD)
        finally:
            release.set()
            for thread in threads:
                thread.join(TIMEOUT)
        self.assertNotIn("first_error", outcome)
        return outcome

    def _wait_until_blocked_by(self, pid):
        """The statement of the session that waits for a lock of ``pid``."""
        cr = odoo.sql_db.db_connect(self.dbname).cursor()
        try:
            cr.autocommit(True)
            deadline = time.time() + TIMEOUT
            while time.time() < deadline:
                cr.execute("""
                    SELECT query FROM pg_stat_activity
                     WHERE datname = current_database() AND %s = ANY(pg_blocking_pids(pid))
                """, (pid,))
                row = cr.fetchone()
                if row:
                    return row[0]
                time.sleep(0.02)
            self.fail("the second transaction never waited for the first one")
        finally:
            cr.close()

    def _redeem(self, order_index, points):
        """Redeem through the RPC layer, as the web client does."""
        return lambda: service_model.execute_kw(
            self.dbname, SUPERUSER_ID, "sale.order", "apply_loyalty_points",
            [[self.order_ids[order_index]], points])

    def test_second_redemption_waits_and_is_refused_beyond_the_balance(self):
        self._give(1000.0)
        outcome = self._race(
            lambda env: env["sale.order"].browse(self.order_ids[0]).apply_loyalty_points(600.0),
            self._redeem(1, 600.0))
        self.assertIn("crm_loyalty_member", outcome["waited_on"])
        self.assertGreaterEqual(outcome["duration"], HOLD)
        self.assertIsInstance(outcome["result"], UserError)
        self.assertIn("has 400.0 points: 600.0 cannot be redeemed", outcome["result"].name)
        self.assertEqual(self._ledger(), (400.0, 400.0, 1))
        self.assertEqual(self._discount_lines(), [1, 0])

    def test_second_redemption_waits_and_succeeds_within_the_balance(self):
        self._give(1000.0)
        outcome = self._race(
            lambda env: env["sale.order"].browse(self.order_ids[0]).apply_loyalty_points(300.0),
            self._redeem(1, 300.0))
        self.assertIn("crm_loyalty_member", outcome["waited_on"])
        self.assertGreaterEqual(outcome["duration"], HOLD)
        self.assertNotIsInstance(outcome["result"], Exception)
        self.assertEqual(self._ledger(), (400.0, 400.0, 2))
        self.assertEqual(self._discount_lines(), [1, 1])

    def test_concurrent_earnings_settle_a_debt_once(self):
        self._give(-100.0)

        def earn(env):
            env["crm.loyalty.entry"]._record([{
                "member_id": self.member_id, "entry_type": "adjust", "points": 500.0}])

        outcome = self._race(earn, lambda: _in_transaction(self.dbname, earn))
        self.assertIn("crm_loyalty_member", outcome["waited_on"])
        self.assertNotIsInstance(outcome["result"], Exception)
        # 900 points, all of them remaining: the debt of 100 was settled once
        self.assertEqual(self._ledger(), (900.0, 900.0, 0))
