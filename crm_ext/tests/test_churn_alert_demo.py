"""The demo database shows churn alerts and a crisis (issue 14)."""
from odoo.tests import common


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertDemo(common.TransactionCase):

    def setUp(self):
        super(TestChurnAlertDemo, self).setUp()
        if not self.env.ref("crm_ext.crm_loyalty_program_demo", raise_if_not_found=False):
            self.skipTest("crm_ext's demo data is not loaded")

    def test_demo_customers_drifting_away_have_alerts(self):
        alerts = self.env["crm.churn.alert"].search([])
        self.assertTrue(alerts.filtered(lambda alert: alert.state == "new"))
        self.assertTrue(alerts.filtered("action_ids"))
        self.assertTrue(alerts.filtered(lambda alert: alert.state == "dismissed"))

    def test_demo_has_a_crisis(self):
        self.assertTrue(self.env["crm.churn.crisis"].search([("state", "=", "open")]))
