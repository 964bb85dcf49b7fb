# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools

from ..models.crm_customer_insight import LIFECYCLE_STAGES


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
        return """
            SELECT ROW_NUMBER() OVER (ORDER BY months.month, customers.partner_id,
                                      customers.company_id) AS id,
                   months.month AS date,
                   customers.partner_id,
                   customers.company_id,
                   partner.user_id,
                   segment.new_value AS segment,
                   stage.new_value AS lifecycle_stage,
                   1 AS customer_count
        """

    @staticmethod
    def _value_at_month_end(field_name, alias):
        """The last value the history gave ``field_name`` by the end of the
        month, joined as ``alias``."""
        return """
              LEFT JOIN LATERAL (
                  SELECT new_value FROM crm_customer_segment_history history
                   WHERE history.partner_id = customers.partner_id
                     AND history.company_id = customers.company_id
                     AND history.field_name = '%s'
                     AND history.date < months.month + interval '1 month'
                   ORDER BY history.date DESC, history.id DESC LIMIT 1) %s ON TRUE""" % (
            field_name, alias)

    def _from(self):
        return """
              FROM (SELECT generate_series(date_trunc('month', MIN(date)),
                                           date_trunc('month', NOW()),
                                           interval '1 month')::date AS month
                      FROM crm_customer_segment_history) months
              JOIN (SELECT partner_id, company_id, MIN(date) AS first_date
                      FROM crm_customer_segment_history
                     GROUP BY partner_id, company_id) customers
                ON customers.first_date < months.month + interval '1 month'
              JOIN res_partner partner ON partner.id = customers.partner_id
              {segment}
              {stage}
        """.format(segment=self._value_at_month_end("segment", "segment"),
                   stage=self._value_at_month_end("lifecycle_stage", "stage"))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s %s)" % (
            self._table, self._select(), self._from()))
