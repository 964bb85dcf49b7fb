from odoo import fields

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintCreditNoteDate(ComplaintResolutionCase):
    """The draft credit note of a complaint is not due before its own date
    (Odoo copies the due date of the invoice it credits)."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintCreditNoteDate, cls).setUpClass()
        cls.old_invoice = cls._invoice(cls.customer, cls._date(months=-3))

    def _credit_note(self, invoice):
        complaint = self._complaint(invoice_id=invoice.id)
        wizard = self.env["crm.complaint.credit.note.wizard"].sudo(self.officer).with_context(
            default_complaint_id=complaint.id).create({})
        return self.env["account.invoice"].browse(wizard.action_create()["res_id"])

    def test_due_on_its_own_date(self):
        refund = self._credit_note(self.old_invoice)
        # the wizard's date is the officer's today, in the officer's time zone
        officer_today = fields.Date.context_today(refund.sudo(self.officer))
        self.assertEqual(refund.date_invoice, officer_today)
        self.assertEqual(refund.date_due, officer_today)
