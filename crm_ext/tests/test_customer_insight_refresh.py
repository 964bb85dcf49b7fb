from odoo import fields
from odoo.tests import common

from odoo.addons.crm_ext.tools import insight_queries

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestInsightRefresh(InsightCase):
    """After any invoice or payment event, the figures of the customer are
    those the nightly recompute gives, not the night before's."""

    @classmethod
    def setUpClass(cls):
        super(TestInsightRefresh, cls).setUpClass()
        cls.today = fields.Date.context_today(cls.insight_model)
        # cancelling a posted invoice or payment needs a journal that allows it
        (cls.sale_journal | cls.bank_journal).write({"update_posted": True})

    def _figures(self, partner):
        self.env.cr.execute(
            "SELECT {} FROM crm_customer_insight WHERE partner_id = %s AND company_id = %s"
            .format(", ".join(insight_queries.RAW_COLUMNS)),  # pylint: disable=sql-injection
            (partner.commercial_partner_id.id, self.company.id))
        return self.env.cr.dictfetchone()

    def assertRecomputeChangesNothing(self, partner):
        refreshed = self._figures(partner)
        self.insight_model._recompute_company(self.company)
        self.assertEqual(refreshed, self._figures(partner))
        return refreshed

    def test_only_invoice_cancelled_leaves_no_figures(self):
        partner = self._customer("Cancelled Only")
        invoice = self._invoice(partner, self.today, quantity=10.0)
        figures = self.assertRecomputeChangesNothing(partner)
        self.assertEqual((figures["net_invoiced"], figures["invoice_count"],
                          figures["receivable_amount"]), (1000.0, 1, 1000.0))
        invoice.action_invoice_cancel()
        self.assertIsNone(self.assertRecomputeChangesNothing(partner))
        self.assertEqual(partner.rfm_monetary, 0.0)
        self.assertEqual(partner.receivable_amount, 0.0)

    def test_every_payment_event_refreshes_as_a_recompute(self):
        partner = self._customer("Paying")
        kept = self._invoice(partner, self.today, quantity=3.0)
        invoice = self._invoice(partner, self.today, quantity=10.0)
        payment = self._pay(invoice)
        self.assertEqual(self.assertRecomputeChangesNothing(partner)["receivable_amount"],
                         300.0)
        # unreconciled: the invoice is open again
        payment.move_line_ids.filtered(
            lambda line: line.account_id.internal_type == "receivable"
        ).remove_move_reconcile()
        self.assertRecomputeChangesNothing(partner)
        # the payment cancelled
        payment.cancel()
        self.assertEqual(self.assertRecomputeChangesNothing(partner)["receivable_amount"],
                         1300.0)
        # a credit note reconciled with the invoice
        refund = invoice.refund(description="Refund")
        refund.action_invoice_open()
        (invoice.move_id.line_ids | refund.move_id.line_ids).filtered(
            lambda line: line.account_id == invoice.account_id and not line.reconciled
        ).reconcile()
        figures = self.assertRecomputeChangesNothing(partner)
        self.assertEqual((figures["net_invoiced"], figures["receivable_amount"]),
                         (300.0, 300.0))
        # the first invoice cancelled, then set to draft and validated again
        kept.action_invoice_cancel()
        self.assertRecomputeChangesNothing(partner)
        kept.action_invoice_draft()
        # Odoo 11 leaves 'open' in the cache, which a new request would not see
        kept.invalidate_cache()
        kept.action_invoice_open()
        self.assertEqual(self.assertRecomputeChangesNothing(partner)["receivable_amount"],
                         300.0)

    def test_no_context_defers_the_refresh(self):
        partner = self._customer("Context Caller")
        self.env = self.env(context=dict(self.env.context, crm_ext_no_insight_refresh=True))
        self._invoice(partner.with_env(self.env), self.today, quantity=2.0)
        self.assertEqual(self.assertRecomputeChangesNothing(partner)["net_invoiced"], 200.0)
