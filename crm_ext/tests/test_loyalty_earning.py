from odoo.exceptions import UserError
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyEarning(LoyaltyCase):
    """Points follow the invoices: posted or paid share, less refunds and
    cancellations, whatever the order of events; never awarded twice."""

    def test_posted_invoice_earns_at_once(self):
        self.program.earn_on = "posted"
        partner = self._customer("Poster")
        invoice = self._sell(partner, 1000.0)
        entry = invoice.loyalty_entry_ids
        self.assertEqual(entry.entry_type, "earn")
        self.assertEqual(entry.points, 1000.0)
        self.assertEqual(entry.remaining_points, 1000.0)
        self.assertEqual(entry.expiry_date, self._date(months=12))
        self.assertEqual(entry.member_id.partner_id, partner)
        self.assertEqual(self._balance(self._member(partner)), 1000.0)
        self.assertLedgerConsistent(entry.member_id)

    def test_earning_is_booked_as_expense_and_liability(self):
        self.program.earn_on = "posted"
        entry = self._sell(self._customer("Booked"), 1000.0).loyalty_entry_ids
        lines = entry.move_id.line_ids
        self.assertEqual(entry.move_id.state, "posted")
        self.assertEqual(lines.filtered(lambda l: l.account_id == self.expense_account).debit,
                         10.0)
        self.assertEqual(
            lines.filtered(lambda l: l.account_id == self.liability_account).credit, 10.0)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 10.0)

    def test_draft_invoice_earns_nothing(self):
        self.program.earn_on = "posted"
        invoice = self._sell(self._customer("Drafter"), 1000.0, post=False)
        invoice._sync_loyalty_points()
        self.assertFalse(invoice.loyalty_entry_ids)

    def test_paid_program_earns_on_payment_only(self):
        partner = self._customer("Payer")
        invoice = self._sell(partner, 1000.0)
        self.assertFalse(invoice.loyalty_entry_ids)
        self._pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(self._earned(invoice), 1000.0)
        self.assertLiabilityBalanced()

    def test_reconciling_nothing_moves_nothing(self):
        # an invoice validated while no program ran: reconciling its
        # receivable item alone matches nothing, so neither its points are
        # reckoned nor the customer's figures touched (over RPC an accountant
        # may call it on any item)
        self.program.active = False
        invoice = self._sell(self._customer("Unmatched"), 1000.0)
        self.program.active = True
        receivable = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)
        self.assertTrue(receivable.reconcile())
        invoice.invalidate_cache()
        self.assertFalse(invoice.loyalty_earn_multiplier)
        self.assertFalse(invoice.loyalty_entry_ids)
        # paying it settles it: the points follow
        self._pay(invoice)
        self.assertEqual(self._earned(invoice), 1000.0)

    def test_unreconciling_nothing_writes_nothing(self):
        # an invoice validated before crm_ext has no points fixed: an
        # accountant's unreconcile of its receivable item, matched with
        # nothing, neither fixes them nor refreshes the customer's figures
        partner = self._customer("Before crm_ext")
        invoice = self._sell(partner, 1000.0)
        self.env.cr.execute("""
            UPDATE account_invoice SET loyalty_points_full = NULL,
                                       loyalty_earn_multiplier = NULL
             WHERE id = %s
        """, (invoice.id,))
        invoice.invalidate_cache()
        receivable = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)
        insight = self.env["crm.customer.insight"].search([("partner_id", "=", partner.id)])

        def rows():
            """The invoice's row and the customer's insight rows, as text."""
            self.env.cr.execute("""
                SELECT row(inv.*)::text, (SELECT string_agg(row(i.*)::text, '')
                                            FROM crm_customer_insight i WHERE i.id = ANY(%s))
                  FROM account_invoice inv WHERE inv.id = %s
            """, (insight.ids, invoice.id))
            return self.env.cr.fetchone()
        before = rows()
        self.assertTrue(receivable.sudo(self.accountant).remove_move_reconcile())
        self.assertEqual(rows(), before)
        # its first movement, the payment, fixes them
        payment = self._pay(invoice)
        self.assertEqual(invoice.loyalty_points_full, 1000.0)
        self.assertEqual(invoice.loyalty_earn_multiplier, 1.0)
        self.assertEqual(self._earned(invoice), 1000.0)
        # unpaid again, the points go back
        self._unpay(payment)
        self.assertEqual(invoice.state, "open")
        self.assertEqual(self._earned(invoice), 0.0)
        self.assertLiabilityBalanced()

    def test_partial_payments_earn_their_share(self):
        partner = self._customer("Instalments")
        invoice = self._sell(partner, 1000.0)
        self._pay(invoice, 400.0)
        self.assertEqual(self._earned(invoice), 400.0)
        self._pay(invoice, 350.0)
        self.assertEqual(self._earned(invoice), 750.0)
        self._pay(invoice)
        self.assertEqual(invoice.loyalty_entry_ids.mapped("points"), [250.0, 350.0, 400.0])
        self.assertLedgerConsistent(self._member(partner))
        self.assertLiabilityBalanced()

    def test_partial_payment_with_tax_earns_on_untaxed_share(self):
        tax = self.env["account.tax"].create({
            "name": "Loyalty test VAT 25%", "amount": 25.0, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": self.company.id})
        invoice = self._sell(self._customer("Taxed"), 1000.0, post=False)
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(6, 0, tax.ids)]})
        invoice.compute_taxes()
        invoice.action_invoice_open()
        self.assertEqual(invoice.amount_total, 1250.0)
        self._pay(invoice, 625.0)
        self.assertEqual(self._earned(invoice), 500.0)

    def test_revalidating_never_awards_twice(self):
        self.program.earn_on = "posted"
        partner = self._customer("Revalidated")
        invoice = self._sell(partner, 1000.0)
        invoice._sync_loyalty_points()
        # the last step of a validation is refused on its own
        with self.assertRaises(UserError):
            invoice.invoice_validate()
        self.assertEqual(len(invoice.loyalty_entry_ids), 1)
        invoice.action_invoice_cancel()
        self.assertEqual(self._earned(invoice), 0.0)
        invoice.action_invoice_draft()
        # Odoo 11 leaves 'open' in the cache (do_in_draft for the report), as a new request
        # would not see it
        invoice.invalidate_cache()
        invoice.action_invoice_open()
        self.assertEqual(self._earned(invoice), 1000.0)
        self.assertEqual(sorted(invoice.loyalty_entry_ids.mapped("entry_type")),
                         ["earn", "earn", "reversal"])
        self.assertEqual(self._balance(self._member(partner)), 1000.0)
        self.assertLedgerConsistent(self._member(partner))
        self.assertLiabilityBalanced()

    def test_repaying_never_awards_twice(self):
        partner = self._customer("Repaid")
        invoice = self._sell(partner, 1000.0)
        payment = self._pay(invoice)
        self.assertEqual(self._earned(invoice), 1000.0)
        self._unpay(payment)
        self.assertEqual(invoice.state, "open")
        self.assertEqual(self._earned(invoice), 0.0)
        credit = payment.move_line_ids.filtered(
            lambda line: line.account_id == invoice.account_id)
        invoice.assign_outstanding_credit(credit.id)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(self._earned(invoice), 1000.0)
        invoice._sync_loyalty_points()
        self.assertEqual(len(invoice.loyalty_entry_ids), 3)
        self.assertEqual(self._balance(self._member(partner)), 1000.0)
        self.assertLiabilityBalanced()

    def test_cancelled_payment_takes_points_back(self):
        partner = self._customer("Bounced")
        invoice = self._sell(partner, 1000.0)
        payment = self._pay(invoice)
        payment.cancel()
        self.assertEqual(self._earned(invoice), 0.0)
        reversal = invoice.loyalty_entry_ids.filtered(lambda e: e.entry_type == "reversal")
        self.assertEqual(reversal.reversed_entry_id.entry_type, "earn")
        self.assertLiabilityBalanced()

    def test_cancelled_invoice_takes_points_back(self):
        self.program.earn_on = "posted"
        partner = self._customer("Cancelled")
        invoice = self._sell(partner, 1000.0)
        invoice.action_invoice_cancel()
        self.assertEqual(self._balance(self._member(partner)), 0.0)
        reversal = invoice.loyalty_entry_ids.filtered(lambda e: e.entry_type == "reversal")
        self.assertEqual(reversal.points, -1000.0)
        self.assertEqual(reversal.reversed_entry_id.remaining_points, 0.0)
        self.assertLedgerConsistent(self._member(partner))
        self.assertLiabilityBalanced()

    def test_refunds_take_back_their_share(self):
        self.program.earn_on = "posted"
        partner = self._customer("Refunded")
        invoice = self._sell(partner, 1000.0)
        self._refund(invoice, 300.0)
        self.assertEqual(self._earned(invoice), 700.0)
        self._refund(invoice, 700.0)
        self.assertEqual(self._earned(invoice), 0.0)
        self.assertLedgerConsistent(self._member(partner))
        self.assertLiabilityBalanced()

    def test_refund_of_a_paid_invoice(self):
        partner = self._customer("Paid Then Refunded")
        invoice = self._sell(partner, 1000.0)
        self._pay(invoice)
        self._refund(invoice, 250.0)
        self.assertEqual(self._earned(invoice), 750.0)
        self.assertLiabilityBalanced()

    def test_cancelled_refund_gives_its_share_back(self):
        self.program.earn_on = "posted"
        invoice = self._sell(self._customer("Refund Cancelled"), 1000.0)
        refund = self._refund(invoice, 400.0)
        self.assertEqual(self._earned(invoice), 600.0)
        refund.action_invoice_cancel()
        self.assertEqual(self._earned(invoice), 1000.0)

    def test_credit_note_is_not_a_payment(self):
        partner = self._customer("Credited")
        invoice = self._sell(partner, 1000.0)
        self._refund(invoice, 400.0, reconcile=True)
        self.assertEqual(self._earned(invoice), 0.0)
        self._pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(self._earned(invoice), 600.0)

    def test_points_already_spent_become_a_debt(self):
        self.program.earn_on = "posted"
        partner = self._customer("Spender")
        invoice = self._sell(partner, 1000.0)
        member = self._member(partner)
        self._quotation(partner, 2000.0).apply_loyalty_points(800.0)
        invoice.action_invoice_cancel()
        self.assertEqual(self._balance(member), -800.0)
        self.assertEqual(self.entry_model._debt(member), 800.0)
        self.assertLedgerConsistent(member)
        # the next earning settles the debt first
        later = self._sell(partner, 1000.0)
        self.assertEqual(later.loyalty_entry_ids.remaining_points, 200.0)
        self.assertEqual(self._balance(member), 200.0)
        self.assertEqual(self.entry_model._debt(member), 0.0)
        self.assertLedgerConsistent(member)
        self.assertLiabilityBalanced()

    def test_contacts_earn_for_their_company(self):
        self.program.earn_on = "posted"
        company = self._customer("Parent Co")
        contact = self.env["res.partner"].create({
            "name": "Buyer", "parent_id": company.id, "type": "contact"})
        self._sell(contact, 500.0)
        member = self._member(company)
        self.assertEqual(member.partner_id, company)
        self.assertEqual(self._balance(member), 500.0)

    def test_rates_rounding_exclusions_and_category_multipliers(self):
        self.program.write({"earn_on": "posted", "points_per_unit": 2.0,
                            "points_rounding": 10.0})
        doubled = self.env["product.category"].create({"name": "Loyalty x3"})
        child = self.env["product.category"].create({"name": "Child", "parent_id": doubled.id})
        bonus_product = self.env["product.product"].create({
            "name": "Triple points", "categ_id": child.id, "list_price": 1.0})
        excluded = self.env["product.product"].create({"name": "No points", "list_price": 1.0})
        self.program.write({
            "category_rule_ids": [(0, 0, {"categ_id": doubled.id, "multiplier": 3.0})],
            "excluded_product_ids": [(6, 0, excluded.ids)]})
        invoice = self._sell(self._customer("Mixed"), 103.0, post=False)
        for product in (bonus_product, excluded):
            invoice.invoice_line_ids[0].copy({
                "invoice_id": invoice.id, "product_id": product.id, "price_unit": 100.0})
        invoice.action_invoice_open()
        # (103 + 3 x 100) x 2 = 806, rounded down to 800; the excluded line earns nothing
        self.assertEqual(self._earned(invoice), 800.0)

    def test_invoices_below_the_minimum_earn_nothing(self):
        self.program.write({"earn_on": "posted", "min_amount": 500.0})
        self.assertFalse(self._sell(self._customer("Small"), 499.0).loyalty_entry_ids)
        self.assertEqual(self._earned(self._sell(self._customer("Big"), 500.0)), 500.0)

    def test_manual_enrolment_program_enrols_nobody(self):
        self.program.write({"earn_on": "posted", "enrol_mode": "manual"})
        partner = self._customer("Not Enrolled")
        self.assertFalse(self._sell(partner, 1000.0).loyalty_entry_ids)
        self.assertFalse(self._member(partner))
        member = self.member_model.create({"program_id": self.program.id,
                                           "partner_id": partner.id})
        self.assertEqual(self._earned(self._sell(partner, 1000.0)), 1000.0)
        self.assertEqual(self._balance(member), 1000.0)

    def test_tier_upgrade_applies_to_later_invoices(self):
        self.program.earn_on = "posted"
        partner = self._customer("Climber")
        self._sell(partner, 500.0)
        member = self._member(partner)
        self.assertEqual(member.tier_id, self.tier_base)
        crossing = self._sell(partner, 1500.0)
        self.assertEqual(self._earned(crossing), 1500.0)
        self.assertEqual(member.tier_id, self.tier_silver)
        self.assertEqual(member.tier_since, self.today)
        history = member.tier_history_ids[0]
        self.assertEqual((history.old_tier_id, history.new_tier_id, history.reason),
                         (self.tier_base, self.tier_silver, "upgrade"))
        self.assertEqual(history.qualifying_spend, 2000.0)
        self.assertEqual(self._earned(self._sell(partner, 100.0)), 150.0)
        self._sell(partner, 3000.0)
        self.assertEqual(member.tier_id, self.tier_gold)
        self.assertEqual(self._earned(self._sell(partner, 100.0)), 200.0)

    def test_points_keep_the_multiplier_they_were_earned_with(self):
        partner = self._customer("Multiplied")
        member = self._enrol(partner)
        member.sudo().write({"tier_id": self.tier_gold.id})
        invoice = self._sell(partner, 1000.0)
        self._pay(invoice, 500.0)
        self.assertEqual(self._earned(invoice), 1000.0)
        member.sudo().write({"tier_id": self.tier_base.id})
        self._pay(invoice)
        self.assertEqual(self._earned(invoice), 2000.0)
        self.assertEqual(set(invoice.loyalty_entry_ids.mapped("earn_multiplier")), {2.0})

    def test_referral_bonus_once_when_first_invoice_paid(self):
        referrer = self._customer("Referrer")
        referred = self._customer("Referred", referred_by_id=referrer.id)
        first = self._sell(referred, 300.0)
        self.assertFalse(self._member(referrer))
        self._pay(first, 100.0)
        self.assertFalse(self._member(referrer), "a partial payment is no paid invoice")
        self._pay(first)
        bonus = self._member(referrer).entry_ids
        self.assertEqual(
            (bonus.entry_type, bonus.bonus_reason, bonus.points, bonus.referred_partner_id),
            ("bonus", "referral", 200.0, referred))
        self._pay(self._sell(referred, 300.0))
        self.assertEqual(self._balance(self._member(referrer)), 200.0)
        self.assertLiabilityBalanced()
