# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from ..models.crm_complaint_rating import STARS_TO_RATING


class CrmComplaintRating(http.Controller):
    """The 1-5 stars of the resolution email: one click records the
    rating, an optional comment follows."""

    def _rating(self, token, stars):
        if stars not in STARS_TO_RATING:
            return None
        rating = request.env["rating.rating"].sudo().search(
            [("access_token", "=", token), ("res_model", "=", "crm.complaint")], limit=1)
        return rating or None

    def _render(self, template, rating, stars):
        complaint = request.env["crm.complaint"].sudo().browse(rating.res_id)
        lang = rating.partner_id.lang or "en_US"
        return request.env["ir.ui.view"].with_context(lang=lang).render_template(template, {
            "rating": rating, "complaint": complaint, "stars": stars,
            "token": rating.access_token,
        })

    @http.route("/complaint/rating/<string:token>/<int:stars>", type="http", auth="public")
    def rate(self, token, stars, **kwargs):
        """The star link of the resolution email: records ``stars`` (1-5)
        for the rating request of ``token`` and shows the page that asks
        for a comment; 404 for an unknown token or a number that is no
        star."""
        rating = self._rating(token, stars)
        if not rating:
            return request.not_found()
        complaint = request.env["crm.complaint"].sudo().browse(rating.res_id)
        complaint._rate(stars, token=token, feedback=rating.feedback)
        return self._render("crm_ext.crm_complaint_rating_page", rating, stars)

    @http.route("/complaint/rating/<string:token>/<int:stars>/submit", type="http",
                auth="public", methods=["POST"])
    def submit(self, token, stars, feedback=None, **kwargs):
        """The comment form of the rating page: records ``stars`` again with
        ``feedback`` (text) and thanks the customer; 404 as :meth:`rate`."""
        rating = self._rating(token, stars)
        if not rating:
            return request.not_found()
        complaint = request.env["crm.complaint"].sudo().browse(rating.res_id)
        complaint._rate(stars, token=token, feedback=feedback)
        return self._render("crm_ext.crm_complaint_rating_page_done", rating, stars)
