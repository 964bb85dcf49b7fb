"""Who sees and acts on churn alerts (issue 14): "Own Documents Only"
salespeople their customers', "All Documents" salespeople and sales
managers the company's, accountants read them, other companies nothing."""
from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from .test_churn_alert_common import ChurnCase

QUIET = ("odoo.models", "odoo.addons.base.ir.ir_rule")


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertAccess(ChurnCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnAlertAccess, cls).setUpClass()
        cls.own = cls._at_risk("Churn Access Own", user_id=cls.salesman.id)
        cls.theirs = cls._at_risk("Churn Access Theirs", user_id=cls.other_salesman.id)
        cls.nobodys = cls._at_risk("Churn Access Nobody's")
        cls.company_b = cls.env["res.company"].create({"name": "Churn Access B"})
        cls.manager_b = cls.env["res.users"].create({
            "name": "Churn Manager B", "login": "churn_manager_b",
            "company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)],
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])]})
        cls.portal = cls._user("churn_portal", "base.group_portal")

    def setUp(self):
        super(TestChurnAlertAccess, self).setUp()
        self.alerts = self._detect()

    def _seen(self, user):
        return self.alert_model.sudo(user).search([("id", "in", self.alerts.ids)]).mapped(
            "partner_id")

    def test_salesperson_sees_their_customers_and_those_of_nobody(self):
        self.assertEqual(self._seen(self.salesman), self.own | self.nobodys)

    def test_salesperson_sees_the_alerts_they_own(self):
        self._alert(self.theirs).sudo().write({"user_id": self.salesman.id})
        self.assertIn(self.theirs, self._seen(self.salesman))

    def test_salesperson_cannot_act_on_a_colleagues_alert(self):
        alert = self._alert(self.theirs).sudo(self.salesman)
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            alert.action_log_call()
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            alert._take_action("call")
        self.assertFalse(self._alert(self.theirs).action_ids)

    def test_all_documents_and_managers_see_the_company(self):
        for user in (self.all_documents, self.sales_manager):
            self.assertEqual(self._seen(user), self.own | self.theirs | self.nobodys)

    def test_accountants_read_but_do_not_act(self):
        self.assertEqual(self._seen(self.accountant), self.own | self.theirs | self.nobodys)
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self._alert(self.own).sudo(self.accountant).action_log_call()

    def test_other_company_sees_nothing(self):
        self.assertFalse(self._seen(self.manager_b))
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self._alert(self.own).sudo(self.manager_b).action_dismiss()
        self.assertFalse(self.env["crm.churn.report"].sudo(self.manager_b).search([]))

    def test_portal_sees_nothing(self):
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self._seen(self.portal)
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self._alert(self.own).sudo(self.portal).action_log_call()

    def test_kpis_for_sales_managers(self):
        self.assertTrue(self.env["crm.churn.report"].sudo(self.sales_manager).search([]))
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self.env["crm.churn.report"].sudo(self.salesman).search([])

    def test_retention_actions_seen_as_their_alerts(self):
        self._alert(self.own).sudo(self.salesman)._take_action("call", cost=5.0)
        self._alert(self.theirs).sudo(self.other_salesman)._take_action("call", cost=5.0)
        seen = self.env["crm.churn.action"].sudo(self.salesman).search([
            ("alert_id", "in", self.alerts.ids)]).mapped("partner_id")
        self.assertEqual(seen, self.own)
