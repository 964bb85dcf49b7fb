# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import common

from .test_workbook_insight import headers, load


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyUi(common.SavepointCase):
    """The loyalty screens: redeem and adjustment wizards, the statement,
    the customer's loyalty page, run as the users who see them."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyUi, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, no_reset_password=True))
        cls.company = cls.env.ref("base.main_company")
        # demo data may hold a program for the company: this one applies
        cls.env["crm.loyalty.program"].search(
            [("company_id", "=", cls.company.id)]).write({"active": False})
        cls.program = cls.env["crm.loyalty.program"].create({
            "name": "UI Test Rewards",
            "company_id": cls.company.id,
            "point_value": 0.01,
            "points_rounding": 1.0,
            "min_redeem_points": 100.0,
            "max_redeem_share": 50.0,
            "enrol_mode": "manual",
            "discount_product_id": cls.env.ref("crm_ext.crm_loyalty_product_discount").id,
        })
        cls.silver = cls.env["crm.loyalty.tier"].create({
            "name": "UI Silver", "program_id": cls.program.id, "min_spend": 0.0})
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.salesman = users.create({
            "name": "Loyalty Salesman", "login": "loyalty_ui_salesman",
            "email": "salesman@example.com",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])],
        })
        cls.manager = users.create({
            "name": "Loyalty Manager", "login": "loyalty_ui_manager",
            "email": "manager@example.com",
            "groups_id": [(6, 0, [
                cls.env.ref("crm_ext.crm_loyalty_program_group_manager").id])],
        })
        cls.accountant = users.create({
            "name": "Loyalty Billing", "login": "loyalty_ui_billing",
            "groups_id": [(6, 0, [cls.env.ref("account.group_account_invoice").id])],
        })
        cls.employee = users.create({
            "name": "Loyalty Employee", "login": "loyalty_ui_employee",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])],
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "Loyal Customer Ltd", "is_company": True, "customer": True,
            "user_id": cls.salesman.id, "email": "loyal@example.com"})
        cls.contact = cls.env["res.partner"].create({
            "name": "Jane Loyal", "parent_id": cls.customer.id, "customer": True})
        cls.member = cls.env["crm.loyalty.member"].create({
            "program_id": cls.program.id, "partner_id": cls.customer.id,
            "tier_id": cls.silver.id})
        cls.earning = cls.env["crm.loyalty.entry"]._record([{
            "member_id": cls.member.id, "entry_type": "bonus", "bonus_reason": "other",
            "points": 1000.0, "origin": "Welcome"}])
        cls.product = cls.env["product.product"].create({
            "name": "Loyalty UI Widget", "type": "service", "list_price": 100.0,
            "taxes_id": [(6, 0, [])]})

    def _quotation(self, quantity=10.0, price=100.0):
        return self.env["sale.order"].create({
            "partner_id": self.contact.id,
            "user_id": self.salesman.id,
            "order_line": [(0, 0, {
                "product_id": self.product.id, "product_uom_qty": quantity,
                "price_unit": price, "tax_id": [(6, 0, [])]})],
        })

    def _redeem_wizard(self, order, user):
        return self.env["crm.loyalty.redeem.wizard"].sudo(user).with_context(
            active_model="sale.order", active_id=order.id).create({})

    def _adjust_wizard(self, user, points, reason="Goodwill"):
        return self.env["crm.loyalty.adjust.wizard"].sudo(user).with_context(
            active_model="crm.loyalty.member", active_id=self.member.id).create({
                "points": points, "reason": reason})

    def _entries(self):
        return self.env["crm.loyalty.entry"].search([("member_id", "=", self.member.id)])

    def _balance(self):
        self.member.invalidate_cache()
        return self.member.balance

    # redeem wizard

    def test_redeem_wizard_shows_balance_and_maximum(self):
        wizard = self._redeem_wizard(self._quotation(), self.salesman)
        self.assertEqual(wizard.member_id, self.member)
        self.assertEqual(wizard.balance, 1000.0)
        # 50% of 1000.00 is 50000 points: the balance limits
        self.assertEqual(wizard.max_points, 1000.0)
        # it starts at nothing, with what a point is worth beside
        self.assertEqual((wizard.points, wizard.value), (0.0, 0.0))
        self.assertAlmostEqual(wizard.point_value, 0.01)
        self.assertEqual(wizard.balance_after, 1000.0)
        self.assertEqual(wizard.min_points, 100.0)
        wizard.points = 400.0
        self.assertAlmostEqual(wizard.value, 4.0)
        self.assertEqual(wizard.balance_after, 600.0)

    def test_redeem_wizard_starts_at_the_points_already_redeemed(self):
        order = self._quotation()
        first = self._redeem_wizard(order, self.salesman)
        first.points = 400.0
        first.action_apply()
        self.member.invalidate_cache()
        again = self._redeem_wizard(order, self.salesman)
        # redeeming again replaces the 400: applying it as it opens changes nothing
        self.assertEqual((again.points, again.balance, again.balance_after), (400.0, 600.0, 600.0))
        again.action_apply()
        self.assertEqual(self._balance(), 600.0)

    def test_redeem_button_only_for_members(self):
        order = self._quotation()
        self.assertTrue(order.loyalty_member)
        order.partner_id = self.env["res.partner"].create({"name": "No Card", "is_company": True})
        self.assertFalse(order.loyalty_member)

    def test_redeem_wizard_maximum_is_the_share_of_the_order(self):
        # 50% of 6.00 is 3.00: 300 points
        wizard = self._redeem_wizard(self._quotation(quantity=1.0, price=6.0), self.salesman)
        self.assertEqual(wizard.max_points, 300.0)

    def test_redeem_within_balance(self):
        order = self._quotation()
        wizard = self._redeem_wizard(order, self.salesman)
        wizard.points = 400.0
        wizard.action_apply()
        self.assertEqual(self._balance(), 600.0)
        line = order.order_line.filtered("loyalty_points")
        self.assertEqual(line.loyalty_points, 400.0)
        self.assertAlmostEqual(line.price_unit, -4.0)
        self.assertEqual(order.loyalty_points_redeemed, 400.0)
        # redeeming again replaces the 400: the whole balance is redeemable
        self.assertEqual(self._redeem_wizard(order, self.salesman).max_points, 1000.0)

    def test_redeem_over_balance_refused(self):
        order = self._quotation()
        wizard = self._redeem_wizard(order, self.salesman)
        wizard.points = 1500.0
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(self._balance(), 1000.0)
        self.assertEqual(len(self._entries()), 1)
        self.assertFalse(order.order_line.filtered("loyalty_points"))

    def test_redeem_wizard_without_card(self):
        stranger = self.env["res.partner"].create({"name": "No Card Co", "is_company": True})
        order = self._quotation()
        order.partner_id = stranger
        wizard = self._redeem_wizard(order, self.salesman)
        self.assertFalse(wizard.member_id)
        self.assertEqual((wizard.balance, wizard.max_points, wizard.points), (0.0, 0.0, 0.0))
        with self.assertRaises(UserError):
            wizard.action_apply()

    def test_redeem_refused_outside_sales(self):
        # billing users may change orders, not spend the customer's points
        order = self._quotation()
        wizard = self._redeem_wizard(order, self.accountant)
        self.assertEqual(wizard.max_points, 1000.0)
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(self._balance(), 1000.0)
        self.assertFalse(order.order_line.filtered("loyalty_points"))

    def test_sale_order_form_buttons(self):
        arch = etree.fromstring(self.env["sale.order"].sudo(self.salesman).fields_view_get(
            view_type="form")["arch"])
        redeem = self.env.ref("crm_ext.crm_loyalty_redeem_wizard_action")
        self.assertTrue(arch.xpath("//header/button[@name='%d']" % redeem.id))
        self.assertTrue(arch.xpath(
            "//div[@name='button_box']/button/field[@name='loyalty_points_redeemed']"))

    # adjustment wizard

    def test_adjust_by_manager(self):
        messages = len(self.member.message_ids)
        self._adjust_wizard(self.manager, -250.0, "Points of a returned order").action_apply()
        self.assertEqual(self._balance(), 750.0)
        entry = self._entries() - self.earning
        self.assertEqual((entry.entry_type, entry.points, entry.note, entry.user_id),
                         ("adjust", -250.0, "Points of a returned order", self.manager))
        self.member.invalidate_cache()
        self.assertEqual(len(self.member.message_ids), messages + 1)
        self.assertIn("Points of a returned order", self.member.message_ids[0].body)
        self.assertIn("-250", self.member.message_ids[0].body)

    def test_adjust_refused_for_salesman(self):
        messages = len(self.member.message_ids)
        with self.assertRaises(AccessError):
            self._adjust_wizard(self.salesman, 100.0).action_apply()
        self.assertEqual(len(self._entries()), 1)
        self.member.invalidate_cache()
        self.assertEqual(len(self.member.message_ids), messages)

    def _assert_refused(self, points, reason):
        messages = len(self.member.message_ids)
        with self.assertRaises(UserError):
            self._adjust_wizard(self.manager, points, reason).action_apply()
        self.assertEqual(len(self._entries()), 1)
        self.assertEqual(self._balance(), 1000.0)
        self.member.invalidate_cache()
        self.assertEqual(len(self.member.message_ids), messages)

    def test_adjust_zero_points_refused(self):
        self._assert_refused(0.0, "Nothing")

    def test_adjust_without_reason_refused(self):
        self._assert_refused(100.0, False)
        self._assert_refused(100.0, "   ")

    def test_adjust_not_a_multiple_of_the_rounding_refused(self):
        self._assert_refused(12.5, "Half a point")

    def test_adjust_below_zero_refused(self):
        self._assert_refused(-1500.0, "Too much")

    def test_adjust_message_in_the_users_language(self):
        self.env["res.lang"].load_lang("zh_CN")
        # in place of crm_ext's own translation, where zh_CN is installed
        self.env["ir.translation"].search([
            ("type", "=", "code"), ("lang", "=", "zh_CN"),
            ("src", "=", "Adjust the balance by a number of points other than zero.")]).unlink()
        self.env["ir.translation"].create({
            "type": "code", "name": "addons/crm_ext/wizards/crm_loyalty_adjust_wizard.py",
            "lang": "zh_CN", "module": "crm_ext", "state": "translated",
            "src": "Adjust the balance by a number of points other than zero.",
            "value": "UI-TEST-ZERO"})
        wizard = self._adjust_wizard(self.manager, 0.0)
        with self.assertRaisesRegex(UserError, "UI-TEST-ZERO"):
            wizard.with_context(lang="zh_CN").action_apply()

    # statement

    def _statement(self, user, members=None):
        """The statement workbook of ``members`` (the card by default) as
        ``user`` prints it from the Print menu or the card's button."""
        members = self.member if members is None else members
        report = self.env.ref("crm_ext.crm_loyalty_statement_report").sudo(user)
        return load(report.with_context(active_ids=members.ids).render_xlsx(
            members.ids, None)[0])

    def test_statement_xlsx(self):
        self.env["crm.loyalty.entry"]._record([{
            "member_id": self.member.id, "entry_type": "adjust", "points": -300.0,
            "origin": "Correction"}])
        book = self._statement(self.salesman)
        self.assertEqual(book.sheetnames, ["Card", "Ledger", "Parameters"])
        card = dict(zip(headers(book["Card"]), [cell.value for cell in book["Card"][2]]))
        self.assertEqual(card["Card"], self.member.card_number)
        self.assertEqual(card["Customer"], "Loyal Customer Ltd")
        self.assertEqual(card["Program"], "UI Test Rewards")
        self.assertEqual(card["Tier"], "UI Silver")
        self.assertEqual(card["Points"], 700)
        ledger = book["Ledger"]
        self.assertEqual(headers(ledger), [
            "Date", "Card", "Kind", "Points", "Value", "Remaining", "Expiry", "Document",
            "Journal Entry", "Note", "Balance"])
        lines = [row for row in ledger.iter_rows(min_row=2, values_only=True)
                 if row[0] != "Total"]
        self.assertEqual([row[2:4] + row[5:6] for row in lines],
                         [("Bonus", 1000, 700), ("Adjustment", -300, 0)])
        self.assertEqual([row[7] for row in lines], ["Welcome", "Correction"])
        # the balance of the card after each entry
        self.assertEqual([row[10] for row in lines], [1000, 700])
        # the dates are dates, not text
        self.assertIsInstance(lines[0][0], datetime.datetime)
        self.assertEqual(ledger.freeze_panes, "A2")

    def test_statement_button_prints_the_report(self):
        arch = etree.fromstring(self.env["crm.loyalty.member"].sudo(self.salesman)
                                .fields_view_get(view_type="form")["arch"])
        report = self.env.ref("crm_ext.crm_loyalty_statement_report")
        self.assertTrue(arch.xpath("//button[@type='action'][@name='%d']" % report.id))
        action = report.sudo(self.salesman).report_action(self.member)
        self.assertEqual((action["type"], action["report_type"]),
                         ("ir.actions.report", "xlsx"))
        self.assertEqual(action["context"]["active_ids"], self.member.ids)

    def test_statement_refused_without_access_to_the_card(self):
        with self.assertRaises(AccessError):
            self._statement(self.employee)

    # the customer's loyalty page

    def test_partner_loyalty_fields_for_salesman(self):
        customer = self.customer.sudo(self.salesman)
        self.assertEqual(customer.loyalty_balance, 1000.0)
        self.assertEqual(customer.loyalty_card_ids, self.member)
        self.assertEqual(customer.loyalty_entry_ids, self.earning)
        self.assertEqual(customer.loyalty_card_ids.lifetime_earned, 1000.0)
        # contacts earn with their company
        self.assertEqual(self.contact.sudo(self.salesman).loyalty_balance, 1000.0)
        self.assertEqual(self.contact.sudo(self.salesman).loyalty_card_ids, self.member)
        action = customer.action_view_loyalty_members()
        self.assertEqual((action["res_model"], action["res_id"]),
                         ("crm.loyalty.member", self.member.id))

    def _form(self, user):
        view = self.env["res.partner"].sudo(user).fields_view_get(view_type="form")
        return etree.fromstring(view["arch"]), view["fields"]

    def test_partner_loyalty_page_for_salesman(self):
        arch, fields = self._form(self.salesman)
        page = arch.xpath("//page[@name='loyalty']")
        self.assertTrue(page)
        self.assertNotIn('"invisible": true', page[0].get("modifiers"))
        names = set(page[0].xpath(".//field/@name"))
        self.assertTrue({"referred_by_id", "loyalty_card_ids", "loyalty_entry_ids"} <= names)
        # the birthday is the loyalty managers' (test_access_rules)
        self.assertNotIn("birthdate", names)
        self.assertIn("loyalty_balance", fields)
        # what the web client reads to show the form
        values = self.customer.sudo(self.salesman).read(list(fields))[0]
        self.assertEqual(values["loyalty_card_ids"], self.member.ids)
        self.assertEqual(values["loyalty_entry_ids"], self.earning.ids)

    def test_partner_form_without_loyalty_access(self):
        """Users who do not see the program still open customers: the page
        is hidden and its figures are not read."""
        arch, fields = self._form(self.employee)
        page = arch.xpath("//page[@name='loyalty']")
        self.assertIn('"invisible": true', page[0].get("modifiers"))
        self.assertFalse({"loyalty_card_ids", "loyalty_balance", "loyalty_entry_ids"}
                         & set(fields))
        values = self.customer.sudo(self.employee).read(list(fields))[0]
        self.assertEqual(values["name"], "Loyal Customer Ltd")

    def test_salesman_sets_referrer_manager_sets_birthday(self):
        referrer = self.env["res.partner"].create({"name": "Referrer Inc", "is_company": True})
        self.customer.sudo(self.salesman).write({"referred_by_id": referrer.id})
        self.customer.sudo(self.manager).write({"birthdate": "1980-05-17"})
        self.assertEqual(self.customer.birthdate, "1980-05-17")
        self.assertEqual(self.customer.referred_by_id, referrer)

    def test_customer_cannot_refer_itself(self):
        for referrer in (self.customer, self.contact):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.customer.sudo(self.salesman).write({"referred_by_id": referrer.id})
        self.customer.invalidate_cache()
        self.assertFalse(self.customer.referred_by_id)
