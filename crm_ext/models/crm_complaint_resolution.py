# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Resolutions of crm.complaint: credit notes, returns, points, their cost, solutions."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mail import html2plaintext, plaintext2html

from ..tools import access, actions
from .crm_complaint_stage import RESOLVING_KINDS


class CrmComplaint(models.Model):
    """Resolutions of a complaint that act on documents (credit notes,
    returns, compensation points), their cost and the solution base."""

    # a concern of its own (one concern per file)
    _inherit = "crm.complaint"  # pylint: disable=consider-merging-classes-inherited

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
            compensated = sum(entry.program_id._points_value(entry.points)
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

    # actions

    @api.multi
    def action_create_credit_note(self):
        """The credit note wizard of the complaint's invoice (a window
        action, a dict).

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: no invoice, not a validated customer invoice, or
            one credited in full already.
        """
        self.ensure_one()
        self._check_caller_may_resolve()
        self._check_refundable_invoice()
        return self._wizard_action(_("Credit Note"), "crm.complaint.credit.note.wizard")

    @api.multi
    def action_create_return(self):
        """Odoo's return wizard on the complaint's delivery (a window action,
        a dict); the return it creates is linked to the complaint.

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: no delivery, not a done delivery to the customer,
            or a caller who is no inventory user.
        """
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
        """The compensation points wizard of the complaint (a window action,
        a dict).

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: the company has no active loyalty program.
        """
        self.ensure_one()
        self._check_caller_may_resolve()
        self._compensation_program()
        return self._wizard_action(_("Compensation Points"), "crm.complaint.compensation.wizard")

    @api.multi
    def action_send_resolution(self):
        """Email the resolution to the customer of each complaint with the
        rating request (posted in the chatter), without showing it first:
        the path of integrators and server actions (the form's button
        opens the composer instead, see :meth:`action_resolution_compose`).
        Each call sends the email again.  Returns True.

        :raises AccessError: the caller may not change the complaints.
        :raises UserError: a complaint not resolved, without a resolution
            text, or whose customer has no email address.
        """
        self._check_caller_may_resolve()
        template = self._resolution_template()
        for complaint in self:
            complaint._check_resolution_sendable()
            complaint.message_post_with_template(
                template.id, composition_mode="comment",
                subtype_id=self.env.ref("mail.mt_comment").id)
        return True

    @api.multi
    def action_resolution_compose(self):
        """Odoo's email composer with the resolution email of the complaint
        (its template, with the rating request) for the user to read and
        change before it goes, as an invoice's "Send by Email" opens it:
        the email is only sent, and the complaint marked as sent (Resolution
        Sent On, see crm_complaint_rating.py), by the composer's Send.
        Returns the window action of the composer (a dict).

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: the complaint is not resolved, has no resolution
            text, or its customer has no email address.
        """
        self.ensure_one()
        self._check_caller_may_resolve()
        self._check_resolution_sendable()
        template = self._resolution_template()
        compose_form = self.env.ref("mail.email_compose_message_wizard_form")
        return {
            "name": _("Send Resolution"),
            "type": "ir.actions.act_window",
            "view_type": "form",
            "view_mode": "form",
            "res_model": "mail.compose.message",
            "views": [(compose_form.id, "form")],
            "view_id": compose_form.id,
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_id": self.id,
                "default_use_template": True,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    @api.multi
    def action_publish_solution(self):
        """The resolution becomes a reusable solution of the category (the
        one already published from this complaint is opened again:
        idempotent).  Returns the window action of the solution (a dict).

        :raises AccessError: the caller may not change the complaint.
        :raises UserError: the complaint is not resolved, has no
            resolution text or no category.
        """
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
        """The complaint's credit notes (a window action, a dict).

        :raises AccessError: the caller may not read the complaint.
        """
        return actions.window_action(
            self, "account.action_invoice_tree1", [("complaint_id", "=", self.id)],
            context={"type": "out_refund", "default_type": "out_refund"},
            single=self.refund_ids, form_view="account.invoice_form")

    @api.multi
    def action_view_returns(self):
        """The complaint's returns (a window action, a dict).

        :raises AccessError: the caller may not read the complaint.
        """
        return actions.window_action(
            self, "stock.action_picking_tree_all", [("complaint_id", "=", self.id)],
            single=self.return_picking_ids)

    @api.multi
    def action_view_compensation(self):
        """The complaint's compensation points (a window action, a dict).

        :raises AccessError: the caller may not read the complaint.
        """
        return actions.window_action(
            self, "crm_ext.crm_loyalty_entry_action", [("complaint_id", "=", self.id)])

    @api.multi
    def _wizard_action(self, name, res_model):
        """The window action of the wizard ``res_model`` on this complaint."""
        return {
            "name": name,
            "type": "ir.actions.act_window",
            "res_model": res_model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    # business methods

    @api.multi
    def _check_caller_may_resolve(self):
        """Resolutions act on documents (credit notes, returns, points,
        mails to the customer): for the users who may change these
        complaints."""
        access.check_writable(self)

    @api.multi
    def _check_refundable_invoice(self):
        """The complaint's invoice, if it is a validated customer invoice
        with something left to credit; raises UserError otherwise."""
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
        """The complaint's delivery, if it is a done delivery to the
        customer and the caller an inventory user; raises UserError
        otherwise."""
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
        """Raise UserError unless the complaint is resolved, with a
        resolution text, and its customer has an email address."""
        self.ensure_one()
        if self.stage_kind not in RESOLVING_KINDS:
            raise UserError(_("Complaint %s is not resolved yet: resolve it before sending "
                              "the resolution to the customer.") % self.name)
        if not (self.resolution or "").strip():
            raise UserError(_("Describe the resolution of %s before sending it.")
                            % self.name)
        if not self.rating_get_partner_id().email:
            raise UserError(_("%s has no email address: the resolution cannot be sent.")
                            % self.rating_get_partner_id().display_name)

    @api.model
    def _resolution_template(self):
        """The mail template of the resolution email (with the rating
        request)."""
        return self.env.ref("crm_ext.crm_complaint_mail_template_resolution")

    @api.multi
    def _publish_solution(self):
        """A new solution of the complaint's category from its resolution;
        raises UserError when it is not resolved, has no resolution text or
        no category."""
        self.ensure_one()
        if self.stage_kind not in RESOLVING_KINDS:
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
