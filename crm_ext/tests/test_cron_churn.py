"""The churn crons on real cursors (tools/chunked_cron.py): the detection
and the weekly fit skipped while another run holds their lock, a failing
chunk rolled back alone and completed by the next run, no alert or
activity doubled by a second run or by two concurrent transactions, and a
company whose fit fails keeping its previous model.  Each test works on
companies of its own, committed and removed in cleanups."""
import json
from datetime import timedelta
from unittest import mock

import odoo
from odoo import fields

from ..models import crm_churn_alert_detection, crm_churn_model
from ..tools import clock
from ..tools.chunked_cron import is_concurrency_error
from .cron_common import CommittedCase

NOW = "2026-06-30 03:00:00"
TODAY = "2026-06-30"


def _company(env, name, **values):
    """The company ``name`` with ``values``: made by the first test that
    needs it and kept (a company, with its warehouse, cannot be deleted),
    emptied by :func:`_empty_companies` after each test."""
    company = env["res.company"].search([("name", "=", name)])
    if company:
        company.write(values)
        return company
    return company.create(dict(values, name=name))


def _empty_companies(case, company_ids, partner_ids=()):
    """Remove what the tests and the crons made in the companies
    ``company_ids``: alerts and crises with their activities and
    messages, insight rows, churn models, and the customers
    ``partner_ids``."""
    with case.committed_env() as env:
        cr = env.cr
        params = {"companies": tuple(company_ids)}
        for model, table in (("crm.churn.alert", "crm_churn_alert"),
                             ("crm.churn.crisis", "crm_churn_crisis")):
            query = "SELECT id FROM {} WHERE company_id IN %(companies)s".format(table)
            cr.execute("DELETE FROM mail_activity WHERE res_model = %(model)s "
                       "AND res_id IN ({})".format(query), dict(params, model=model))
            cr.execute("DELETE FROM mail_message WHERE model = %(model)s "
                       "AND res_id IN ({})".format(query), dict(params, model=model))
        for table in ("crm_churn_crisis", "crm_churn_alert", "crm_customer_insight",
                      "crm_churn_model"):
            cr.execute("DELETE FROM {} WHERE company_id IN %(companies)s".format(table),
                       params)
        env["res.partner"].browse(list(partner_ids)).exists().unlink()


