"""The resolution email shown before it goes (issue 15): the form's Send
Resolution opens Odoo's composer with the resolution template; only its
Send emails the customer and marks the resolution as sent."""
from odoo.exceptions import AccessError, UserError

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintResolutionCompose(ComplaintResolutionCase):

    @classmethod
    def setUpClass(cls):
        super(TestComplaintResolutionCompose, cls).setUpClass()
        cls.template = cls.env.ref("crm_ext.crm_complaint_mail_template_resolution")
        cls.employee = cls._user("compose_employee", "base.group_user")

    def _composer(self, complaint, user=None):
        """The composer the officer's Send Resolution opens, with its
        template rendered as the web client's onchange renders it."""
        action = complaint.sudo(user or self.officer).action_resolution_compose()
        composer = self.env["mail.compose.message"].sudo(user or self.officer).with_context(
            **action["context"]).create({})
        composer.onchange_template_id_wrapper()
        return action, composer

    def _rating_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda message: "/complaint/rating/" in (message.body or ""))

    def test_send_resolution_opens_the_composer_with_the_template(self):
        complaint = self._resolve(self._complaint())
        action, composer = self._composer(complaint)
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["target"], "new")
        self.assertEqual(composer.template_id, self.template)
        self.assertEqual(composer.composition_mode, "comment")
        self.assertEqual((composer.model, composer.res_id), ("crm.complaint", complaint.id))
        self.assertIn("We replaced the defective widget.", composer.body)

    def test_opening_the_composer_sends_nothing(self):
        complaint = self._resolve(self._complaint())
        self._composer(complaint)
        self.assertFalse(self._rating_messages(complaint))
        self.assertFalse(complaint.resolution_sent_date)

    def test_the_composer_sends_the_edited_mail_and_marks_it_sent(self):
        complaint = self._resolve(self._complaint())
        _action, composer = self._composer(complaint)
        composer.body = "<p>Sorry again for the trouble.</p>" + composer.body
        composer.send_mail()
        message = self._rating_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertIn("Sorry again for the trouble.", message.body)
        self.assertIn(self.customer, message.partner_ids)
        self.assertTrue(complaint.resolution_sent_date)

    def test_another_mail_from_the_composer_does_not_mark_the_resolution_sent(self):
        complaint = self._resolve(self._complaint())
        composer = self.env["mail.compose.message"].sudo(self.officer).with_context(
            default_model="crm.complaint", default_res_id=complaint.id,
            default_composition_mode="comment").create({"body": "<p>A question.</p>"})
        composer.send_mail()
        self.assertFalse(complaint.resolution_sent_date)

    def test_unresolved_complaint_opens_no_composer(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_resolution_compose()

    def test_customer_without_email_opens_no_composer(self):
        silent = self.env["res.partner"].create({"name": "Silent Customer", "customer": True})
        complaint = self._resolve(self._complaint(partner=silent))
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_resolution_compose()

    def test_employee_who_may_not_change_it_opens_no_composer(self):
        complaint = self._resolve(self._complaint())
        with self.assertRaises(AccessError):
            complaint.sudo(self.employee).action_resolution_compose()

    def test_composer_refuses_to_post_where_the_caller_may_not(self):
        complaint = self._resolve(self._complaint())
        count = len(complaint.message_ids)
        with self.assertRaises(AccessError):
            self.env["mail.compose.message"].sudo(self.employee).create({
                "model": "crm.complaint", "res_id": complaint.id,
                "composition_mode": "comment", "body": "<p>Not mine.</p>"}).send_mail()
        self.assertEqual(len(complaint.message_ids), count)
