from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools import mute_logger

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyAccess(LoyaltyCase):
    """Salespeople see balances and redeem on their orders; only loyalty
    managers edit programs and members; accountants read everything; nobody
    edits the ledger by hand."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyAccess, cls).setUpClass()
        cls.customer = cls._customer("Access Customer", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        cls.entry = cls._give(cls.member, 500.0)
        cls.history = cls.member.tier_history_ids

    def assertDenied(self, action):
        counts = self._counts()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            action()
        self.assertEqual(self._counts(), counts)

    def _read_everything(self, user):
        records = [self.program, self.tier_gold, self.member, self.entry, self.history]
        for record in records:
            record.sudo(user).read([])
        self.assertEqual(self._balance(self.member.sudo(user)), 500.0)
        self.assertEqual(self.program.sudo(user).member_count, 1)

    def test_everybody_reads_programs_balances_and_ledger(self):
        for user in (self.salesman, self.loyalty_manager, self.accountant):
            self._read_everything(user)

    def test_salesperson_and_accountant_cannot_edit_programs(self):
        for user in (self.salesman, self.accountant):
            self.assertDenied(lambda: self.program.sudo(user).write({"point_value": 0.02}))
            self.assertDenied(lambda: self.program_model.sudo(user).create({"name": "Mine"}))
            self.assertDenied(lambda: self.tier_gold.sudo(user).write({"min_spend": 1.0}))
            self.assertDenied(lambda: self.program.sudo(user).unlink())

    def test_salesperson_and_accountant_cannot_enrol_or_edit_members(self):
        partner = self._customer("Not Enrolled")
        for user in (self.salesman, self.accountant):
            self.assertDenied(lambda: self.member_model.sudo(user).create({
                "program_id": self.program.id, "partner_id": partner.id}))
            self.assertDenied(lambda: self.member.sudo(user).write(
                {"tier_id": self.tier_gold.id}))

    def test_loyalty_manager_edits_programs(self):
        manager = self.loyalty_manager
        self.program.sudo(manager).write({"point_value": 0.02, "birthday_bonus": 100.0})
        self.assertEqual(self.program.point_value, 0.02)
        program = self.program_model.sudo(manager).create({"name": "Manager's"})
        program.unlink()

    def test_loyalty_manager_edits_tiers(self):
        self.tier_gold.sudo(self.loyalty_manager).write({"earn_multiplier": 3.0})
        self.program.sudo(self.loyalty_manager).write({"tier_ids": [(0, 0, {
            "name": "Platinum", "min_spend": 10000.0, "earn_multiplier": 4.0})]})
        self.assertEqual(len(self.program.tier_ids), 4)

    def test_loyalty_manager_enrols_members(self):
        member = self.member_model.sudo(self.loyalty_manager).create({
            "program_id": self.program.id, "partner_id": self._customer("Enrolled").id})
        self.assertTrue(member.card_number.startswith("LC"))

    def test_nobody_writes_the_ledger_directly(self):
        for user in (self.salesman, self.loyalty_manager, self.accountant):
            entry = self.entry.sudo(user)
            with self.assertRaises((AccessError, UserError)), mute_logger("odoo.models"):
                entry.write({"points": 5000.0})
            with self.assertRaises((AccessError, UserError)), mute_logger("odoo.models"):
                entry.unlink()
            with self.assertRaises((AccessError, UserError)), mute_logger("odoo.models"):
                self.entry_model.sudo(user).create({
                    "member_id": self.member.id, "entry_type": "adjust", "points": 5000.0})
        self.assertEqual(self._balance(self.member), 500.0)

    def test_salesperson_redeems_on_own_orders_only(self):
        own = self._quotation(self.customer, 1000.0, user=self.salesman)
        own.apply_loyalty_points(100.0)
        self.assertEqual(self._balance(self.member.sudo(self.salesman)), 400.0)
        others = self._quotation(self.customer, 1000.0, user=self.other_salesman)
        self.assertDenied(lambda: others.sudo(self.salesman).apply_loyalty_points(100.0))

    def test_accountant_reads_the_liability_check(self):
        program = self.program.sudo(self.accountant)
        self.assertEqual(program.outstanding_points, 500.0)
        self.assertEqual(program.outstanding_value, 5.0)
        self.assertEqual(program.liability_difference, 0.0)

    def test_liability_check_is_for_accountants_and_loyalty_managers(self):
        for user in (self.accountant, self.loyalty_manager):
            check = self.program.sudo(user).check_liability()
            self.assertEqual((check["outstanding_points"], check["balanced"]), (500.0, True))
        self.assertDenied(lambda: self.program.sudo(self.salesman).check_liability())

    def _portal_user(self):
        customer = self.customer.sudo()
        return self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Access Customer Portal", "login": "access_customer_portal",
            "partner_id": self.env["res.partner"].create({
                "name": "Portal Contact", "parent_id": customer.id,
                "email": "portal@example.com"}).id,
            "company_id": self.company.id, "company_ids": [(6, 0, self.company.ids)],
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
        })

    def test_customers_redeem_only_where_the_program_lets_them(self):
        portal = self._portal_user()
        own = self._quotation(self.customer, 1000.0, user=self.salesman)
        own.message_subscribe([portal.partner_id.id])
        as_customer = own.sudo(portal)
        as_customer.read()  # the customer reads its quotation, every field it may
        self.assertDenied(lambda: as_customer.apply_loyalty_points(100.0))
        self.program.customer_redemption = True
        line_id = as_customer.apply_loyalty_points(100.0)
        as_customer.invalidate_cache()
        self.assertEqual(as_customer.read(["loyalty_points_redeemed"])[0][
            "loyalty_points_redeemed"], 100.0)
        self.assertEqual(own.order_line.filtered("loyalty_points").id, line_id)
        self.assertEqual(self._balance(self.member), 400.0)
        redemption = own.order_line.filtered("loyalty_points").loyalty_entry_id
        self.assertEqual(redemption.user_id, portal)
        # never on another customer's quotation
        stranger = self._customer("Another Customer")
        self._enrol(stranger)
        theirs = self._quotation(stranger, 1000.0, user=self.salesman)
        theirs.message_subscribe([portal.partner_id.id])
        self.assertDenied(lambda: theirs.sudo(portal).apply_loyalty_points(100.0))

    def test_accountants_do_not_redeem(self):
        order = self._quotation(self.customer, 1000.0, user=self.salesman)
        self.assertDenied(lambda: order.sudo(self.accountant).apply_loyalty_points(100.0))
        self.assertFalse(order.order_line.filtered("loyalty_points"))

    def test_programs_of_other_companies_are_hidden(self):
        other_company = self.env["res.company"].create({"name": "Other Loyalty Co"})
        hidden = self.program_model.create({"name": "Elsewhere",
                                            "company_id": other_company.id})
        for user in (self.salesman, self.accountant, self.loyalty_manager):
            self.assertNotIn(hidden, self.program_model.sudo(user).search([]))