class TestCronChurnDetection(CommittedCase):
    """The detection of a company of four customers at risk (two per chunk
    when the chunks are of two) and one that is not, scored today."""

    def setUp(self):
        super(TestCronChurnDetection, self).setUp()
        with self.committed_env() as env:
            company = _company(
                env, "Cron Churn Detection", churn_alert_risk_threshold=70,
                churn_alert_p_alive_threshold=0.3, churn_alert_lost_days=90,
                churn_alert_holdout_pct=0.0, churn_crisis_count=100)
            self.company_id = company.id
            self.owner_id = env.ref("base.user_demo").id
            self.at_risk_ids = [self._customer(env, company, "At Risk %d" % index, 80)
                                for index in range(4)]
            self.safe_id = self._customer(env, company, "Safe", 20)
        self.addCleanup(_empty_companies, self, [self.company_id],
                        self.at_risk_ids + [self.safe_id])

    def _customer(self, env, company, name, risk):
        """A customer of ``company`` whose insight row says ``risk`` and a
        last purchase 120 days ago, scored today (the cron does not score
        again)."""
        partner = env["res.partner"].create({
            "name": name, "customer": True, "is_company": True,
            "company_id": company.id, "user_id": self.owner_id})
        last = fields.Date.to_string(fields.Date.from_string(TODAY) - timedelta(days=120))
        insight = env["crm.customer.insight"].create({
            "partner_id": partner.id, "company_id": company.id, "churn_risk": risk,
            "p_alive": 0.6, "last_invoice_date": last, "churn_reason_codes": "rhythm",
            "churn_figures": json.dumps({"rhythm": {"days": 120, "usual": 30}})})
        env.cr.execute("UPDATE crm_customer_insight SET churn_scored_at = %s WHERE id = %s",
                       (NOW, insight.id))
        return partner.id

    def _run(self, moment=NOW):
        """The cron's entry point as the cron calls it (chunks committed on
        cursors of their own), on this test's company only, at ``moment``,
        its customers scored then (the scoring is tested apart)."""
        alert_model = type(self.env["crm.churn.alert"])
        with self.committed_env() as env:
            env.cr.execute("UPDATE crm_customer_insight SET churn_scored_at = %s "
                           "WHERE company_id = %s", (moment, self.company_id))
        with self.committed_env() as env, clock.frozen(env, moment), mock.patch.object(
                alert_model, "_detection_companies",
                lambda model: model.env["res.company"].browse(self.company_id)):
            return env["crm.churn.alert"]._cron_detect()

    def _state(self):
        """The committed alerts of the company: {customer id: (state, date,
        held out, number of activities)}."""
        with self.committed_env() as env:
            env.cr.execute("""
                SELECT alert.partner_id, alert.state, alert.date::text, alert.held_out,
                       (SELECT COUNT(*) FROM mail_activity activity
                         WHERE activity.res_model = 'crm.churn.alert'
                           AND activity.res_id = alert.id)
                  FROM crm_churn_alert alert WHERE alert.company_id = %s
            """, (self.company_id,))
            rows = env.cr.fetchall()
        state = {row[0]: row[1:] for row in rows}
        self.assertEqual(len(state), len(rows), "two alerts of one customer")
        return state

    def _expected(self, partner_ids):
        return {partner_id: ("new", TODAY, False, 1) for partner_id in partner_ids}

    def test_a_run_that_meets_another_does_nothing(self):
        with self.lock_held_elsewhere(crm_churn_alert_detection.DETECTION_LOCK):
            self.assertEqual(self._run(), 0)
            self.assertEqual(self._state(), {})
        self.assertEqual(self._run(), 4)
        self.assertEqual(self._state(), self._expected(self.at_risk_ids))

    def test_a_second_run_doubles_nothing(self):
        self._run()
        self.assertEqual(self._run(), 0)
        self.assertEqual(self._state(), self._expected(self.at_risk_ids))

    def test_a_failing_chunk_is_left_whole_to_the_next_run(self):
        alert_model = type(self.env["crm.churn.alert"])
        original = alert_model._raise_alerts
        second = self.at_risk_ids[2:]

        def failing(model, company, now, partner_ids):
            raised = original(model, company, now, partner_ids)
            if list(partner_ids) == second:
                raise ValueError("a chunk that fails on purpose, its alerts written")
            return raised
        with mock.patch.object(crm_churn_alert_detection, "CHUNK_SIZE", 2):
            with mock.patch.object(alert_model, "_raise_alerts", failing):
                self.assertEqual(self._run(), 2)
            # the first chunk is committed whole, nothing of the second
            self.assertEqual(self._state(), self._expected(self.at_risk_ids[:2]))
            self.assertEqual(self._run(), 2)
        self.assertEqual(self._state(), self._expected(self.at_risk_ids))

    def test_a_closing_that_failed_half_way_is_completed_once(self):
        self._run()
        later = fields.Datetime.to_string(
            fields.Datetime.from_string(NOW) + timedelta(days=90))
        with self.committed_env() as env:
            alert_ids = env["crm.churn.alert"].search(
                [("company_id", "=", self.company_id)], order="id").ids
        alert_model = type(self.env["crm.churn.alert"])
        original = alert_model._close_outcomes

        def failing(model, company, now, ids):
            original(model, company, now, ids)
            if list(ids) == alert_ids[2:]:
                raise ValueError("a chunk that fails on purpose, its alerts closed")
            return True
        with mock.patch.object(crm_churn_alert_detection, "CHUNK_SIZE", 2):
            with mock.patch.object(alert_model, "_close_outcomes", failing):
                self._run(later)
            states = sorted(state[0] for state in self._state().values())
            self.assertEqual(states, ["lost", "lost", "new", "new"])
            self._run(later)
        with self.committed_env() as env:
            env.cr.execute("""
                SELECT COUNT(*) FROM mail_tracking_value tracking
                  JOIN mail_message message ON message.id = tracking.mail_message_id
                 WHERE message.model = 'crm.churn.alert' AND message.res_id IN %s
            """, (tuple(alert_ids),))
            tracked = env.cr.fetchone()[0]
        # each closed once, its activity gone, no alert raised again
        self.assertEqual(sorted((state[0], state[3]) for state in self._state().values()),
                         [("lost", 0)] * 4)
        self.assertEqual(tracked, 4)

    def test_two_transactions_raise_one_alert_per_customer(self):
        # a second transaction that began before the first committed its
        # alerts: the partial unique index stops it (a serialization
        # failure, which the chunked run retries on a fresh snapshot)
        registry = odoo.registry(self.env.cr.dbname)
        with registry.cursor() as other_cr:
            other = self.env(cr=other_cr)["crm.churn.alert"].sudo()
            other_cr.execute("SELECT 1")  # its snapshot
            with self.committed_env() as env:
                company = env["res.company"].browse(self.company_id)
                env["crm.churn.alert"]._raise_alerts(
                    company, fields.Datetime.from_string(NOW), self.at_risk_ids)
            try:
                with other_cr.savepoint():
                    doubled = other._raise_alerts(other.env["res.company"].browse(
                        self.company_id), fields.Datetime.from_string(NOW), self.at_risk_ids)
            except Exception as error:  # pylint: disable=broad-except
                self.assertTrue(is_concurrency_error(error), error)
                doubled = []
            other_cr.rollback()
        self.assertEqual(doubled, [])
        self.assertEqual(self._state(), self._expected(self.at_risk_ids))


