import json

from lxml import etree

from odoo.tests import common


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightPage(common.SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightPage, cls).setUpClass()
        cls.salesman = cls.env["res.users"].with_context(
            no_reset_password=True, mail_create_nosubscribe=True,
        ).create({
            "name": "Insight Salesman",
            "login": "insight_salesman",
            "email": "insight.salesman@example.com",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])],
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "Insight Customer Co",
            "is_company": True,
            "customer": True,
        })
        cls.contact = cls.env["res.partner"].create({
            "name": "Insight Contact",
            "parent_id": cls.customer.id,
        })
        cls.individual = cls.env["res.partner"].create({
            "name": "Insight Individual",
            "customer": True,
        })

    def _form_arch(self, user):
        view = self.env["res.partner"].sudo(user).fields_view_get(view_type="form")
        return etree.fromstring(view["arch"])

    def _insight_page(self, user):
        pages = self._form_arch(user).xpath("//page[@name='customer_insight']")
        self.assertEqual(len(pages), 1, "the customer form has one Customer Insight page")
        return pages[0]

    def test_salesman_sees_customer_insight_page(self):
        page = self._insight_page(self.salesman)
        self.assertEqual(page.get("string"), "Customer Insight")

    def test_page_follows_sales_and_purchases(self):
        page = self._insight_page(self.salesman)
        previous = page.getprevious()
        self.assertEqual(previous.get("name"), "sales_purchases")

    def test_page_shown_on_commercial_partners_only(self):
        page = self._insight_page(self.salesman)
        domain = json.loads(page.get("modifiers"))["invisible"]
        partners = self.customer | self.contact | self.individual
        hidden = self.env["res.partner"].search(
            [("id", "in", partners.ids)] + [tuple(leaf) for leaf in domain])
        self.assertEqual(hidden, self.contact)
