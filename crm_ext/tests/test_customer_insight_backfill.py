from odoo.tests import common

from odoo.addons.crm_ext import hooks

from .common import InsightCase

FIGURES = ("insight_net_signed", "insight_cost_signed", "insight_discount_signed")


@common.at_install(False)
@common.post_install(True)
class TestInsightBackfill(InsightCase):
    """The figures of the invoices validated before crm_ext: filled by the
    install hook, only where they are missing, so that it can run again."""

    @classmethod
    def setUpClass(cls):
        super(TestInsightBackfill, cls).setUpClass()
        cls.buyer = cls._customer("Backfilled Buyer")
        cls.invoices = (
            cls._invoice(cls.buyer, "2026-05-01", quantity=4, price=100.0, discount=25.0)
            | cls._invoice(cls.buyer, "2026-05-10", quantity=2, price=50.0)
            | cls._invoice(cls.buyer, "2026-05-20", quantity=1, price=75.0,
                           invoice_type="out_refund"))
        cls.draft = cls._invoice(cls.buyer, "2026-05-25", post=False)

    def _figures(self, invoices):
        invoices.invalidate_cache(list(FIGURES))
        return {invoice.id: tuple(invoice[name] for name in FIGURES) for invoice in invoices}

    def _forget(self, invoices, columns=FIGURES):
        """The figures of ``invoices`` as a version without them left them."""
        self.env.cr.execute(
            "UPDATE account_invoice SET {} WHERE id IN %s".format(  # pylint: disable=sql-injection
                ", ".join("%s = NULL" % column for column in columns)),
            (tuple(invoices.ids),))
        invoices.invalidate_cache(list(FIGURES))

    def _all_figures(self):
        self.env.cr.execute("SELECT id, {}, write_date FROM account_invoice ORDER BY id".format(
            ", ".join(FIGURES)))  # pylint: disable=sql-injection
        return self.env.cr.fetchall()

    def test_hook_fills_the_invoices_without_figures(self):
        validated = self._figures(self.invoices)
        self.assertEqual(validated[self.invoices[0].id], (300.0, 240.0, 100.0))
        self._forget(self.invoices)
        hooks.post_init_hook(self.env.cr, self.env.registry)
        self.assertEqual(self._figures(self.invoices), validated)

    def test_hook_leaves_drafts_without_figures(self):
        hooks.post_init_hook(self.env.cr, self.env.registry)
        self.assertEqual(self._figures(self.draft), {self.draft.id: (0.0, 0.0, 0.0)})
        self.env.cr.execute("SELECT insight_cost_signed FROM account_invoice WHERE id = %s",
                            (self.draft.id,))
        self.assertIsNone(self.env.cr.fetchone()[0])

    def test_hook_run_again_changes_nothing(self):
        self._forget(self.invoices)
        hooks.post_init_hook(self.env.cr, self.env.registry)
        before = self._all_figures()
        hooks.post_init_hook(self.env.cr, self.env.registry)
        self.assertEqual(self._all_figures(), before)
        self.assertEqual(self.env["account.invoice"]._backfill_insight_figures(), 0)

    def test_existing_figures_keep_the_cost_of_their_day(self):
        validated = self._figures(self.invoices)
        self.product.standard_price = 90.0
        # a version that kept the costs and discounts but not the net amount
        self._forget(self.invoices, ["insight_net_signed"])
        hooks.post_init_hook(self.env.cr, self.env.registry)
        self.assertEqual(self._figures(self.invoices), validated)

    def test_backfill_in_batches(self):
        validated = self._figures(self.invoices)
        self._forget(self.invoices)
        invoices = self.env["account.invoice"]
        self.assertEqual(invoices._backfill_insight_figures(batch_size=1), len(self.invoices))
        self.assertEqual(self._figures(self.invoices), validated)
