"""Churn alerts closing themselves (issue 14): retained when the customer
buys again, lost after the company's silence."""
from odoo.tests import common

from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertClose(ChurnCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnAlertClose, cls).setUpClass()
        cls.customer = cls._at_risk("Churn Closing", user_id=cls.salesman.id)

    def setUp(self):
        super(TestChurnAlertClose, self).setUp()
        self._detect()
        self.alert = self._alert(self.customer)

    def test_retained_when_the_customer_buys_again(self):
        self._sell(self.customer, 500.0, date=self._date(days=3))
        self._detect(self._later(4))
        self.assertEqual((self.alert.state, self.alert.date_closed),
                         ("retained", self._date(days=3)))

    def test_an_invoice_of_the_alert_day_retains(self):
        self._sell(self.customer, 500.0, date=self.today)
        self._detect(self._later(1))
        self.assertEqual(self.alert.state, "retained")

    def test_a_draft_invoice_does_not_retain(self):
        self._sell(self.customer, 500.0, date=self._date(days=3), post=False)
        self._detect(self._later(4))
        self.assertEqual(self.alert.state, "new")

    def test_an_invoice_before_the_alert_does_not_retain(self):
        self._sell(self.customer, 500.0, date=self._date(days=-1))
        self._detect(self._later(4))
        self.assertEqual(self.alert.state, "new")

    def test_another_companys_invoice_does_not_retain(self):
        self.env.cr.execute("""
            UPDATE account_invoice SET company_id = %s WHERE id = %s
        """, (self.env["res.company"].create({"name": "Churn Other"}).id,
              self._sell(self.customer, 500.0, date=self._date(days=3)).id))
        self._detect(self._later(4))
        self.assertEqual(self.alert.state, "new")

    def test_lost_after_the_silence(self):
        self._detect(self._later(90))
        self.assertEqual((self.alert.state, self.alert.date_closed),
                         ("lost", self._date(days=90)))

    def test_open_before_the_silence_ends(self):
        self._detect(self._later(89))
        self.assertEqual(self.alert.state, "new")

    def test_the_silence_is_the_companys(self):
        self.company.churn_alert_lost_days = 30
        self._detect(self._later(30))
        self.assertEqual(self.alert.state, "lost")

    def test_closing_removes_the_activity_and_tracks_the_state(self):
        self.assertTrue(self.alert.activity_ids)
        self._sell(self.customer, 500.0, date=self._date(days=3))
        self._detect(self._later(4))
        self.assertFalse(self.alert.activity_ids)
        tracked = self.alert.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "state")
        self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("New", "Retained"))

    def test_a_purchase_after_the_loss_does_not_reopen_it(self):
        self._detect(self._later(90))
        self._sell(self.customer, 500.0, date=self._date(days=100))
        self._detect(self._later(101))
        self.assertEqual(self.alert.state, "lost")
