# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
    def _schedule_visits(self, company, today=None):
        """Service policy by grade: plan a visit for the salesperson of every
        customer of ``company`` (a ``res.company`` record) whose grade there
        has a visit interval and who has no visit of that type planned, on
        ``today`` (a date string 'YYYY-MM-DD'; the user's today by
        default).  The deadline is the interval after the last visit done,
        or today when there was none or it is overdue.  Run after each
        recompute of the company's figures."""
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        partner_model = self.env["ir.model"]._get("res.partner")
        activities = self.env["mail.activity"]
        grades = self.search([
            ("visit_interval_days", ">", 0),
            "|", ("company_id", "=", False), ("company_id", "=", company.id)])
        for grade in grades:
            activity_type = grade.visit_activity_type_id or self.env.ref(
                "mail.mail_activity_data_meeting")
            self.env.cr.execute("""
                SELECT partner.id, partner.user_id, MAX(done.date)
                  FROM crm_customer_insight insight
                  JOIN res_partner partner ON partner.id = insight.partner_id
                  LEFT JOIN mail_message done
                         ON done.model = 'res.partner' AND done.res_id = partner.id
                        AND done.mail_activity_type_id = %(type)s
                 WHERE insight.company_id = %(company)s AND insight.grade = %(grade)s
                   AND partner.user_id IS NOT NULL AND partner.active
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity planned
                        WHERE planned.res_model = 'res.partner'
                          AND planned.res_id = partner.id
                          AND planned.activity_type_id = %(type)s)
                 GROUP BY partner.id, partner.user_id
            """, {"type": activity_type.id, "company": company.id, "grade": grade.code})
            for partner_id, user_id, last_done in self.env.cr.fetchall():
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
