"""PDF that prints (issue 15): Odoo's own invoice and the loyalty card come
out of wkhtmltopdf as real PDF documents, for the users who may read them."""
import io

from PyPDF2 import PdfFileReader

from odoo.addons.base.ir.ir_qweb.qweb import QWebException
from odoo.exceptions import AccessError
from odoo.tests import common

from . import pdf as printing
from .test_loyalty_common import LoyaltyCase

# ID-1 card (85.6 x 54 mm) as wkhtmltopdf sizes pages: whole millimetres,
# in PostScript points
CARD_WIDTH_PT = 86 / 25.4 * 72
CARD_HEIGHT_PT = 54 / 25.4 * 72


@common.at_install(False)
@common.post_install(True)
class TestReportPdf(LoyaltyCase):
    """The reports are rendered as the web client prints them: QWeb HTML,
    then wkhtmltopdf (Odoo's test mode otherwise stops at the HTML)."""

    @classmethod
    def setUpClass(cls):
        super(TestReportPdf, cls).setUpClass()
        printing.use_no_assets_server(cls.env)
        cls.card_report = cls.env.ref("crm_ext.crm_loyalty_member_card_report")
        cls.customer = cls._customer("Ada Cardholder", user_id=cls.salesman.id)
        cls.member = cls._enrol(cls.customer)
        cls.member.write({"tier_id": cls.tier_gold.id})
        cls._give(cls.member, 1500.0)
        cls.other_customer = cls._customer("Grace Elsewhere", user_id=cls.other_salesman.id)
        cls.other_member = cls._enrol(cls.other_customer)
        cls.employee = cls._user("pdf_employee", "base.group_user")

    def setUp(self):
        super(TestReportPdf, self).setUp()
        missing = printing.wkhtmltopdf_missing(self.env)
        if missing:
            self.skipTest(missing)

    def _pdf(self, report, records, user=None):
        """The PDF of ``report`` for ``records`` as ``user`` prints it."""
        return printing.render_pdf(report.sudo(user) if user else report, records)

    def _text(self, report, records, user=None):
        """The text of the printed report (tests/pdf.py)."""
        return printing.render_text(report.sudo(user) if user else report, records)

    def _pages(self, pdf):
        """The pages of ``pdf``, as (width, height) in points."""
        reader = PdfFileReader(io.BytesIO(pdf))
        return [(float(page.mediaBox.getWidth()), float(page.mediaBox.getHeight()))
                for page in (reader.getPage(number) for number in range(reader.getNumPages()))]

    def assertRefused(self, records, user):
        """Printing ``records`` as ``user`` fails on the access rights
        (QWeb reports the AccessError its rendering met)."""
        with self.assertRaises((AccessError, QWebException)) as caught:
            self._pdf(self.card_report, records, user=user)
        self.assertIsInstance(getattr(caught.exception, "error", caught.exception), AccessError)

    def test_invoice_prints(self):
        invoice = self._sell(self.customer, 1234.0)
        pdf = self._pdf(self.env.ref("account.account_invoices"), invoice)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)

    def test_invoices_print_together(self):
        invoices = self._sell(self.customer, 1234.0) | self._sell(self.customer, 567.0)
        pdf = self._pdf(self.env.ref("account.account_invoices"), invoices)
        self.assertEqual(len(self._pages(pdf)), 2)

    def test_invoice_shows_number(self):
        invoice = self._sell(self.customer, 1234.0)
        text = self._text(self.env.ref("account.account_invoices"), invoice)
        self.assertIn(invoice.number, text)
        self.assertIn("1,234.00", text)

    def test_card_is_a_pdf(self):
        pdf = self._pdf(self.card_report, self.member)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 3000)

    def test_card_shows_member(self):
        text = self._text(self.card_report, self.member)
        self.assertIn("Ada Cardholder", text)
        self.assertIn("Gold", text)
        self.assertIn("Test Loyalty", text)
        self.assertIn(self.member.card_number, text)

    def test_card_shows_balance(self):
        text = self._text(self.card_report, self.member)
        # 1,500 points at 0.01 each
        self.assertIn("1,500 points", text)
        self.assertIn("15.00", text)

    def test_card_barcode(self):
        html = self.card_report.render_qweb_html(self.member.ids)[0].decode("utf-8")
        self.assertIn("/report/barcode/?type=Code128&amp;value=%s&amp;" % self.member.card_number,
                      html)

    def test_card_page_size(self):
        (width, height), = self._pages(self._pdf(self.card_report, self.member))
        self.assertAlmostEqual(width, CARD_WIDTH_PT, delta=1.0)
        self.assertAlmostEqual(height, CARD_HEIGHT_PT, delta=1.0)

    def test_one_card_per_member(self):
        pdf = self._pdf(self.card_report, self.member | self.other_member)
        self.assertEqual(len(self._pages(pdf)), 2)

    def test_salesman_prints_own_customer(self):
        text = self._text(self.card_report, self.member, user=self.salesman)
        self.assertIn("Ada Cardholder", text)

    def test_salesman_other_customer_refused(self):
        self.assertRefused(self.other_member, self.salesman)

    def test_accountant_prints(self):
        text = self._text(self.card_report, self.other_member, user=self.accountant)
        self.assertIn("Grace Elsewhere", text)

    def test_employee_refused(self):
        self.assertRefused(self.member, self.employee)

    def test_print_menu_of_readers(self):
        self.assertIn(self.card_report.id,
                      printing.print_menu(self.env(user=self.salesman), "crm.loyalty.member"))

    def test_print_menu_hidden_from_others(self):
        self.assertNotIn(self.card_report.id,
                         printing.print_menu(self.env(user=self.employee), "crm.loyalty.member"))
