from odoo.exceptions import AccessError, UserError

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintResolution(ComplaintResolutionCase):
    """Resolutions that act on documents, linked back to the complaint, and
    the complaint's cost."""

    def _credit_note_wizard(self, complaint, user=None, **values):
        model = self.env["crm.complaint.credit.note.wizard"].sudo(user or self.officer)
        return model.with_context(default_complaint_id=complaint.id).create(values)

    def _compensate(self, complaint, points, user=None):
        model = self.env["crm.complaint.compensation.wizard"].sudo(user or self.officer)
        return model.create({"complaint_id": complaint.id, "points": points}).action_apply()

    def _return(self, complaint, quantities, user=None):
        """Return ``{product: quantity}`` of the complaint's delivery through
        Odoo's return wizard, as opened from the complaint."""
        complaint = complaint.sudo(user or self.officer)
        action = complaint.action_create_return()
        wizard = self.env["stock.return.picking"].sudo(user or self.officer).with_context(
            **action["context"]).create({})
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        return self.env["stock.picking"].browse(wizard.create_returns()["res_id"])

    def _invoice_count(self):
        return self.env["account.invoice"].search_count([])

    # credit notes

    def test_credit_note_of_the_whole_invoice(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        action = self._credit_note_wizard(complaint).action_create()
        refund = self.env["account.invoice"].browse(action["res_id"])
        self.assertEqual(refund.type, "out_refund")
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.refund_invoice_id, self.invoice)
        self.assertEqual(refund.complaint_id, complaint)
        self.assertEqual(complaint.refund_ids, refund)
        self.assertEqual(sorted(refund.invoice_line_ids.mapped("quantity")), [2.0, 3.0])
        self.assertAlmostEqual(refund.amount_untaxed, 400.0)
        self.assertAlmostEqual(complaint.cost_amount, 400.0)

    def test_credit_note_of_chosen_lines_and_quantities(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        wizard = self._credit_note_wizard(complaint, refund_mode="lines")
        self.assertEqual(len(wizard.line_ids), 2)
        for line in wizard.line_ids:
            line.quantity = 1.0 if line.product_id == self.product else 0.0
        refund = self.env["account.invoice"].browse(wizard.action_create()["res_id"])
        self.assertEqual(refund.invoice_line_ids.mapped("product_id"), self.product)
        self.assertEqual(refund.invoice_line_ids.quantity, 1.0)
        self.assertAlmostEqual(refund.amount_untaxed, 100.0)
        self.assertAlmostEqual(complaint.cost_amount, 100.0)

    def test_cancelled_credit_note_costs_nothing(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        refund = self.env["account.invoice"].browse(
            self._credit_note_wizard(complaint).action_create()["res_id"])
        refund.action_invoice_cancel()
        self.assertEqual(complaint.cost_amount, 0.0)

    def test_credit_note_quantity_above_invoiced_writes_nothing(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        wizard = self._credit_note_wizard(complaint, refund_mode="lines")
        wizard.line_ids[0].quantity = 99.0
        count = self._invoice_count()
        with self.assertRaises(UserError):
            wizard.action_create()
        self.assertEqual(self._invoice_count(), count)
        self.assertFalse(complaint.refund_ids)

    def test_credit_note_without_any_chosen_line_is_refused(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        wizard = self._credit_note_wizard(complaint, refund_mode="lines")
        wizard.line_ids.write({"quantity": 0.0})
        with self.assertRaises(UserError):
            wizard.action_create()
        self.assertFalse(complaint.refund_ids)

    def _assert_credit_note_refused(self, complaint):
        """Both the button and the wizard refuse, and no invoice is made."""
        count = self._invoice_count()
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_create_credit_note()
        with self.assertRaises(UserError):
            self._credit_note_wizard(complaint).action_create()
        self.assertEqual(self._invoice_count(), count)

    def test_credit_note_without_invoice_is_refused(self):
        self._assert_credit_note_refused(self._complaint())

    def test_credit_note_of_draft_invoice_is_refused(self):
        draft = self._invoice(self.customer, self.today, post=False)
        self._assert_credit_note_refused(self._complaint(invoice_id=draft.id))

    # returns

    def test_return_of_the_delivery_is_linked_and_valued_when_done(self):
        complaint = self._complaint(picking_id=self.delivery.id)
        returned = self._return(complaint, {self.product: 1.0})
        self.assertEqual(returned.complaint_id, complaint)
        self.assertEqual(complaint.return_picking_ids, returned)
        self.assertEqual(returned.move_lines.mapped("origin_returned_move_id.picking_id"),
                         self.delivery)
        self.assertEqual(returned.move_lines.product_id, self.product)
        self.assertEqual(complaint.cost_amount, 0.0, "goods not back yet")
        self._validate(returned)
        self.assertEqual(returned.state, "done")
        # 1 returned x cost 60
        self.assertAlmostEqual(complaint.cost_amount, 60.0)

    def test_return_without_delivery_is_refused(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_create_return()

    def test_return_of_undone_delivery_writes_nothing(self):
        pending = self._delivery(self.customer, {self.product: 1.0}, validate=False)
        complaint = self._complaint(picking_id=pending.id)
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_create_return()
        self.assertEqual(self.env["stock.picking"].search_count([]), count)

    def test_return_needs_an_inventory_user(self):
        complaint = self._complaint(picking_id=self.delivery.id)
        officer = self._user("complaint_officer_no_stock",
                             "crm_ext.crm_complaint_group_officer")
        with self.assertRaises(UserError):
            complaint.sudo(officer).action_create_return()

    # compensation points

    def test_compensation_points_enrol_the_customer_and_cost_their_value(self):
        complaint = self._complaint(partner=self.contact)
        self.assertFalse(self._member(self.customer))
        self._compensate(complaint, 500.0)
        member = self._member(self.customer)
        self.assertTrue(member, "the customer's company is enrolled")
        entry = complaint.loyalty_entry_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.entry_type, entry.bonus_reason, entry.points),
                         ("bonus", "compensation", 500.0))
        self.assertEqual(entry.member_id, member)
        self.assertEqual(entry.origin, complaint.name)
        self.assertEqual(self._balance(member), 500.0)
        # 500 points x 0.01
        self.assertAlmostEqual(complaint.cost_amount, 5.0)
        self.assertLiabilityBalanced()

    def test_compensation_without_active_program_writes_nothing(self):
        complaint = self._complaint()
        self.program.write({"active": False})
        counts = self._counts()
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_compensate_points()
        with self.assertRaises(UserError):
            self._compensate(complaint, 100.0)
        self.assertEqual(self._counts(), counts)

    def test_compensation_bad_points_write_nothing(self):
        complaint = self._complaint()
        counts = self._counts()
        for points in (0.0, -10.0, 2.5):
            with self.assertRaises(UserError):
                self._compensate(complaint, points)
        self.assertEqual(self._counts(), counts)

    def test_compensation_is_for_officers(self):
        complaint = self._complaint()
        complaint.write({"user_id": self.salesman.id})
        with self.assertRaises(AccessError):
            self._compensate(complaint, 100.0, user=self.salesman)
        self.assertFalse(complaint.loyalty_entry_ids)

    # cost

    def test_cost_sums_credit_notes_returns_and_points(self):
        complaint = self._complaint(invoice_id=self.invoice.id, picking_id=self.delivery.id)
        wizard = self._credit_note_wizard(complaint, refund_mode="lines")
        for line in wizard.line_ids:
            line.quantity = 1.0 if line.product_id == self.gadget else 0.0
        wizard.action_create()                                  # 50
        self._validate(self._return(complaint, {self.gadget: 2.0}))  # 2 x 20
        self._compensate(complaint, 300.0)                      # 3
        complaint.invalidate_cache()
        self.assertAlmostEqual(complaint.cost_amount, 93.0)
        self.env.cr.execute("SELECT cost_amount FROM crm_complaint WHERE id = %s",
                            (complaint.id,))
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 93.0, msg="stored")
