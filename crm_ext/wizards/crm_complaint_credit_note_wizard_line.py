# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
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
    quantity = fields.Float(
        "Quantity to Credit", digits=dp.get_precision("Product Unit of Measure"))
