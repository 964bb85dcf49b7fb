"""The hold-out group of the churn alerts (issue 14): a share of the new
alerts drawn at random, reproducibly, recorded but never acted on."""
from odoo.tests import common

from ..exceptions import ChurnAlertHeldOutError
from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertHoldOut(ChurnCase):

    CUSTOMERS = 1000

    @classmethod
    def setUpClass(cls):
        super(TestChurnAlertHoldOut, cls).setUpClass()
        cls.company.churn_alert_holdout_pct = 10.0
        # a thousand customers at risk, in two statements
        cr = cls.env.cr
        cr.execute("""
            INSERT INTO res_partner (name, display_name, active, customer, is_company,
                                     type, user_id, invoice_warn, picking_warn, sale_warn)
            SELECT 'Churn Hold-Out ' || n, 'Churn Hold-Out ' || n, TRUE, TRUE, TRUE,
                   'contact', %s, 'no-message', 'no-message', 'no-message'
              FROM generate_series(1, %s) n
            RETURNING id
        """, (cls.salesman.id, cls.CUSTOMERS))
        cls.partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute("""
            UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s);
            INSERT INTO crm_customer_insight (partner_id, company_id, churn_risk, p_alive,
                                              last_invoice_date)
            SELECT id, %s, 90, 0.5, %s FROM unnest(%s) id
        """, (cls.partner_ids, cls.company.id, cls._date(days=-200), cls.partner_ids))
        cls.env.cache.invalidate()

    def _held_out(self, alerts):
        return alerts.filtered("held_out")

    def test_about_the_share_is_held_out(self):
        alerts = self._detect()
        self.assertEqual(len(alerts), self.CUSTOMERS)
        # 10% of 1,000: 100, within three standard deviations (9.5)
        self.assertTrue(70 <= len(self._held_out(alerts)) <= 130, len(self._held_out(alerts)))

    def test_the_draw_is_reproducible(self):
        drawn = set(self._held_out(self._detect()).mapped("partner_id").ids)
        self.env.cr.execute("DELETE FROM crm_churn_alert")
        self.env.cache.invalidate()
        again = set(self._held_out(self._detect()).mapped("partner_id").ids)
        self.assertEqual(drawn, again)

    def test_no_share_holds_none_out(self):
        self.company.churn_alert_holdout_pct = 0.0
        self.assertFalse(self._held_out(self._detect()))

    def test_held_out_alerts_have_no_activity(self):
        alerts = self._detect()
        held_out = self._held_out(alerts)
        self.env.cr.execute("""
            SELECT res_id FROM mail_activity WHERE res_model = 'crm.churn.alert'
        """)
        planned = set(row[0] for row in self.env.cr.fetchall())
        self.assertFalse(planned & set(held_out.ids))
        self.assertEqual(planned, set((alerts - held_out).ids))

    def test_retention_actions_refused_on_a_held_out_alert(self):
        alert = self._held_out(self._detect())[0].sudo(self.salesman)
        for action in ("action_log_call", "action_log_visit", "action_send_offer",
                       "action_grant_points"):
            with self.assertRaises(ChurnAlertHeldOutError):
                getattr(alert, action)()
        with self.assertRaises(ChurnAlertHeldOutError):
            alert._take_action("offer")
        self.assertFalse(alert.action_ids)
        self.assertEqual(alert.state, "new")

    def test_a_held_out_alert_may_be_dismissed(self):
        alert = self._held_out(self._detect())[0].sudo(self.salesman)
        self.env["crm.churn.dismiss.wizard"].sudo(self.salesman).create({
            "alert_ids": [(6, 0, alert.ids)], "reason": "Moved abroad"}).action_apply()
        self.assertEqual(alert.state, "dismissed")
