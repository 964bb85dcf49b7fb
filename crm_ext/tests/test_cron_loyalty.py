"""The loyalty daily cron on real cursors (``_cron_run_daily``): a run that
meets another is skipped, a second run expires nothing twice, and a chunk
that fails is rolled back whole (its ledger entries with their journal
entry) while the liability stays reconciled, and the next run completes the
rest."""
from unittest import mock

from odoo.addons.crm_ext.models import crm_loyalty_program_daily

from .cron_common import CommittedCase

LOCK = "crm_ext.loyalty_daily"
# the cron's moment: the earnings below expired five days before; no
# program of the database (demo included) runs meanwhile
NOW = "2020-01-10 12:00:00"


class TestCronLoyalty(CommittedCase):

    def setUp(self):
        super(TestCronLoyalty, self).setUp()
        with self.committed_env() as env:
            programs = env["crm.loyalty.program"]
            # the test's program is the only one the runs see
            self.others = programs.search([]).ids
            programs.browse(self.others).write({"active": False})
            company = env.user.company_id
            self.journal = env["account.journal"].create({
                "name": "Cron Loyalty Points", "code": "CRNLY", "type": "general",
                "company_id": company.id}).id
            accounts = {
                key: env["account.account"].create({
                    "code": code, "name": "Cron loyalty %s" % key, "company_id": company.id,
                    "user_type_id": env.ref(type_xmlid).id}).id
                for key, code, type_xmlid in (
                    ("expense", "CRNLY610", "account.data_account_type_expenses"),
                    ("liability", "CRNLY250", "account.data_account_type_current_liabilities"),
                    ("income", "CRNLY790", "account.data_account_type_other_income"))}
            self.accounts = list(accounts.values())
            program = programs.create({
                "name": "Cron Loyalty", "company_id": company.id, "earn_on": "paid",
                "points_per_unit": 1.0, "points_rounding": 1.0, "point_value": 0.01,
                "expiry_months": 12, "enrol_mode": "all", "birthday_bonus": 0.0,
                "journal_id": self.journal, "expense_account_id": accounts["expense"],
                "liability_account_id": accounts["liability"],
                "income_account_id": accounts["income"]})
            self.program = program.id
            self.partners = [env["res.partner"].create({"name": "Cron Member %d" % index}).id
                             for index in range(3)]
            members = env["crm.loyalty.member"]
            for partner_id in self.partners:
                members |= members.create({"program_id": program.id, "partner_id": partner_id,
                                           "enrol_date": "2019-01-01"})
            self.members = members.ids
            # each member earned 100 points (booked), expired on 2020-01-05
            env["crm.loyalty.entry"]._record([{
                "member_id": member_id, "entry_type": "adjust", "points": 100.0,
                "date": "2019-01-05", "expiry_date": "2020-01-05", "origin": "Cron test",
            } for member_id in self.members])
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        with self.committed_env() as env:
            cr = env.cr
            # the ledger is append-only for users: its rows go with the test
            cr.execute("DELETE FROM crm_loyalty_entry_use WHERE entry_id IN "
                       "(SELECT id FROM crm_loyalty_entry WHERE program_id = %s)",
                       (self.program,))
            cr.execute("DELETE FROM crm_loyalty_entry WHERE program_id = %s", (self.program,))
            cr.execute("DELETE FROM account_move_line WHERE journal_id = %s", (self.journal,))
            cr.execute("DELETE FROM account_move WHERE journal_id = %s", (self.journal,))
            cr.execute("DELETE FROM crm_loyalty_member WHERE program_id = %s", (self.program,))
            env.clear()
            env["crm.loyalty.program"].browse(self.program).unlink()
            env["account.journal"].browse(self.journal).unlink()
            # the sequences the journal made for itself
            env["ir.sequence"].search([("name", "=like", "Cron Loyalty Points%")]).unlink()
            env["account.account"].browse(self.accounts).unlink()
            env["res.partner"].browse(self.partners).unlink()
            env["crm.loyalty.program"].browse(self.others).write({"active": True})

    def _run(self):
        """A run of the cron, as ir.cron runs it (new cursors, no day)."""
        with self.cron_env(NOW) as env:
            return env["crm.loyalty.program"]._cron_run_daily()

    def _state(self):
        """{member id: (balance, remaining points, expiry entries, expiry
        entries booked)}, the journal entries of the program, and whether
        its liability is reconciled, as committed."""
        with self.committed_env() as env:
            env.cr.execute("""
                SELECT member_id, SUM(points), SUM(remaining_points),
                       COUNT(*) FILTER (WHERE entry_type = 'expire'),
                       COUNT(move_id) FILTER (WHERE entry_type = 'expire')
                  FROM crm_loyalty_entry WHERE program_id = %s
                 GROUP BY member_id
            """, (self.program,))
            members = {row[0]: row[1:] for row in env.cr.fetchall()}
            moves = env["account.move"].search_count([("journal_id", "=", self.journal)])
            balanced = env["crm.loyalty.program"].browse(self.program)._liability_check()[
                "balanced"]
        return members, moves, balanced

    def _expired_state(self, moves=4):
        return {member_id: (0.0, 0.0, 1, 1) for member_id in self.members}, moves, True

    def test_a_run_that_meets_another_does_nothing(self):
        before = self._state()
        self.assertEqual(before[0], {member_id: (100.0, 100.0, 0, 0)
                                     for member_id in self.members})
        with self.lock_held_elsewhere(LOCK):
            self.assertTrue(self._run())
            self.assertEqual(self._state(), before)
        self._run()
        # the three members' points expired in one chunk, one journal entry
        self.assertEqual(self._state(), self._expired_state())

    def test_a_second_run_expires_nothing_twice(self):
        self._run()
        self._run()
        self.assertEqual(self._state(), self._expired_state())

    def test_a_chunk_killed_half_way_is_rolled_back_with_its_booking(self):
        victim = self.members[1]
        model = type(self.env["crm.loyalty.program"])
        original = model._expire_points

        def killed(program, today, member_ids=None):
            result = original(program, today, member_ids)
            if victim in member_ids:
                raise RuntimeError("worker killed")
            return result

        with mock.patch.object(crm_loyalty_program_daily, "DAILY_CHUNK", 1), \
                mock.patch.object(crm_loyalty_program_daily, "EXPIRY_CHUNK", 1):
            with mock.patch.object(model, "_expire_points", killed):
                self._run()
            members, moves, balanced = self._state()
            # the victim's chunk left neither its entry nor its journal entry
            self.assertEqual(members.pop(victim), (100.0, 100.0, 0, 0))
            self.assertEqual(set(members.values()), {(0.0, 0.0, 1, 1)})
            self.assertEqual(moves, 3 + 2)
            self.assertTrue(balanced)
            self._run()
            # as a clean run in chunks of one member: one journal entry each
            self.assertEqual(self._state(), self._expired_state(moves=3 + 3))
