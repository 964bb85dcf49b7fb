# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..tools import sql_view

# The monthly figures of each company with churn alerts, from the month of
# its first alert to that of its last outcome.
QUERY = """
    WITH months AS (
        SELECT company_id,
               generate_series(date_trunc('month', MIN(date)),
                               date_trunc('month', MAX(COALESCE(date_closed, date))),
                               interval '1 month')::date AS month
          FROM crm_churn_alert
         GROUP BY company_id
    ), starting AS (
        -- customers with a posted invoice in the company's analysis window
        -- before the month
        SELECT months.company_id, months.month,
               COUNT(DISTINCT invoice.commercial_partner_id) AS customers
          FROM months
          JOIN res_company company ON company.id = months.company_id
          JOIN account_invoice invoice
               ON invoice.company_id = months.company_id
              AND invoice.type = 'out_invoice'
              AND invoice.state IN ('open', 'paid')
              AND invoice.date_invoice < months.month
              AND invoice.date_invoice >= months.month
                                          - COALESCE(company.insight_window_days, 365)
         GROUP BY months.company_id, months.month
    ), lost AS (
        SELECT company_id, date_trunc('month', date_closed)::date AS month,
               COUNT(DISTINCT partner_id) AS customers
          FROM crm_churn_alert
         WHERE state = 'lost'
         GROUP BY company_id, date_trunc('month', date_closed)
    ), raised AS (
        SELECT company_id, date_trunc('month', date)::date AS month,
               COUNT(*) AS alerts,
               COUNT(*) FILTER (WHERE state IN ('new', 'in_progress')) AS open,
               COUNT(*) FILTER (WHERE state = 'retained') AS retained,
               COUNT(*) FILTER (WHERE state = 'lost') AS lost,
               COUNT(*) FILTER (WHERE state = 'dismissed') AS dismissed,
               COUNT(*) FILTER (WHERE held_out) AS held_out,
               COUNT(*) FILTER (WHERE NOT held_out AND state IN ('retained', 'lost'))
                   AS acted_decided,
               COUNT(*) FILTER (WHERE NOT held_out AND state = 'retained') AS acted_retained,
               COUNT(*) FILTER (WHERE held_out AND state IN ('retained', 'lost'))
                   AS held_out_decided,
               COUNT(*) FILTER (WHERE held_out AND state = 'retained') AS held_out_retained,
               SUM(cost) AS cost
          FROM crm_churn_alert
         GROUP BY company_id, date_trunc('month', date)
    ), revenue AS (
        -- invoiced (net of refunds, untaxed, company currency) by retained
        -- customers from their alert's day until their next alert
        SELECT alert.company_id, date_trunc('month', alert.date)::date AS month,
               SUM(invoice.amount_untaxed_signed) AS amount
          FROM crm_churn_alert alert
          JOIN account_invoice invoice ON invoice.commercial_partner_id = alert.partner_id
                                      AND invoice.company_id = alert.company_id
         WHERE alert.state = 'retained'
           AND invoice.type IN ('out_invoice', 'out_refund')
           AND invoice.state IN ('open', 'paid')
           AND invoice.date_invoice >= alert.date
           AND NOT EXISTS (SELECT 1 FROM crm_churn_alert later
                            WHERE later.partner_id = alert.partner_id
                              AND later.company_id = alert.company_id
                              AND later.date > alert.date
                              AND later.date <= invoice.date_invoice)
         GROUP BY alert.company_id, date_trunc('month', alert.date)
    ), monthly AS (
        SELECT months.company_id, months.month,
               COALESCE(starting.customers, 0) AS customer_count,
               COALESCE(lost.customers, 0) AS lost_customer_count,
               COALESCE(raised.alerts, 0) AS alert_count,
               COALESCE(raised.open, 0) AS open_count,
               COALESCE(raised.retained, 0) AS retained_count,
               COALESCE(raised.lost, 0) AS lost_count,
               COALESCE(raised.dismissed, 0) AS dismissed_count,
               COALESCE(raised.held_out, 0) AS held_out_count,
               COALESCE(raised.acted_decided, 0) AS acted_decided_count,
               COALESCE(raised.acted_retained, 0) AS acted_retained_count,
               COALESCE(raised.held_out_decided, 0) AS held_out_decided_count,
               COALESCE(raised.held_out_retained, 0) AS held_out_retained_count,
               COALESCE(raised.cost, 0) AS cost,
               COALESCE(revenue.amount, 0) AS revenue_retained
          FROM months
          LEFT JOIN starting USING (company_id, month)
          LEFT JOIN lost USING (company_id, month)
          LEFT JOIN raised USING (company_id, month)
          LEFT JOIN revenue USING (company_id, month)
    )
    SELECT ROW_NUMBER() OVER (ORDER BY company_id, month) AS id, monthly.*,
           100.0 * lost_customer_count / NULLIF(customer_count, 0) AS churn_rate,
           100.0 - 100.0 * lost_customer_count / NULLIF(customer_count, 0) AS retention_rate,
           100.0 * acted_retained_count / NULLIF(acted_decided_count, 0)
               AS acted_retention_rate,
           100.0 * held_out_retained_count / NULLIF(held_out_decided_count, 0)
               AS held_out_retention_rate,
           100.0 * acted_retained_count / NULLIF(acted_decided_count, 0)
           - 100.0 * held_out_retained_count / NULLIF(held_out_decided_count, 0) AS uplift,
           cost / NULLIF(acted_retained_count, 0) AS cost_per_retained
      FROM monthly
"""


