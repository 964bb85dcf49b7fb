from odoo.tests import common


class InsightCase(common.SavepointCase):
    """Customers, products with a cost, and helpers that post invoices,
    refunds and payments the way accounting does."""

    TODAY = "2026-06-30"

    @classmethod
    def setUpClass(cls):
        super(InsightCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       mail_create_nolog=True, no_reset_password=True))
        cls.company = cls.env.ref("base.main_company")
        cls.company.write({"insight_window_days": 365})
        cls.insight_model = cls.env["crm.customer.insight"]
        cls.product = cls.env["product.product"].create({
            "name": "Insight Widget", "type": "consu", "list_price": 100.0,
            "standard_price": 60.0,
        })
        cls.sale_journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1)
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        cls.income_account = cls.env["account.account"].search([
            ("company_id", "=", cls.company.id),
            ("user_type_id", "=", cls.env.ref("account.data_account_type_revenue").id)],
            limit=1)

    @classmethod
    def _user(cls, login, *group_xmlids):
        """A user of the test company in the groups of ``group_xmlids``."""
        return cls.env["res.users"].create({
            "name": login.replace("_", " ").title(),
            "login": login,
            "email": "%s@example.com" % login,
            "company_id": cls.company.id,
            "company_ids": [(6, 0, cls.company.ids)],
            "groups_id": [(6, 0, [cls.env.ref(xmlid).id for xmlid in group_xmlids])],
        })

    @classmethod
    def _customer(cls, name, **values):
        values.update(name=name, customer=True, is_company=values.get("is_company", True))
        return cls.env["res.partner"].create(values)

    @classmethod
    def _invoice(cls, partner, date, quantity=1.0, price=100.0, discount=0.0,
                 invoice_type="out_invoice", currency=None, post=True):
        values = {
            "partner_id": partner.id,
            "type": invoice_type,
            "date_invoice": date,
            "journal_id": cls.sale_journal.id,
            "invoice_line_ids": [(0, 0, {
                "product_id": cls.product.id,
                "name": "Insight Widget",
                "quantity": quantity,
                "price_unit": price,
                "discount": discount,
                "account_id": cls.income_account.id,
                "invoice_line_tax_ids": [(6, 0, [])],
            })],
        }
        if currency:
            values["currency_id"] = currency.id
        invoice = cls.env["account.invoice"].create(values)
        if post:
            invoice.action_invoice_open()
        return invoice

    @classmethod
    def _pay(cls, invoice, amount=None, date=None):
        payment = cls.env["account.payment"].create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoice.commercial_partner_id.id,
            "amount": amount if amount is not None else invoice.residual,
            "currency_id": invoice.currency_id.id,
            "journal_id": cls.bank_journal.id,
            "payment_method_id": cls.env.ref("account.account_payment_method_manual_in").id,
            "payment_date": date or invoice.date_invoice,
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        payment.post()
        return payment

    def _recompute(self, today=None):
        self.insight_model._recompute_company(self.company, today=today or self.TODAY)

    def _insight(self, partner):
        return self.insight_model.search([
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("company_id", "=", self.company.id)])
