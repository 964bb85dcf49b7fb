import json
from collections import Counter

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import common

from .common import InsightCase


@common.at_install(False)
@common.post_install(True)
class TestCustomerInsightPartner(InsightCase):
    """Customer lists grouped by insight fields, and the insight page as
    accountants see it."""

    @classmethod
    def setUpClass(cls):
        super(TestCustomerInsightPartner, cls).setUpClass()
        cls.champions = cls.env.ref("crm_ext.crm_customer_segment_champions")
        cls.loyal = cls.env.ref("crm_ext.crm_customer_segment_loyal")
        cls.big = cls._customer("Big Buyer")
        cls.big_contact = cls.env["res.partner"].create({
            "name": "Buyer At Big", "parent_id": cls.big.id})
        cls.grower = cls._customer("Growing Buyer")
        cls.faller = cls._customer("Falling Buyer")
        cls.prospect = cls._customer("Prospect Only")
        cls.elsewhere = cls._customer("Other Company Buyer")
        other_company = cls.env["res.company"].create({"name": "Insight Elsewhere"})
        # rows as recompute_company writes them, with known values
        insights = cls.env["crm.customer.insight"].sudo()
        for partner, company, segment, grade, abc, stage, net in (
                (cls.big, cls.company, cls.champions, "strategic", "A", "active", 1000.0),
                (cls.grower, cls.company, cls.loyal, "key", "B", "growing", 300.0),
                (cls.faller, cls.company, cls.champions, "key", "A", "declining", 500.0),
                (cls.elsewhere, other_company, cls.loyal, "general", "C", "new", 50.0)):
            insights.create({
                "partner_id": partner.id, "company_id": company.id,
                "segment_id": segment.id, "grade": grade, "abc_class": abc,
                "lifecycle_stage": stage, "net_invoiced": net})
        cls.partners = (cls.big | cls.big_contact | cls.grower | cls.faller | cls.prospect
                        | cls.elsewhere)
        cls.domain = [("id", "in", cls.partners.ids)]

        users = cls.env["res.users"].with_context(no_reset_password=True)
        contact_creation = cls.env.ref("base.group_partner_manager")
        cls.accountant = users.create({
            "name": "Insight Billing", "login": "insight_partner_accountant",
            "groups_id": [(6, 0, [cls.env.ref("account.group_account_invoice").id,
                                  contact_creation.id])]})
        cls.salesman = users.create({
            "name": "Insight Seller", "login": "insight_partner_salesman",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_salesman").id,
                                  contact_creation.id])]})
        cls.employee = users.create({
            "name": "Insight Storekeeper", "login": "insight_partner_employee",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id, contact_creation.id])]})

    def _groups(self, groupby, domain=None, fields=None, **kwargs):
        if fields is None:
            fields = groupby if isinstance(groupby, list) else [groupby]
        return self.env["res.partner"].read_group(
            domain if domain is not None else self.domain, fields, groupby, **kwargs)

    def _counts(self, groupby, domain=None):
        """[(group value, count)] in the order of the groups."""
        return [(group[groupby], group[groupby + "_count"])
                for group in self._groups(groupby, domain)]

    # grouping

    def test_group_by_grade(self):
        self.assertEqual(self._counts("customer_grade"), [
            ("strategic", 2), ("key", 2), (False, 2)],
            "contacts count with their company; no figures here means no grade")

    def test_group_by_abc_class(self):
        self.assertEqual(self._counts("abc_class"), [("A", 3), ("B", 1), (False, 2)])

    def test_group_by_lifecycle_stage_in_stage_order(self):
        self.assertEqual(self._counts("lifecycle_stage"), [
            ("active", 2), ("growing", 1), ("declining", 1), (False, 2)])

    def test_group_by_segment_in_priority_order(self):
        self.assertLess(self.champions.sequence, self.loyal.sequence)
        self.assertEqual(self._counts("customer_segment_id"), [
            ((self.champions.id, "Champions"), 3), ((self.loyal.id, "Loyal"), 1), (False, 2)])
        self.loyal.sequence = self.champions.sequence - 1
        self.assertEqual([value for value, _count in self._counts("customer_segment_id")],
                         [(self.loyal.id, "Loyal"), (self.champions.id, "Champions"), False])

    def test_group_with_a_domain(self):
        domain = self.domain + [("is_company", "=", True), ("name", "!=", "Falling Buyer")]
        self.assertEqual(self._counts("customer_grade", domain), [
            ("strategic", 1), ("key", 1), (False, 2)])
        self.assertEqual(self._counts("customer_grade", [("id", "=", self.prospect.id)]),
                         [(False, 1)])

    def test_group_domains_find_the_group_members(self):
        for groupby in ("customer_segment_id", "customer_grade", "abc_class",
                        "lifecycle_stage"):
            for group in self._groups(groupby):
                members = self.env["res.partner"].search(group["__domain"])
                self.assertEqual(len(members), group[groupby + "_count"], (groupby, group))
                self.assertLessEqual(members, self.partners)

    def test_groups_match_the_partner_fields(self):
        """After a real recompute, every customer of the database is counted
        in the group of its own (computed) field value."""
        self._recompute()
        customers = self.env["res.partner"].search([("customer", "=", True)])
        for groupby in ("customer_segment_id", "customer_grade", "abc_class",
                        "lifecycle_stage"):
            expected = Counter(
                partner[groupby].id if groupby == "customer_segment_id" else partner[groupby]
                for partner in customers)
            groups = self._groups(groupby, [("customer", "=", True)])
            found = Counter({
                (group[groupby][0] if groupby == "customer_segment_id" and group[groupby]
                 else group[groupby]): group[groupby + "_count"] for group in groups})
            self.assertEqual(found, expected, groupby)

    def test_one_query_whatever_the_number_of_customers(self):
        def queries(domain):
            before = self.env.cr.sql_log_count
            self._groups("customer_grade", domain)
            return self.env.cr.sql_log_count - before
        self._groups("customer_grade")  # the user, the access rules and rights are cached
        self.assertEqual(queries([("id", "=", self.big.id)]), 1)
        self.assertEqual(queries(self.domain), 1)
        self.assertEqual(queries([]), 1)

    def test_aggregates_and_descending_order(self):
        groups = self._groups("customer_grade", fields=["customer_grade", "rfm_monetary"],
                              orderby="customer_grade desc")
        self.assertEqual([group["customer_grade"] for group in groups],
                         [False, "key", "strategic"])
        self.assertEqual([group["rfm_monetary"] for group in groups],
                         [False, 800.0, 2000.0], "the contact shows its company's figures")

    def test_two_levels_lazily(self):
        groups = self._groups(["customer_grade", "abc_class"])
        key = next(group for group in groups if group["customer_grade"] == "key")
        self.assertEqual(key["__context"], {"group_by": ["abc_class"]})
        self.assertEqual(self._counts("abc_class", key["__domain"]), [("A", 1), ("B", 1)])
        # a stored field first, then an insight field
        companies = next(group for group in self._groups(["is_company", "customer_grade"])
                         if group["is_company"])
        self.assertEqual(companies["__context"], {"group_by": ["customer_grade"]})
        self.assertEqual(self._counts("customer_grade", companies["__domain"]), [
            ("strategic", 1), ("key", 2), (False, 2)])

    def test_two_levels_at_once(self):
        groupby = ["customer_grade", "abc_class"]
        groups = self._groups(groupby, fields=groupby, lazy=False)
        self.assertEqual(
            [(group["customer_grade"], group["abc_class"], group["__count"]) for group in groups],
            [("strategic", "A", 2), ("key", "A", 1), ("key", "B", 1), (False, False, 2)])
        groupby = ["is_company", "lifecycle_stage"]
        groups = self._groups(groupby, fields=groupby, lazy=False)
        self.assertEqual(
            {(group["is_company"], group["lifecycle_stage"]): group["__count"]
             for group in groups},
            {(False, "active"): 1, (True, "active"): 1, (True, "growing"): 1,
             (True, "declining"): 1, (True, False): 2})

    def test_offset_and_limit(self):
        groups = self._groups("customer_grade", offset=1, limit=1)
        self.assertEqual([group["customer_grade"] for group in groups], ["key"])

    def test_grouping_needs_access_to_the_figures(self):
        partners = self.env["res.partner"].sudo(self.accountant)
        groups = partners.read_group(self.domain, ["abc_class"], ["abc_class"])
        self.assertEqual(len(groups), 3)
        with self.assertRaises(AccessError):
            partners.sudo(self.employee).read_group(self.domain, ["abc_class"], ["abc_class"])

    def test_search_view_offers_the_groupings_to_insight_users(self):
        def visible_filters(user):
            view = self.env["res.partner"].sudo(user).fields_view_get(view_type="search")
            return {node.get("name") for node in etree.fromstring(view["arch"]).iter("filter")
                    if not json.loads(node.get("modifiers") or "{}").get("invisible")}
        groupings = {"group_customer_segment", "group_customer_grade", "group_abc_class",
                     "group_lifecycle_stage"}
        self.assertLessEqual(groupings, visible_filters(self.salesman))
        self.assertLessEqual(groupings | {"grade_strategic"}, visible_filters(self.accountant))
        self.assertFalse((groupings | {"grade_strategic"}) & visible_filters(self.employee))

    # the insight page for accountants

    def _form_fields(self, user, name):
        """The modifiers of the visible ``name`` fields of the customer form."""
        view = self.env["res.partner"].sudo(user).fields_view_get(view_type="form")
        arch = etree.fromstring(view["arch"])
        page = arch.xpath("//page[@name='customer_insight']")[0]
        self.assertFalse(json.loads(page.get("modifiers")).get("invisible") is True)
        nodes = [json.loads(node.get("modifiers") or "{}")
                 for node in page.xpath(".//field[@name='%s']" % name)]
        return [modifiers for modifiers in nodes if modifiers.get("invisible") is not True]

    def test_accountant_sees_the_ratings_read_only(self):
        for name in ("industry_rating", "customer_satisfaction"):
            accountant = self._form_fields(self.accountant, name)
            self.assertTrue(accountant)
            self.assertTrue(all(modifiers.get("readonly") is True for modifiers in accountant))
            salesman = self._form_fields(self.salesman, name)
            self.assertTrue(salesman)
            self.assertFalse(any(modifiers.get("readonly") for modifiers in salesman))

    def test_only_salespeople_change_the_ratings(self):
        partner = self.big.sudo(self.accountant)
        partner.write({"phone": "+32 2 555 00 00"})
        self.assertEqual(self.big.phone, "+32 2 555 00 00")
        for values in ({"industry_rating": "4"}, {"customer_satisfaction": 5}):
            with self.assertRaises(AccessError):
                partner.write(values)
        self.assertEqual(self.big.industry_rating, "0")
        self.big.sudo(self.salesman).write({"industry_rating": "4", "customer_satisfaction": 5})
        self.assertEqual(self.big.industry_rating, "4")

    def test_accountant_reads_the_insight_page(self):
        view = self.env["res.partner"].sudo(self.accountant).fields_view_get(view_type="form")
        values = self.big.sudo(self.accountant).read(list(view["fields"]))[0]
        self.assertEqual(values["customer_segment_id"][0], self.champions.id)
        self.assertEqual(values["customer_grade"], "strategic")
        self.assertEqual(values["rfm_monetary"], 1000.0)
        self.assertEqual(self.big_contact.sudo(self.accountant).abc_class, "A")

    def test_other_users_open_customers_without_figures(self):
        view = self.env["res.partner"].sudo(self.employee).fields_view_get(view_type="form")
        values = self.big.sudo(self.employee).read(list(view["fields"]))[0]
        self.assertFalse(values["customer_insight_id"])
        self.assertFalse(values["customer_grade"])
        self.assertEqual(values["customer_history_count"], 0)

    def test_accountant_follows_the_page_buttons(self):
        customer = self._customer("Billed Customer")
        self._invoice(customer, "2026-06-01", price=250.0)
        self._recompute()
        partner = customer.sudo(self.accountant)
        receivable = partner.action_view_open_receivable()
        lines = self.env[receivable["res_model"]].sudo(self.accountant).search(
            receivable["domain"])
        self.assertAlmostEqual(sum(lines.mapped("amount_residual")), 250.0)
        history = partner.action_view_customer_history()
        self.assertEqual(partner.customer_history_count, self.env[history["res_model"]].sudo(
            self.accountant).search_count(history["domain"]))
        figures = self.env.ref("crm_ext.crm_customer_insight_action").sudo(
            self.accountant).read()[0]
        self.assertEqual(self.env[figures["res_model"]].sudo(self.accountant).search(
            [("partner_id", "=", customer.id)]).net_invoiced, 250.0)

    def test_needs_attention_filters_find_the_segments_customers(self):
        at_risk = self.env.ref("crm_ext.crm_customer_segment_at_risk")
        insight = self.env["crm.customer.insight"].search([("partner_id", "=", self.grower.id)])
        insight.segment_id = at_risk
        partners = self.env["res.partner"].sudo(self.salesman)
        arch = etree.fromstring(partners.fields_view_get(view_type="search")["arch"])
        filters = {node.get("name"): node.get("domain") for node in arch.iter("filter")}
        for name, xmlid in (("segment_at_risk", "crm_customer_segment_at_risk"),
                            ("segment_cant_lose", "crm_customer_segment_cant_lose"),
                            ("segment_need_attention", "crm_customer_segment_need_attention")):
            segment = self.env.ref("crm_ext." + xmlid)
            self.assertEqual(filters[name], "[('customer_segment_id', '=', %d)]" % segment.id)
        found = partners.search(self.domain + [("customer_segment_id", "=", at_risk.id)])
        self.assertEqual(found, self.grower)
