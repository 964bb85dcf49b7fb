from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from .test_complaint_common import ComplaintCase


@common.at_install(False)
@common.post_install(True)
class TestComplaintAccess(ComplaintCase):
    """Salespeople handle their customers' complaints, officers all of their
    company's, managers also the configuration; companies are isolated."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintAccess, cls).setUpClass()
        cls.salesman = cls._user("complaint_salesman", "Salesman",
                                 ["sales_team.group_sale_salesman"])
        cls.other_salesman = cls._user("complaint_salesman2", "Other Salesman",
                                       ["sales_team.group_sale_salesman"])
        # the complaining customer is a colleague's (those without a
        # salesperson are everybody's: test_access_rules)
        cls.colleague = cls._user("complaint_salesman3", "Colleague",
                                  ["sales_team.group_sale_salesman"])
        cls.customer.user_id = cls.colleague
        cls.officer = cls.responsible
        cls.manager = cls._user("complaint_manager", "Complaint Manager",
                                ["crm_ext.crm_complaint_group_manager"])
        cls.own_customer = cls.env["res.partner"].create({
            "name": "Salesman's Customer", "customer": True, "is_company": True,
            "user_id": cls.salesman.id})
        cls.own_complaint = cls._complaint(partner_id=cls.own_customer.id)
        cls.other_complaint = cls._complaint()
        cls.company2 = cls.env["res.company"].create({"name": "Second Complaints Co"})
        cls.officer2 = cls._user("complaint_officer2", "Officer 2",
                                 ["crm_ext.crm_complaint_group_officer"], cls.company2)
        cls.complaint2 = cls._complaint(company_id=cls.company2.id, team_id=False,
                                        user_id=cls.officer2.id)

    def _visible(self, user):
        return self.complaint_model.sudo(user).search([
            ("id", "in", (self.own_complaint | self.other_complaint | self.complaint2).ids)])

    def test_salesperson_sees_own_customers_complaints(self):
        self.assertEqual(self._visible(self.salesman), self.own_complaint)
        self.assertFalse(self._visible(self.other_salesman))
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.ir.ir_rule"):
            self.other_complaint.sudo(self.salesman).read(["name"])

    def test_salesperson_records_and_keeps_seeing_a_complaint(self):
        complaint = self.complaint_model.sudo(self.other_salesman).create({
            "partner_id": self.customer.id, "description": "<p>Rude driver</p>"})
        self.assertEqual(complaint.create_uid, self.other_salesman)
        complaint.write({"severity": "high"})
        self.assertEqual(complaint.sla_id, self.sla)
        self.assertIn(complaint, self.complaint_model.sudo(self.other_salesman).search([]))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            complaint.unlink()

    def test_complaint_count_on_the_customer(self):
        self.assertEqual(self.own_customer.sudo(self.salesman).complaint_count, 1)
        self.assertEqual(self.customer.sudo(self.salesman).complaint_count, 0)
        self.assertEqual(self.customer.sudo(self.officer).complaint_count, 1)
        contact = self.env["res.partner"].create(
            {"name": "Contact", "parent_id": self.customer.id})
        self.assertEqual(contact.sudo(self.officer).complaint_count, 1)

    def test_officer_sees_all_of_the_company_only(self):
        self.assertEqual(self._visible(self.officer), self.own_complaint | self.other_complaint)
        self.assertEqual(self._visible(self.officer2), self.complaint2)
        self.other_complaint.sudo(self.officer).write({"severity": "high"})

    def test_only_managers_configure(self):
        for user in (self.salesman, self.officer):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.sla_model.sudo(user).create({
                    "name": "Mine", "resource_calendar_id": self.calendar.id})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.stage_new.sudo(user).write({"name": "Fresh"})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.env["crm.complaint.category"].sudo(user).create({"name": "Mine"})
            self.stage_new.sudo(user).read(["name"])
            self.sla.sudo(user).read(["name"])
        sla = self.sla_model.sudo(self.manager).create({
            "name": "Manager's", "resource_calendar_id": self.calendar.id})
        self.env["crm.complaint.category"].sudo(self.manager).create({"name": "Manager's"})
        self.assertEqual(sla.company_id, self.company)

    def test_companies_do_not_share_policies(self):
        calendar2 = self.env["resource.calendar"].create(
            {"name": "Second", "company_id": self.company2.id})
        sla2 = self.sla_model.create({
            "name": "Second Company", "sequence": 1, "company_id": self.company2.id,
            "resource_calendar_id": calendar2.id})
        self.assertEqual(self._complaint().sla_id, self.sla)
        self.assertEqual(self._complaint(company_id=self.company2.id, team_id=False).sla_id,
                         sla2)
        self.assertFalse(self.sla_model.sudo(self.officer).search([("id", "=", sla2.id)]))
        self.assertEqual(self.sla_model.sudo(self.officer2).search([]), sla2)
