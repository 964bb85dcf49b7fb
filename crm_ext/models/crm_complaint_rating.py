# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rating of crm.complaint: the customer's 1-5 stars and the satisfaction they make."""
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import plaintext2html

from ..exceptions import StarRatingError
from ..tools import access
from .crm_complaint import OFFICER_GROUP

# 1-5 stars on the 0-10 scale of Odoo's ratings: 4 and 5 stars are
# "satisfied" (>= 7), 2 and 3 "not satisfied", 1 "highly dissatisfied"
STARS_TO_RATING = {1: 2.0, 2: 4.0, 3: 6.0, 4: 8.0, 5: 10.0}


def rating_to_stars(value):
    """Odoo's 0-10 rating value as 1-5 stars (its smileys 1, 5 and 10 give
    1, 3 and 5 stars); 0 (no rating) gives 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return 0
    return min(5, max(1, int(math.ceil(value / 2.0))))


class CrmComplaint(models.Model):
    """The customer's rating of a complaint's resolution, given through
    Odoo's rating links (see controllers/crm_complaint_rating.py)."""

    _name = "crm.complaint"
    _inherit = ["crm.complaint", "rating.mixin"]

    customer_rating = fields.Integer(
        track_visibility="onchange", copy=False,
        help="The customer's rating of the resolution, from 1 (very unhappy) to 5 stars "
             "(0: not rated); the customer gives it through the link of the resolution "
             "email.")
    # what the customer wrote: for those who handle the complaints (the
    # same text in Odoo's rating, see rating_rating_security.xml)
    rating_comment = fields.Text("Customer's Comment", copy=False, groups=OFFICER_GROUP)
    rating_last_feedback = fields.Text(groups=OFFICER_GROUP)

    @api.constrains("customer_rating")
    def _check_customer_rating(self):
        for complaint in self:
            if complaint.customer_rating and not 1 <= complaint.customer_rating <= 5:
                raise StarRatingError(complaint, complaint.customer_rating)

    # CRUD

    @api.model
    def create(self, vals):
        """Record a complaint (see the model's create); a rating given
        updates the customer's satisfaction."""
        complaint = super(CrmComplaint, self).create(vals)
        if vals.get("customer_rating"):
            complaint._update_customer_satisfaction()
        return complaint

    @api.multi
    def write(self, vals):
        """Change complaints (see the model's write); a rating given updates
        the customers' satisfaction, closing records the rating (or its
        absence) in the chatter.  Returns True."""
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["crm.complaint.stage"].browse(vals["stage_id"])
            if stage.is_closed:
                closing = self.filtered(lambda complaint: not complaint.is_closed)
        result = super(CrmComplaint, self).write(vals)
        if "customer_rating" in vals:
            self._update_customer_satisfaction()
        for complaint in closing:
            complaint._post_closing_rating()
        return result

    @api.multi
    @api.returns("res.partner", lambda partner: partner.id)
    def rating_get_partner_id(self):
        """The customer asked to rate the resolution: its contact, else the
        customer (over RPC: its id, or False)."""
        access.check_readable(self)
        return self.contact_id or self.partner_id

    @api.multi
    @api.returns("rating.rating", lambda rating: rating.id)
    def rating_apply(self, rate, token=None, feedback=None, subtype=None):
        """Odoo's rating pages (0-10 smileys) land on the 1-5 stars.

        :param rate: Odoo's rating, 0-10
        :param token: the access token of the customer's rating request
            (required: only the customer's link rates a complaint)
        :param feedback: the customer's comment (text)
        :returns: the rating filled (its id over RPC)
        :raises UserError: no token, or a token that is not this
            complaint's; not exactly one complaint
        :raises StarRatingError: (a ValidationError) a rate that is no star
        """
        if len(self) != 1:
            raise UserError(_("Rate one complaint at a time."))
        if not token:
            raise UserError(_("A complaint is rated through the customer's rating link "
                              "only."))
        return self._rate(rating_to_stars(rate), token=token, feedback=feedback)

    @api.multi
    def _rate(self, stars, token=None, feedback=None):
        """Record the customer's rating (1-5 stars): the rating request of
        ``token`` (or a new one) is filled, the complaint keeps the stars and
        the comment and the chatter says so; the customer's satisfaction
        follows."""
        self.ensure_one()
        if stars not in STARS_TO_RATING:
            raise StarRatingError(self, stars, named=False)
        ratings = self.env["rating.rating"].sudo()
        if token:
            rating = ratings.search([("access_token", "=", token),
                                     ("res_model", "=", self._name),
                                     ("res_id", "=", self.id)], limit=1)
            if not rating:
                raise UserError(_("This rating link is not valid for complaint %s.")
                                % self.name)
        else:
            rating = ratings.search([("access_token", "=", self.rating_get_access_token())])
        feedback = (feedback or "").strip()
        rating.write({"rating": STARS_TO_RATING[stars], "feedback": feedback or False,
                      "consumed": True})
        self.write({"customer_rating": stars, "rating_comment": feedback or False})
        body = _("Customer rating: %(stars)s (%(rating)s/5)") % {
            "stars": "\u2605" * stars + "\u2606" * (5 - stars), "rating": stars}
        self.message_post(
            body=plaintext2html(body + ("\n" + feedback if feedback else "")),
            subtype="mail.mt_note", author_id=rating.partner_id.id or None)
        return rating

    @api.multi
    def _message_post_after_hook(self, message):
        """A message we post (not an email received) that carries the
        complaint's pending rating request
        (the resolution email, sent from the composer the form opens or by
        action_send_resolution) records that the resolution was sent now
        (Resolution Sent On)."""
        result = super(CrmComplaint, self)._message_post_after_hook(message)
        body = message.body or ""
        if message.message_type != "email" and "/complaint/rating/" in body and any(
                token in body for token in self.env["rating.rating"].sudo().search([
                    ("res_model", "=", self._name), ("res_id", "in", self.ids),
                    ("consumed", "=", False)]).mapped("access_token")):
            self.write({"resolution_sent_date": fields.Datetime.to_string(self._now())})
        return result

    @api.multi
    def _post_closing_rating(self):
        """Closing records the customer's rating (or its absence)."""
        for complaint in self:
            if complaint.customer_rating:
                body = _("Closed with the customer's rating: %(rating)s/5.") % {
                    "rating": complaint.customer_rating}
                # whoever closes it, not only those who read the comment
                comment = complaint.sudo().rating_comment
                if comment:
                    body += "\n" + comment
            else:
                body = _("Closed without a rating from the customer.")
            complaint.message_post(body=plaintext2html(body), subtype="mail.mt_note")

    @api.multi
    def _update_customer_satisfaction(self):
        """The satisfaction of the customers (1 to 5, as the customer
        insight reads it) becomes the average rating of their rated
        complaints; customers without any rated complaint keep theirs."""
        partners = self.mapped("commercial_partner_id")
        if not partners:
            return
        self.env.cr.execute("""
            SELECT commercial_partner_id, AVG(customer_rating)
              FROM crm_complaint
             WHERE commercial_partner_id IN %s AND customer_rating BETWEEN 1 AND 5
             GROUP BY commercial_partner_id
        """, (tuple(partners.ids),))
        for partner_id, average in self.env.cr.fetchall():
            # the satisfaction is otherwise read by the salespeople and
            # accountants, and rated by the salespeople only
            partner = partners.sudo().browse(partner_id)
            average = round(float(average), 2)
            if partner.customer_satisfaction != average:
                partner.write({"customer_satisfaction": average})
