from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyDaily(LoyaltyCase):
    """The daily run: points expire first in, first out; birthday bonuses
    once a year; tiers reviewed once a year with a grace period; reminders
    at most every 30 days; a second run the same day changes nothing."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyDaily, cls).setUpClass()
        cls.day = "2027-03-15"
        cls.customer = cls._customer("Daily", email="daily@example.com",
                                     birthdate="1990-03-15")
        cls.member = cls._enrol(cls.customer)

    def _state(self):
        """Everything the daily run may change."""
        self.env.cache.invalidate()
        members = self.member_model.search([("program_id", "=", self.program.id)])
        return (self._counts(),
                sorted(self.entry_model.search([]).mapped(lambda e: (e.id, e.remaining_points))),
                members.read(["tier_id", "tier_since", "tier_grace_until",
                              "expiry_reminder_date"]),
                self.program.tier_review_date)

    def _entries(self, member):
        return self.entry_model.search([("member_id", "=", member.id)])

    def _bonuses(self, member):
        return self._entries(member).filtered(lambda e: e.bonus_reason == "birthday")

    def _reminders(self, member):
        return self.env["mail.mail"].search_count([
            ("model", "=", "crm.loyalty.member"), ("res_id", "=", member.id)])

    def test_points_expire_first_in_first_out(self):
        first = self._give(self.member, 300.0, date="2026-01-10", expiry_date="2027-01-10")
        second = self._give(self.member, 200.0, date="2026-02-01", expiry_date="2027-02-01")
        self._give(self.member, -100.0, date="2026-03-01")
        self.assertEqual((first.remaining_points, second.remaining_points), (200.0, 200.0))
        self.program._run_daily("2027-01-09")
        self.assertEqual(self._balance(self.member), 400.0)
        self.program._run_daily("2027-01-10")
        expired = self._entries(self.member).filtered(lambda e: e.entry_type == "expire")
        self.assertEqual((expired.points, expired.date), (-200.0, "2027-01-10"))
        self.assertEqual((first.remaining_points, second.remaining_points), (0.0, 200.0))
        self.assertEqual(self._balance(self.member), 200.0)
        self.program._run_daily("2027-02-05")
        self.assertEqual(self._balance(self.member), 0.0)
        self.assertLedgerConsistent(self.member)

    def test_expiry_is_booked_as_income(self):
        self._give(self.member, 300.0, date="2026-01-10", expiry_date="2027-01-10")
        other = self._enrol(self._customer("Other Expiring"))
        self._give(other, 500.0, date="2026-01-10", expiry_date="2027-01-10")
        self.program._run_daily("2027-01-10")
        moves = (self._entries(self.member) | self._entries(other)).filtered(
            lambda e: e.entry_type == "expire").mapped("move_id")
        self.assertEqual(len(moves), 1, "one journal entry for the day's expiries")
        income = moves.line_ids.filtered(lambda l: l.account_id == self.expiry_income_account)
        liability = moves.line_ids.filtered(lambda l: l.account_id == self.liability_account)
        self.assertEqual((income.credit, liability.debit), (8.0, 8.0))
        self.assertEqual(moves.date, "2027-01-10")
        self.assertLiabilityBalanced()

    def test_debts_and_spent_points_do_not_expire(self):
        self._give(self.member, 300.0, date="2026-01-10", expiry_date="2027-01-10")
        self._give(self.member, -300.0, date="2026-02-01")
        self.program._run_daily("2027-02-01")
        self.assertFalse(self._entries(self.member).filtered(lambda e: e.entry_type == "expire"))
        self._give(self.member, -50.0, date="2026-02-01")
        self.program._run_daily("2028-02-01")
        self.assertEqual(self._balance(self.member), -50.0)
        self.assertLedgerConsistent(self.member)

    def test_program_without_expiry_keeps_points(self):
        self.program.expiry_months = 0
        entry = self._give(self.member, 300.0, date="2020-01-10")
        self.assertFalse(entry.expiry_date)
        self.program._run_daily("2030-01-10")
        self.assertEqual(self._balance(self.member), 300.0)

    def test_birthday_bonus_once_a_year(self):
        self.program._run_daily("2027-03-14")
        self.assertFalse(self._entries(self.member))
        self.program._run_daily(self.day)
        bonus = self._entries(self.member)
        self.assertEqual((bonus.entry_type, bonus.bonus_reason, bonus.points, bonus.date),
                         ("bonus", "birthday", 50.0, self.day))
        self.program._run_daily(self.day)
        self.program._run_daily("2027-03-16")
        self.assertEqual(len(self._bonuses(self.member)), 1)
        self.program._run_daily("2028-03-15")
        self.assertEqual(len(self._bonuses(self.member)), 2)
        self.assertLiabilityBalanced()

    def test_leap_day_birthday_on_28_february(self):
        self.customer.birthdate = "1992-02-29"
        self.program._run_daily("2027-02-28")
        self.assertEqual(len(self._bonuses(self.member)), 1)
        self.program._run_daily("2028-02-28")
        self.assertEqual(len(self._bonuses(self.member)), 1, "2028 has a 29 February")
        self.program._run_daily("2028-02-29")
        self.assertEqual(len(self._bonuses(self.member)), 2)

    def test_birthday_bonus_only_for_members(self):
        stranger = self._customer("Not A Member", birthdate="1990-03-15")
        self.program._run_daily(self.day)
        self.assertFalse(self._member(stranger))
        self.program.birthday_bonus = 0.0
        self.program._run_daily("2028-03-15")
        self.assertEqual(len(self._bonuses(self.member)), 1)

    def test_tier_review_downgrades_after_the_grace_period(self):
        self._sell(self.customer, 6000.0, date="2026-06-01")
        self.member._update_tiers(day="2026-06-01")
        self.assertEqual(self.member.tier_id, self.tier_gold)
        self.program.tier_review_date = "2027-07-01"
        self.program._run_daily("2027-07-01")
        self.assertEqual(self.member.tier_id, self.tier_gold)
        self.assertEqual(self.member.tier_grace_until, "2027-09-29")
        self.assertEqual(self.program.tier_review_date, "2028-07-01")
        self.program._run_daily("2027-09-28")
        self.assertEqual(self.member.tier_id, self.tier_gold)
        self.program._run_daily("2027-09-29")
        self.assertEqual(self.member.tier_id, self.tier_base)
        self.assertFalse(self.member.tier_grace_until)
        change = self.member.tier_history_ids[0]
        self.assertEqual((change.old_tier_id, change.new_tier_id, change.reason, change.date),
                         (self.tier_gold, self.tier_base, "review", "2027-09-29"))

    def test_requalifying_during_grace_keeps_the_tier(self):
        self._sell(self.customer, 6000.0, date="2026-06-01")
        self.member._update_tiers(day="2026-06-01")
        self.program.tier_review_date = "2027-07-01"
        self.program._run_daily("2027-07-01")
        self.assertTrue(self.member.tier_grace_until)
        self._sell(self.customer, 5000.0, date="2027-08-01")
        self.member._update_tiers(upgrade_only=True, day="2027-08-01")
        self.assertFalse(self.member.tier_grace_until)
        self.program._run_daily("2027-09-29")
        self.assertEqual(self.member.tier_id, self.tier_gold)

    def test_no_grace_period_downgrades_at_the_review(self):
        self.program.tier_grace_days = 0
        self._sell(self.customer, 2500.0, date="2026-06-01")
        self.member._update_tiers(day="2026-06-01")
        self.assertEqual(self.member.tier_id, self.tier_silver)
        self.program.tier_review_date = "2027-07-01"
        self.program._run_daily("2027-07-01")
        self.assertEqual(self.member.tier_id, self.tier_base)

    def test_tier_review_waits_for_its_date(self):
        self._sell(self.customer, 6000.0, date="2026-06-01")
        self.member._update_tiers(day="2026-06-01")
        self.program.tier_review_date = "2027-07-01"
        self.program._run_daily("2027-06-30")
        self.assertEqual((self.member.tier_id, self.member.tier_grace_until),
                         (self.tier_gold, False))

    def test_expiry_reminder_at_most_every_30_days(self):
        self._give(self.member, 300.0, date="2026-05-01", expiry_date="2027-05-01")
        self.program._run_daily("2027-03-31")
        self.assertEqual(self._reminders(self.member), 0, "more than 30 days before")
        self.program._run_daily("2027-04-02")
        self.assertEqual(self._reminders(self.member), 1)
        self.assertEqual(self.member.expiry_reminder_date, "2027-04-02")
        self.program._run_daily("2027-04-02")
        self.program._run_daily("2027-04-20")
        self.assertEqual(self._reminders(self.member), 1)

    def test_second_run_the_same_day_changes_nothing(self):
        self._give(self.member, 300.0, date="2026-03-01", expiry_date=self.day)
        self._give(self.member, 200.0, date="2026-03-01", expiry_date="2027-04-01")
        self._sell(self.customer, 6000.0, date="2026-03-01")
        self.member._update_tiers(day="2026-03-01")
        self.program.tier_review_date = self.day
        self.program._run_daily(self.day)
        after_first = self._state()
        # the first run did each of its jobs
        self.assertEqual(sorted(self._entries(self.member).mapped("entry_type")),
                         ["adjust", "adjust", "bonus", "expire"])
        self.assertEqual(self._reminders(self.member), 1)
        self.assertTrue(self.member.tier_grace_until)
        self.program._run_daily(self.day)
        self.assertEqual(self._state(), after_first)
        self.assertLedgerConsistent(self.member)
        self.assertLiabilityBalanced()
