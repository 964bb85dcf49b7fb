from lxml import etree

from odoo.tests import common
from odoo.tools.safe_eval import safe_eval

from .common import InsightCase

# the "needs attention" filters of the customer lists (partners and insight)
ATTENTION = ("segment_at_risk", "segment_cant_lose", "segment_need_attention",
             "stage_declining", "overdue")


@common.at_install(False)
@common.post_install(True)
class TestCustomerAttentionFilters(InsightCase):
    """The one-click filters a salesperson finds customers to act on with,
    and the customers they land on."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerAttentionFilters, cls).setUpClass()
        cls.salesman = cls._user("attention_salesman", "sales_team.group_sale_salesman")
        cls.manager = cls._user("attention_manager", "sales_team.group_sale_manager")
        segment = cls.env.ref
        cls.customers = {}
        insights = cls.env["crm.customer.insight"].sudo()
        # rows as recompute_company writes them, with known values
        for key, segment_xmlid, stage, overdue in (
                ("segment_at_risk", "crm_customer_segment_at_risk", "active", 0.0),
                ("segment_cant_lose", "crm_customer_segment_cant_lose", "active", 0.0),
                ("segment_need_attention", "crm_customer_segment_need_attention", "active",
                 0.0),
                ("stage_declining", "crm_customer_segment_loyal", "declining", 0.0),
                ("overdue", "crm_customer_segment_loyal", "active", 80.0),
                ("fine", "crm_customer_segment_champions", "growing", 0.0)):
            partner = cls._customer("Attention %s" % key, user_id=cls.salesman.id)
            insights.create({
                "partner_id": partner.id, "company_id": cls.company.id,
                "segment_id": segment("crm_ext." + segment_xmlid).id,
                "lifecycle_stage": stage, "overdue_amount": overdue})
            cls.customers[key] = partner
        cls.others = cls._customer("Attention Someone Else's", user_id=cls.manager.id)
        insights.create({"partner_id": cls.others.id, "company_id": cls.company.id,
                         "segment_id": segment("crm_ext.crm_customer_segment_at_risk").id,
                         "lifecycle_stage": "declining", "overdue_amount": 10.0})

    def _filters(self, model, user):
        arch = etree.fromstring(self.env[model].sudo(user).fields_view_get(
            view_type="search")["arch"])
        return {node.get("name"): safe_eval(node.get("domain"), {"uid": user.id})
                for node in arch.iter("filter")
                if node.get("name") in ATTENTION + ("my_customers",)}

    def _found(self, model, domain, partner_field):
        ours = list(self.customers.values()) + [self.others]
        ids = [partner.id for partner in ours]
        records = self.env[model].sudo(self.salesman).search(
            domain + [(partner_field, "in", ids)])
        partners = records if partner_field == "id" else records.mapped(partner_field)
        return {key for key, partner in self.customers.items() if partner in partners}

    def test_partner_filters_find_the_customers_to_act_on(self):
        filters = self._filters("res.partner", self.salesman)
        for name in ATTENTION:
            self.assertEqual(self._found("res.partner", filters[name], "id"), {name}, name)

    def test_insight_filters_find_the_customers_to_act_on(self):
        filters = self._filters("crm.customer.insight", self.salesman)
        for name in ATTENTION:
            self.assertEqual(self._found("crm.customer.insight", filters[name], "partner_id"),
                             {name}, name)

    def test_my_customers_leaves_out_other_salespeople_s(self):
        domain = self._filters("crm.customer.insight", self.salesman)["my_customers"]
        found = self.env["crm.customer.insight"].sudo(self.manager).search(
            domain + [("partner_id", "in", [self.others.id, self.customers["fine"].id])])
        self.assertEqual(found.mapped("partner_id"), self.customers["fine"])

    def _landing_context(self, user):
        action = self.env.ref("crm_ext.crm_customer_insight_action").sudo(user).read()[0]
        return safe_eval(action["context"], {"uid": user.id})

    def test_salespeople_land_on_their_customers(self):
        context = self._landing_context(self.salesman)
        self.assertEqual(context, {"search_default_my_customers": 1,
                                   "search_default_group_segment": 1})
        self.assertIn("my_customers", self._filters("crm.customer.insight", self.salesman))

    def test_managers_land_on_the_whole_company(self):
        self.assertEqual(self._landing_context(self.manager),
                         {"search_default_group_segment": 1})
