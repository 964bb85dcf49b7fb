import os
import unittest

import numpy as np

from odoo.addons.crm_ext.tools import model_card

from .churn_reference import NO_LIFETIMES, datasets


def drifting_customers(count, seed):
    """Purchases (customer, week) of ``count`` customers over 100 weeks:
    the first purchase in weeks 0-20, then one every 2-8 weeks; half of them
    stop at a random week between 30 and 100."""
    rng = np.random.default_rng(seed)
    interval = rng.uniform(2.0, 8.0, count)
    stop = np.where(rng.random(count) < 0.5, rng.uniform(30.0, 100.0, count), 100.0)
    now = rng.uniform(0.0, 20.0, count)
    customers, weeks = [], []
    active = np.arange(count)
    while active.size:
        customers.append(active)
        weeks.append(np.floor(now[active]))
        now[active] += rng.exponential(interval[active])
        active = active[now[active] <= stop[active]]
    return np.concatenate(customers), np.concatenate(weeks)


class TestModelCardMeasures(unittest.TestCase):
    """Issue 14: the measures of the model card."""

    def test_14_auc_counts_ties_as_half(self):
        self.assertEqual(model_card.auc([1, 2, 2, 3], [0, 1, 0, 1]), 0.875)

    def test_14_auc_of_a_perfect_and_a_reversed_score(self):
        self.assertEqual(model_card.auc([1, 2, 3, 4], [0, 0, 1, 1]), 1.0)
        self.assertEqual(model_card.auc([4, 3, 2, 1], [0, 0, 1, 1]), 0.0)

    def test_14_auc_undefined_with_one_class(self):
        self.assertIsNone(model_card.auc([1, 2, 3], [1, 1, 1]))

    def test_14_lift_shares_the_tied_rows_at_the_edge_of_the_decile(self):
        # 10 flagged rows (8 positive) tie at the top: the decile (2 rows)
        # holds 1.6 positives on average, a rate of 0.8 against 0.5 overall
        scores = [1.0] * 10 + [0.0] * 10
        labels = [1] * 8 + [0] * 2 + [1] * 2 + [0] * 8
        self.assertAlmostEqual(model_card.lift_top_decile(scores, labels), 1.6)

    def test_14_lift_undefined_without_positives(self):
        self.assertIsNone(model_card.lift_top_decile([1.0, 2.0], [0, 0]))

    def test_14_summary_counts_purchases_at_one_time_once(self):
        summary = model_card.summarise([7, 7, 7, 7, 8, 9], [1.0, 3.0, 3.0, 6.0, 2.0, 12.0], 10.0)
        self.assertEqual(summary["customer"].tolist(), [7, 8])
        self.assertEqual(summary["x"].tolist(), [2.0, 0.0])
        self.assertEqual(summary["t_x"].tolist(), [5.0, 0.0])
        self.assertEqual(summary["T"].tolist(), [9.0, 8.0])

    def test_14_grade_a_needs_ten_percent_over_the_naive_rule(self):
        self.assertEqual(model_card.grade(0.6, 0.66, 0.6), "A")
        self.assertEqual(model_card.grade(0.6, 0.65, 0.6), "B")
        self.assertEqual(model_card.grade(0.6, 0.55, 0.6), "C")

    def test_14_grade_c_when_most_predictions_are_wrong(self):
        self.assertEqual(model_card.grade(0.45, 0.9, 0.3), "C")

    def test_14_warnings_for_weak_and_suspicious_auc(self):
        self.assertEqual(model_card.warnings_for(0.55), ["auc_weak"])
        self.assertEqual(model_card.warnings_for(0.97), ["auc_leakage"])
        self.assertEqual(model_card.warnings_for(0.8), [])


class TestModelCard(unittest.TestCase):
    """Issue 14: the card of a company's purchases."""

    @classmethod
    def setUpClass(cls):
        super(TestModelCard, cls).setUpClass()
        cls.customer, cls.week = drifting_customers(800, seed=21)
        cls.card = model_card.build(cls.customer, cls.week, 100.0, 13.0)

    def test_14_card_of_enough_history(self):
        self.assertEqual(self.card["status"], "ok")
        self.assertEqual(self.card["customers"], 800)
        self.assertEqual(self.card["calibration_end"], 87.0)
        self.assertTrue(self.card["calibration"]["converged"])

    def test_14_card_compares_the_model_with_the_naive_rule(self):
        self.assertIn(self.card["naive_k"], range(model_card.MAX_K + 1))
        self.assertEqual(self.card["naive_window"], 13.0 / 2 ** self.card["naive_k"])
        self.assertIn(self.card["grade"], ("A", "B", "C"))
        self.assertGreater(self.card["auc"], 0.6)
        self.assertGreater(self.card["lift_top_decile"], 1.0)

    def test_14_insufficient_data_below_500_customers(self):
        few = self.customer < 499
        card = model_card.build(self.customer[few], self.week[few], 100.0, 13.0)
        self.assertEqual(card["status"], "insufficient_data")
        self.assertEqual(card["warnings"], ["few_customers"])
        self.assertIsNone(card["grade"])
        self.assertNotIn("auc", card)

    def test_14_insufficient_data_with_a_history_shorter_than_two_windows(self):
        card = model_card.build(self.customer, self.week, 100.0, 51.0)
        self.assertEqual(card["status"], "insufficient_data")
        self.assertEqual(card["warnings"], ["short_history"])

    def test_14_purchases_after_the_end_are_ignored(self):
        later = np.concatenate([self.week, [150.0]])
        card = model_card.build(np.concatenate([self.customer, [0]]), later, 100.0, 13.0)
        self.assertEqual(card["auc"], self.card["auc"])

    def test_14_window_must_be_positive(self):
        with self.assertRaises(ValueError):
            model_card.build(self.customer, self.week, 100.0, 0.0)


@unittest.skipIf(datasets is None, NO_LIFETIMES)
class TestModelCardCdnow(unittest.TestCase):
    """Issue 14: the card of CDNOW's 2,357 customers (78 weeks from
    1997-01-01; a 13-week holdout)."""

    def test_14_cdnow_card(self):
        path = os.path.join(os.path.dirname(datasets.__file__), "CDNOW_sample.txt")
        rows = np.loadtxt(path, usecols=(0, 2), dtype=int)
        dates = ["%s-%s-%s" % (day // 10000, str(day // 100 % 100).zfill(2),
                               str(day % 100).zfill(2)) for day in rows[:, 1]]
        days = (np.array(dates, dtype="datetime64[D]")
                - np.datetime64("1997-01-01")).astype(float)
        end = (np.datetime64("1998-06-30") - np.datetime64("1997-01-01")).astype(float)
        card = model_card.build(rows[:, 0], days / 7.0, end / 7.0, 13.0)
        self.assertEqual(card["status"], "ok")
        self.assertEqual(card["customers"], 2357)
        self.assertTrue(0.6 < card["auc"] < 0.95, card["auc"])
        self.assertGreater(card["lift_top_decile"], card["naive_lift_top_decile"])
        self.assertIn(card["grade"], ("A", "B"))
