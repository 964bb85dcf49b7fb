"""Nobody acts beyond their role (issue 11): the records of crm_ext stay in
their company, "Own Documents Only" salespeople see their own customers
only, and the personal fields are read by the groups that need them.

The models are taken from the registry, not listed: a new model of crm_ext
with company data is checked as soon as it exists (and fails here until it
has a record rule and fixtures)."""
import base64
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.models import MetaModel
from odoo.tests import common
from odoo.tools import mute_logger

from .test_loyalty_common import LoyaltyCase

# shared configuration: no company field, the same for every company
WITHOUT_COMPANY = {"crm.complaint.stage", "crm.complaint.tag"}
# the other groups' fields are dropped or refused quietly; rules log it
QUIET = ("odoo.models", "odoo.addons.base.ir.ir_rule")


def crm_ext_models(env):
    """The persistent and SQL-view models crm_ext defines (not those it
    extends)."""
    names = set()
    for cls in MetaModel.module_to_models["crm_ext"]:
        parents = [cls._inherit] if isinstance(cls._inherit, str) else list(cls._inherit or ())
        if cls._name and cls._name not in parents:
            names.add(cls._name)
    return sorted(name for name in names
                  if not env[name]._transient and not env[name]._abstract)


def company_models(env):
    return [name for name in crm_ext_models(env) if "company_id" in env[name]._fields]


def customer_models(env):
    """The models with company data that are about one customer."""
    return [name for name in company_models(env)
            if getattr(env[name]._fields.get("partner_id"), "comodel_name", None)
            == "res.partner"]