class TestCronChurnFit(CommittedCase):
    """The weekly fit of two companies without customers (a card of
    insufficient data each), the first with a model of an earlier day."""

    def setUp(self):
        super(TestCronChurnFit, self).setUp()
        with self.committed_env() as env:
            self.first_id = _company(env, "Cron Churn Fit A").id
            self.second_id = _company(env, "Cron Churn Fit B").id
            env["crm.churn.model"].create({
                "company_id": self.first_id, "as_of": "2026-06-01", "r": 0.5, "alpha": 4.0,
                "a": 0.8, "b": 2.4, "converged": True, "customers": 600})
        self.addCleanup(_empty_companies, self, [self.first_id, self.second_id])

    def _run(self):
        """The cron's entry point as the cron calls it, on the two companies
        only, at NOW."""
        model_class = type(self.env["crm.churn.model"])
        with self.committed_env() as env, clock.frozen(env, NOW), mock.patch.object(
                model_class, "_fit_cron_companies",
                lambda model: model.env["res.company"].browse([self.first_id,
                                                               self.second_id])):
            return env["crm.churn.model"]._cron_fit()

    def _models(self):
        """The committed models of the two companies: {company id: [(as of,
        r, write date)]}, latest first."""
        with self.committed_env() as env:
            env.cr.execute("""
                SELECT company_id, as_of::text, r, write_date FROM crm_churn_model
                 WHERE company_id IN %s ORDER BY as_of DESC
            """, ((self.first_id, self.second_id),))
            models = {self.first_id: [], self.second_id: []}
            for company_id, as_of, r, written in env.cr.fetchall():
                models[company_id].append((as_of, r, written))
        return models

    def _days(self):
        return {company_id: [model[0] for model in models]
                for company_id, models in self._models().items()}

    def test_a_run_that_meets_another_does_nothing(self):
        with self.lock_held_elsewhere(crm_churn_model.FIT_LOCK):
            self._run()
            self.assertEqual(self._days(), {self.first_id: ["2026-06-01"],
                                            self.second_id: []})
        self._run()
        self.assertEqual(self._days(), {self.first_id: [TODAY, "2026-06-01"],
                                        self.second_id: [TODAY]})

    def test_a_second_run_fits_nothing_again(self):
        self._run()
        fitted = self._models()
        self._run()
        self.assertEqual(self._models(), fitted)

    def test_a_failing_fit_keeps_the_previous_model_and_not_the_others(self):
        model_class = type(self.env["crm.churn.model"])
        original = model_class._fit_company

        def failing(model, company, as_of=None):
            fitted = original(model, company, as_of=as_of)
            if company.id == self.first_id:
                raise ValueError("a numerical failure on purpose, the model written")
            return fitted
        before = self._models()[self.first_id]
        with mock.patch.object(model_class, "_fit_company", failing):
            self._run()
        models = self._models()
        self.assertEqual(models[self.first_id], before)
        self.assertEqual([model[0] for model in models[self.second_id]], [TODAY])
        # the next run fits the first company only
        self._run()
        after = self._models()
        self.assertEqual(after[self.second_id], models[self.second_id])
        self.assertEqual([model[0] for model in after[self.first_id]], [TODAY, "2026-06-01"])

    def test_a_fit_that_is_not_a_number_is_refused(self):
        with self.assertRaises(odoo.exceptions.UserError):
            self.env["crm.churn.model"]._check_finite({"r": float("nan"), "customers": 600})
