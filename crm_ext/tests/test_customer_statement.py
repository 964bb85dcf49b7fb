"""The customer statement (issue 15): its figures from the journal items
accounting uses, as of its last day, its PDF, and who may print it.

The customer: an unpaid invoice of last year (400), this year an invoice
of 1,000 partly paid (300), an open credit note of 150 and an invoice of
250 due next month, paid after the statement's last day (30 June 2026)."""
from odoo.addons.base.ir.ir_qweb.qweb import QWebException
from odoo.exceptions import AccessError, UserError
from odoo.tests import common

from ..exceptions import StatementAccessError, StatementPeriodError
from ..tools import clock
from . import pdf as printing
from .test_customer_statement_common import NOW, PERIOD, StatementCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerStatement(StatementCase):

    # -- the figures -------------------------------------------------------

    def test_opening_balance(self):
        self.assertEqual(self._statement()["opening_balance"], 400.0)

    def test_lines_of_the_period(self):
        lines = self._statement()["lines"]
        self.assertEqual([(line["date"], line["kind"], line["debit"], line["credit"])
                          for line in lines], [
            ("2026-05-20", "invoice", 1000.0, 0.0),
            ("2026-06-01", "payment", 0.0, 300.0),
            ("2026-06-15", "credit_note", 0.0, 150.0),
            ("2026-06-25", "invoice", 250.0, 0.0),
        ])

    def test_running_balance(self):
        self.assertEqual([line["balance"] for line in self._statement()["lines"]],
                         [1400.0, 1100.0, 950.0, 1200.0])

    def test_documents_named(self):
        lines = self._statement()["lines"]
        self.assertEqual(
            [line["reference"] for line in lines],
            [self.invoice.number, self.payment.name, self.credit_note.number,
             self.later_invoice.number])
        self.assertEqual(lines[0]["entry"], self.invoice.move_id.name)
        self.assertEqual(lines[3]["date_maturity"], "2026-07-25")

    def test_closing_balance(self):
        self.assertEqual(self._statement()["closing_balance"], 1200.0)

    def test_closing_balance_is_the_ledger(self):
        """The closing balance is the sum of the balances of the same
        journal items, read through the ORM."""
        rows = self.env["account.move.line"].read_group([
            ("partner_id", "child_of", self.partner.id),
            ("account_id.internal_type", "=", "receivable"),
            ("move_id.state", "=", "posted"),
            ("company_id", "=", self.company.id),
            ("date", "<=", PERIOD[1]),
        ], ["balance"], [])
        self.assertAlmostEqual(self._statement()["closing_balance"], rows[0]["balance"])

    def test_aging_buckets(self):
        self.assertEqual(self._statement()["aging"], {
            "not_due": 250.0,        # due 25 July
            "days_1_30": -150.0,     # the open credit note, 15 days old
            "days_31_60": 700.0,     # due 20 May: 1,000 less 300 paid
            "days_61_90": 0.0,
            "days_over_90": 400.0,   # due 15 November 2025
        })

    def test_aging_adds_up_to_the_closing_balance(self):
        statement = self._statement()
        self.assertEqual(statement["aging_total"], statement["closing_balance"])

    def test_payment_after_the_last_day_leaves_the_invoice_open(self):
        """The invoice paid on 5 July is open in the aging of 30 June."""
        self.assertEqual(self.later_invoice.residual, 0.0)
        self.assertEqual(self._statement()["aging"]["not_due"], 250.0)

    def test_payment_within_the_period_settles_the_invoice(self):
        statement = self._statement(date_to="2026-07-31")
        self.assertEqual(statement["aging"]["not_due"], 0.0)
        self.assertEqual(statement["closing_balance"], 950.0)
        self.assertEqual(statement["lines"][-1]["reference"], self.later_payment.name)

    def test_history_invoice_not_on_the_statement(self):
        """An invoice booked as the purchase history import books it (the
        invoice and its lines on a clearing account that is not receivable,
        crm_churn_history_import_rows.py) is not on the statement."""
        clearing = self._account("STMT999", "Purchase History (before Odoo)",
                                 "account.data_account_type_current_assets")
        history = self._invoice(self.partner, "2026-02-01", price=5000.0, post=False)
        history.write({"account_id": clearing.id})
        history.invoice_line_ids.write({"account_id": clearing.id})
        history.action_invoice_open()
        statement = self._statement()
        self.assertEqual((len(statement["lines"]), statement["closing_balance"]), (4, 1200.0))

    def test_default_period_from_the_clock(self):
        with clock.frozen(self.env, NOW):
            values = self.report.sudo(self.accountant).get_report_values(self.partner.ids)
        statement = values["statements"][self.partner.id]
        self.assertEqual((statement["date_from"], statement["date_to"]), PERIOD)

    def test_contact_prints_its_company(self):
        values = self.report.sudo(self.accountant).get_report_values(
            self.contact.ids, data=dict(zip(("date_from", "date_to"), PERIOD)))
        self.assertEqual(values["docs"], self.partner)

    def test_period_backwards_refused(self):
        with self.assertRaises(StatementPeriodError):
            self.report.sudo(self.accountant).get_report_values(
                self.partner.ids, data={"date_from": "2026-06-30", "date_to": "2026-01-01"})

    def test_no_customer_refused(self):
        with self.assertRaises(UserError):
            self.report.sudo(self.accountant).get_report_values([])

    def test_partners_not_ids_refused(self):
        """The wizard's options as a caller over RPC may send them."""
        for partner_ids in ("1,2", [str(self.partner.id)], [True], {"id": 1}):
            with self.assertRaises(UserError) as caught:
                self.report.sudo(self.accountant).get_report_values(
                    [], data={"partner_ids": partner_ids})
            self.assertIn("Choose the customers", caught.exception.name)

    def test_not_a_date_refused(self):
        with self.assertRaises(StatementPeriodError):
            self.report.sudo(self.accountant).get_report_values(
                self.partner.ids, data={"date_from": "2026-13-45"})

    # -- the wizard --------------------------------------------------------

    def test_wizard_defaults(self):
        with clock.frozen(self.env, NOW):
            wizard = self.env["crm.customer.statement.wizard"].sudo(self.accountant).with_context(
                active_model="res.partner", active_id=self.partner.id).create({})
        self.assertEqual((wizard.partner_id, wizard.company_id), (self.partner, self.company))
        self.assertEqual((wizard.date_from, wizard.date_to), PERIOD)

    def test_wizard_prints_its_period(self):
        wizard = self.env["crm.customer.statement.wizard"].sudo(self.accountant).create({
            "partner_id": self.partner.id, "date_from": "2026-03-01",
            "date_to": "2026-06-30"})
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "crm_ext.customer_statement")
        self.assertEqual(action["data"], {
            "partner_ids": self.partner.ids, "date_from": "2026-03-01",
            "date_to": "2026-06-30", "company_id": self.company.id})

    def test_wizard_options_print_without_ids(self):
        """The web client prints a report with options without its ids:
        they are in the options."""
        wizard = self.env["crm.customer.statement.wizard"].sudo(self.accountant).create({
            "partner_id": self.partner.id})
        values = self.report.sudo(self.accountant).get_report_values(
            [], data=wizard.action_print()["data"])
        self.assertEqual(values["docs"], self.partner)

    # -- the PDF -----------------------------------------------------------

    def _text(self, user):
        missing = printing.wkhtmltopdf_missing(self.env)
        if missing:
            self.skipTest(missing)
        printing.use_no_assets_server(self.env)
        return printing.render_text(self.pdf_report.sudo(user), self.partner,
                                    data=dict(zip(("date_from", "date_to"), PERIOD)))

    def test_pdf_renders(self):
        missing = printing.wkhtmltopdf_missing(self.env)
        if missing:
            self.skipTest(missing)
        printing.use_no_assets_server(self.env)
        pdf = printing.render_pdf(self.pdf_report.sudo(self.accountant), self.partner)
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_pdf_shows_customer_and_closing_balance(self):
        text = self._text(self.accountant)
        self.assertIn("Statement Customer Ltd", text)
        self.assertIn("Closing balance", text)
        self.assertIn("1,200.00", text)
        self.assertIn(self.invoice.number, text)

    def test_pdf_shows_aging_buckets(self):
        text = self._text(self.accountant)
        for label in ("Not due", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"):
            self.assertIn(label, text)

    def test_sales_manager_prints(self):
        self.assertIn("Statement Customer Ltd", self._text(self.sales_manager))

    # -- who may print -----------------------------------------------------

    def test_salesman_refused(self):
        with self.assertRaises(StatementAccessError):
            self.report.sudo(self.salesman).get_report_values(self.partner.ids)

    def test_portal_refused(self):
        with self.assertRaises(StatementAccessError):
            self.report.sudo(self.portal).get_report_values(self.partner.ids)

    def test_other_company_refused(self):
        with self.assertRaises(StatementAccessError):
            self.report.sudo(self.other_manager).get_report_values(
                self.partner.ids, data={"company_id": self.company.id})

    def test_other_company_lines_hidden(self):
        """In their own company, the statement of the main company's
        customer shows none of the main company's journal items."""
        values = self.report.sudo(self.other_manager).get_report_values(self.partner.ids)
        statement = values["statements"][self.partner.id]
        self.assertEqual((statement["lines"], statement["closing_balance"]), ([], 0.0))

    def test_wizard_refused_to_salesman(self):
        wizard = self.env["crm.customer.statement.wizard"].sudo(self.salesman).create({
            "partner_id": self.partner.id})
        with self.assertRaises(StatementAccessError):
            wizard.action_print()

    def test_pdf_refused_to_salesman(self):
        missing = printing.wkhtmltopdf_missing(self.env)
        if missing:
            self.skipTest(missing)
        with self.assertRaises((AccessError, QWebException)):
            printing.render_pdf(self.pdf_report.sudo(self.salesman), self.partner)

    def test_print_menu_of_readers(self):
        self.assertIn(self.pdf_report.id,
                      printing.print_menu(self.env(user=self.accountant), "res.partner"))

    def test_print_menu_hidden_from_salesman(self):
        self.assertNotIn(self.pdf_report.id,
                         printing.print_menu(self.env(user=self.salesman), "res.partner"))
