from odoo.exceptions import UserError, ValidationError

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintRating(ComplaintResolutionCase):
    """Closing the loop: the resolution email with its 1-5 stars, the
    rating stored on the complaint, the customer's satisfaction."""

    def _send(self, complaint):
        complaint.sudo(self.officer).action_send_resolution()
        message = complaint.message_ids.filtered(
            lambda msg: "/complaint/rating/" in (msg.body or ""))[:1]
        self.assertTrue(message, "the resolution is in the chatter")
        rating = self.env["rating.rating"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
        self.assertEqual(len(rating), 1)
        return message, rating

    def test_resolution_email_carries_five_stars_of_one_rating_request(self):
        complaint = self._resolve(self._complaint(partner=self.contact))
        complaint.write({"contact_id": self.contact.id})
        message, rating = self._send(complaint)
        for stars in range(1, 6):
            self.assertIn("/complaint/rating/%s/%d" % (rating.access_token, stars), message.body)
        self.assertIn("We replaced the defective widget.", message.body)
        self.assertEqual(rating.partner_id, self.contact)
        self.assertFalse(rating.consumed)
        self.assertIn(self.contact, message.partner_ids)
        self.assertTrue(complaint.resolution_sent_date)

    def test_unresolved_complaint_is_not_sent(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.sudo(self.officer).action_send_resolution()
        self.assertFalse(self.env["rating.rating"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]))

    def test_customer_rating_through_the_token(self):
        complaint = self._resolve(self._complaint())
        _message, rating = self._send(complaint)
        # the public page runs as superuser
        complaint.sudo()._rate(4, token=rating.access_token, feedback="Quick and fair.")
        self.assertEqual(complaint.customer_rating, 4)
        self.assertEqual(complaint.rating_comment, "Quick and fair.")
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 8.0)
        self.assertEqual(rating.rating_text, "satisfied")
        self.assertIn("4/5", complaint.message_ids[0].body)
        self.assertEqual(self.customer.customer_satisfaction, 4.0)
        self.assertEqual(self.customer.last_complaint_rating, 4)

    def test_odoo_smiley_ratings_land_on_stars(self):
        complaint = self._resolve(self._complaint())
        _message, rating = self._send(complaint)
        complaint.sudo().rating_apply(5, token=rating.access_token)
        self.assertEqual(complaint.customer_rating, 3)
        complaint.sudo().rating_apply(1, token=rating.access_token)
        self.assertEqual(complaint.customer_rating, 1)

    def test_token_of_another_complaint_is_refused(self):
        first = self._resolve(self._complaint())
        second = self._resolve(self._complaint())
        _message, rating = self._send(first)
        with self.assertRaises(UserError):
            second.sudo()._rate(5, token=rating.access_token)
        self.assertFalse(second.customer_rating)
        self.assertFalse(rating.consumed)

    def test_rating_outside_one_to_five_writes_nothing(self):
        complaint = self._resolve(self._complaint())
        for stars in (0, 6, -1):
            with self.assertRaises(ValidationError):
                complaint._rate(stars)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            complaint.write({"customer_rating": 6})
        complaint.invalidate_cache()
        self.assertFalse(complaint.customer_rating)
        self.assertFalse(self.env["rating.rating"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]))
        self.assertEqual(self.customer.customer_satisfaction, 0.0)

    def test_officer_enters_the_rating(self):
        complaint = self._resolve(self._complaint())
        complaint.sudo(self.officer).write({"customer_rating": 2, "rating_comment": "Slow."})
        self.assertEqual(self.customer.customer_satisfaction, 2.0)

    def test_satisfaction_is_the_average_of_the_rated_complaints(self):
        first = self._resolve(self._complaint())
        second = self._resolve(self._complaint(partner=self.contact))
        self._resolve(self._complaint())  # never rated
        first._rate(2)
        second._rate(5)
        self.assertEqual(self.customer.customer_satisfaction, 3.5)
        self.assertEqual(self.customer.last_complaint_rating, 5)
        self.assertEqual(self.contact.last_complaint_rating, 5)

    def test_closing_records_the_rating_in_the_chatter(self):
        complaint = self._resolve(self._complaint())
        complaint._rate(5, feedback="Perfect.")
        complaint.write({"stage_id": self.stage_closed.id})
        self.assertIn("rating: 5/5", complaint.message_ids[0].body)
        self.assertIn("Perfect.", complaint.message_ids[0].body)

    def test_closing_without_rating_says_so(self):
        complaint = self._resolve(self._complaint())
        complaint.write({"stage_id": self.stage_closed.id})
        self.assertIn("without a rating", complaint.message_ids[0].body)
