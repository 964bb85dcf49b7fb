# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import insight_queries
from .crm_customer_insight import GRADES


class CrmCustomerGrade(models.Model):
    """A value grade: customers whose value score reaches ``min_score`` get
    the highest grade they reach, and its service policy."""

    _name = "crm.customer.grade"
    _description = "Customer Grade"
    _order = "min_score desc, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(GRADES, required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the grade in every company.")
    min_score = fields.Float(
        "Minimum Value Score", required=True, help="0-100; the highest grade reached applies.")
    visit_interval_days = fields.Integer(
        "Visit Every (days)",
        help="When set, a visit is planned for the salesperson of every customer of this "
             "grade that has none planned.")
    visit_activity_type_id = fields.Many2one("mail.activity.type", "Visit Activity")
    max_visits_per_year = fields.Integer(
        help="Service policy: the most visits a year this grade warrants (0 = no limit).")
    policy = fields.Text("Service Policy", translate=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)",
         "There is one grade per code and company."),
    ]

    @api.constrains("min_score", "visit_interval_days", "max_visits_per_year")
    def _check_values(self):
        for grade in self:
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(_("The minimum value score of a grade is between 0 "
                                        "and 100."))
            if grade.visit_interval_days < 0 or grade.max_visits_per_year < 0:
                raise ValidationError(_("Visit intervals and limits cannot be negative."))

    @api.model
    def _visit_grades(self, company):
        """[(grade, its visit's ``mail.activity.type``)] of the grades of
        ``company`` (a ``res.company``) that plan visits."""
        grades = self.search([
            ("visit_interval_days", ">", 0),
            "|", ("company_id", "=", False), ("company_id", "=", company.id)])
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        return [(grade, grade.visit_activity_type_id or meeting) for grade in grades]

    @api.model
    def _visits_due(self, company, grade, activity_type, partner_ids=None):
        """[(partner id, salesperson id, last visit done or None)] of the
        customers of ``grade`` in ``company`` a visit of ``activity_type`` is
        due for (see insight_queries.VISITS_DUE), as the database holds them
        now; ``partner_ids``: among these only (a list of ids)."""
        self.env.cr.execute(insight_queries.VISITS_DUE, {
            "type": activity_type.id, "company": company.id, "grade": grade.code,
            "partner_ids": list(partner_ids) if partner_ids is not None else None})
        return self.env.cr.fetchall()

    @api.model
    def _visit_partner_ids(self, company):
        """The ids (a sorted list) of the customers of ``company`` a visit
        is due for: what the nightly run plans, in chunks of them."""
        due = set()
        for grade, activity_type in self._visit_grades(company):
            due.update(row[0] for row in self._visits_due(company, grade, activity_type))
        return sorted(due)

    @api.model
    def _schedule_visits(self, company, today=None, partner_ids=None):
        """Service policy by grade: plan a visit for the salesperson of every
        customer of ``company`` (a ``res.company`` record) whose grade there
        has a visit interval and who has no visit of that type planned, on
        ``today`` (a date string 'YYYY-MM-DD'; the user's today by
        default); ``partner_ids`` (a list of ids): of these customers only
        (a chunk of the nightly run).  The deadline is the interval after
        the last visit done, or today when there was none or it is
        overdue.  Run after each recompute of the company's figures; the
        planned visits are read first, so a second run plans none again.

        :returns: the number of visits planned (int).
        """
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        partner_model = self.env["ir.model"]._get("res.partner")
        activities = self.env["mail.activity"]
        planned = 0
        for grade, activity_type in self._visit_grades(company):
            for partner_id, user_id, last_done in self._visits_due(
                    company, grade, activity_type, partner_ids):
                deadline = today
                if last_done:
                    due = fields.Date.from_string(last_done[:10] if isinstance(
                        last_done, str) else last_done.strftime("%Y-%m-%d")) + timedelta(
                            days=grade.visit_interval_days)
                    deadline = max(due, today)
                activities.create({
                    "res_model_id": partner_model.id,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "user_id": user_id,
                    "date_deadline": fields.Date.to_string(deadline),
                    "summary": _("%(grade)s customer: regular visit") % {"grade": grade.name},
                })
                planned += 1
        return planned
