# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools

from . import insight_queries

INVOICE_FIGURES_BATCH = 50000


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    # double precision numbers, not decimals: the nightly customer figures
    # sum them over every invoice (see insight_queries.INVOICE_FIGURES)
    insight_net_signed = fields.Float(
        "Net Sales", readonly=True, copy=False,
        help="Untaxed amount of the invoice in the company currency when it was validated "
             "(negative for a refund), as the customer figures sum it.")
    insight_cost_signed = fields.Float(
        "Cost of Goods Sold", readonly=True, copy=False,
        help="Cost of the invoiced products at the company's cost on the day the invoice was "
             "validated, in the company currency (negative for a refund).")
    insight_discount_signed = fields.Float(
        "Discounts Given", readonly=True, copy=False,
        help="Discounts granted on the invoice lines, in the company currency (negative for "
             "a refund).")

    @api.model_cr_context
    def _auto_init(self):
        cr = self._cr
        new_columns = not tools.column_exists(cr, self._table, "insight_cost_signed")
        new_net_column = not tools.column_exists(cr, self._table, "insight_net_signed")
        result = super(AccountInvoice, self)._auto_init()
        # the refresh after each invoice reads one customer's invoices
        tools.create_index(cr, "account_invoice_commercial_partner_company_index",
                           self._table, ["commercial_partner_id", "company_id"])
        # the loyalty points of an invoice depend on its credit notes
        tools.create_index(cr, "account_invoice_refund_invoice_id_index",
                           self._table, ["refund_invoice_id"])
        if new_columns:
            cr.execute(insight_queries.INVOICE_FIGURES_ALL)
            invoice_ids = [row[0] for row in cr.fetchall()]
            for start in range(0, len(invoice_ids), INVOICE_FIGURES_BATCH):
                self._store_insight_figures(invoice_ids[start:start + INVOICE_FIGURES_BATCH])
        elif new_net_column:
            # the costs and discounts are those of their day: keep them
            cr.execute(insight_queries.INVOICE_NET_ALL)
        return result

    @api.model
    def _store_insight_figures(self, invoice_ids):
        cost_field = self.env["ir.model.fields"].search(
            [("model", "=", "product.product"), ("name", "=", "standard_price")], limit=1)
        self._cr.execute(insight_queries.INVOICE_FIGURES, {
            "invoice_ids": list(invoice_ids), "cost_field_id": cost_field.id})
        self.invalidate_cache(
            ["insight_net_signed", "insight_cost_signed", "insight_discount_signed"], invoice_ids)

    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "invoice_id", "Loyalty Points", readonly=True)
    complaint_id = fields.Many2one(
        "crm.complaint", readonly=True, index=True, copy=False, ondelete="set null",
        help="The complaint this credit note was made for.")

    @api.multi
    def invoice_validate(self):
        result = super(AccountInvoice, self).invoice_validate()
        customer_invoices = self._customer_invoices()
        if customer_invoices:
            self._store_insight_figures(customer_invoices.ids)
        self._refresh_customer_insight()
        customer_invoices._sync_loyalty_points()
        return result

    @api.multi
    def action_invoice_cancel(self):
        result = super(AccountInvoice, self).action_invoice_cancel()
        self._refresh_customer_insight()
        self._customer_invoices()._sync_loyalty_points()
        return result

    def _customer_invoices(self):
        return self.filtered(lambda inv: inv.type in ("out_invoice", "out_refund"))

    def _refresh_customer_insight(self):
        self.env["crm.customer.insight"].refresh_documents(
            self._customer_invoices(), "commercial_partner_id")

    # loyalty points

    @api.multi
    def _sync_loyalty_points(self):
        """Bring the points of customer invoices to what they earn now
        (posted or paid share, less refunds), whatever happened before:
        validating, paying, re-opening or cancelling again never awards
        twice, a refund or a cancellation takes back its share."""
        invoices = self.filtered(lambda inv: inv.type == "out_invoice")
        invoices |= self.filtered(lambda inv: inv.type == "out_refund").mapped(
            "refund_invoice_id")
        entries = self.env["crm.loyalty.entry"]
        for invoice in invoices.filtered(lambda inv: inv.date_invoice or inv.loyalty_entry_ids):
            earned = invoice.loyalty_entry_ids.filtered(
                lambda entry: entry.entry_type in ("earn", "reversal"))
            first_earning = earned.filtered(lambda entry: entry.entry_type == "earn")[-1:]
            member = first_earning.member_id
            if not member:
                program = self.env["crm.loyalty.program"].sudo()._active_program(
                    invoice.company_id, invoice.date_invoice)
                if not program or invoice.state not in ("open", "paid"):
                    continue
                member = self.env["crm.loyalty.member"]._member_of(
                    program, invoice.commercial_partner_id, enrol=False)
                # customers are enrolled by the first invoice that earns points
                if not member and invoice._loyalty_points_due(program, 1.0) > 0:
                    member = self.env["crm.loyalty.member"]._member_of(
                        program, invoice.commercial_partner_id)
                if not member:
                    continue
            multiplier = (first_earning.earn_multiplier if first_earning
                          else member.tier_id.earn_multiplier or 1.0)
            target = invoice._loyalty_points_due(member.program_id, multiplier)
            delta = member.program_id._round_points(target - sum(earned.mapped("points")))
            if not delta:
                continue
            entries._record([{
                "member_id": member.id,
                "entry_type": "earn" if delta > 0 else "reversal",
                "points": delta,
                "invoice_id": invoice.id,
                "earn_multiplier": multiplier,
                "reversed_entry_id": first_earning.id if delta < 0 else False,
                "origin": invoice.number,
            }])
            if delta > 0:
                member._update_tiers(upgrade_only=True)
            invoice.invalidate_cache(["loyalty_entry_ids"], invoice.ids)
        invoices.filtered(lambda inv: inv.state == "paid")._award_referral_bonus()

    def _loyalty_points_due(self, program, multiplier):
        """Points this invoice earns now: its eligible lines x the program's
        rate, category multipliers and the tier's, for the share that is
        posted (or paid) and not refunded."""
        self.ensure_one()
        if self.state not in ("open", "paid") or not self.amount_total_company_signed:
            return 0.0
        if program.min_amount and self.amount_untaxed_signed < program.min_amount:
            return 0.0
        categories = program._category_multipliers()
        base = sum(
            line.price_subtotal_signed * categories.get(line.product_id.categ_id.id, 1.0)
            for line in self.invoice_line_ids
            if line.product_id not in program.excluded_product_ids)
        full = program._round_points(base * program.points_per_unit * multiplier)
        total = self.amount_total_company_signed
        refunded = sum(self.search([
            ("refund_invoice_id", "=", self.id), ("type", "=", "out_refund"),
            ("state", "in", ("open", "paid"))]).mapped("amount_total_company_signed"))
        kept = max(0.0, total - abs(refunded))
        if program.earn_on == "paid":
            kept = min(kept, self._paid_by_payments())
        return program._round_points(full * kept / total)

    def _paid_by_payments(self):
        """What payments (not credit notes) have settled of the invoice, in
        the company currency."""
        self.ensure_one()
        if not self.move_id:
            return 0.0
        self.env.cr.execute("""
            SELECT COALESCE(SUM(partial.amount), 0)
              FROM account_move_line line
              JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
              JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
             WHERE line.move_id = %s AND line.account_id = %s
               AND NOT EXISTS (SELECT 1 FROM account_invoice refund
                                WHERE refund.move_id = counterpart.move_id
                                  AND refund.type = 'out_refund')
        """, (self.move_id.id, self.account_id.id))
        return self.env.cr.fetchone()[0]

    def _award_referral_bonus(self):
        """The referrer of a customer earns the referral bonus once, when
        an invoice of that customer is paid for the first time."""
        entries = self.env["crm.loyalty.entry"]
        for invoice in self:
            referred = invoice.commercial_partner_id
            referrer = referred.referred_by_id.commercial_partner_id
            program = self.env["crm.loyalty.program"].sudo()._active_program(
                invoice.company_id)
            if not referrer or not program or not program.referral_bonus:
                continue
            if entries.sudo().search_count([
                    ("program_id", "=", program.id), ("bonus_reason", "=", "referral"),
                    ("referred_partner_id", "=", referred.id)]):
                continue
            member = self.env["crm.loyalty.member"]._member_of(program, referrer)
            if member:
                entries._record([{
                    "member_id": member.id, "entry_type": "bonus",
                    "bonus_reason": "referral", "points": program.referral_bonus,
                    "referred_partner_id": referred.id, "origin": invoice.number,
                }])
