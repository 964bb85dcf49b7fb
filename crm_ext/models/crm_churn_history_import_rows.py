# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rows of crm.churn.history.import: the customers, products and posted invoices made of them."""
from odoo import models

from ..tools import in_progress
from .crm_customer_insight import INSIGHT_REFRESH_DEFERRED


class CrmChurnHistoryImport(models.Model):
    """A row of the file is a posted customer invoice of its customer
    (found by reference, else created) for its amount, of its product (by
    internal reference or name) or the import's default one."""

    # one concern of the model per file
    _inherit = "crm.churn.history.import"  # pylint: disable=consider-merging-classes-inherited

    def _import_rows(self, rows):
        """Import the ``rows`` not imported yet, one posted customer invoice
        each, the customer insight refreshed once by :meth:`_finish`.
        Returns how many were imported."""
        imported = self._imported_lines([row.line for row in rows])
        rows = [row for row in rows if row.line not in imported]
        if not rows:
            return 0
        company = self.company_id
        env = self._import_env()
        customers = self._create_customers(rows)
        products = self._row_products(rows)
        journal = self._journal().with_env(env)
        # what the invoices of a customer or a product share, read at once
        # both sides on the journal's clearing account (see _journal)
        account_id = journal.default_debit_account_id.id
        partner_values = self._partner_invoice_values(
            env["res.partner"].browse(sorted({partner.id for partner in customers.values()})),
            account_id)
        line_values = self._product_line_values(env["product.product"].browse(sorted(
            {product.id for product in products.values()} | set(self.product_id.ids))),
            account_id)
        invoice_model = env["account.invoice"]
        with in_progress.running(env.cr, INSIGHT_REFRESH_DEFERRED, company.ids):
            for row in rows:
                product = products.get(row.product) or self.product_id
                # validated one by one: the ORM reads the fields of every
                # record of a recordset at once, and a validation writes
                # between its reads, so a batch is read again at each step
                invoice = invoice_model.create(self._invoice_values(
                    row, partner_values[customers[row.ref].id], line_values[product.id],
                    journal))
                invoice.action_invoice_open()
        return len(rows)

    def _import_env(self):
        """The environment the import writes in: the import's company, no
        chatter tracking."""
        company = self.company_id
        return self.with_context(
            force_company=company.id, company_id=company.id, tracking_disable=True,
            mail_create_nolog=True, mail_notrack=True, mail_create_nosubscribe=True).env

    def _create_customers(self, rows):
        """{reference: res.partner} of the rows' customers: found by
        reference in the company (or shared), created when missing."""
        env = self._import_env()
        refs = sorted({row.ref for row in rows})
        partners = env["res.partner"].search(
            [("ref", "in", refs), ("company_id", "in", [self.company_id.id, False])],
            order="id")
        customers = {}
        for partner in partners:
            customers.setdefault(partner.ref, partner)
        for row in rows:
            if row.ref not in customers:
                customers[row.ref] = env["res.partner"].create(self._customer_values(row))
        return customers

    def _row_products(self, rows):
        """{product text of the rows: product.product}: by internal
        reference, else by name."""
        names = sorted({row.product for row in rows if row.product})
        if not names:
            return {}
        found = self.env["product.product"].search(
            ["|", ("default_code", "in", names), ("name", "in", names),
             ("company_id", "in", [self.company_id.id, False])])
        products = {product.name: product for product in found}
        products.update((product.default_code, product) for product in found
                        if product.default_code)
        return {name: products[name] for name in names if name in products}

    def _customer_values(self, row):
        """The values of the customer a row names that does not exist yet.
        Meant to be overridden (another module adds its fields)."""
        return {"name": row.name, "ref": row.ref, "customer": True, "is_company": True,
                "company_id": self.company_id.id}

    def _partner_invoice_values(self, partners, account_id):
        """{partner id: the values of its invoices}, read for all the
        ``partners`` at once; booked on ``account_id``, the clearing
        account (see crm_churn_history_import_books.py)."""
        result = {}
        for partner in partners:
            result[partner.id] = {
                "partner_id": partner.id,
                "account_id": account_id,
                "payment_term_id": partner.property_payment_term_id.id,
                "fiscal_position_id": partner.property_account_position_id.id,
            }
        return result

    def _product_line_values(self, products, account_id):
        """{product id: the values of its invoice lines}, for all the
        ``products`` at once; booked on ``account_id``, the clearing
        account."""
        return {product.id: {
            "product_id": product.id,
            "name": product.display_name,
            "quantity": 1.0,
            "uom_id": product.uom_id.id,
            "account_id": account_id,
            "invoice_line_tax_ids": [(6, 0, [])],
        } for product in products}

    def _invoice_values(self, row, partner_values, line_values, journal):
        """The values of a row's customer invoice: ``partner_values`` (see
        :meth:`_partner_invoice_values`) and one line of ``line_values``
        (see :meth:`_product_line_values`) for the row's amount, untaxed
        (the amount is what the customer paid, the old system's taxes
        included).  Meant to be overridden (another module adds its fields
        or taxes)."""
        company = self.company_id
        return dict(
            partner_values,
            type="out_invoice",
            company_id=company.id,
            journal_id=journal.id,
            currency_id=company.currency_id.id,
            partner_bank_id=False,
            user_id=self.create_uid.id,
            date_invoice=row.date,
            origin="%s:%s" % (self.name, row.line),
            history_import_id=self.id,
            history_import_line=row.line,
            invoice_line_ids=[(0, 0, dict(line_values, price_unit=row.amount))],
        )
