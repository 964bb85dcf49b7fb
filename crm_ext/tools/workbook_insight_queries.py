# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL of the Customer insight workbook: one statement per chunk of
insight ids, the rows in the order of the ids given."""

#: the rows of the insight ids ``%(ids)s`` (a list of ints), in that order:
#: the customer's and the salesperson's names, the scores and labels as
#: stored, the net invoiced amount of the analysis window, the lifetime
#: value (all-time margin + predicted margin: the churn model's where it
#: predicts purchases, else the run rate x the retention factor, as
#: crm_customer_insight_clv.py computes it), the churn risk as a share
#: (0-1), the receivable and overdue amounts (company currency)
INSIGHT_ROWS = """
SELECT p.name AS customer,
       sp.name AS salesperson,
       i.segment_id,
       i.r_score, i.f_score, i.m_score, i.rfm_score,
       i.grade, i.abc_class, i.lifecycle_stage,
       i.last_invoice_date,
       i.net_invoiced,
       COALESCE(i.gross_margin_all, 0)
         + CASE WHEN i.churn_model_id IS NOT NULL AND i.clv_model_purchases > 0
                THEN COALESCE(i.clv_model_value, 0)
                ELSE COALESCE(i.clv_run_rate, 0) * COALESCE(i.clv_retention, 0) END AS clv,
       i.churn_risk / 100.0 AS churn_risk,
       i.receivable_amount, i.overdue_amount
  FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS o(id, n)
  JOIN crm_customer_insight i ON i.id = o.id
  JOIN res_partner p ON p.id = i.partner_id
  LEFT JOIN res_users u ON u.id = p.user_id
  LEFT JOIN res_partner sp ON sp.id = u.partner_id
 ORDER BY o.n
"""
