from odoo.exceptions import AccessError, UserError

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintSolution(ComplaintResolutionCase):
    """The solution base: resolved complaints published as solutions,
    suggested on the complaints of the same category, applied to them."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintSolution, cls).setUpClass()
        cls.solution_model = cls.env["crm.complaint.solution"]
        cls.other_company = cls.env["res.company"].create({"name": "Other Complaints Co"})

    def _publish(self, complaint):
        action = complaint.sudo(self.officer).action_publish_solution()
        return self.solution_model.browse(action["res_id"])

    def test_publish_a_resolved_complaint(self):
        complaint = self._resolve(self._complaint(),
                                  text="Replace the battery.\nThen reset the device.")
        solution = self._publish(complaint)
        self.assertEqual(solution.name, "Replace the battery.")
        self.assertEqual(solution.category_id, self.category_defect)
        self.assertIn("Then reset the device.", solution.answer)
        self.assertEqual(solution.complaint_id, complaint)
        self.assertEqual(solution.company_id, self.company)
        self.assertEqual(self._publish(complaint), solution, "published once")

    def test_open_complaint_is_not_published(self):
        complaint = self._complaint(resolution="Maybe", resolution_type="other")
        count = self.solution_model.search_count([])
        with self.assertRaises(UserError):
            self._publish(complaint)
        self.assertEqual(self.solution_model.search_count([]), count)

    def test_complaint_without_category_is_not_published(self):
        complaint = self._resolve(self._complaint(category_id=False))
        with self.assertRaises(UserError):
            self._publish(complaint)

    def test_suggestions_follow_the_category_tree_and_company(self):
        on_parent = self.solution_model.create({
            "name": "Parent answer", "category_id": self.category_product.id,
            "answer": "<p>Parent</p>", "company_id": self.company.id})
        on_child = self.solution_model.create({
            "name": "Child answer", "category_id": self.category_defect.id,
            "answer": "<p>Child</p>", "company_id": False})
        self.solution_model.create({
            "name": "Billing answer", "category_id": self.category_billing.id,
            "answer": "<p>Billing</p>"})
        self.solution_model.create({
            "name": "Archived answer", "category_id": self.category_defect.id,
            "answer": "<p>Old</p>", "active": False})
        self.solution_model.create({
            "name": "Other company's answer", "category_id": self.category_defect.id,
            "answer": "<p>Other</p>", "company_id": self.other_company.id})
        defect = self._complaint()
        product = self._complaint(category_id=self.category_product.id)
        complaints = (defect | product).sudo(self.officer)
        complaints.invalidate_cache()
        self.assertEqual(complaints[0].suggested_solution_ids, on_parent | on_child)
        self.assertEqual(complaints[1].suggested_solution_ids, on_parent)
        self.assertFalse(self._complaint(category_id=False).suggested_solution_ids)

    def test_a_complaint_is_not_suggested_its_own_solution(self):
        complaint = self._resolve(self._complaint())
        solution = self._publish(complaint)
        self.assertNotIn(solution, complaint.suggested_solution_ids)
        self.assertIn(solution, self._complaint().suggested_solution_ids)

    def test_apply_copies_the_answer_into_the_resolution(self):
        solution = self._publish(self._resolve(
            self._complaint(), text="Offer a replacement within 48 hours."))
        complaint = self._complaint(resolution="Customer called twice.")
        solution.sudo(self.officer).with_context(
            apply_complaint_id=complaint.id).action_apply()
        self.assertEqual(complaint.resolution,
                         "Customer called twice.\n\nOffer a replacement within 48 hours.")
        self.assertEqual(complaint.solution_id, solution)
        self.assertEqual(solution.use_count, 1)

    def test_apply_needs_the_complaint(self):
        solution = self._publish(self._resolve(self._complaint()))
        with self.assertRaises(UserError):
            solution.action_apply()

    def test_salespeople_read_solutions_and_officers_write_them(self):
        solution = self._publish(self._resolve(self._complaint()))
        self.assertEqual(solution.sudo(self.salesman).name, solution.name)
        with self.assertRaises(AccessError):
            self.solution_model.sudo(self.salesman).create({
                "name": "Mine", "category_id": self.category_defect.id, "answer": "<p>x</p>"})
        solution.sudo(self.officer).write({"name": "Better title"})
        self.assertEqual(solution.name, "Better title")

    def test_other_company_solutions_are_hidden(self):
        hidden = self.solution_model.create({
            "name": "Other company's answer", "category_id": self.category_defect.id,
            "answer": "<p>Other</p>", "company_id": self.other_company.id})
        self.assertNotIn(hidden, self.solution_model.sudo(self.officer).search([]))