class CrmChurnReport(models.Model):
    """The churn KPIs of each company, one row per month (sales managers).

    - Churn rate: customers lost in the month (their alert closed lost then)
      / customers at the start of the month (with a posted invoice in the
      company's analysis window before it), in %; retention rate: 100 -
      churn rate.
    - Of the alerts raised in the month: how many by outcome; the retention
      rate of those acted on and of those held out (retained / retained or
      lost, in %) and the uplift (the difference, in points: what acting on
      the alerts adds, measured against the random hold-out group); their
      cost, the cost per customer retained among those acted on, and the
      revenue retained (invoiced by the retained customers after their
      alert).

    The rates are those of a month: grouped over several months, the pivot
    shows the average of the months (the counts are sums)."""

    _name = "crm.churn.report"
    _description = "Churn KPIs"
    _auto = False
    _rec_name = "month"
    _order = "month desc, company_id"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    customer_count = fields.Integer("Customers at Start", readonly=True)
    lost_customer_count = fields.Integer("Customers Lost", readonly=True)
    churn_rate = fields.Float("Churn Rate (%)", readonly=True, group_operator="avg")
    retention_rate = fields.Float("Retention Rate (%)", readonly=True, group_operator="avg")
    alert_count = fields.Integer("Alerts Raised", readonly=True)
    open_count = fields.Integer("Alerts Open", readonly=True)
    retained_count = fields.Integer("Alerts Retained", readonly=True)
    lost_count = fields.Integer("Alerts Lost", readonly=True)
    dismissed_count = fields.Integer("Alerts Dismissed", readonly=True)
    held_out_count = fields.Integer("Alerts Held Out", readonly=True)
    acted_decided_count = fields.Integer("Acted On, Decided", readonly=True)
    acted_retained_count = fields.Integer("Acted On, Retained", readonly=True)
    held_out_decided_count = fields.Integer("Held Out, Decided", readonly=True)
    held_out_retained_count = fields.Integer("Held Out, Retained", readonly=True)
    acted_retention_rate = fields.Float("Retention Acted On (%)", readonly=True,
                                        group_operator="avg")
    held_out_retention_rate = fields.Float("Retention Held Out (%)", readonly=True,
                                           group_operator="avg")
    uplift = fields.Float("Uplift (points)", readonly=True, group_operator="avg")
    cost = fields.Float("Retention Cost", readonly=True)
    cost_per_retained = fields.Float("Cost per Customer Retained", readonly=True,
                                     group_operator="avg")
    revenue_retained = fields.Float(readonly=True)

    def init(self):
        """The analysis view (see :func:`sql_view.create`: only as the
        superuser, when the module is installed or updated)."""
        sql_view.create(self, QUERY)
