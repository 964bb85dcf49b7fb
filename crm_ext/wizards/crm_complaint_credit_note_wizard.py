# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero

from ..exceptions import CreditOverLeftError


class CrmComplaintCreditNoteWizard(models.TransientModel):
    """A draft credit note of the complaint's invoice: all of it, or the
    chosen lines and quantities."""

    _name = "crm.complaint.credit.note.wizard"
    _description = "Complaint Credit Note"

    complaint_id = fields.Many2one("crm.complaint", required=True, ondelete="cascade")
    invoice_id = fields.Many2one(related="complaint_id.invoice_id", readonly=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id", readonly=True)
    refund_mode = fields.Selection(
        [("full", "Whole invoice"), ("lines", "Chosen lines and quantities")],
        "Credit", required=True, default=lambda self: self._default_refund_mode(),
        help="The whole invoice is credited once, when no credit note credits any of it; "
             "otherwise the chosen quantities of what is not credited yet.")
    description = fields.Char(
        "Reason", required=True, default=lambda self: self._default_description())
    date_invoice = fields.Date(
        "Credit Note Date", required=True, default=fields.Date.context_today)
    line_ids = fields.One2many(
        "crm.complaint.credit.note.wizard.line", "wizard_id", "Lines",
        default=lambda self: self._default_line_ids())

    def _default_complaint(self):
        return self.env["crm.complaint"].browse(self.env.context.get("default_complaint_id"))

    def _default_description(self):
        complaint = self._default_complaint()
        return _("Complaint %s") % complaint.name if complaint else False

    def _default_refund_mode(self):
        invoice = self._default_complaint().invoice_id
        return "lines" if invoice and invoice._counted_refunds() else "full"

    def _default_line_ids(self):
        """A line per invoice line, proposing what is not credited yet; with
        what the form shows of it (the web client shows the values given
        here, not the related fields of a line it has not saved)."""
        invoice = self._default_complaint().invoice_id
        if not invoice:
            return []
        left = invoice._credit_left()
        return [(0, 0, {
            "invoice_line_id": line.id,
            "product_id": line.product_id.id,
            "name": line.name,
            "price_unit": line.price_unit,
            "invoiced_quantity": line.quantity,
            "credited_quantity": left[line][0],
            "quantity": left[line][1],
        }) for line in invoice.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))]

    @api.multi
    def action_create(self):
        """Create the draft credit note, linked to the complaint, and open it
        (returns its window action, a dict).  Each call creates another
        credit note, up to what is left to credit.

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: the invoice cannot be credited (see
            ``crm.complaint._check_refundable_invoice``), the whole invoice
            asked when part of it is credited, or bad quantities
            (:class:`CreditOverLeftError` beyond what is left).
        :raises CreditOverLineError, CreditOverInvoiceError: (both
            ValidationError) the credit notes would credit more than sold.
        """
        self.ensure_one()
        refund = self._create_refund()
        self.complaint_id.message_post(
            body=_("Draft credit note of %(amount)s %(currency)s created from %(invoice)s.") % {
                "amount": refund.amount_total, "currency": refund.currency_id.name,
                "invoice": self.invoice_id.number},
            subtype="mail.mt_note")
        return {
            "name": _("Credit Note"),
            "type": "ir.actions.act_window",
            "res_model": "account.invoice",
            "res_id": refund.id,
            "view_mode": "form",
            "views": [(self.env.ref("account.invoice_form").id, "form")],
            "target": "current",
        }

    def _create_refund(self):
        complaint = self.complaint_id
        complaint._check_caller_may_resolve()
        invoice = complaint._check_refundable_invoice()
        invoices = self.env["account.invoice"]
        values = invoices._prepare_refund(
            invoice, date_invoice=self.date_invoice, description=self.description,
            journal_id=invoice.journal_id.id)
        values["complaint_id"] = complaint.id
        if self.refund_mode == "full":
            self._check_nothing_credited(invoice)
        else:
            values["invoice_line_ids"] = self._chosen_lines(invoice)
            values["tax_line_ids"] = []
        refund = invoices.create(values)
        # Odoo copies the invoice's due date: the draft is due on its own
        # date at the earliest, as its validation would set it
        refund.action_date_assign()
        if self.refund_mode == "lines":
            refund.compute_taxes()
        refund.message_post(body=_("Credit note of %(invoice)s for complaint %(complaint)s.") % {
            "invoice": invoice.number, "complaint": complaint.name})
        return refund

    def _check_nothing_credited(self, invoice):
        refunds = invoice._counted_refunds()
        if refunds:
            raise UserError(_(
                "%(invoice)s is credited already, in part or in full (%(refunds)s): credit "
                "the chosen lines and quantities of what is left.") % {
                    "invoice": invoice.number,
                    "refunds": ", ".join(refund.number or refund.display_name
                                         for refund in refunds)})

    def _chosen_lines(self, invoice):
        """Line values of the credit note: the chosen quantities, each up to
        what no credit note credits yet (the other lines are left out); bad
        quantities raise before anything is written."""
        lines = []
        left = invoice._credit_left()
        for line in self.line_ids:
            invoice_line = line.invoice_line_id
            precision = invoice_line.uom_id.rounding or 0.01
            if invoice_line.invoice_id != invoice:
                raise UserError(_("%s is not a line of the complaint's invoice.")
                                % invoice_line.name)
            if float_compare(line.quantity, 0.0, precision_rounding=precision) < 0:
                raise UserError(_("The quantity to credit of %s cannot be negative.")
                                % invoice_line.name)
            if float_compare(line.quantity, left[invoice_line][1],
                             precision_rounding=precision) > 0:
                raise CreditOverLeftError(invoice_line, line.quantity, left[invoice_line][1])
            if float_is_zero(line.quantity, precision_rounding=precision):
                continue
            command = invoice._refund_cleanup_lines(invoice_line)[0]
            command[2]["quantity"] = line.quantity
            lines.append(command)
        if not lines:
            raise UserError(_("Choose at least one line and a quantity to credit."))
        return lines
