"""Crisis warning (issue 14): several customers of one segment, product
category, salesperson or region turning at risk within the company's
window raise one open crisis for the sales managers."""
from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from ..exceptions import SalesManagersOnlyError
from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnCrisis(ChurnCase):
    """Three customers is a crisis (the fixtures' count), within 14 days."""

    @classmethod
    def setUpClass(cls):
        super(TestChurnCrisis, cls).setUpClass()
        cls.state_ny = cls.env.ref("base.state_us_27")
        cls.state_ca = cls.env.ref("base.state_us_5")

    def _region(self, name, state, risk=80):
        return self._at_risk(name, risk=risk, state_id=state.id,
                             country_id=state.country_id.id)

    def _crises(self, dimension=None):
        domain = [("company_id", "=", self.company.id)]
        if dimension:
            domain.append(("dimension", "=", dimension))
        return self.crisis_model.search(domain)

    def test_crisis_raised_at_the_count(self):
        customers = [self._region("Churn NY %d" % n, self.state_ny) for n in range(3)]
        self._detect()
        crisis = self._crises("state")
        self.assertEqual(len(crisis), 1)
        self.assertEqual((crisis.value_id, crisis.state, crisis.date),
                         (self.state_ny.id, "open", self.today))
        self.assertEqual(set(crisis.alert_ids.mapped("partner_id").ids),
                         set(partner.id for partner in customers))
        self.assertIn(self.state_ny.name, crisis.name)

    def test_no_crisis_below_the_count(self):
        for n in range(2):
            self._region("Churn CA %d" % n, self.state_ca)
        self._detect()
        self.assertFalse(self._crises("state"))

    def _early_and_late(self, days_later):
        """One customer at risk today, two ``days_later``."""
        self._region("Churn NY Early", self.state_ny)
        self._detect()
        for n in range(2):
            self._region("Churn NY Late %d" % n, self.state_ny)
        self._detect(self._later(days_later))

    def test_alerts_before_the_window_do_not_count(self):
        self._early_and_late(14)
        self.assertFalse(self._crises("state"))

    def test_alerts_within_the_window_count(self):
        self._early_and_late(13)
        self.assertEqual(len(self._crises("state").alert_ids), 3)

    def test_one_open_crisis_per_value(self):
        for n in range(3):
            self._region("Churn NY %d" % n, self.state_ny)
        self._detect()
        crisis = self._crises("state")
        joining = self._region("Churn NY Joining", self.state_ny)
        self._detect(self._later(1))
        self.assertEqual(self._crises("state"), crisis)
        self.assertIn(joining, crisis.alert_ids.mapped("partner_id"))
        self.assertEqual(crisis.alert_count, 4)

    def test_a_closed_crisis_makes_way_for_a_new_one(self):
        for n in range(3):
            self._region("Churn NY %d" % n, self.state_ny)
        self._detect()
        crisis = self._crises("state")
        crisis.sudo(self.sales_manager).action_close()
        self._detect(self._later(1))
        self.assertEqual(len(self._crises("state")), 2)
        self.assertEqual(crisis.state, "closed")

    def test_dismissed_alerts_do_not_count(self):
        customers = [self._region("Churn NY %d" % n, self.state_ny) for n in range(3)]
        self._detect(self._later(-1))
        self.alert_model.search([("partner_id", "=", customers[0].id)])._dismiss("Known")
        self.crisis_model.search([]).unlink()
        self._detect()
        self.assertFalse(self._crises("state"))

    def test_salesperson_and_country_crises(self):
        for n in range(3):
            self._at_risk("Churn Of Salesman %d" % n, user_id=self.other_salesman.id,
                          country_id=self.env.ref("base.be").id)
        self._detect()
        self.assertEqual(self._crises("salesperson").value_id, self.other_salesman.id)
        self.assertEqual(self._crises("country").value_id, self.env.ref("base.be").id)

    def test_segment_crisis(self):
        segment = self.env["crm.customer.segment"].create(
            {"name": "Churn Segment", "company_id": self.company.id})
        for n in range(3):
            customer = self._at_risk("Churn Segment %d" % n)
            self._score(customer, 80, 0.5).segment_id = segment
        self._detect()
        self.assertEqual(self._crises("segment").value_id, segment.id)

    def test_product_category_is_the_customers_largest(self):
        category = self.env["product.category"].create({"name": "Churn Category"})
        other = self.env["product.category"].create({"name": "Churn Other Category"})
        self.product.categ_id = category
        cheap = self.product.copy({"categ_id": other.id})
        for n in range(3):
            customer = self._at_risk("Churn Category %d" % n)
            self._sell(customer, 900.0, date=self._date(days=-150))
            invoice = self._invoice(customer, self._date(days=-140), price=100.0, post=False)
            invoice.invoice_line_ids.product_id = cheap
            invoice.action_invoice_open()
            self._score(customer, 80, 0.5, last_purchase=self._date(days=-140))
        self._detect()
        self.assertEqual(self._crises("category").value_id, category.id)

    def test_sales_managers_get_an_activity(self):
        for n in range(3):
            self._region("Churn NY %d" % n, self.state_ny)
        self._detect()
        crisis = self._crises("state")
        self.assertIn(self.sales_manager, crisis.activity_ids.mapped("user_id"))
        self.assertEqual(crisis.activity_ids.mapped("activity_type_id"),
                         self.env.ref("crm_ext.mail_activity_data_churn_crisis"))

    def test_only_sales_managers_close_a_crisis(self):
        for n in range(3):
            self._region("Churn NY %d" % n, self.state_ny)
        self._detect()
        crisis = self._crises("state")
        with self.assertRaises(SalesManagersOnlyError):
            crisis.sudo(self.all_documents).action_close()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            crisis.sudo(self.salesman).read(["name"])
        self.assertEqual(crisis.state, "open")
        self.assertTrue(crisis.sudo(self.sales_manager).action_close())
        self.assertTrue(crisis.sudo(self.sales_manager).action_close())
        self.assertEqual(crisis.state, "closed")
