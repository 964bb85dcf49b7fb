from odoo.exceptions import AccessError, UserError, ValidationError

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintGiveBack(ComplaintResolutionCase):
    """Issue 12, item 1: a resolution never gives back more than was sold.
    A credit note stops at what no credit note of the invoice (drafts
    included, whoever made them) credits yet; a return at what was delivered
    and not yet returned."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintGiveBack, cls).setUpClass()
        # 5 x 100
        cls.sold = cls._invoice(cls.customer, cls.today, quantity=5.0, price=100.0)

    def _wizard(self, complaint, mode, quantity=None):
        wizard = self.env["crm.complaint.credit.note.wizard"].sudo(self.officer).with_context(
            default_complaint_id=complaint.id).create({"refund_mode": mode})
        if quantity is not None:
            wizard.line_ids.write({"quantity": quantity})
        return wizard

    def _credit(self, complaint, mode, quantity=None):
        action = self._wizard(complaint, mode, quantity).action_create()
        return self.env["account.invoice"].browse(action["res_id"])

    def _invoice_count(self):
        return self.env["account.invoice"].search_count([])

    def _assert_refused(self, wizard, exception=UserError):
        count = self._invoice_count()
        with self.assertRaises(exception):
            wizard.action_create()
        self.assertEqual(self._invoice_count(), count)

    def test_12_1_second_credit_note_proposes_and_takes_only_what_is_left(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        self._credit(complaint, "lines", 3.0).action_invoice_open()
        wizard = self._wizard(complaint, "lines")
        self.assertEqual(wizard.line_ids.credited_quantity, 3.0)
        self.assertEqual(wizard.line_ids.quantity, 2.0)
        wizard.line_ids.quantity = 5.0
        self._assert_refused(wizard)
        wizard.line_ids.quantity = 2.0
        refund = self.env["account.invoice"].browse(wizard.action_create()["res_id"])
        self.assertAlmostEqual(refund.amount_untaxed, 200.0)
        # everything is credited: nothing is proposed, nothing more is taken
        wizard = self._wizard(complaint, "lines")
        self.assertEqual(wizard.line_ids.quantity, 0.0)
        wizard.line_ids.quantity = 1.0
        self._assert_refused(wizard)
        self.assertAlmostEqual(complaint.cost_amount, 500.0)

    def test_12_1_whole_invoice_is_credited_once(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        self.assertAlmostEqual(self._credit(complaint, "full").amount_untaxed, 500.0)
        self._assert_refused(self._wizard(complaint, "full"))
        self._assert_refused(self._wizard(complaint, "lines", 1.0))
        self.assertAlmostEqual(complaint.cost_amount, 500.0)

    def test_12_1_whole_invoice_refused_after_a_partial_credit(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        self._credit(complaint, "lines", 3.0)
        wizard = self._wizard(complaint, "full")
        self._assert_refused(wizard)
        self.assertEqual(self._wizard(complaint, "lines").refund_mode, "lines")
        self.assertAlmostEqual(complaint.cost_amount, 300.0)

    def test_12_1_credit_notes_made_elsewhere_count_until_cancelled(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        # a draft of Odoo's own credit note wizard, not linked to the complaint
        self.env["account.invoice.refund"].with_context(
            active_model="account.invoice", active_id=self.sold.id,
            active_ids=self.sold.ids).create({
                "filter_refund": "refund", "description": "Odoo's credit note"
            }).invoice_refund()
        refund = self.env["account.invoice"].search([("refund_invoice_id", "=", self.sold.id)])
        refund.invoice_line_ids.quantity = 4.0
        self.assertEqual(self._wizard(complaint, "lines").line_ids.quantity, 1.0)
        self._assert_refused(self._wizard(complaint, "lines", 2.0))
        self._assert_refused(self._wizard(complaint, "full"))
        refund.action_invoice_cancel()
        self.assertEqual(self._wizard(complaint, "lines").line_ids.quantity, 5.0)

    def test_12_1_two_complaints_share_what_the_invoice_sold(self):
        first = self._complaint(invoice_id=self.sold.id)
        second = self._complaint(invoice_id=self.sold.id)
        self._credit(first, "lines", 4.0)
        self.assertEqual(self._wizard(second, "lines").line_ids.quantity, 1.0)
        self._assert_refused(self._wizard(second, "lines", 2.0))

    def test_12_1_complaint_credit_note_cannot_be_raised_beyond_the_invoice(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        refund = self._credit(complaint, "lines", 3.0)
        line = refund.invoice_line_ids
        for values in ({"quantity": 6.0}, {"price_unit": 250.0}):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                line.write(values)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            refund.write({"invoice_line_ids": [(0, 0, {
                "name": "Goodwill", "quantity": 1.0, "price_unit": 300.0,
                "account_id": self.income_account.id})]})
        refund.invalidate_cache()
        self.assertEqual(line.quantity, 3.0)
        # what is left can still be credited on the same draft, as its form does
        refund.write({"invoice_line_ids": [(1, line.id, {"quantity": 5.0})]})
        self.assertAlmostEqual(complaint.cost_amount, 500.0)

    def test_12_1_cancelled_credit_note_cannot_come_back_over_another(self):
        complaint = self._complaint(invoice_id=self.sold.id)
        first = self._credit(complaint, "full")
        first.action_invoice_cancel()
        self._credit(complaint, "full")
        with self.assertRaises(ValidationError):
            first.action_invoice_draft()
        self.assertAlmostEqual(complaint.cost_amount, 500.0)

    # returns

    def _return_wizard(self, complaint):
        action = complaint.sudo(self.officer).action_create_return()
        return self.env["stock.return.picking"].sudo(self.officer).with_context(
            **action["context"]).create({})

    def _quantities(self, wizard):
        return {line.product_id: line.quantity for line in wizard.product_return_moves}

    def test_12_1_return_stops_at_what_was_delivered_and_not_returned(self):
        # delivered: 3 x product, 2 x gadget
        complaint = self._complaint(picking_id=self.delivery.id)
        wizard = self._return_wizard(complaint)
        for line in wizard.product_return_moves:
            line.quantity = 2.0 if line.product_id == self.product else 0.0
        wizard.create_returns()
        wizard = self._return_wizard(complaint)
        self.assertEqual(self._quantities(wizard), {self.product: 1.0, self.gadget: 2.0})
        for line in wizard.product_return_moves:
            line.quantity = 3.0 if line.product_id == self.product else 0.0
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError):
            wizard.create_returns()
        self.assertEqual(self.env["stock.picking"].search_count([]), count)

    def test_return_names_only_a_complaint_its_maker_may_resolve(self):
        """The complaint of a return wizard is a field any caller may fill
        in: a return links to a complaint (whose cost then counts it) only
        for who may resolve it, as the complaint's return button checks."""
        complaint = self._complaint(picking_id=self.delivery.id)
        storekeeper = self._user("complaint_storekeeper", "base.group_user",
                                 "stock.group_stock_user")
        wizard = self.env["stock.return.picking"].sudo(storekeeper).with_context(
            active_id=self.delivery.id, active_ids=self.delivery.ids,
            active_model="stock.picking").create({"complaint_id": complaint.id})
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(AccessError):
            wizard.create_returns()
        self.assertEqual(self.env["stock.picking"].search_count([]), count)
        self.assertFalse(complaint.return_picking_ids)

    def test_12_1_complaint_return_validated_beyond_the_delivery_is_refused(self):
        complaint = self._complaint(picking_id=self.delivery.id)
        wizard = self._return_wizard(complaint)
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.product_id == self.product else 0.0
        returned = self.env["stock.picking"].browse(wizard.create_returns()["res_id"])
        # 4 received back of the 3 delivered
        returned.move_lines.quantity_done = 4.0
        with self.assertRaises(UserError), self.env.cr.savepoint():
            returned.action_done()
        returned.invalidate_cache()
        self.assertNotEqual(returned.state, "done")
        self.assertAlmostEqual(complaint.cost_amount, 0.0)

    def test_12_1_returns_waiting_or_made_elsewhere_count(self):
        complaint = self._complaint(picking_id=self.delivery.id)
        # a return made without the complaint, left in draft
        wizard = self.env["stock.return.picking"].with_context(
            active_model="stock.picking", active_id=self.delivery.id,
            active_ids=self.delivery.ids).create({})
        for line in wizard.product_return_moves:
            line.quantity = 1.0 if line.product_id == self.gadget else 0.0
        other = self.env["stock.picking"].browse(wizard.create_returns()["res_id"])
        other.do_unreserve()
        other.move_lines.write({"state": "draft"})
        self.assertEqual(self._quantities(self._return_wizard(complaint)),
                         {self.product: 3.0, self.gadget: 1.0})
        other.action_cancel()
        self.assertEqual(self._quantities(self._return_wizard(complaint)),
                         {self.product: 3.0, self.gadget: 2.0})

    # compensation points: a gesture, not a refund of what was sold

    def test_12_1_compensation_wizard_gives_its_points_once(self):
        complaint = self._complaint()
        wizard = self.env["crm.complaint.compensation.wizard"].sudo(self.officer).create(
            {"complaint_id": complaint.id, "points": 300.0})
        wizard.action_apply()
        wizard.action_apply()
        self.assertEqual(complaint.loyalty_entry_ids.mapped("points"), [300.0])
        self.assertAlmostEqual(complaint.cost_amount, 3.0)
