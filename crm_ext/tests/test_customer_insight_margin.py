from odoo.tests import common

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightMargin(InsightCase):
    """Margins, discounts and the marketing cost, checked against the
    invoice lines and journal items themselves."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightMargin, cls).setUpClass()
        cls.buyer = cls._customer("Margin Buyer")
        cls.invoice = cls._invoice(cls.buyer, "2026-05-01", quantity=4, price=100.0,
                                   discount=25.0)
        cls.refund = cls._invoice(cls.buyer, "2026-05-20", quantity=1, price=75.0,
                                  invoice_type="out_refund")
        cls.expense_account = cls.env["account.account"].create({
            "code": "6603CRM", "name": "Financial expenses (test)",
            "user_type_id": cls.env.ref("account.data_account_type_expenses").id,
            "company_id": cls.company.id})

    def test_cost_is_kept_on_the_invoice_at_validation(self):
        self.assertAlmostEqual(self.invoice.insight_cost_signed, 4 * 60.0)
        self.assertAlmostEqual(self.invoice.insight_discount_signed, 100.0)
        self.assertAlmostEqual(self.refund.insight_cost_signed, -60.0, msg="refunds negative")

    def test_margin_is_at_the_cost_of_the_day(self):
        self.product.standard_price = 90.0
        later = self._invoice(self.buyer, "2026-06-10", quantity=1, price=100.0)
        self._recompute()
        insight = self._insight(self.buyer)
        # 300 - 240, refund -75 + 60, later 100 - 90 (the old invoices keep their cost)
        self.assertAlmostEqual(later.insight_cost_signed, 90.0)
        self.assertAlmostEqual(insight.gross_margin, 60.0 - 15.0 + 10.0)
        self.assertAlmostEqual(insight.discount_amount, 100.0)

    def test_cancelled_and_revalidated_invoice_takes_the_new_cost(self):
        self.invoice.journal_id.update_posted = True
        self.invoice.action_invoice_cancel()
        self.invoice.action_invoice_draft()
        # Odoo 11's action_invoice_draft leaves 'open' in the cache (its
        # do_in_draft for the printed invoice); the web client re-reads
        self.invoice.invalidate_cache()
        self.product.standard_price = 50.0
        self.invoice.action_invoice_open()
        self.assertAlmostEqual(self.invoice.insight_cost_signed, 4 * 50.0)

    def test_financial_expenses_count_in_the_marketing_cost(self):
        self.company.insight_financial_account_ids = self.expense_account
        move = self.env["account.move"].create({
            "journal_id": self.bank_journal.id, "date": "2026-06-01",
            "line_ids": [
                (0, 0, {"name": "Bank charges", "account_id": self.expense_account.id,
                        "partner_id": self.buyer.id, "debit": 12.5, "credit": 0.0}),
                (0, 0, {"name": "Bank charges",
                        "account_id": self.bank_journal.default_credit_account_id.id,
                        "debit": 0.0, "credit": 12.5}),
            ]})
        self._recompute()
        self.assertAlmostEqual(self._insight(self.buyer).financial_expense, 0.0,
                               msg="a draft entry is no expense yet")
        move.post()
        self._recompute()
        insight = self._insight(self.buyer)
        self.assertAlmostEqual(insight.financial_expense, 12.5)
        self.assertAlmostEqual(insight.marketing_cost, 100.0 + 12.5)
        self.company.insight_financial_account_ids = False
        self._recompute()
        self.assertAlmostEqual(self._insight(self.buyer).financial_expense, 0.0)

    def test_margins_match_an_independent_computation_from_the_lines(self):
        """Every customer invoiced in the company currency only, demo
        customers included: margin and discounts from the lines and the
        products' costs (unchanged since the invoices were validated)."""
        self._recompute()
        self.env.cr.execute("""
            SELECT inv.commercial_partner_id,
                   SUM(line.price_subtotal_signed
                       - CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END
                         * line.quantity * COALESCE(prop.value_float, 0)),
                   SUM(CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END
                       * line.price_unit * line.quantity * line.discount / 100.0)
              FROM account_invoice_line line
              JOIN account_invoice inv ON inv.id = line.invoice_id
              LEFT JOIN ir_property prop
                ON prop.res_id = 'product.product,' || line.product_id
               AND prop.name = 'standard_price' AND prop.company_id = inv.company_id
             WHERE inv.company_id = %s AND inv.state IN ('open', 'paid')
               AND inv.type IN ('out_invoice', 'out_refund')
               AND inv.date_invoice BETWEEN %s::date - 364 AND %s
             GROUP BY inv.commercial_partner_id
            HAVING BOOL_AND(inv.currency_id = %s)""",
                            (self.company.id, self.TODAY, self.TODAY,
                             self.company.currency_id.id))
        rows = self.env.cr.fetchall()
        self.assertIn(self.buyer.id, [row[0] for row in rows])
        for partner_id, margin, discount in rows:
            insight = self.insight_model.search([
                ("partner_id", "=", partner_id), ("company_id", "=", self.company.id)])
            self.assertAlmostEqual(insight.gross_margin, float(margin), places=2)
            self.assertAlmostEqual(insight.discount_amount, float(discount), places=2)