@common.at_install(False)
@common.post_install(True)
class TestAccessRules(LoyaltyCase):
    """Company A (the loyalty tests' company and program) with a customer of
    the salesman, one of a colleague and one of nobody; company B with its
    own program and customer. Each customer has an insight row, history, a
    loyalty card with points and a tier change, a complaint, and a churn
    alert with a retention action; each company a churn crisis."""

    @classmethod
    def setUpClass(cls):
        super(TestAccessRules, cls).setUpClass()
        cls.colleague = cls.other_salesman
        cls.all_documents = cls._user("rules_all_documents",
                                      "sales_team.group_sale_salesman_all_leads")
        cls.sales_manager = cls._user("rules_sales_manager", "sales_team.group_sale_manager")
        cls.billing_salesman = cls._user("rules_billing_salesman",
                                         "sales_team.group_sale_salesman",
                                         "account.group_account_invoice")
        cls.officer = cls._user("rules_officer", "crm_ext.crm_complaint_group_officer")
        cls.employee = cls._user("rules_employee", "base.group_user")
        cls.portal = cls._user("rules_portal", "base.group_portal")
        cls.company_b = cls.env["res.company"].create({"name": "Access Rules B"})
        cls.user_b = cls.env["res.users"].create({
            "name": "Company B Manager", "login": "rules_user_b",
            "company_id": cls.company_b.id, "company_ids": [(6, 0, cls.company_b.ids)],
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id,
                                  cls.env.ref("account.group_account_invoice").id])]})

        cls.own_customer = cls._customer("Rules Own Customer", user_id=cls.salesman.id)
        cls.their_customer = cls._customer("Rules Colleague's Customer",
                                           user_id=cls.colleague.id)
        cls.free_customer = cls._customer("Rules Customer Without Salesperson")
        cls.customer_b = cls._customer("Rules Company B Customer",
                                       company_id=cls.company_b.id, user_id=cls.user_b.id)
        cls.program.write({"category_rule_ids": [(0, 0, {
            "categ_id": cls.env.ref("product.product_category_all").id, "multiplier": 2.0})]})
        program_b = cls.program_model.create({
            "name": "Rules B Loyalty", "company_id": cls.company_b.id,
            "tier_ids": [(0, 0, {"name": "B Base", "min_spend": 0.0})],
            "category_rule_ids": [(0, 0, {
                "categ_id": cls.env.ref("product.product_category_all").id,
                "multiplier": 2.0})]})
        cls.segment = cls._company_data(cls.company, cls.program, (
            cls.own_customer, cls.their_customer, cls.free_customer))
        cls._company_data(cls.company_b, program_b, cls.customer_b)
        cls.complaint = cls._of_customer("crm.complaint", cls.own_customer)
        cls.their_complaint = cls._of_customer("crm.complaint", cls.their_customer)

    @classmethod
    def _company_data(cls, company, program, customers):
        """The records of every model with company data for ``company``;
        returns its customer segment."""
        env = cls.env
        segment = env["crm.customer.segment"].create(
            {"name": "Rules Segment %s" % company.name, "company_id": company.id})
        env["crm.customer.grade"].create({
            "name": "Rules Grade", "code": "key", "min_score": 50.0,
            "company_id": company.id})
        category = env["crm.complaint.category"].create(
            {"name": "Rules Category", "company_id": company.id})
        env["crm.complaint.sla"].create({
            "name": "Rules SLA", "company_id": company.id,
            "resource_calendar_id": (company.resource_calendar_id or env[
                "resource.calendar"].create({"name": "Rules", "company_id": company.id})).id})
        env["crm.complaint.solution"].create({
            "name": "Rules Solution", "category_id": category.id,
            "answer": "<p>Apologise.</p>", "company_id": company.id})
        env["crm.churn.history.import"].create({
            "name": "rules.csv", "company_id": company.id,
            "data": base64.b64encode(b"ref,name,date,amount\n")})
        changed = fields.Date.to_string(
            fields.Date.from_string(cls.today) - timedelta(days=40))
        # the churn model of the company (on too little data: its card alone)
        env["crm.churn.model"]._fit_company(company, as_of=cls.today)
        alerts = env["crm.churn.alert"]
        for customer in customers:
            env["crm.customer.insight"].create({
                "partner_id": customer.id, "company_id": company.id,
                "segment_id": segment.id, "grade": "key", "net_invoiced": 1000.0})
            for field_name, value in (("segment", segment.name), ("lifecycle_stage", "new")):
                env["crm.customer.segment.history"].create({
                    "partner_id": customer.id, "company_id": company.id, "date": changed,
                    "field_name": field_name, "new_value": value})
            # enrolled with the tier its spend reaches (a tier change)
            member = cls.member_model._member_of(program, customer)
            # 500 points: 600 given, 100 of them used (the points a movement used)
            cls._give(member, 600.0)
            cls._give(member, -100.0)
            env["crm.complaint"].create({
                "partner_id": customer.id, "company_id": company.id, "team_id": False,
                "category_id": category.id, "description": "<p>Late.</p>"})
            # a churn alert owned by the salesperson, with a retention action
            alerts |= env["crm.churn.alert"].create({
                "partner_id": customer.id, "company_id": company.id, "date": cls.today,
                "churn_risk": 80, "user_id": customer.user_id.id,
                "action_ids": [(0, 0, {"action_type": "call", "cost": 1.0,
                                       "date": fields.Datetime.now()})]})
        env["crm.churn.crisis"].create({
            "company_id": company.id, "dimension": "segment", "value_id": segment.id,
            "date": cls.today, "alert_ids": [(6, 0, alerts.ids)]})
        return segment

    @classmethod
    def _of_customer(cls, model, customer):
        return cls.env[model].sudo().search([("partner_id", "=", customer.id)])

    def _of_company(self, model, company):
        return self.env[model].sudo().search([("company_id", "=", company.id)])

    # what a user finds through the four calls of the web client and RPC

    def _found(self, user, model, domain=()):
        return self.env[model].sudo(user).search(list(domain))

    def _grouped(self, user, model, field):
        """Ids of ``field`` in the groups of read_group."""
        groups = self.env[model].sudo(user).read_group([], [field], [field])
        return {group[field][0] for group in groups if group[field]}

    def _exported(self, records, field):
        """{(id, id of ``field``)} of export_data."""
        rows = records.export_data([".id", field + "/.id"])["datas"]
        return {(int(row[0]), int(row[1]) if row[1] else False) for row in rows}

    def assertRefused(self, records, field):
        """Neither read nor export_data gives ``records`` to their user."""
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            records.read([field])
        records.invalidate_cache()
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            records.export_data([".id", field + "/.id"])

    def _readable(self, user):
        """The models about one customer that ``user`` may read."""
        return [model for model in customer_models(self.env) if self.env[model].sudo(
            user).check_access_rights("read", raise_exception=False)]

    def assertSeesTheCompany(self, *users):
        for user in users:
            for model in self._readable(user):
                self.assertSeesCustomer(user, model, self.their_customer)

    def assertSeesCustomer(self, user, model, customer):
        records = self._of_customer(model, customer)
        self.assertTrue(records, model)
        self.assertLessEqual(records, self._found(user, model), model)
        records.sudo(user).read(["partner_id"])

    # the models

    def test_models_without_company_are_shared_configuration(self):
        self.assertEqual(set(crm_ext_models(self.env)) - set(company_models(self.env)),
                         WITHOUT_COMPANY)

    def test_every_model_with_company_data_has_records_in_both_companies(self):
        self.assertLessEqual({"crm.customer.insight", "crm.loyalty.tier.history",
                              "crm.complaint.report"}, set(customer_models(self.env)))
        for model in company_models(self.env):
            for company in (self.company, self.company_b):
                self.assertTrue(self._of_company(model, company), (model, company.name))
        for model in customer_models(self.env):
            for customer in (self.own_customer, self.their_customer, self.free_customer):
                self.assertTrue(self._of_customer(model, customer), (model, customer.name))

    # companies

    def test_other_company_searches_none_of_its_records(self):
        for model in company_models(self.env):
            found = self._found(self.user_b, model)
            self.assertEqual(found.sudo().mapped("company_id"), self.company_b, model)
            self.assertFalse(found & self._of_company(model, self.company), model)

    def test_other_company_cannot_read_or_export_its_records(self):
        for model in company_models(self.env):
            records = self._of_company(model, self.company)[:20]
            self.assertRefused(records.sudo(self.user_b), "company_id")

    def test_other_company_groups_none_of_its_records(self):
        for model in company_models(self.env):
            self.assertEqual(self._grouped(self.user_b, model, "company_id"),
                             set(self.company_b.ids), model)

    def test_other_company_exports_none_of_its_records(self):
        for model in company_models(self.env):
            exported = self._exported(self._found(self.user_b, model), "company_id")
            self.assertTrue(exported, model)
            # shared configuration has no company
            self.assertEqual({company for _id, company in exported if company},
                             set(self.company_b.ids), model)

    def test_shared_configuration_is_seen_by_every_company(self):
        shared = self.env.ref("crm_ext.crm_customer_segment_champions")
        self.assertFalse(shared.company_id)
        self.assertIn(shared, self._found(self.user_b, "crm.customer.segment"))
        self.assertIn(shared, self._found(self.salesman, "crm.customer.segment"))

    # Own Documents Only salespeople

    def test_salesperson_searches_their_customers_only(self):
        # all but the complaint analysis, the officers' (see below)
        self.assertLessEqual({"crm.customer.insight", "crm.loyalty.entry", "crm.complaint"},
                             set(self._readable(self.salesman)))
        for model in self._readable(self.salesman):
            found = self._found(self.salesman, model)
            self.assertFalse(found & self._of_customer(model, self.their_customer), model)
            self.assertSeesCustomer(self.salesman, model, self.own_customer)
            self.assertSeesCustomer(self.salesman, model, self.free_customer)

    def test_salesperson_cannot_read_or_export_a_colleagues_customer(self):
        for model in customer_models(self.env):
            records = self._of_customer(model, self.their_customer).sudo(self.salesman)
            self.assertRefused(records, "partner_id")

    def test_salesperson_groups_their_customers_only(self):
        for model in self._readable(self.salesman):
            partners = self._grouped(self.salesman, model, "partner_id")
            self.assertNotIn(self.their_customer.id, partners, model)
            self.assertLessEqual({self.own_customer.id, self.free_customer.id}, partners, model)

    def test_salesperson_exports_their_customers_only(self):
        for model in self._readable(self.salesman):
            exported = self._exported(self._found(self.salesman, model), "partner_id")
            partners = {partner for _id, partner in exported}
            self.assertNotIn(self.their_customer.id, partners, model)
            self.assertIn(self.own_customer.id, partners, model)

    def test_complaint_analysis_given_to_salespeople_shows_their_customers(self):
        """Officers only read the analysis: were salespeople given it, they
        would see their customers' complaints, as in the complaints."""
        self.env["ir.model.access"].create({
            "name": "complaint analysis for salespeople",
            "model_id": self.env["ir.model"]._get_id("crm.complaint.report"),
            "group_id": self.env.ref("sales_team.group_sale_salesman").id,
            "perm_read": True})
        found = self._found(self.salesman, "crm.complaint.report")
        self.assertFalse(found & self._of_customer("crm.complaint.report", self.their_customer))
        self.assertSeesCustomer(self.salesman, "crm.complaint.report", self.own_customer)

    def test_complaints_the_salesperson_handles_or_recorded(self):
        self.their_complaint.user_id = self.salesman
        recorded = self.env["crm.complaint"].sudo(self.salesman).create(
            {"partner_id": self.their_customer.id, "user_id": self.colleague.id})
        found = self._found(self.salesman, "crm.complaint",
                            [("partner_id", "=", self.their_customer.id)])
        self.assertEqual(found, self.their_complaint | recorded)
        # the customer's loyalty stays the colleague's
        self.assertFalse(self._found(self.salesman, "crm.loyalty.member",
                                     [("partner_id", "=", self.their_customer.id)]))

    # the company's records, by role

    def test_accountants_read_the_whole_company(self):
        self.assertSeesTheCompany(self.accountant, self.billing_salesman)

    def test_accountants_change_only_their_own_customers_complaints(self):
        complaint = self.their_complaint.sudo(self.billing_salesman)
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            complaint.write({"priority": "1"})

    def test_all_documents_salespeople_see_the_whole_company(self):
        self.assertSeesTheCompany(self.all_documents, self.sales_manager)

    def test_loyalty_managers_see_every_card(self):
        for model in ("crm.loyalty.member", "crm.loyalty.entry", "crm.loyalty.tier.history"):
            self.assertSeesCustomer(self.loyalty_manager, model, self.their_customer)
        self.assertFalse(self._found(self.loyalty_manager, "crm.customer.insight",
                                     [("partner_id", "=", self.their_customer.id)]))

    def test_officers_see_every_complaint(self):
        for model in ("crm.complaint", "crm.complaint.report"):
            self.assertSeesCustomer(self.officer, model, self.their_customer)
        self.assertFalse(self._found(self.officer, "crm.loyalty.member",
                                     [("partner_id", "=", self.their_customer.id)]))

    # the salesperson's daily paths

    def _form_values(self, user, model, record):
        """What the web client reads to show ``record``'s form to ``user``."""
        view = self.env[model].sudo(user).fields_view_get(view_type="form")
        return view["fields"], record.sudo(user).read(list(view["fields"]))[0]

    def test_customer_form_of_a_colleagues_customer(self):
        _fields, values = self._form_values(self.salesman, "res.partner", self.their_customer)
        self.assertFalse(values["customer_insight_id"])
        self.assertFalse(values["customer_segment_id"])
        self.assertFalse(values["loyalty_card_ids"])
        self.assertEqual(values["loyalty_balance"], 0.0)
        self.assertEqual(values["complaint_count"], 0)
        _fields, values = self._form_values(self.salesman, "res.partner", self.own_customer)
        self.assertEqual(values["customer_segment_id"][0], self.segment.id)
        self.assertEqual(values["loyalty_balance"], 500.0)
        self.assertEqual(values["complaint_count"], 1)

    def test_customers_searched_and_grouped_by_insight_fields(self):
        partners = self.env["res.partner"].sudo(self.salesman)
        customers = self.own_customer | self.their_customer | self.free_customer
        self.assertEqual(
            partners.search([("id", "in", customers.ids),
                             ("customer_segment_id", "=", self.segment.id)]),
            self.own_customer | self.free_customer)
        groups = partners.read_group([("id", "in", customers.ids)],
                                     ["customer_segment_id", "rfm_monetary"],
                                     ["customer_segment_id"])
        self.assertEqual(
            [(group["customer_segment_id"] and group["customer_segment_id"][0],
              group["customer_segment_id_count"], group["rfm_monetary"]) for group in groups],
            [(self.segment.id, 2, 2000.0), (False, 1, False)])

    def test_points_redeemed_and_given_back_on_a_colleagues_customer(self):
        member = self.member_model._member_of(self.program, self.their_customer)
        order = self._quotation(self.their_customer, 1000.0, user=self.salesman)
        wizard = self.env["crm.loyalty.redeem.wizard"].sudo(self.salesman).with_context(
            active_model="sale.order", active_id=order.id).create({})
        self.assertEqual(wizard.balance, 500.0)
        wizard.points = 200.0
        wizard.action_apply()
        self.assertEqual(order.loyalty_points_redeemed, 200.0)
        self.assertEqual(self._balance(member), 300.0)
        order.action_cancel()
        self.assertEqual(self._balance(member), 500.0)

    def test_invoice_points_kept_by_a_user_who_does_not_see_the_ledger(self):
        invoice = self._sell(self.their_customer, 300.0)
        self._pay(invoice)
        member = self.member_model._member_of(self.program, self.their_customer)
        # 300 x 2 (the category multiplier) on the 500 points given
        self.assertEqual(self._balance(member), 1100.0)
        invoice.sudo(self.salesman)._sync_loyalty_points()
        self.assertEqual(self._balance(member), 1100.0)

    def test_officer_compensates_and_credits_a_colleagues_customer(self):
        complaint = self.their_complaint
        complaint.invoice_id = self._sell(self.their_customer, 300.0)
        self.env["crm.complaint.compensation.wizard"].sudo(self.officer).create(
            {"complaint_id": complaint.id, "points": 100.0}).action_apply()
        self.assertEqual(complaint.sudo(self.officer).compensation_points, 100.0)
        self.assertEqual(self._balance(self.member_model._member_of(
            self.program, self.their_customer)), 600.0)
        action = self.env["crm.complaint.credit.note.wizard"].sudo(self.officer).with_context(
            default_complaint_id=complaint.id).create({}).action_create()
        self.assertEqual(complaint.refund_ids.id, action["res_id"])

    # personal fields

    def assertFieldReaders(self, record, field, readers, others):
        for user in readers:
            record.sudo(user).read([field])
        for user in others:
            with self.assertRaises(AccessError), mute_logger(*QUIET):
                record.sudo(user).read([field])

    def test_birthday_for_loyalty_managers(self):
        self.own_customer.birthdate = "1984-03-02"
        self.assertFieldReaders(
            self.own_customer, "birthdate", (self.loyalty_manager, self.sales_manager),
            (self.salesman, self.all_documents, self.accountant, self.officer, self.employee))
        with self.assertRaises(AccessError), mute_logger(*QUIET):
            self.own_customer.sudo(self.salesman).write({"birthdate": "1984-03-03"})
        self.own_customer.sudo(self.loyalty_manager).write({"birthdate": "1984-03-03"})
        self.assertEqual(self.own_customer.birthdate, "1984-03-03")

    def test_satisfaction_for_salespeople_and_accountants(self):
        self.assertFieldReaders(
            self.own_customer, "customer_satisfaction", (self.salesman, self.accountant),
            (self.employee,))

    def _rated(self):
        self.complaint._rate(2, feedback="The driver was rude to my wife.")
        return self.complaint

    def test_rating_comment_for_officers(self):
        complaint = self._rated()
        for field in ("rating_comment", "rating_last_feedback"):
            self.assertFieldReaders(complaint, field, (self.officer, self.sales_manager),
                                    (self.salesman,))
        ratings = self.env["rating.rating"].sudo().search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
        self.assertEqual(ratings.feedback, "The driver was rude to my wife.")
        self.assertFieldReaders(ratings, "feedback", (self.officer,),
                                (self.salesman, self.employee, self.portal))
        for user, found in ((self.officer, ratings), (self.salesman, ratings.browse()),
                            (self.portal, ratings.browse())):
            self.assertEqual(self._found(user, "rating.rating", [
                ("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]), found)

    def test_forms_open_without_the_personal_fields(self):
        for user in (self.salesman, self.accountant, self.employee):
            view_fields, _values = self._form_values(user, "res.partner", self.own_customer)
            self.assertNotIn("birthdate", view_fields)
        view_fields, _values = self._form_values(self.salesman, "res.partner",
                                                 self.own_customer)
        self.assertIn("customer_satisfaction", view_fields)
        self.assertNotIn("customer_satisfaction", self._form_values(
            self.employee, "res.partner", self.own_customer)[0])
        self.assertIn("birthdate", self._form_values(
            self.loyalty_manager, "res.partner", self.own_customer)[0])
        complaint = self._rated()
        view_fields, values = self._form_values(self.salesman, "crm.complaint", complaint)
        self.assertNotIn("rating_comment", view_fields)
        self.assertEqual(values["customer_rating"], 2)
        arch = etree.fromstring(self.env["crm.complaint"].sudo(self.officer).fields_view_get(
            view_type="form")["arch"])
        self.assertTrue(arch.xpath("//field[@name='rating_comment']"))

    def test_salesperson_closes_a_rated_complaint(self):
        complaint = self._rated().sudo(self.salesman)
        complaint.write({"resolution_type": "explanation", "resolution": "Driver trained.",
                         "stage_id": self.env.ref("crm_ext.crm_complaint_stage_closed").id})
        self.assertTrue(complaint.is_closed)
        self.assertIn("rude to my wife", complaint.sudo().message_ids[0].body)

    def test_salesperson_duplicates_a_customer(self):
        self.own_customer.write({"birthdate": "1984-03-02", "customer_satisfaction": 4.0})
        copy = self.own_customer.sudo(self.salesman).copy({"name": "Rules Copy"})
        self.assertFalse(copy.sudo().birthdate)
        self.assertFalse(copy.sudo().customer_satisfaction)
