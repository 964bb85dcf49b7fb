# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mail import html2plaintext, plaintext2html

from ..tools import access

# 1-5 stars on the 0-10 scale of Odoo's ratings: 4 and 5 stars are
# "satisfied" (>= 7), 2 and 3 "not satisfied", 1 "highly dissatisfied"
STARS_TO_RATING = {1: 2.0, 2: 4.0, 3: 6.0, 4: 8.0, 5: 10.0}
RESOLVED_KINDS = ("resolved", "closed")
OFFICER_GROUP = "crm_ext.crm_complaint_group_officer"


def rating_to_stars(value):
    """Odoo's 0-10 rating value as 1-5 stars (its smileys 1, 5 and 10 give
    1, 3 and 5 stars); 0 (no rating) gives 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return 0
    return min(5, max(1, int(math.ceil(value / 2.0))))


class CrmComplaint(models.Model):
    """Resolutions of a complaint that act on documents (credit notes,
    returns, compensation points), their cost, the customer's rating and
    the solution base."""

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
    resolution_sent_date = fields.Datetime("Resolution Sent On", readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    cost_amount = fields.Monetary(
        "Cost", compute="_compute_cost_amount", store=True, compute_sudo=True,
        help="Untaxed amount of the credit notes (not cancelled), cost of the returned goods "
             "(done returns) and value of the compensation points, in the company currency.")
    refund_ids = fields.One2many(
        "account.invoice", "complaint_id", "Credit Notes", readonly=True)
    return_picking_ids = fields.One2many(
        "stock.picking", "complaint_id", "Returns", readonly=True)
    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "complaint_id", "Compensation Points", readonly=True)
    refund_count = fields.Integer("Credit Note Count", compute="_compute_resolution_counts")
    return_count = fields.Integer(compute="_compute_resolution_counts")
    compensation_points = fields.Float(compute="_compute_resolution_counts")
    solution_id = fields.Many2one(
        "crm.complaint.solution", "Applied Solution", readonly=True, copy=False,
        ondelete="set null")
    suggested_solution_ids = fields.Many2many(
        "crm.complaint.solution", string="Suggested Solutions",
        compute="_compute_suggested_solution_ids",
        help="Published solutions of the complaint's category (and of its parent "
             "categories).")
    published_solution_ids = fields.One2many(
        "crm.complaint.solution", "complaint_id", "Published Solutions", readonly=True)

    # changes of the credit notes themselves: account.invoice.write()
    @api.depends("refund_ids", "return_picking_ids.state", "return_picking_ids.move_lines.state",
                 "return_picking_ids.move_lines.product_qty",
                 "loyalty_entry_ids.points")
    def _compute_cost_amount(self):
        for complaint in self:
            company = complaint.company_id
            refunds = complaint.refund_ids.filtered(lambda refund: refund.state != "cancel")
            # credit notes are signed negative in the company currency
            refunded = -sum(refunds.mapped("amount_untaxed_signed"))
            moves = complaint.return_picking_ids.mapped("move_lines").filtered(
                lambda move: move.state == "done")
            returned = sum(
                move.product_qty
                * move.product_id.with_context(force_company=company.id).standard_price
                for move in moves)
            compensated = sum(entry.points * entry.program_id.point_value
                              for entry in complaint.loyalty_entry_ids)
            complaint.cost_amount = company.currency_id.round(
                refunded + returned + compensated)

    @api.multi
    def _refresh_cost_amount(self):
        self.env.add_todo(self._fields["cost_amount"], self)
        self.recompute()

    def _compute_resolution_counts(self):
        for complaint in self:
            complaint.refund_count = len(complaint.refund_ids)
            complaint.return_count = len(complaint.return_picking_ids)
            complaint.compensation_points = sum(complaint.loyalty_entry_ids.mapped("points"))

    @api.depends("category_id", "company_id")
    def _compute_suggested_solution_ids(self):
        """Solutions of each complaint's category or its ancestors, in one
        search for the whole recordset."""
        ancestors = {category: category._ancestor_ids()
                     for category in self.mapped("category_id")}
        category_ids = set().union(*ancestors.values()) if ancestors else set()
        solutions = self.env["crm.complaint.solution"]
        if category_ids:
            solutions = solutions.search([("category_id", "in", list(category_ids))])
        for complaint in self:
            ids = ancestors.get(complaint.category_id, set())
            complaint.suggested_solution_ids = solutions.filtered(
                lambda solution: solution.category_id.id in ids
                and (not solution.company_id or solution.company_id == complaint.company_id)
                and solution.complaint_id != complaint)

    @api.constrains("customer_rating")
    def _check_customer_rating(self):
        for complaint in self:
            if complaint.customer_rating and not 1 <= complaint.customer_rating <= 5:
                raise ValidationError(_(
                    "A customer rating goes from 1 to 5 stars: %(rating)s is not one "
                    "(complaint %(complaint)s).") % {
                        "rating": complaint.customer_rating, "complaint": complaint.name})

    # CRUD

    @api.model
    def create(self, vals):
        complaint = super(CrmComplaint, self).create(vals)
        if vals.get("customer_rating"):
            complaint._update_customer_satisfaction()
        return complaint

    @api.multi
    def write(self, vals):
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

    # actions

    @api.multi
    def action_create_credit_note(self):
        self.ensure_one()
        self._check_caller_may_resolve()
        self._check_refundable_invoice()
        return {
            "name": _("Credit Note"),
            "type": "ir.actions.act_window",
            "res_model": "crm.complaint.credit.note.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    @api.multi
    def action_create_return(self):
        """Odoo's return wizard on the complaint's delivery; the return it
        creates is linked to the complaint."""
        self.ensure_one()
        self._check_caller_may_resolve()
        self._check_returnable_picking()
        action = self.env.ref("stock.act_stock_return_picking").read()[0]
        action["context"] = {
            "active_id": self.picking_id.id, "active_ids": self.picking_id.ids,
            "active_model": "stock.picking", "default_complaint_id": self.id}
        return action

    @api.multi
    def action_compensate_points(self):
        self.ensure_one()
        self._check_caller_may_resolve()
        self._compensation_program()
        return {
            "name": _("Compensation Points"),
            "type": "ir.actions.act_window",
            "res_model": "crm.complaint.compensation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    @api.multi
    def action_send_resolution(self):
        """Email the resolution to the customer with the rating request
        (posted in the chatter)."""
        self._check_caller_may_resolve()
        template = self.env.ref("crm_ext.crm_complaint_mail_template_resolution")
        for complaint in self:
            complaint._check_resolution_sendable()
            complaint.message_post_with_template(
                template.id, composition_mode="comment",
                subtype_id=self.env.ref("mail.mt_comment").id)
        self.write({"resolution_sent_date": fields.Datetime.now()})
        return True

    @api.multi
    def action_publish_solution(self):
        """The resolution becomes a reusable solution of the category (the
        one already published from this complaint is opened again)."""
        self.ensure_one()
        self._check_caller_may_resolve()
        solution = self.published_solution_ids[:1] or self._publish_solution()
        return {
            "name": _("Solution"),
            "type": "ir.actions.act_window",
            "res_model": "crm.complaint.solution",
            "res_id": solution.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    def action_view_refunds(self):
        self.ensure_one()
        access.check_readable(self)
        action = self.env.ref("account.action_invoice_tree1").read()[0]
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"type": "out_refund", "default_type": "out_refund"}
        if len(self.refund_ids) == 1:
            action.update(res_id=self.refund_ids.id, views=[
                (self.env.ref("account.invoice_form").id, "form")])
        return action

    @api.multi
    def action_view_returns(self):
        self.ensure_one()
        access.check_readable(self)
        action = self.env.ref("stock.action_picking_tree_all").read()[0]
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {}
        if len(self.return_picking_ids) == 1:
            action.update(res_id=self.return_picking_ids.id, views=[(False, "form")])
        return action

    @api.multi
    def action_view_compensation(self):
        self.ensure_one()
        access.check_readable(self)
        action = self.env.ref("crm_ext.crm_loyalty_entry_action").read()[0]
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {}
        return action

    # business methods

    @api.multi
    def _check_caller_may_resolve(self):
        """Resolutions act on documents (credit notes, returns, points,
        mails to the customer): for the users who may change these
        complaints."""
        access.check_writable(self)

    @api.multi
    def _check_refundable_invoice(self):
        self.ensure_one()
        invoice = self.invoice_id
        if not invoice:
            raise UserError(_("Complaint %s is linked to no invoice: link the customer "
                              "invoice to credit first.") % self.name)
        if invoice.type != "out_invoice":
            raise UserError(_("%s is not a customer invoice: only customer invoices are "
                              "credited.") % (invoice.number or invoice.display_name))
        if invoice.state not in ("open", "paid"):
            raise UserError(_("Invoice %s is not validated (open or paid): there is nothing "
                              "to credit yet.") % (invoice.number or invoice.display_name))
        if not any(left for _credited, left in invoice._credit_left().values()):
            raise UserError(_("Invoice %s is credited in full already (drafts included): "
                              "there is nothing left to credit.") % invoice.number)
        return invoice

    @api.multi
    def _check_returnable_picking(self):
        self.ensure_one()
        picking = self.picking_id
        if not picking:
            raise UserError(_("Complaint %s is linked to no delivery: link the delivery "
                              "whose goods come back first.") % self.name)
        if not self.user_has_groups("stock.group_stock_user"):
            raise UserError(_("Returns are made by inventory users: ask one to return the "
                              "goods of complaint %s.") % self.name)
        if picking.picking_type_code != "outgoing":
            raise UserError(_("%s is not a delivery to the customer.") % picking.name)
        if picking.state != "done":
            raise UserError(_("Delivery %s is not done: only delivered goods can be "
                              "returned.") % picking.name)
        return picking

    @api.multi
    def _compensation_program(self):
        """The active loyalty program of the complaint's company."""
        self.ensure_one()
        program = self.env["crm.loyalty.program"].sudo()._active_program(self.company_id)
        if not program:
            raise UserError(_("%s has no active loyalty program: compensation points "
                              "cannot be given.") % self.company_id.name)
        return program

    @api.multi
    def _check_resolution_sendable(self):
        self.ensure_one()
        if self.stage_kind not in RESOLVED_KINDS:
            raise UserError(_("Complaint %s is not resolved yet: resolve it before sending "
                              "the resolution to the customer.") % self.name)
        if not (self.resolution or "").strip():
            raise UserError(_("Describe the resolution of %s before sending it.")
                            % self.name)
        if not self.rating_get_partner_id().email:
            raise UserError(_("%s has no email address: the resolution cannot be sent.")
                            % self.rating_get_partner_id().display_name)

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
        :raises ValidationError: a rate that is no star
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
            raise ValidationError(_("A customer rating goes from 1 to 5 stars: %s is not "
                                    "one.") % stars)
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

    @api.multi
    def _publish_solution(self):
        self.ensure_one()
        if self.stage_kind not in RESOLVED_KINDS:
            raise UserError(_("Only resolved complaints can be published as solutions: "
                              "%s is not resolved.") % self.name)
        resolution = (self.resolution or "").strip()
        if not resolution:
            raise UserError(_("Complaint %s has no resolution to publish.") % self.name)
        if not self.category_id:
            raise UserError(_("Give complaint %s a category first: solutions are suggested "
                              "by category.") % self.name)
        title = resolution.splitlines()[0]
        if len(title) > 80:
            title = title[:77].rstrip() + "..."
        return self.env["crm.complaint.solution"].create({
            "name": title,
            "category_id": self.category_id.id,
            "answer": plaintext2html(resolution),
            "company_id": self.company_id.id,
            "complaint_id": self.id,
        })

    @api.multi
    def _apply_solution(self, solution):
        """Copy the solution's answer into the resolution."""
        for complaint in self:
            if complaint.is_closed:
                raise UserError(_("Complaint %s is closed: reopen it to change its "
                                  "resolution.") % complaint.name)
            answer = html2plaintext(solution.answer or "").strip()
            current = (complaint.resolution or "").strip()
            complaint.write({
                "resolution": current + "\n\n" + answer if current else answer,
                "solution_id": solution.id,
            })
