"""Fixtures of the complaint resolution tests: the loyalty program of the
loyalty tests, a complaint officer who is also an inventory user, a customer
with a two-line invoice and a done delivery, and complaint categories.  No
test here: the test_complaint_* files of the resolutions use them."""
from .test_loyalty_common import LoyaltyCase


class ComplaintResolutionCase(LoyaltyCase):

    @classmethod
    def setUpClass(cls):
        super(ComplaintResolutionCase, cls).setUpClass()
        cls.complaint_model = cls.env["crm.complaint"]
        cls.stage_new = cls.env.ref("crm_ext.crm_complaint_stage_new")
        cls.stage_progress = cls.env.ref("crm_ext.crm_complaint_stage_in_progress")
        cls.stage_resolved = cls.env.ref("crm_ext.crm_complaint_stage_resolved")
        cls.stage_closed = cls.env.ref("crm_ext.crm_complaint_stage_closed")
        cls.officer = cls._user("complaint_officer", "crm_ext.crm_complaint_group_officer",
                                "stock.group_stock_user")
        cls.category_product = cls.env["crm.complaint.category"].create(
            {"name": "Product (test)", "company_id": cls.company.id})
        cls.category_defect = cls.env["crm.complaint.category"].create(
            {"name": "Defect (test)", "parent_id": cls.category_product.id,
             "company_id": cls.company.id})
        cls.category_billing = cls.env["crm.complaint.category"].create(
            {"name": "Billing (test)", "company_id": cls.company.id})
        cls.customer = cls._customer("Complaining Customer", email="customer@example.com")
        cls.contact = cls.env["res.partner"].create({
            "name": "Complaining Contact", "parent_id": cls.customer.id,
            "email": "contact@example.com"})
        cls.gadget = cls.env["product.product"].create({
            "name": "Complaint Gadget", "type": "consu", "list_price": 50.0,
            "standard_price": 20.0})
        cls.invoice = cls._two_line_invoice(cls.customer)
        cls.delivery = cls._delivery(cls.customer, {cls.product: 3.0, cls.gadget: 2.0})

    @classmethod
    def _two_line_invoice(cls, partner):
        """3 x product at 100 and 2 x gadget at 50 (no tax), validated."""
        invoice = cls.env["account.invoice"].create({
            "partner_id": partner.id,
            "type": "out_invoice",
            "date_invoice": cls.today,
            "journal_id": cls.sale_journal.id,
            "invoice_line_ids": [
                (0, 0, {"product_id": cls.product.id, "name": "Insight Widget",
                        "quantity": 3.0, "price_unit": 100.0,
                        "account_id": cls.income_account.id,
                        "invoice_line_tax_ids": [(6, 0, [])]}),
                (0, 0, {"product_id": cls.gadget.id, "name": "Complaint Gadget",
                        "quantity": 2.0, "price_unit": 50.0,
                        "account_id": cls.income_account.id,
                        "invoice_line_tax_ids": [(6, 0, [])]}),
            ],
        })
        invoice.action_invoice_open()
        return invoice

    @classmethod
    def _delivery(cls, partner, quantities, validate=True):
        """A delivery of ``{product: quantity}`` to ``partner``, done."""
        picking_type = cls.env.ref("stock.picking_type_out")
        picking = cls.env["stock.picking"].create({
            "partner_id": partner.id,
            "picking_type_id": picking_type.id,
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            "move_lines": [(0, 0, {
                "name": product.name, "product_id": product.id,
                "product_uom_qty": quantity, "product_uom": product.uom_id.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
            }) for product, quantity in quantities.items()],
        })
        picking.action_confirm()
        if validate:
            cls._validate(picking)
        return picking

    @classmethod
    def _validate(cls, picking):
        picking.action_assign()
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        picking.action_done()

    @classmethod
    def _complaint(cls, partner=None, **values):
        vals = {"partner_id": (partner or cls.customer).id, "channel": "email",
                "category_id": cls.category_defect.id, "severity": "normal",
                "company_id": cls.company.id}
        vals.update(values)
        return cls.complaint_model.create(vals)

    @classmethod
    def _resolve(cls, complaint, stage=None, text="We replaced the defective widget."):
        complaint.write({"stage_id": (stage or cls.stage_resolved).id,
                         "resolution_type": "replacement", "resolution": text})
        return complaint
