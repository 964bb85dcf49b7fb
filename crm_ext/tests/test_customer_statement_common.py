"""Fixtures of the customer statement tests (its PDF and its workbook):
a customer with an unpaid invoice of last year (400), this year an invoice
of 1,000 partly paid (300), an open credit note of 150 and an invoice of
250 due next month, paid after the statement's last day (30 June 2026).
No test here."""
from .test_loyalty_common import LoyaltyCase

NOW = "2026-06-30 12:00:00"
PERIOD = ("2026-01-01", "2026-06-30")


class StatementCase(LoyaltyCase):
    """The statement's customer, its contact, their documents, and the
    users who may or may not print it (with LoyaltyCase's accountant and
    salesman)."""

    @classmethod
    def setUpClass(cls):
        super(StatementCase, cls).setUpClass()
        cls.report = cls.env["report.crm_ext.customer_statement"]
        cls.pdf_report = cls.env.ref("crm_ext.customer_statement_report")
        cls.partner = cls._customer("Statement Customer Ltd")
        cls.contact = cls.env["res.partner"].create({
            "name": "Ann Buyer", "parent_id": cls.partner.id, "type": "invoice"})
        cls.old_invoice = cls._invoice(cls.partner, "2025-11-15", price=400.0)
        cls.invoice = cls._invoice(cls.contact, "2026-05-20", price=1000.0)
        cls.payment = cls._pay(cls.invoice, amount=300.0, date="2026-06-01")
        cls.credit_note = cls._invoice(cls.partner, "2026-06-15", price=150.0,
                                       invoice_type="out_refund")
        cls.later_invoice = cls._invoice(cls.partner, "2026-06-25", price=250.0, post=False)
        cls.later_invoice.write({"date_due": "2026-07-25"})
        cls.later_invoice.action_invoice_open()
        cls.later_payment = cls._pay(cls.later_invoice, date="2026-07-05")
        # not on the statement: a draft invoice, and another customer's
        cls._invoice(cls.partner, "2026-06-20", price=999.0, post=False)
        cls._invoice(cls._customer("Someone Else"), "2026-06-20", price=777.0)
        cls.sales_manager = cls._user("stmt_sales_manager", "sales_team.group_sale_manager")
        cls.portal = cls._user("stmt_portal", "base.group_portal")
        other_company = cls.env["res.company"].create({"name": "Statement Other Company"})
        cls.other_manager = cls._user("stmt_other_manager", "sales_team.group_sale_manager")
        cls.other_manager.write({"company_ids": [(6, 0, other_company.ids)],
                                 "company_id": other_company.id})

    def _statement(self, date_from=PERIOD[0], date_to=PERIOD[1]):
        return self.report._statement(self.partner, date_from, date_to, self.company)
