# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.crm_customer_insight import LIFECYCLE_STAGES
from ..tools import sql_view


class CrmCustomerInsightReport(models.Model):
    """Customers by segment and lifecycle stage, month by month: for every
    month since the first classification, the segment and stage each
    customer had at the end of that month (from the history)."""

    _name = "crm.customer.insight.report"
    _description = "Customer Segments and Stages over Time"
    _auto = False
    _order = "date desc"

    date = fields.Date("Month", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    segment = fields.Char(readonly=True)
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, readonly=True)
    customer_count = fields.Integer("Customers", readonly=True)

    def _select(self):
        # an id computed from the row's key: numbering the rows would sort
        # the whole report on every read
        return """
            SELECT (in_force.partner_id::bigint * 1000 + in_force.company_id) * 100000
                   + EXTRACT(YEAR FROM in_force.month)::int * 12
                   + EXTRACT(MONTH FROM in_force.month)::int AS id,
                   in_force.month AS date,
                   in_force.partner_id,
                   in_force.company_id,
                   partner.user_id,
                   MAX(in_force.new_value) FILTER (WHERE in_force.field_name = 'segment')
                       AS segment,
                   MAX(in_force.new_value) FILTER (WHERE in_force.field_name = 'lifecycle_stage')
                       AS lifecycle_stage,
                   1 AS customer_count
        """

    def _from(self):
        # each change is in force at the end of every month from its own
        # until the month before the next change of the same field
        return """
              FROM (SELECT partner_id, company_id, field_name, new_value,
                           generate_series(
                               date_trunc('month', date),
                               COALESCE(date_trunc('month', next_date) - interval '1 month',
                                        date_trunc('month', NOW())),
                               interval '1 month')::date AS month
                      FROM (SELECT history.*,
                                   LEAD(date) OVER (
                                       PARTITION BY partner_id, company_id, field_name
                                       ORDER BY date, id) AS next_date
                              FROM crm_customer_segment_history history
                             WHERE field_name IN ('segment', 'lifecycle_stage')) changes
                   ) in_force
              JOIN res_partner partner ON partner.id = in_force.partner_id
             GROUP BY in_force.partner_id, in_force.company_id, in_force.month, partner.user_id
        """

    def init(self):
        """Build the SQL view (Odoo calls it when it loads the module).

        :raises AnalysisBuildError: the caller is not the superuser.
        """
        sql_view.create(self, "%s %s" % (self._select(), self._from()))
