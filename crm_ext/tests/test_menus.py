# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm_ext's application menu and its dashboard, as each role sees them:
everything under *Customer Retention* (accountants keep their loyalty
menus under Invoicing), each role's menus exactly, each role's dashboard
panels and their records."""
from lxml import etree

from odoo.tests import common
from odoo.tools.safe_eval import safe_eval

ROOT = "crm_ext.crm_retention_menu_root"
INVOICING = "account.menu_finance"
# window actions opened from one record (a button, a smart button), not
# from a menu
RECORD_ACTIONS = {"crm_ext.crm_complaint_action_partner",
                  "crm_ext.res_partner_action_start_quotation"}

SALESPERSON_MENUS = {
    "crm_retention_menu_root", "crm_dashboard_menu",
    "crm_customer_insight_menu_root", "crm_customer_insight_menu",
    "crm_customer_segment_history_menu",
    "crm_loyalty_program_menu_root", "crm_loyalty_member_menu", "crm_loyalty_entry_menu",
    "crm_loyalty_tier_history_menu",
    "crm_complaint_menu_root", "crm_complaint_menu", "crm_complaint_menu_mine",
    "crm_complaint_solution_menu",
    "crm_churn_alert_menu_root", "crm_churn_alert_menu", "crm_churn_alert_menu_mine",
    "crm_churn_model_menu",
    "crm_retention_menu_report", "crm_customer_insight_report_menu", "crm_workbook_wizard_menu",
}
OFFICER_MENUS = SALESPERSON_MENUS | {
    "crm_complaint_report_menu", "crm_complaint_register_wizard_menu"}
MANAGER_MENUS = OFFICER_MENUS | {
    "crm_customer_insight_recompute_menu", "crm_churn_crisis_menu", "crm_churn_report_menu",
    "crm_retention_menu_config", "crm_customer_segment_menu", "crm_customer_grade_menu",
    "crm_loyalty_program_menu", "crm_loyalty_tier_menu",
    "crm_complaint_stage_menu", "crm_complaint_category_menu", "crm_complaint_tag_menu",
    "crm_complaint_sla_menu", "crm_churn_model_fit_menu", "crm_churn_history_import_menu",
}
ACCOUNTANT_MENUS = {
    "crm_loyalty_program_menu_invoicing_root", "crm_loyalty_program_menu_invoicing",
    "crm_loyalty_entry_menu_invoicing", "crm_loyalty_program_menu_liability_items",
}

EVERYONE_PANELS = {"Segment Distribution", "Lifecycle Funnel",
                   "Open Complaints by SLA Status", "Open Churn Alerts by Owner"}
MANAGER_PANELS = EVERYONE_PANELS | {"Churn Rate Trend", "Loyalty Liability"}


@common.at_install(False)
@common.post_install(True)
class TestMenus(common.SavepointCase):
    """Users of each role, with no other group than theirs."""

    @classmethod
    def setUpClass(cls):
        super(TestMenus, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.salesperson = cls._user("menu_salesperson", "sales_team.group_sale_salesman")
        cls.officer = cls._user("menu_officer", "crm_ext.crm_complaint_group_officer")
        cls.manager = cls._user("menu_manager", "sales_team.group_sale_manager")
        cls.accountant = cls._user("menu_accountant", "account.group_account_invoice")
        cls.admin = cls.env.ref("base.user_root")
        cls.root = cls.env.ref(ROOT)
        cls.dashboard = cls.env.ref("crm_ext.crm_dashboard_action")

    @classmethod
    def _user(cls, login, group):
        return cls.env["res.users"].create({
            "name": login.replace("_", " ").title(), "login": login,
            "email": "%s@example.com" % login,
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref(group).id])]})

    def _crm_ext_menus(self):
        return self.env["ir.ui.menu"].browse(self.env["ir.model.data"].search([
            ("module", "=", "crm_ext"), ("model", "=", "ir.ui.menu")]).mapped("res_id"))

    def _visible(self, user):
        """The xml ids (without the module) of crm_ext's menus the user
        sees: visible, and under visible menus only."""
        visible = set(self.env["ir.ui.menu"].sudo(user)._visible_menu_ids())
        result = set()
        for menu in self._crm_ext_menus():
            chain, node = [], menu
            while node:
                chain.append(node.id)
                node = node.parent_id
            if all(menu_id in visible for menu_id in chain):
                result.add(menu.get_external_id()[menu.id].split(".", 1)[1])
        return result

    @staticmethod
    def _ancestors(menu):
        while menu:
            yield menu
            menu = menu.parent_id

    def _in_tree(self, menu, xmlid):
        return self.env.ref(xmlid) in list(self._ancestors(menu))

    def _panels(self, user):
        """{panel title: its window action} of the dashboard as ``user``
        gets it."""
        view = self.env["board.board"].sudo(user).fields_view_get(
            self.dashboard.view_id.id, "form")
        return {node.get("string"): self.env["ir.actions.act_window"].browse(
            int(node.get("name"))) for node in etree.fromstring(view["arch"]).iter("action")}

    # where the menus are

    def test_every_menu_in_the_application_or_invoicing(self):
        outside = self._crm_ext_menus().filtered(
            lambda menu: not self._in_tree(menu, ROOT) and not self._in_tree(menu, INVOICING))
        self.assertFalse(outside.mapped("complete_name"))

    def test_nothing_left_under_sales(self):
        under_sales = self._crm_ext_menus().filtered(
            lambda menu: self._in_tree(menu, "sale.sale_menu_root"))
        self.assertFalse(under_sales.mapped("complete_name"))

    def test_application_has_its_icon(self):
        self.assertEqual(self.root.web_icon, "crm_ext,static/description/icon.png")
        self.assertTrue(self.root.web_icon_data, "the icon file exists")

    def test_every_window_action_reachable_from_the_application(self):
        """Each of crm_ext's screens is a menu of the application or a
        panel of its dashboard (wizards and a record's own lists aside)."""
        reachable = {(menu.action._name, menu.action.id) for menu in self._crm_ext_menus()
                     if menu.action and self._in_tree(menu, ROOT)}
        reachable |= {(action._name, action.id) for action in self._panels(self.admin).values()}
        actions = self.env["ir.actions.act_window"].browse(self.env["ir.model.data"].search([
            ("module", "=", "crm_ext"), ("model", "=", "ir.actions.act_window")]).mapped("res_id"))
        missing = [action.get_external_id()[action.id] for action in actions
                   if action.target != "new" and (action._name, action.id) not in reachable
                   and action.get_external_id()[action.id] not in RECORD_ACTIONS]
        self.assertEqual(missing, [])

    def test_one_configuration_menu(self):
        configurations = self._crm_ext_menus().filtered(lambda menu: menu.name == "Configuration")
        self.assertEqual(configurations, self.env.ref("crm_ext.crm_retention_menu_config"))

    # what each role sees

    def test_salesperson_menus(self):
        self.assertEqual(self._visible(self.salesperson), SALESPERSON_MENUS)

    def test_complaint_officer_menus(self):
        self.assertEqual(self._visible(self.officer), OFFICER_MENUS)

    def test_sales_manager_menus(self):
        self.assertEqual(self._visible(self.manager), MANAGER_MENUS)

    def test_accountant_menus(self):
        """Accountants keep their loyalty menus under Invoicing, and have no
        Customer Retention application."""
        self.assertEqual(self._visible(self.accountant), ACCOUNTANT_MENUS)

    def test_admin_sees_every_menu(self):
        everything = {menu.get_external_id()[menu.id].split(".", 1)[1]
                      for menu in self._crm_ext_menus()}
        self.assertEqual(self._visible(self.admin), everything)
        self.assertIn("crm_retention_menu_settings", everything)

    # the dashboard

    def test_salesperson_dashboard_panels(self):
        self.assertEqual(set(self._panels(self.salesperson)), EVERYONE_PANELS)

    def test_complaint_officer_dashboard_panels(self):
        self.assertEqual(set(self._panels(self.officer)), EVERYONE_PANELS)

    def test_sales_manager_dashboard_panels(self):
        self.assertEqual(set(self._panels(self.manager)), MANAGER_PANELS)

    def test_panels_read_by_their_roles(self):
        """Every panel a role gets loads its records as that role: the
        groups of the panel's view, with the action's domain."""
        for user in (self.salesperson, self.officer, self.manager, self.admin):
            for title, action in self._panels(user).items():
                with self.subTest(user=user.login, panel=title):
                    model = self.env[action.res_model].sudo(user)
                    view_type = action.view_id.type
                    arch = etree.fromstring(model.fields_view_get(
                        action.view_id.id, view_type)["arch"])
                    domain = safe_eval(action.domain or "[]")
                    if view_type == "tree":
                        model.search_read(domain, [node.get("name") for node in
                                                   arch.iter("field")])
                    else:
                        groupby = [node.get("name") + (
                            ":" + node.get("interval") if node.get("interval") else "")
                            for node in arch.iter("field") if node.get("type") != "measure"]
                        measures = [node.get("name") for node in arch.iter("field")
                                    if node.get("type") == "measure"]
                        model.read_group(domain, measures + [name.split(":")[0]
                                                             for name in groupby],
                                         groupby, lazy=False)

    def test_lifecycle_funnel_in_stage_order(self):
        """The funnel's bars follow the lifecycle, not the alphabet."""
        company = self.env.ref("base.main_company")
        partners = self.env["res.partner"]
        for stage in ("growing", "active", "new", "prospect"):
            partner = partners.create({"name": "Funnel %s" % stage, "customer": True,
                                       "is_company": True})
            self.env["crm.customer.insight"].create({
                "partner_id": partner.id, "company_id": company.id,
                "lifecycle_stage": stage})
            partners |= partner
        action = self.env.ref("crm_ext.res_partner_action_lifecycle_funnel")
        groups = self.env["res.partner"].sudo(self.manager).read_group(
            safe_eval(action.domain) + [("id", "in", partners.ids)], ["lifecycle_stage"],
            ["lifecycle_stage"], lazy=False)
        self.assertEqual([group["lifecycle_stage"] for group in groups],
                         ["prospect", "new", "active", "growing"])
