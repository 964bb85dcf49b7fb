from odoo.tests import common

from ..tools import next_step


class TestNextStepFunction(common.BaseCase):
    """The most urgent step of a situation and the contradicting labels
    (tools/next_step.py, no database)."""

    def test_nothing_to_do_without_any_fact(self):
        self.assertIsNone(next_step.next_step({}))

    def test_segment_advice_when_nothing_is_urgent(self):
        self.assertEqual(next_step.next_step({"segment_advice": "Reward them."}),
                         "segment_advice")

    def test_blank_advice_is_no_step(self):
        self.assertIsNone(next_step.next_step({"segment_advice": "  "}))

    def test_activity_due_comes_before_the_advice(self):
        self.assertEqual(next_step.next_step(
            {"activity_due": True, "segment_advice": "Reward them."}), "activity_due")

    def test_overdue_comes_before_an_activity_due(self):
        self.assertEqual(next_step.next_step(
            {"overdue_amount": 120.0, "activity_due": True}), "overdue")

    def test_overdue_of_a_rounding_difference_is_no_step(self):
        self.assertIsNone(next_step.next_step({"overdue_amount": 0.001}))

    def test_open_complaint_comes_before_overdue(self):
        self.assertEqual(next_step.next_step(
            {"open_complaints": 1, "overdue_amount": 120.0}), "complaint")

    def test_churn_alert_comes_first(self):
        self.assertEqual(next_step.next_step({
            "churn_alert": True, "open_complaints": 2, "overdue_amount": 5.0,
            "activity_due": True, "segment_advice": "Win them back."}), "churn_alert")

    def test_at_risk_segment_with_growing_stage_is_explained(self):
        self.assertEqual(next_step.contradiction(1, 4, "growing"), "quiet_but_buying")

    def test_recent_frequent_customer_declining_is_explained(self):
        self.assertEqual(next_step.contradiction(5, 4, "declining"), "strong_but_fading")

    def test_consistent_labels_need_no_explanation(self):
        self.assertIsNone(next_step.contradiction(1, 1, "declining"))
        self.assertIsNone(next_step.contradiction(5, 5, "growing"))

    def test_unscored_customer_needs_no_explanation(self):
        self.assertIsNone(next_step.contradiction(0, 0, "growing"))
        self.assertIsNone(next_step.contradiction(2, 2, False))
