import json

from lxml import etree

from odoo.tests import common

from .test_complaint_common import ComplaintCase

RAW = """Return-Path: <{sender}>
To: complaints@example.com
From: {from_header}
Subject: {subject}
Date: Mon, 05 Jan 2026 10:00:00 +0000
Message-ID: <{message_id}@mail.example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

The delivery arrived broken: three cups out of six are cracked.
"""


@common.at_install(False)
@common.post_install(True)
class TestComplaintIntake(ComplaintCase):
    """An email to the complaints alias records a complaint from the
    sender."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintIntake, cls).setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("mail.catchall.domain", "example.com")

    def _receive(self, sender, name="", subject="Broken cups", message_id="broken-cups"):
        from_header = '"%s" <%s>' % (name, sender) if name else sender
        raw = RAW.format(sender=sender, from_header=from_header, subject=subject,
                         message_id=message_id)
        res_id = self.env["mail.thread"].message_process(False, raw)
        return self.complaint_model.browse(res_id)

    def test_alias_record(self):
        alias = self.env.ref("crm_ext.crm_complaint_alias")
        self.assertEqual(alias.alias_name, "complaints")
        self.assertEqual(alias.alias_model_id.model, "crm.complaint")

    def test_unknown_sender_becomes_a_customer(self):
        complaint = self._receive("new.person@example.org", name="New Person")
        self.assertTrue(complaint)
        self.assertEqual(complaint.channel, "email")
        self.assertIn("three cups out of six", complaint.description)
        partner = complaint.partner_id
        self.assertEqual(partner.email, "new.person@example.org")
        self.assertEqual(partner.name, "New Person")
        self.assertFalse(complaint.contact_id)
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertEqual(complaint.sla_id, self.sla)
        self.assertIn("Broken cups", complaint.message_ids.mapped("subject"))
        # the email's subject is the complaint's, shown on its cards and lists
        self.assertEqual(complaint.subject, "Broken cups")
        self.assertEqual(self.complaint_model.search([("subject", "ilike", "broken")]), complaint)

    def test_subject_shown_on_cards_lists_and_form(self):
        for view_type in ("tree", "kanban", "form"):
            arch = etree.fromstring(self.complaint_model.fields_view_get(
                view_type=view_type)["arch"])
            self.assertTrue(arch.xpath("//field[@name='subject']"), view_type)

    def test_known_sender_and_contact_of_a_company(self):
        complaint = self._receive("complaining@example.com")
        self.assertEqual(complaint.partner_id, self.customer)
        partners = self.env["res.partner"].search([("email", "=", "complaining@example.com")])
        self.assertEqual(partners, self.customer)
        buyer = self.env["res.partner"].create({
            "name": "Buyer", "parent_id": self.customer.id, "email": "buyer@example.com"})
        complaint = self._receive("buyer@example.com", message_id="second")
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, buyer)

    def test_reply_goes_to_the_same_complaint(self):
        complaint = self._receive("complaining@example.com")
        reply = RAW.format(sender="complaining@example.com",
                           from_header="complaining@example.com",
                           subject="Re: Broken cups", message_id="reply") \
            .replace("MIME-Version", "In-Reply-To: <broken-cups@mail.example.com>\nMIME-Version")
        self.env["mail.thread"].message_process(False, reply)
        self.assertEqual(self.complaint_model.search_count(
            [("partner_id", "=", self.customer.id)]), 1)
        self.assertIn("Re: Broken cups", complaint.message_ids.mapped("subject"))

    def test_a_complaint_logged_from_any_customer(self):
        salesman = self._user("intake_salesman", "Intake Salesman",
                              ["sales_team.group_sale_salesman"])
        newcomer = self.env["res.partner"].create({"name": "No Complaint Yet",
                                                   "is_company": True, "customer": True})
        partners = self.env["res.partner"].sudo(salesman)
        arch = etree.fromstring(partners.fields_view_get(view_type="form")["arch"])
        button = arch.xpath("//div[@name='button_box']/button[@name='action_view_complaints']"
                            "[field[@name='complaint_count']]")
        # shown with no complaint yet: not hidden by the count
        self.assertEqual(json.loads(button[0].get("modifiers") or "{}").get("invisible"), None)
        action = partners.browse(newcomer.id).action_view_complaints()
        complaint = self.complaint_model.sudo(salesman).with_context(
            **action["context"]).create({"name": "First one"})
        self.assertEqual(complaint.partner_id, newcomer)
