from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.crm_ext.tools import clock

from .test_complaint_common import ComplaintCase
from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestInvoiceStepGuards(LoyaltyCase):
    """The steps of an invoice's validation that Odoo leaves public cannot
    be called on their own to award points twice or skip the journal
    entry; cron and maintenance entry points are private."""

    def setUp(self):
        super(TestInvoiceStepGuards, self).setUp()
        self.program.earn_on = "posted"
        self.partner = self._customer("Guarded Customer")

    def test_validating_an_open_invoice_again_is_refused(self):
        invoice = self._sell(self.partner, 1000.0)
        counts = self._counts()
        with self.assertRaises(UserError):
            invoice.invoice_validate()
        self.assertEqual(self._counts(), counts)
        self.assertEqual(invoice.loyalty_entry_ids.mapped("points"), [1000.0])

    def test_a_draft_invoice_is_not_opened_without_its_journal_entry(self):
        invoice = self._sell(self.partner, 1000.0, post=False)
        with self.assertRaises(UserError):
            invoice.invoice_validate()
        self.assertEqual(invoice.state, "draft")
        invoice.action_invoice_open()
        self.assertEqual((invoice.state, bool(invoice.move_id)), ("open", True))

    def test_journal_items_are_made_only_with_the_journal_entry(self):
        invoice = self._sell(self.partner, 1000.0, post=False)
        with self.assertRaises(UserError):
            invoice.finalize_invoice_move_lines([])

    def test_only_sales_managers_recompute_the_insight(self):
        action = self.env.ref("crm_ext.crm_customer_insight_recompute_action")
        company = self.company.sudo()
        company.insight_last_recompute = False
        with self.assertRaises(AccessError):
            action.sudo(self.salesman).run()
        self.assertFalse(company.insight_last_recompute)
        manager = self._user("insight_manager", "sales_team.group_sale_manager")
        action.sudo(manager).run()
        company.invalidate_cache()
        self.assertTrue(company.insight_last_recompute)

    def test_analysis_views_are_built_by_odoo_only(self):
        for model in ("crm.customer.insight.report", "crm.complaint.report"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.loyalty_manager).init()

    def test_crons_call_private_entry_points(self):
        for xmlid, code in (("crm_ext.ir_cron_customer_insight", "model._cron_recompute_all()"),
                            ("crm_ext.ir_cron_loyalty_daily", "model._cron_run_daily()")):
            self.assertEqual(self.env.ref(xmlid).code, code)

    def test_statement_needs_a_card(self):
        report = self.env.ref("crm_ext.crm_loyalty_statement_report").sudo(self.salesman)
        with self.assertRaises(UserError):
            report.render_xlsx(None, None)


@common.at_install(False)
@common.post_install(True)
class TestComplaintGuards(ComplaintCase):
    """No caller sets a complaint's clock or rates it without the
    customer's link; mail gateway entry points check their input."""

    def test_the_context_does_not_set_the_clock(self):
        complaint = self._complaint()
        complaint.with_context(complaint_now="2000-01-01 00:00:00").write(
            {"stage_id": self.stage_ack.id})
        self.assertGreater(complaint.date_acknowledged, "2026-01-01")
        with clock.frozen(self.env, "2026-01-05 10:00:00"):
            self.assertEqual(str(self.complaint_model._now()), "2026-01-05 10:00:00")
        self.assertGreater(str(self.complaint_model._now()), "2026-01-05 10:00:00")

    def test_rating_needs_the_customers_link(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.rating_apply(10)
        self.assertFalse(complaint.customer_rating)

    def test_a_message_without_sender_is_refused(self):
        count = self.complaint_model.search_count([])
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            self.complaint_model.message_new({"subject": "No sender"})
        self.assertEqual(self.complaint_model.search_count([]), count)
