# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.addons import decimal_precision as dp


class CrmComplaintCreditNoteWizardLine(models.TransientModel):
    """A line of the invoice and the quantity of it to credit."""

    _name = "crm.complaint.credit.note.wizard.line"
    _description = "Complaint Credit Note Line"

    wizard_id = fields.Many2one(
        "crm.complaint.credit.note.wizard", required=True, ondelete="cascade")
    invoice_line_id = fields.Many2one(
        "account.invoice.line", required=True, ondelete="cascade")
    product_id = fields.Many2one(related="invoice_line_id.product_id", readonly=True)
    name = fields.Text(related="invoice_line_id.name", readonly=True)
    invoiced_quantity = fields.Float(
        related="invoice_line_id.quantity", readonly=True,
        digits=dp.get_precision("Product Unit of Measure"))
    price_unit = fields.Float(related="invoice_line_id.price_unit", readonly=True)
    credited_quantity = fields.Float(
        "Already Credited", compute="_compute_credited_quantity",
        digits=dp.get_precision("Product Unit of Measure"),
        help="Credited by the credit notes of the invoice, drafts included, whoever made "
             "them (cancelled ones aside).")
    quantity = fields.Float(
        "Quantity to Credit", digits=dp.get_precision("Product Unit of Measure"),
        help="At most what no credit note of the invoice credits yet.")

    @api.depends("invoice_line_id")
    def _compute_credited_quantity(self):
        for line in self:
            line.credited_quantity = 0.0
        for invoice in self.mapped("invoice_line_id.invoice_id"):
            credited = invoice._credit_left()
            for line in self.filtered(lambda line: line.invoice_line_id.invoice_id == invoice):
                line.credited_quantity = credited[line.invoice_line_id][0]
