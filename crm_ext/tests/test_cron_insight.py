"""The customer insight cron on real cursors: a run that meets another does
nothing, a second run changes nothing, a chunk that fails leaves the others
committed and the next run completes it as a clean run would, on the run's
clock; grade visits are planned once."""
from unittest import mock

import odoo
from odoo import models

from ..models import crm_customer_insight_run
from ..models.crm_customer_insight_run import LOCK
from ..tools import clock
from .cron_common import CommittedCase

NOW = "2026-06-30 12:00:00"
TODAY = "2026-06-30"
# (amount, invoice date) of each customer's invoices
PURCHASES = [
    [(900.0, "2026-06-20"), (800.0, "2026-03-10"), (700.0, "2025-12-01")],
    [(500.0, "2026-05-02"), (400.0, "2025-11-15")],
    [(300.0, "2026-02-01")],
    [(2000.0, "2026-06-28"), (50.0, "2025-07-01")],
    [(120.0, "2025-09-09")],
]
# the score columns compared between runs
COMPARED = ("net_invoiced", "invoice_count", "r_score", "f_score", "m_score", "segment_id",
            "value_score", "grade", "abc_class", "lifecycle_stage", "lifecycle_stage_date",
            "clv_run_rate", "churn_risk", "churn_reason_codes", "churn_scored_at")


