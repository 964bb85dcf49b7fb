"""Retention actions and dismissal of churn alerts (issue 14): each action
linked to the alert with its cost, bonus points in the loyalty ledger, a
dismissal only with a reason."""
from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools import mute_logger

from ..exceptions import ChurnAlertClosedError, ChurnDismissReasonError
from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertAction(ChurnCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnAlertAction, cls).setUpClass()
        cls.customer = cls._at_risk("Churn Acted", user_id=cls.salesman.id)

    def setUp(self):
        super(TestChurnAlertAction, self).setUp()
        self._detect()
        self.alert = self._alert(self.customer)

    def _act(self, action_type, user=None, **values):
        wizard = self.env["crm.churn.action.wizard"].sudo(user or self.salesman).create(
            dict(values, alert_id=self.alert.id, action_type=action_type))
        wizard.action_apply()
        return wizard

    def _dismiss(self, reason, user=None):
        return self.env["crm.churn.dismiss.wizard"].sudo(user or self.salesman).create({
            "alert_ids": [(6, 0, self.alert.ids)], "reason": reason}).action_apply()

    def test_buttons_open_the_wizard_with_the_action(self):
        alert = self.alert.sudo(self.salesman)
        for method, action_type in (("action_log_call", "call"), ("action_log_visit", "visit"),
                                    ("action_send_offer", "offer"),
                                    ("action_grant_points", "points")):
            action = getattr(alert, method)()
            self.assertEqual((action["res_model"], action["context"]),
                             ("crm.churn.action.wizard", {"default_alert_id": alert.id,
                                                          "default_action_type": action_type}))

    def test_call_done_with_its_cost(self):
        self._act("call", cost=12.5, note="Promised a visit")
        action = self.alert.action_ids
        self.assertEqual((action.action_type, action.cost, action.user_id, action.note),
                         ("call", 12.5, self.salesman, "Promised a visit"))
        self.assertEqual((self.alert.state, self.alert.cost, self.alert.action_taken),
                         ("in_progress", 12.5, "Call"))

    def test_call_marks_the_planned_activity_done(self):
        self._act("visit", note="Showed the new range")
        self.assertFalse(self.alert.activity_ids)
        self.assertIn("Showed the new range", self.alert.message_ids[0].body)

    def test_offer_emails_the_customer(self):
        self._act("offer", cost=50.0)
        message = self.alert.message_ids.filtered(
            lambda message: self.customer in message.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("we miss you", message.subject)
        self.assertEqual(self.alert.cost, 50.0)

    def test_offer_refused_without_an_email(self):
        self.customer.email = False
        with self.assertRaises(UserError):
            self._act("offer")
        self.assertFalse(self.alert.action_ids)

    def test_points_granted_in_the_ledger(self):
        self._act("points", points=500.0, note="Welcome back")
        action = self.alert.action_ids
        entry = action.loyalty_entry_id
        self.assertEqual((entry.entry_type, entry.points, entry.partner_id, entry.note),
                         ("bonus", 500.0, self.customer, "Welcome back"))
        # 500 points at 0.01
        self.assertEqual((action.points, action.cost), (500.0, 5.0))
        self.assertEqual(self._balance(self._member(self.customer)), 500.0)

    def test_points_must_be_positive(self):
        with self.assertRaises(UserError):
            self._act("points", points=0.0)
        self.assertFalse(self._member(self.customer).entry_ids)

    def test_alert_cost_is_the_sum_of_its_actions(self):
        self._act("call", cost=10.0)
        self._act("points", points=300.0)
        self._act("offer", cost=20.0)
        self.assertEqual(self.alert.cost, 33.0)
        self.assertEqual(self.alert.action_taken, "Call, Bonus Points, Win-Back Offer")

    def test_a_wizard_acts_once(self):
        wizard = self._act("points", points=100.0)
        wizard.action_apply()
        self.assertEqual(len(self.alert.action_ids), 1)
        self.assertEqual(self._balance(self._member(self.customer)), 100.0)

    def test_negative_cost_refused(self):
        with self.assertRaises(UserError):
            self._act("call", cost=-1.0)

    def test_dismissal_needs_a_reason(self):
        with self.assertRaises(ChurnDismissReasonError):
            self._dismiss("   ")
        self.assertEqual(self.alert.state, "new")

    def test_dismissal_keeps_the_reason(self):
        self._dismiss("Bought by a group we already serve")
        # the date of the salesperson who closed it, in their time zone
        closed_on = fields.Date.context_today(self.alert.sudo(self.salesman))
        self.assertEqual((self.alert.state, self.alert.dismiss_reason, self.alert.date_closed),
                         ("dismissed", "Bought by a group we already serve", closed_on))
        self.assertFalse(self.alert.activity_ids)

    def test_dismiss_button_opens_the_wizard(self):
        action = self.alert.sudo(self.salesman).action_dismiss()
        self.assertEqual(action["res_model"], "crm.churn.dismiss.wizard")

    def test_no_action_on_a_closed_alert(self):
        self._dismiss("Known")
        with self.assertRaises(ChurnAlertClosedError):
            self._act("call")
        with self.assertRaises(ChurnAlertClosedError):
            self.alert.sudo(self.salesman).action_dismiss()

    def test_salesperson_cannot_write_the_outcome(self):
        for values in ({"state": "retained"}, {"held_out": True}, {"cost": 0.0}):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.alert.sudo(self.salesman).write(values)
        self.assertEqual(self.alert.state, "new")

    def test_salesperson_may_hand_the_alert_over(self):
        self.alert.sudo(self.salesman).write({"user_id": self.all_documents.id})
        self.assertEqual(self.alert.user_id, self.all_documents)
