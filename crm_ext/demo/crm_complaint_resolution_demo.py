# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

RESOLUTIONS = [
    # (resolution type, text, stars, comment, act)
    ("refund", "A credit note for the damaged unit was issued; the rest of the order was "
               "kept.\nThe carrier was informed about the packaging.", 4,
     "Fair, but it took a while.", "credit_note"),
    ("replacement", "The defective units were taken back and replaced the same week.", 5,
     "Very quick, thank you!", "return"),
    ("compensation", "Compensation points were added to the customer's loyalty card for the "
                     "late delivery.", 2, "Points are nice, but the delivery was still late.",
     "points"),
]


class CrmComplaintResolutionDemo(models.AbstractModel):
    """Demo complaints resolved through real documents: a partial credit
    note, a return of a delivery, compensation points; rated by the
    customers, published as solutions, and an open complaint of the same
    category that gets them suggested."""

    _name = "crm.complaint.resolution.demo"
    _description = "Complaint Resolutions Demo Data"

    @api.model
    def _generate(self):
        env = self.with_context(tracking_disable=True, mail_create_nolog=True,
                                mail_notrack=True, mail_create_nosubscribe=True).env
        company = env.user.company_id
        invoices = env["account.invoice"].search([
            ("type", "=", "out_invoice"), ("state", "in", ("open", "paid")),
            ("company_id", "=", company.id)], order="date_invoice desc, id desc", limit=3)
        if len(invoices) < 3:
            _logger.info("Fewer than 3 customer invoices: no demo complaint resolutions.")
            return False
        category = self._demo_category(env, company)
        stage_resolved = env.ref("crm_ext.crm_complaint_stage_resolved")
        stage_closed = env.ref("crm_ext.crm_complaint_stage_closed")
        for invoice, (kind, text, stars, comment, act) in zip(invoices, RESOLUTIONS):
            complaint = env["crm.complaint"].create({
                "partner_id": invoice.commercial_partner_id.id, "channel": "email",
                "category_id": category.id, "severity": "normal", "company_id": company.id,
                "invoice_id": invoice.id,
                "product_id": invoice.invoice_line_ids[:1].product_id.id,
                "description": "<p>The goods of %s did not meet expectations.</p>"
                               % invoice.number,
            })
            self._demo_act(env, complaint, invoice, act)
            complaint.write({"stage_id": stage_resolved.id, "resolution_type": kind,
                             "resolution": text})
            complaint._rate(stars, feedback=comment)
            complaint._publish_solution()
            complaint.write({"stage_id": stage_closed.id})
        env["crm.complaint"].create({
            "partner_id": invoices[0].commercial_partner_id.id, "channel": "phone",
            "category_id": category.id, "severity": "high", "company_id": company.id,
            "description": "<p>Another damaged parcel.</p>",
        })
        return True

    @api.model
    def _demo_category(self, env, company):
        category = env["crm.complaint.category"].search(
            [("company_id", "in", (company.id, False))], limit=1)
        return category or env["crm.complaint.category"].create(
            {"name": "Damaged Goods", "company_id": company.id})

    @api.model
    def _demo_act(self, env, complaint, invoice, act):
        if act == "credit_note":
            wizard = env["crm.complaint.credit.note.wizard"].with_context(
                default_complaint_id=complaint.id).create({"refund_mode": "lines"})
            wizard.line_ids[1:].write({"quantity": 0.0})
            wizard.line_ids[:1].write({"quantity": min(1.0, wizard.line_ids[:1].quantity)})
            wizard.action_create()
        elif act == "return":
            complaint.picking_id = self._demo_delivery(env, invoice)
            action = complaint.action_create_return()
            wizard = env["stock.return.picking"].with_context(**action["context"]).create({})
            returned = env["stock.picking"].browse(wizard.create_returns()["res_id"])
            self._demo_validate(returned)
        elif act == "points" and env["crm.loyalty.program"]._active_program(
                complaint.company_id):
            env["crm.complaint.compensation.wizard"].create(
                {"complaint_id": complaint.id, "points": 500.0}).action_apply()

    @api.model
    def _demo_delivery(self, env, invoice):
        """A done delivery of the invoice's (stockable or consumable) goods."""
        picking_type = env.ref("stock.picking_type_out")
        source = picking_type.default_location_src_id
        customers = env.ref("stock.stock_location_customers")
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.product_id.type in ("product", "consu"))[:2]
        picking = env["stock.picking"].create({
            "partner_id": invoice.partner_id.id, "picking_type_id": picking_type.id,
            "location_id": source.id, "location_dest_id": customers.id, "origin": invoice.number,
            "move_lines": [(0, 0, {
                "name": line.product_id.name, "product_id": line.product_id.id,
                "product_uom_qty": line.quantity, "product_uom": line.product_id.uom_id.id,
                "location_id": source.id, "location_dest_id": customers.id,
            }) for line in lines],
        })
        picking.action_confirm()
        self._demo_validate(picking)
        return picking

    @api.model
    def _demo_validate(self, picking):
        picking.action_assign()
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        picking.action_done()