class TestCronInsight(CommittedCase):

    def setUp(self):
        super(TestCronInsight, self).setUp()
        with self.committed_env() as env:
            main = env.ref("base.main_company")
            holder = env["res.partner"].create({"name": "Insight Cron Co"})
            # the ORM's own create, without the warehouse, pricelist and
            # calendar the modules' overrides add: the test removes it whole
            company = models.BaseModel.create(env["res.company"], {
                "name": "Insight Cron Co", "partner_id": holder.id,
                "currency_id": main.currency_id.id, "insight_window_days": 365})
            self.company_id, self.holder_id = company.id, holder.id
            # visits for every customer scoring 1 or more but the key ones
            env["crm.customer.grade"].create({
                "name": "Cron Strategic", "code": "strategic", "company_id": company.id,
                "min_score": 1, "visit_interval_days": 30})
            salesperson = env.ref("base.user_demo")
            self.partner_ids, self.invoice_ids = [], []
            journal = env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", main.id)], limit=1)
            for index, purchases in enumerate(PURCHASES):
                partner = env["res.partner"].create({
                    "name": "Insight Cron %d" % index, "customer": True, "is_company": True,
                    "user_id": salesperson.id})
                self.partner_ids.append(partner.id)
                for amount, day in purchases:
                    invoice = env["account.invoice"].create({
                        "partner_id": partner.id, "type": "out_invoice", "date_invoice": day,
                        "journal_id": journal.id,
                        "invoice_line_ids": [(0, 0, {
                            "name": "Cron widget", "quantity": 1, "price_unit": amount,
                            "account_id": journal.default_credit_account_id.id})]})
                    self.invoice_ids.append(invoice.id)
            # posted in the test company, without a journal entry: the
            # insight reads the invoices only
            env.cr.execute("""
                UPDATE account_invoice
                   SET company_id = %s, state = 'open', insight_net_signed = amount_untaxed_signed,
                       insight_cost_signed = 0.4 * amount_untaxed_signed,
                       insight_discount_signed = 0
                 WHERE id = ANY(%s)
            """, (self.company_id, self.invoice_ids))
        self.addCleanup(self._remove_fixtures)

    def _remove_fixtures(self):
        self._forget()
        with self.committed_env() as env:
            env.cr.execute("DELETE FROM account_invoice WHERE id = ANY(%s)", (self.invoice_ids,))
            env.cr.execute("DELETE FROM crm_customer_grade WHERE company_id = %s",
                           (self.company_id,))
            env.cr.execute("DELETE FROM res_company WHERE id = %s", (self.company_id,))
            env.cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)",
                           (self.partner_ids + [self.holder_id],))
            env["res.company"].clear_caches()

    def _run(self, chunk_size=2):
        """One run of the cron's path over the test company, as the cron
        runs it (chunks on cursors of their own, committed), on the frozen
        clock of the run's cursor: its counts."""
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            env = self.env(cr=cr)
            with clock.frozen(env, NOW), \
                    mock.patch.object(crm_customer_insight_run, "CHUNK_SIZE", chunk_size):
                counts = env["crm.customer.insight"]._recompute_companies(
                    env["res.company"].browse(self.company_id))
            cr.rollback()
        return counts

    def _state(self):
        """What the runs left, as committed: {partner id: compared figures},
        the history (sorted rows), the planned visits (sorted partner ids)
        and the company's last recompute."""
        with self.committed_env() as env:
            env.cr.execute("SELECT partner_id, {} FROM crm_customer_insight "
                           "WHERE company_id = %s".format(", ".join(COMPARED)),
                           (self.company_id,))
            rows = {row[0]: row[1:] for row in env.cr.fetchall()}
            env.cr.execute("SELECT partner_id, date, field_name, old_value, new_value "
                           "FROM crm_customer_segment_history WHERE company_id = %s "
                           "ORDER BY 1, 2, 3", (self.company_id,))
            history = env.cr.fetchall()
            env.cr.execute("SELECT res_id FROM mail_activity WHERE res_model = 'res.partner' "
                           "AND res_id = ANY(%s) ORDER BY res_id", (self.partner_ids,))
            visits = [row[0] for row in env.cr.fetchall()]
            env.cr.execute("SELECT insight_last_recompute FROM res_company WHERE id = %s",
                           (self.company_id,))
            stamp = env.cr.fetchone()[0]
        return rows, history, visits, stamp

    def _forget(self):
        """The test company as before any run."""
        with self.committed_env() as env:
            env.cr.execute("DELETE FROM mail_activity WHERE res_model = 'res.partner' "
                           "AND res_id = ANY(%s)", (self.partner_ids,))
            env.cr.execute("DELETE FROM crm_customer_segment_history WHERE company_id = %s",
                           (self.company_id,))
            env.cr.execute("DELETE FROM crm_customer_insight WHERE company_id = %s",
                           (self.company_id,))
            env.cr.execute("UPDATE res_company SET insight_last_recompute = NULL WHERE id = %s",
                           (self.company_id,))

    def test_a_run_that_meets_another_does_nothing(self):
        with self.lock_held_elsewhere(LOCK):
            self.assertIsNone(self._run())
            with odoo.registry(self.env.cr.dbname).cursor() as cr:
                self.assertTrue(self.env(cr=cr)["crm.customer.insight"]._cron_recompute_all())
                cr.rollback()
            self.assertEqual(self._state(), ({}, [], [], None))
        counts = self._run()
        self.assertEqual(counts, {"customers": len(PURCHASES),
                                  "segment_changes": len(PURCHASES), "failed_chunks": 0})
        self.assertEqual(len(self._state()[0]), len(PURCHASES))

    def test_chunks_see_the_runs_clock(self):
        self._run()
        rows, history, _visits, stamp = self._state()
        self.assertEqual(stamp, NOW)
        self.assertEqual({row[COMPARED.index("churn_scored_at")] for row in rows.values()},
                         {NOW})
        self.assertEqual({row[1] for row in history}, {TODAY})

    def test_a_second_run_changes_nothing(self):
        self._run()
        first = self._state()
        self.assertEqual(self._run(), {"customers": len(PURCHASES), "segment_changes": 0,
                                       "failed_chunks": 0})
        self.assertEqual(self._state(), first)

    def test_visits_are_planned_once(self):
        self._run()
        rows, _history, visits, _stamp = self._state()
        strategic = sorted(partner_id for partner_id, row in rows.items()
                           if row[COMPARED.index("grade")] == "strategic")
        self.assertTrue(strategic, "the test needs a strategic customer")
        self.assertEqual(visits, strategic)
        self._run()
        self.assertEqual(self._state()[2], strategic)

    def test_a_failed_chunk_is_completed_by_the_next_run(self):
        model = type(self.env["crm.customer.insight"])
        original = model._write_rows
        calls = []

        def fail_second(insight, params, lines=None):
            calls.append(params["first_id"])
            if len(calls) == 2:
                # half-written, then killed
                original(insight, params, lines)
                raise RuntimeError("a chunk killed on purpose")
            return original(insight, params, lines)

        with mock.patch.object(model, "_write_rows", fail_second):
            counts = self._run()
        self.assertEqual((counts["customers"], counts["failed_chunks"]),
                         (len(PURCHASES) - 2, 1))
        rows, history, _visits, stamp = self._state()
        failed = [partner_id for partner_id in self.partner_ids
                  if calls[1] <= partner_id < calls[2]]
        self.assertEqual(len(failed), 2)
        self.assertEqual(sorted(rows), sorted(set(self.partner_ids) - set(failed)))
        self.assertFalse([row for row in history if row[0] in failed])
        self.assertIsNone(stamp, "the company is not said recomputed")
        self._run()
        resumed = self._state()
        self._forget()
        self._run()
        self.assertEqual(resumed, self._state())
