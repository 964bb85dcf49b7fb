from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyEarningTier(LoyaltyCase):
    """An invoice earns at the tier its customer held before it: the spend
    of the invoice lifts the tier of the invoices after it, never its own,
    however and whenever the customer became a member (issue 12, item 2)."""

    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyEarningTier, cls).setUpClass()
        # the tiers: Silver from 0 (x1), Gold from 5,000 (x1.5)
        cls.program.tier_ids.unlink()
        cls.program.write({"tier_ids": [
            (0, 0, {"name": "Silver", "min_spend": 0.0, "earn_multiplier": 1.0}),
            (0, 0, {"name": "Gold", "min_spend": 5000.0, "earn_multiplier": 1.5}),
        ]})
        cls.silver, cls.gold = cls.program.tier_ids.sorted("min_spend")

    def assertEarnsAtSilver(self, partner, invoice):
        self.assertEqual(self._earned(invoice), 6000.0)
        self.assertEqual(invoice.loyalty_entry_ids.mapped("earn_multiplier"), [1.0])
        member = self._member(partner)
        self.assertEqual(member.tier_id, self.gold, "the invoice lifts the next ones")
        self.assertEqual(self._balance(member), 6000.0)
        self.assertLedgerConsistent(member)
        self.assertLiabilityBalanced()

    def assertPaidInvoiceEarnsAtSilver(self, partner):
        invoice = self._sell(partner, 6000.0)
        self._pay(invoice)
        self.assertEarnsAtSilver(partner, invoice)

    def test_first_paid_invoice_of_a_new_customer(self):
        self.assertPaidInvoiceEarnsAtSilver(self._customer("New On Payment"))

    def test_first_posted_invoice_of_a_new_customer(self):
        self.program.earn_on = "posted"
        partner = self._customer("New On Posting")
        self.assertEarnsAtSilver(partner, self._sell(partner, 6000.0))

    def test_existing_silver_member(self):
        partner = self._customer("Already Silver")
        self.assertEqual(self._enrol(partner).tier_id, self.silver)
        self.assertPaidInvoiceEarnsAtSilver(partner)

    def test_member_enrolled_by_hand(self):
        self.program.enrol_mode = "manual"
        partner = self._customer("Enrolled By Hand")
        member = self.member_model.create({"program_id": self.program.id,
                                           "partner_id": partner.id})
        self.assertEqual(member.tier_id, self.silver, "enrolled at the tier its spend reaches")
        self.assertPaidInvoiceEarnsAtSilver(partner)

    def test_member_enrolled_by_grade_after_validation(self):
        self.program.write({"earn_on": "posted", "enrol_mode": "classified",
                            "enrol_grade_ids": [(6, 0, self.env["crm.customer.grade"].search(
                                [("code", "=", "strategic")], limit=1).ids)]})
        partner = self._customer("Enrolled By Grade")
        self.env["crm.customer.insight"].sudo().create({
            "partner_id": partner.id, "company_id": self.company.id, "grade": "strategic"})
        self.assertEarnsAtSilver(partner, self._sell(partner, 6000.0))

    def test_tier_lifted_by_the_open_invoice_before_it_is_paid(self):
        partner = self._customer("Lifted Meanwhile")
        member = self._enrol(partner)
        invoice = self._sell(partner, 6000.0)
        # another invoice's earning reviews the tier, the open invoice counted
        self._pay(self._sell(partner, 100.0))
        self.assertEqual(member.tier_id, self.gold)
        self._pay(invoice)
        self.assertEqual(self._earned(invoice), 6000.0)
        self.assertEqual(self._balance(member), 6100.0)
        # the invoices after it earn at Gold
        later = self._sell(partner, 1000.0)
        self._pay(later)
        self.assertEqual(self._earned(later), 1500.0)

    def test_customer_with_earlier_spend_joins_at_the_tier_it_reached(self):
        self.program.enrol_mode = "manual"
        partner = self._customer("Earlier Spend")
        self._pay(self._sell(partner, 5500.0))
        self.program.enrol_mode = "all"
        invoice = self._sell(partner, 1000.0)
        self._pay(invoice)
        self.assertEqual(self._earned(invoice), 1500.0)
