"""The ledger consistency check (``crm.loyalty.program._ledger_consistency``)
that ``make load`` and the restore test rely on: it passes on a sound ledger
and names what a damaged one got wrong (a lot, a member, a liability)."""
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyConsistency(LoyaltyCase):

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyConsistency, cls).setUpClass()
        cls.customer = cls._customer("Consistency", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        cls.program.earn_on = "posted"
        cls._sell(cls.customer, 2000.0)
        cls.earning = cls.env["crm.loyalty.entry"].search(
            [("member_id", "=", cls.member.id), ("points", ">", 0)], limit=1)

    def _check(self):
        self.env.cache.invalidate()
        return self.env["crm.loyalty.program"]._ledger_consistency()

    def test_a_sound_ledger_is_consistent(self):
        check = self._check()
        self.assertTrue(check["consistent"], check)
        self.assertGreaterEqual(check["members"], 1)

    def test_an_entry_holding_more_than_its_points(self):
        self.env.cr.execute("UPDATE crm_loyalty_entry SET remaining_points = points + 1"
                            " WHERE id = %s", (self.earning.id,))
        check = self._check()
        self.assertFalse(check["consistent"])
        self.assertEqual(check["inconsistent_entries"], [self.earning.id])
        self.assertEqual(check["inconsistent_members"], [self.member.id])

    def test_a_member_whose_points_were_lost(self):
        # remaining points fewer than the balance: points vanished
        self.env.cr.execute("UPDATE crm_loyalty_entry SET remaining_points = remaining_points - 10"
                            " WHERE id = %s", (self.earning.id,))
        check = self._check()
        self.assertEqual(check["inconsistent_members"], [self.member.id])
        self.assertEqual(check["inconsistent_entries"], [])

    def test_an_unbalanced_liability(self):
        self._debit_liability_by_hand(2.5)
        check = self._check()
        self.assertEqual(check["unbalanced_programs"], [self.program.id])
        self.assertFalse(check["consistent"])
