from unittest import mock

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from ..models import crm_customer_insight_run
from ..models.crm_customer_insight_run import LOCK
from ..tools.chunked_cron import try_lock
from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightRecompute(InsightCase):
    """*Recompute Customer Insight* says what it did."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightRecompute, cls).setUpClass()
        cls.manager = cls._user("recompute_manager", "sales_team.group_sale_manager")
        cls.salesman = cls._user("recompute_salesman", "sales_team.group_sale_salesman")
        cls.action = cls.env.ref("crm_ext.crm_customer_insight_recompute_action")
        cls.buyer = cls._customer("Recompute Buyer")
        cls._invoice(cls.buyer, "2026-06-01")

    def _run(self):
        action = self.action.sudo(self.manager).run()
        # the form the web client opens: its defaults
        model = self.env[action["res_model"]].sudo(self.manager)
        result = model.with_context(**action["context"]).default_get(list(model._fields))
        return action, result

    def test_recompute_opens_its_confirmation(self):
        action, _result = self._run()
        self.assertEqual((action["res_model"], action["target"], action["view_mode"]),
                         ("crm.customer.insight.recompute", "new", "form"))

    def test_confirmation_counts_the_customers_of_the_company(self):
        _action, result = self._run()
        customers = self.env["crm.customer.insight"].search_count(
            [("company_id", "in", self.manager.company_ids.ids)])
        self.assertEqual(result["customer_count"], customers)
        self.assertIn(self.company.name, result["company_names"])

    def test_confirmation_counts_segment_changes_once(self):
        _action, first = self._run()
        self.assertGreaterEqual(first["segment_change_count"], 1, "the new buyer got a segment")
        _action, again = self._run()
        self.assertEqual(again["segment_change_count"], 0, "nothing changed since")

    def test_summary_says_what_was_done(self):
        _action, result = self._run()
        self.assertIn("customers recomputed in", result["summary"])
        self.assertIn("segments changed for", result["summary"])

    def test_salespeople_do_not_recompute(self):
        with self.assertRaises(AccessError):
            self.action.sudo(self.salesman).run()

    def test_a_failed_chunk_changes_nothing(self):
        # the chunks run in savepoints of the manager's transaction: one that
        # fails fails the whole recompute, and the transaction is rolled
        # back (the savepoint here, as Odoo's RPC does) with the chunks done
        history = self.env["crm.customer.segment.history"]
        before = history.search_count([])
        model = type(self.env["crm.customer.insight"])
        original = model._write_rows
        calls = []

        def fail_second(insight, params, lines=None):
            calls.append(params)
            if len(calls) == 2:
                raise RuntimeError("a chunk that fails on purpose")
            return original(insight, params, lines)

        with mock.patch.object(model, "_write_rows", fail_second), \
                mock.patch.object(crm_customer_insight_run, "CHUNK_SIZE", 2):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                self.action.sudo(self.manager).run()
        self.assertGreater(len(calls), 2, "the other chunks went on")
        self.assertEqual(history.search_count([]), before)

    def test_recompute_waits_for_the_cron(self):
        company = self.company.sudo()
        company.insight_last_recompute = False
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            self.assertTrue(try_lock(cr, LOCK))
            with self.assertRaises(UserError):
                self.action.sudo(self.manager).run()
            cr.rollback()
        company.invalidate_cache()
        self.assertFalse(company.insight_last_recompute)

    def test_a_row_refreshed_after_the_figures_were_computed_is_kept(self):
        """A chunked recompute writes figures computed in its first chunk:
        a customer refreshed after that (a document committed meanwhile)
        keeps its newer row instead of getting the older figures back."""
        self._recompute()
        insight = self._insight(self.buyer)
        written = insight.net_invoiced
        self.env.cr.execute(
            "UPDATE crm_customer_insight SET net_invoiced = net_invoiced + 500, "
            "write_date = NOW() AT TIME ZONE 'UTC' + INTERVAL '1 minute' WHERE id = %s",
            (insight.id,))
        self._recompute()
        insight.invalidate_cache()
        self.assertEqual(insight.net_invoiced, written + 500)
        # an older row is written again
        self.env.cr.execute("UPDATE crm_customer_insight SET write_date = write_date "
                            "- INTERVAL '1 hour' WHERE id = %s", (insight.id,))
        self._recompute()
        insight.invalidate_cache()
        self.assertEqual(insight.net_invoiced, written)
