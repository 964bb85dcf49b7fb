"""Churn alerts raised by the detection (issue 14): thresholds, one open
alert per customer, the owner and the activity planned for them."""
from unittest import mock

from odoo.exceptions import ValidationError
from odoo.tests import common

from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertDetection(ChurnCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnAlertDetection, cls).setUpClass()
        cls.own = cls._at_risk("Churn Own", risk=85, p_alive=0.5, user_id=cls.salesman.id,
                               reasons={"spend": {"pct": 45}})

    def test_alert_raised_when_the_risk_reaches_the_threshold(self):
        at_threshold = self._at_risk("Churn At Threshold", risk=70)
        below = self._at_risk("Churn Below", risk=69)
        raised = self._detect()
        self.assertIn(self._alert(at_threshold), raised)
        self.assertFalse(self._alert(below))

    def test_alert_raised_when_p_alive_falls_below_its_threshold(self):
        fading = self._at_risk("Churn Fading", risk=20, p_alive=0.29)
        alive = self._at_risk("Churn Alive", risk=20, p_alive=0.3)
        self._detect()
        self.assertEqual(len(self._alert(fading)), 1)
        self.assertFalse(self._alert(alive))

    def test_no_alert_for_a_customer_who_never_bought(self):
        prospect = self._customer("Churn Prospect")
        self._score(prospect, 95, 0.1)
        self._detect()
        self.assertFalse(self._alert(prospect))

    def test_alert_keeps_the_figures_of_the_day(self):
        alert = self._detect().filtered(lambda alert: alert.partner_id == self.own)
        self.assertEqual(
            (alert.date, alert.churn_risk, alert.p_alive, alert.churn_reasons, alert.state,
             alert.company_id, alert.held_out, alert.cost),
            (self.today, 85, 0.5, "spend down 45% on the previous 90 days", "new",
             self.company, False, 0.0))

    def test_one_open_alert_per_customer(self):
        self._detect()
        self._score(self.own, 95, 0.1)
        again = self._detect(self._later(1))
        self.assertNotIn(self.own, again.mapped("partner_id"))
        self.assertEqual(len(self._alert(self.own)), 1)
        self.assertEqual(self._alert(self.own).churn_risk, 85)

    def test_an_open_alert_cannot_be_doubled(self):
        alert = self._detect().filtered(lambda alert: alert.partner_id == self.own)
        with self.assertRaises(Exception), self.env.cr.savepoint():
            alert.copy()

    def test_owner_is_the_salesperson(self):
        self._detect()
        self.assertEqual(self._alert(self.own).user_id, self.salesman)

    def test_owner_is_the_team_leader_without_a_salesperson(self):
        teamed = self._at_risk("Churn Teamed", team_id=self.team.id)
        self._detect()
        self.assertEqual(self._alert(teamed).user_id, self.leader)

    def test_activity_planned_for_the_owner(self):
        self._detect()
        alert = self._alert(self.own)
        activity = alert.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            (activity.user_id, activity.activity_type_id, activity.date_deadline),
            (self.salesman, self.env.ref("crm_ext.mail_activity_data_churn_alert"), self.today))
        self.assertIn(self.salesman.partner_id, alert.message_partner_ids)

    def test_lost_customer_is_not_alerted_again_until_they_buy(self):
        self._detect()
        lost_day = self._later(90)
        self._detect(lost_day)
        self.assertEqual(self._alert(self.own).state, "lost")
        self._detect(self._later(91))
        self.assertEqual(len(self._alert(self.own)), 1)
        self._score(self.own, 90, 0.5, last_purchase=self._date(days=95))
        self._detect(self._later(96))
        self.assertEqual(self._alert(self.own).mapped("state"), ["new", "lost"])

    def test_cron_scores_then_detects_every_company(self):
        # the scoring itself is tested apart (test_churn_risk): here it keeps
        # the figures the fixtures set, and says which companies it scored
        scored = []
        # none scored today (the demo install scores the main company)
        self.env.cr.execute("UPDATE crm_customer_insight "
                            "SET churn_scored_at = churn_scored_at - INTERVAL '2 days'")
        with mock.patch.object(type(self.env["crm.customer.insight"]), "_score_churn",
                               lambda insight, company: scored.append(company.id)):
            raised = self.alert_model._cron_detect(use_new_cursor=False)
        self.assertEqual(sorted(scored), sorted(self.env["res.company"].search([]).ids))
        self.assertGreaterEqual(raised, 1)
        self.assertEqual(len(self._alert(self.own)), 1)

    def test_settings_out_of_range_are_refused(self):
        for values in ({"churn_alert_holdout_pct": 60.0}, {"churn_alert_risk_threshold": 0},
                       {"churn_alert_p_alive_threshold": 1.5}, {"churn_crisis_count": 0}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.write(values)
        self.assertEqual(self.company.churn_alert_holdout_pct, 0.0)
