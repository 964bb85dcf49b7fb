# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
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
