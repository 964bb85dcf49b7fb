# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import access, actions


class CrmComplaintSolution(models.Model):
    """A reusable answer to a kind of complaint, published from a resolved
    complaint and suggested on the new complaints of its category."""

    _name = "crm.complaint.solution"
    _description = "Complaint Solution"
    _order = "category_id, name, id"

    name = fields.Char("Title", required=True, translate=True)
    category_id = fields.Many2one(
        "crm.complaint.category", required=True, index=True, ondelete="restrict",
        help="Suggested on the complaints of this category and of its subcategories.")
    answer = fields.Html(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.user.company_id,
        help="Leave empty to share the solution between companies.")
    active = fields.Boolean(default=True)
    complaint_id = fields.Many2one(
        "crm.complaint", "Source Complaint", readonly=True, index=True, ondelete="set null")
    use_count = fields.Integer(
        "Uses", compute="_compute_use_count",
        help="Complaints this solution was applied to.")

    def _compute_use_count(self):
        groups = []
        if self.ids:
            groups = self.env["crm.complaint"].read_group(
                [("solution_id", "in", self.ids)], ["solution_id"], ["solution_id"])
        counts = {group["solution_id"][0]: group["solution_id_count"] for group in groups}
        for solution in self:
            solution.use_count = counts.get(solution.id, 0)

    @api.multi
    def action_apply(self):
        """The "Apply" button of a suggested solution on the complaint form:
        the solution's answer is added to the complaint's resolution.  The
        complaint comes as ``apply_complaint_id`` in the context (a button
        of an Odoo 11 list passes no argument): it only names the record to
        act on, which the caller must be allowed to change, as in any other
        call.  Returns True.

        :raises AccessError: the caller may not read the solution or change
            the complaint.
        :raises UserError: no complaint in the context, or a closed one.
        """
        self.ensure_one()
        access.check_readable(self)
        complaint_id = self.env.context.get("apply_complaint_id")
        if not isinstance(complaint_id, int) or isinstance(complaint_id, bool):
            raise UserError(_("Apply a solution from the complaint it answers."))
        complaint = self.env["crm.complaint"].browse(complaint_id)
        complaint._check_caller_may_resolve()
        complaint._apply_solution(self)
        return True

    @api.multi
    def action_view_complaints(self):
        """The complaints the solution was applied to (a window action, a
        dict).

        :raises AccessError: the caller may not read the solution.
        """
        return actions.window_action(
            self, "crm_ext.crm_complaint_action", [("solution_id", "=", self.id)])
