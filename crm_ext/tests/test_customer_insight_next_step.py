from odoo.tests import common

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightNextStep(InsightCase):
    """The insight page of a customer says what to do next, with the
    segment's advice and why two labels both hold, as salespeople see it."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightNextStep, cls).setUpClass()
        cls.at_risk = cls.env.ref("crm_ext.crm_customer_segment_at_risk")
        cls.champions = cls.env.ref("crm_ext.crm_customer_segment_champions")
        cls.salesman = cls._user("next_step_salesman", "sales_team.group_sale_salesman")
        cls.employee = cls._user("next_step_employee", "base.group_user")
        cls.quiet = cls._customer("Quiet Grower", user_id=cls.salesman.id)
        cls.owing = cls._customer("Owing Champion", user_id=cls.salesman.id)
        cls.plain = cls._customer("Plain Champion", user_id=cls.salesman.id)
        insights = cls.env["crm.customer.insight"].sudo()
        # rows as recompute_company writes them, with known values
        for partner, segment, r_score, f_score, stage, overdue in (
                (cls.quiet, cls.at_risk, 1, 4, "growing", 0.0),
                (cls.owing, cls.champions, 5, 5, "declining", 250.0),
                (cls.plain, cls.champions, 5, 5, "active", 0.0)):
            insights.create({
                "partner_id": partner.id, "company_id": cls.company.id,
                "segment_id": segment.id, "r_score": r_score, "f_score": f_score,
                "lifecycle_stage": stage, "overdue_amount": overdue})

    def _as_salesman(self, partner):
        return partner.sudo(self.salesman)

    def test_segment_advice_is_shown_on_the_customer(self):
        self.assertEqual(self._as_salesman(self.plain).customer_segment_advice,
                         self.champions.description)

    def test_next_step_is_the_segment_advice_when_nothing_is_urgent(self):
        self.assertEqual(self._as_salesman(self.plain).customer_next_step,
                         self.champions.description)

    def test_next_step_collects_the_overdue_receivable(self):
        step = self._as_salesman(self.owing).customer_next_step
        self.assertIn("Collect the overdue receivable", step)
        self.assertIn("250.00", step)

    def test_next_step_follows_up_an_open_complaint(self):
        self.env["crm.complaint"].create({
            "partner_id": self.owing.id, "channel": "email", "severity": "normal",
            "description": "Late delivery"})
        self.owing.invalidate_cache()
        self.assertIn("Follow up the open complaints (1)",
                      self._as_salesman(self.owing).customer_next_step)

    def test_next_step_does_an_activity_due(self):
        self.env["mail.activity"].create({
            "res_id": self.plain.id,
            "res_model_id": self.env["ir.model"]._get("res.partner").id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_meeting").id,
            "date_deadline": "2000-01-01", "user_id": self.salesman.id})
        self.assertIn("planned activities that are due",
                      self._as_salesman(self.plain).customer_next_step)

    def test_at_risk_segment_with_growing_stage_is_explained(self):
        explanation = self._as_salesman(self.quiet).insight_explanation
        self.assertIn(self.at_risk.name, explanation)
        self.assertIn("Growing", explanation)
        self.assertIn("RFM", explanation)

    def test_champion_declining_is_explained(self):
        self.assertIn("falls", self._as_salesman(self.owing).insight_explanation)

    def test_consistent_labels_have_no_explanation(self):
        self.assertFalse(self._as_salesman(self.plain).insight_explanation)

    def test_basis_of_the_figures_is_in_words(self):
        basis = self._as_salesman(self.plain).insight_basis
        self.assertIn("365 days", basis)
        self.assertIn(self.company.currency_id.name, basis)

    def test_users_without_insight_see_no_next_step(self):
        self.assertFalse(self.plain.sudo(self.employee).customer_next_step)

    def test_all_figures_opens_the_customer_insight_form(self):
        action = self._as_salesman(self.plain).action_view_customer_insight()
        self.assertEqual((action["res_model"], action["view_mode"], action["res_id"]), (
            "crm.customer.insight", "form", self._insight(self.plain).id))
        self.assertNotIn("search_default_group_segment", action["context"])

    def test_plan_activity_and_start_quotation_open_forms_for_the_customer(self):
        form = self.env["res.partner"].sudo(self.salesman).fields_view_get(view_type="form")
        for xmlid, model in (("crm_ext.res_partner_action_plan_activity", "mail.activity"),
                             ("crm_ext.res_partner_action_start_quotation", "sale.order")):
            action = self.env.ref(xmlid)
            self.assertEqual((action.res_model, action.view_mode), (model, "form"))
            self.assertIn('name="%d"' % action.id, form["arch"])
        # the buttons' context: the defaults of the forms they open
        activity = self.env["mail.activity"].sudo(self.salesman).with_context(
            default_res_id=self.plain.id, default_res_model="res.partner").default_get(
                ["res_model_id", "res_model", "res_id"])
        self.assertEqual((activity["res_model_id"], activity["res_id"]), (
            self.env["ir.model"]._get("res.partner").id, self.plain.id))
        order = self.env["sale.order"].sudo(self.salesman).with_context(
            default_partner_id=self.plain.id).default_get(["partner_id"])
        self.assertEqual(order["partner_id"], self.plain.id)
