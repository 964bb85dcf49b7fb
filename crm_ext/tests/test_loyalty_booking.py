from unittest import mock

from odoo.exceptions import UserError
from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyBooking(LoyaltyCase):
    """A program earning on posting books the points of an invoice in the
    invoice's own journal entry; cancelling the invoice deletes that entry,
    and the ledger and the liability account stay together."""

    def setUp(self):
        super(TestLoyaltyBooking, self).setUp()
        self.program.earn_on = "posted"
        self.partner = self._customer("Booked With Invoice")

    def _loyalty_moves(self):
        return self.env["account.move"].search([("journal_id", "=", self.loyalty_journal.id)])

    def _loyalty_lines(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_id in (self.expense_account | self.liability_account))

    def _entries(self, invoice):
        invoice.invalidate_cache()
        return invoice.loyalty_entry_ids.sorted("id")

    def test_invoice_move_carries_the_earning(self):
        moves = self._loyalty_moves()
        invoice = self._sell(self.partner, 1000.0)
        entry = invoice.loyalty_entry_ids
        self.assertEqual((entry.entry_type, entry.points), ("earn", 1000.0))
        self.assertEqual(entry.move_id, invoice.move_id)
        self.assertEqual(entry.origin, invoice.number)
        lines = self._loyalty_lines(invoice.move_id)
        self.assertEqual(
            sorted((line.account_id.code, line.debit, line.credit) for line in lines),
            [("LOYT250", 0.0, 10.0), ("LOYT610", 10.0, 0.0)])
        self.assertEqual(lines.mapped("partner_id"), self.partner)
        # no second journal entry, and the invoice's amounts are untouched
        self.assertEqual(self._loyalty_moves(), moves)
        self.assertEqual(invoice.residual, 1000.0)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 10.0)

    def _line_rows(self, move):
        """The stored columns of the move's loyalty items, by account, less
        those that name the record, its customer or its card."""
        self.env.cr.execute("""
            SELECT * FROM account_move_line WHERE move_id = %s AND account_id IN %s
             ORDER BY account_id
        """, (move.id, tuple((self.expense_account | self.liability_account).ids)))
        columns = [description[0] for description in self.env.cr.description]
        skipped = {"id", "move_id", "partner_id", "name", "create_date", "write_date"}
        return [{column: value for column, value in zip(columns, row) if column not in skipped}
                for row in self.env.cr.fetchall()]

    def test_inserted_items_are_those_the_orm_creates(self):
        inserted = self._sell(self.partner, 1000.0)
        earning_class = type(self.env["crm.loyalty.earning"])
        with mock.patch.object(earning_class, "_lines_insertable", return_value=False):
            created = self._sell(self._customer("Booked By The ORM"), 1000.0)
        rows = self._line_rows(inserted.move_id)
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows, self._line_rows(created.move_id))
        self.assertEqual(inserted.move_id.amount, created.move_id.amount)
        self.assertEqual(inserted.move_id.amount, 1010.0)
        self.assertEqual(len(inserted.move_id.line_ids), len(created.move_id.line_ids))
        self.assertLiabilityBalanced()

    def test_reconcilable_liability_goes_through_the_orm(self):
        self.liability_account.reconcile = True
        invoice = self._sell(self.partner, 1000.0)
        liability = invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == self.liability_account)
        # what only the ORM computes: the open amount of a reconcilable item
        self.assertEqual(liability.amount_residual, -10.0)
        self.assertLiabilityBalanced()

    def test_cancel_and_revalidate_keep_the_liability_exact(self):
        invoice = self._sell(self.partner, 1000.0)
        first_move = invoice.move_id
        earning = invoice.loyalty_entry_ids
        moves = self._loyalty_moves()
        invoice.action_invoice_cancel()
        self.assertFalse(first_move.exists())
        entries = self._entries(invoice)
        self.assertEqual(entries.mapped("entry_type"), ["earn", "reversal"])
        self.assertEqual(entries.mapped("points"), [1000.0, -1000.0])
        # the earning keeps its invoice; its booking went with the invoice's
        # journal entry, so the reversal books nothing more
        self.assertEqual(entries[0], earning)
        self.assertEqual(earning.invoice_id, invoice)
        self.assertFalse(earning.move_id)
        self.assertFalse(entries[1].move_id)
        self.assertEqual(entries[1].reversed_entry_id, earning)
        self.assertEqual(self._loyalty_moves(), moves)
        check = self.assertLiabilityBalanced()
        self.assertEqual((check["outstanding_points"], check["liability_balance"]), (0.0, 0.0))

        invoice.action_invoice_draft()
        invoice.invalidate_cache()
        invoice.action_invoice_open()
        entries = self._entries(invoice)
        self.assertEqual(entries.mapped("points"), [1000.0, -1000.0, 1000.0])
        self.assertEqual(entries[2].move_id, invoice.move_id)
        self.assertEqual(self.assertLiabilityBalanced()["liability_balance"], 10.0)
        self.assertEqual(self._balance(self._member(self.partner)), 1000.0)
        self.assertLedgerConsistent(self._member(self.partner))

    def test_refund_then_cancel_books_what_the_deleted_entry_held(self):
        for share, expected in ((1.0, []), (0.4, [-600.0])):
            partner = self._customer("Refunded %s" % share)
            invoice = self._sell(partner, 1000.0)
            refund = self._refund(invoice, 1000.0 * share)
            self.assertEqual(refund.state, "open")
            self.assertLiabilityBalanced()
            invoice.action_invoice_cancel()
            entries = self._entries(invoice)
            self.assertEqual(entries.mapped("points"), [1000.0, -1000.0 * share] + expected)
            self.assertEqual(sum(entries.mapped("points")), 0.0)
            self.assertEqual(self._balance(self._member(partner)), 0.0)
            self.assertLedgerConsistent(self._member(partner))
            self.assertLiabilityBalanced()
        check = self.assertLiabilityBalanced()
        self.assertEqual((check["outstanding_points"], check["liability_balance"]), (0.0, 0.0))

    def test_payment_and_expiry_after_booking_with_invoice(self):
        invoice = self._sell(self.partner, 1000.0)
        self._pay(invoice, 400.0)
        self._pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(len(invoice.loyalty_entry_ids), 1)
        self.assertLiabilityBalanced()
        self.program._run_daily(self._date(months=13))
        check = self.assertLiabilityBalanced()
        self.assertEqual((check["outstanding_points"], check["liability_balance"]), (0.0, 0.0))

    def test_new_member_first_invoice_earns_at_the_tier_before_it(self):
        """The invoice being validated lifts the tier of the customer it
        enrols, for the invoices after it: it earns at the tier held before
        it (issue 12, item 2)."""
        invoice = self._sell(self.partner, 6000.0)
        member = self._member(self.partner)
        self.assertEqual(member.tier_id, self.tier_gold)
        self.assertEqual(invoice.loyalty_entry_ids.points, 6000.0)
        self.assertEqual(invoice.loyalty_entry_ids.earn_multiplier, 1.0)
        self.assertLiabilityBalanced()

    def test_invoices_validated_together(self):
        invoices = self._sell(self.partner, 1500.0, post=False)
        invoices |= self._sell(self.partner, 1000.0, post=False)
        invoices.action_invoice_open()
        for invoice in invoices:
            self.assertEqual(invoice.loyalty_entry_ids.move_id, invoice.move_id)
        # each at the tier the ones before it reach (Base, 1,500): the two
        # lift the customer to Silver
        self.assertEqual(self._member(self.partner).tier_id, self.tier_silver)
        self.assertEqual(invoices.mapped("loyalty_entry_ids.points"), [1500.0, 1000.0])
        self.assertEqual(self.assertLiabilityBalanced()["outstanding_points"], 2500.0)

    def test_loyalty_journal_entries_cannot_be_deleted(self):
        invoice = self._sell(self.partner, 1000.0)
        adjustment = self._give(self._member(self.partner), 100.0)
        self.loyalty_journal.update_posted = True
        for move in (invoice.move_id, adjustment.move_id):
            move.button_cancel()
            with self.assertRaises(UserError):
                move.unlink()

    def test_customer_enrolled_by_grade_earns_on_its_first_invoice(self):
        grade = self.env["crm.customer.grade"].search([("code", "=", "strategic")], limit=1)
        self.program.write({"enrol_mode": "classified", "enrol_grade_ids": [(6, 0, grade.ids)]})
        self.env["crm.customer.insight"].sudo().create({
            "partner_id": self.partner.id, "company_id": self.program.company_id.id,
            "grade": "strategic"})
        invoice = self._sell(self.partner, 1000.0)
        member = self._member(self.partner)
        self.assertTrue(member, "enrolled by the synchronisation after validation")
        self.assertEqual(invoice.loyalty_entry_ids.mapped("points"), [1000.0])
        self.assertEqual(self._balance(member), 1000.0)
        self.assertLiabilityBalanced()
