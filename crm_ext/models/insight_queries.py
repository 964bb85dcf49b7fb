# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-based SQL behind the customer insight figures.

Every statement works on one company at a time and takes these parameters:
``company_id``, ``today``, ``window_start`` (start of the analysis window),
``d90`` (today - 90 days), ``y1_start`` / ``y2_start`` (today - 365 / 730
days), ``cost_field_id`` (the ``standard_price`` field, whose cost is a
company property) and ``partner_ids`` (an array restricting the figures to
some commercial partners, or NULL for all).
"""

# Raw figures per commercial partner, from posted customer invoices and
# refunds (company currency, untaxed, refunds negative), their lines (margin,
# discounts), open receivable journal items, messages and meetings, and open
# opportunities and quotations.  The result fills the temporary table
# ``crm_ext_insight_raw``.
RAW_METRICS = """
CREATE TEMP TABLE crm_ext_insight_raw ON COMMIT DROP AS
WITH sales AS (
    {sales_source}
),
sales_agg AS (
    SELECT partner_id,
           MIN(doc_date) FILTER (WHERE amount > 0) AS first_invoice_date,
           MAX(doc_date) FILTER (WHERE amount > 0) AS last_invoice_date,
           COUNT(*) FILTER (WHERE amount > 0 AND doc_date >= %(window_start)s)
               AS invoice_count,
           COUNT(*) FILTER (WHERE amount > 0) AS invoice_count_all,
           COALESCE(SUM(amount) FILTER (WHERE doc_date >= %(window_start)s), 0)
               AS net_invoiced,
           COALESCE(SUM(amount), 0) AS net_invoiced_all,
           COALESCE(SUM(amount) FILTER (
               WHERE amount > 0 AND doc_date >= %(window_start)s), 0) AS gross_invoiced,
           COALESCE(-SUM(amount) FILTER (
               WHERE amount < 0 AND doc_date >= %(window_start)s), 0) AS refunded,
           COALESCE(SUM(amount) FILTER (WHERE doc_date > %(y1_start)s), 0)
               AS net_last_12m,
           COALESCE(SUM(amount) FILTER (
               WHERE doc_date > %(y2_start)s AND doc_date <= %(y1_start)s), 0)
               AS net_prev_12m
      FROM sales
     GROUP BY partner_id
),
line_agg AS (
    SELECT inv.commercial_partner_id AS partner_id,
           COALESCE(SUM(line.price_subtotal_signed) FILTER (
               WHERE inv.date_invoice >= %(window_start)s), 0) AS line_revenue,
           COALESCE(SUM(line.price_subtotal_signed), 0) AS line_revenue_all,
           COALESCE(SUM(sign.value * line.quantity / NULLIF(COALESCE(line_uom.factor, product_uom.factor), 0)
                        * product_uom.factor * COALESCE(cost.value_float, cost_default.value_float, 0))
                    FILTER (WHERE inv.date_invoice >= %(window_start)s), 0) AS cost,
           COALESCE(SUM(sign.value * line.quantity / NULLIF(COALESCE(line_uom.factor, product_uom.factor), 0)
                        * product_uom.factor * COALESCE(cost.value_float, cost_default.value_float, 0)),
                    0) AS cost_all,
           COALESCE(SUM(line.price_unit * line.quantity * line.discount / 100.0
                        * COALESCE(line.price_subtotal_signed / NULLIF(line.price_subtotal, 0),
                                   sign.value))
                    FILTER (WHERE inv.date_invoice >= %(window_start)s), 0) AS discount
      FROM account_invoice_line line
      JOIN account_invoice inv ON inv.id = line.invoice_id
      JOIN LATERAL (SELECT CASE WHEN inv.type = 'out_refund' THEN -1 ELSE 1 END AS value) sign
           ON TRUE
      LEFT JOIN product_product product ON product.id = line.product_id
      LEFT JOIN product_template template ON template.id = product.product_tmpl_id
      LEFT JOIN product_uom line_uom ON line_uom.id = line.uom_id
      LEFT JOIN product_uom product_uom ON product_uom.id = template.uom_id
      LEFT JOIN ir_property cost
             ON cost.fields_id = %(cost_field_id)s
            AND cost.company_id = inv.company_id
            AND cost.res_id = 'product.product,' || line.product_id
      LEFT JOIN ir_property cost_default
             ON cost_default.fields_id = %(cost_field_id)s
            AND cost_default.company_id = inv.company_id
            AND cost_default.res_id IS NULL
     WHERE inv.company_id = %(company_id)s
       AND inv.type IN ('out_invoice', 'out_refund')
       AND inv.state IN ('open', 'paid')
       AND inv.date_invoice <= %(today)s
       AND (%(partner_ids)s::int[] IS NULL
            OR inv.commercial_partner_id = ANY(%(partner_ids)s::int[]))
     GROUP BY inv.commercial_partner_id
),
receivable AS (
    SELECT partner.commercial_partner_id AS partner_id,
           SUM(aml.amount_residual) AS receivable_amount,
           COALESCE(SUM(aml.amount_residual) FILTER (WHERE due.day < %(today)s), 0)
               AS overdue_amount,
           MAX(%(today)s::date - due.day) FILTER (
               WHERE due.day < %(today)s AND aml.amount_residual > 0) AS overdue_days,
           COALESCE(SUM(aml.amount_residual) FILTER (
               WHERE %(today)s::date - due.day BETWEEN 1 AND 30), 0) AS aging_1_30,
           COALESCE(SUM(aml.amount_residual) FILTER (
               WHERE %(today)s::date - due.day BETWEEN 31 AND 60), 0) AS aging_31_60,
           COALESCE(SUM(aml.amount_residual) FILTER (
               WHERE %(today)s::date - due.day BETWEEN 61 AND 90), 0) AS aging_61_90,
           COALESCE(SUM(aml.amount_residual) FILTER (
               WHERE %(today)s::date - due.day > 90), 0) AS aging_over_90
      FROM account_move_line aml
      JOIN account_account account ON account.id = aml.account_id
      JOIN account_move move ON move.id = aml.move_id
      JOIN res_partner partner ON partner.id = aml.partner_id
      JOIN LATERAL (SELECT COALESCE(aml.date_maturity, aml.date) AS day) due ON TRUE
     WHERE aml.company_id = %(company_id)s
       AND account.internal_type = 'receivable'
       AND move.state = 'posted'
       AND NOT aml.reconciled
       AND aml.amount_residual <> 0
       AND (%(partner_ids)s::int[] IS NULL
            OR aml.partner_id IN (SELECT id FROM res_partner
                                   WHERE commercial_partner_id = ANY(%(partner_ids)s::int[])))
     GROUP BY partner.commercial_partner_id
),
interactions AS (
    SELECT partner_id, COUNT(*) AS interaction_count
      FROM (
        SELECT document.partner_id
          FROM mail_message message
          JOIN (SELECT 'res.partner' AS model, partner.id AS res_id,
                       partner.commercial_partner_id AS partner_id
                  FROM res_partner partner
                UNION ALL
                SELECT 'crm.lead', lead.id, partner.commercial_partner_id
                  FROM crm_lead lead JOIN res_partner partner ON partner.id = lead.partner_id
                UNION ALL
                SELECT 'sale.order', sale.id, partner.commercial_partner_id
                  FROM sale_order sale JOIN res_partner partner ON partner.id = sale.partner_id
                 WHERE sale.company_id = %(company_id)s) document
            ON document.model = message.model AND document.res_id = message.res_id
         WHERE message.date >= %(d90)s
           AND message.message_type IN ('comment', 'email')
        UNION ALL
        SELECT DISTINCT ON (event.id, partner.commercial_partner_id)
               partner.commercial_partner_id
          FROM calendar_event event
          JOIN calendar_event_res_partner_rel attendee ON attendee.calendar_event_id = event.id
          JOIN res_partner partner ON partner.id = attendee.res_partner_id
         WHERE event.start >= %(d90)s AND event.start::date <= %(today)s
      ) interaction
     WHERE %(partner_ids)s::int[] IS NULL
        OR partner_id = ANY(%(partner_ids)s::int[])
     GROUP BY partner_id
),
pipeline AS (
    SELECT partner_id,
           COUNT(*) FILTER (WHERE kind = 'opportunity') AS open_opportunity_count,
           COUNT(*) FILTER (WHERE kind = 'quotation') AS open_quotation_count
      FROM (
        SELECT partner.commercial_partner_id AS partner_id, 'opportunity' AS kind
          FROM crm_lead lead
          JOIN res_partner partner ON partner.id = lead.partner_id
         WHERE lead.active AND lead.type = 'opportunity' AND lead.probability < 100
           AND (lead.company_id = %(company_id)s OR lead.company_id IS NULL)
        UNION ALL
        SELECT partner.commercial_partner_id, 'quotation'
          FROM sale_order sale
          JOIN res_partner partner ON partner.id = sale.partner_id
         WHERE sale.state IN ('draft', 'sent') AND sale.company_id = %(company_id)s
      ) open_business
     WHERE %(partner_ids)s::int[] IS NULL
        OR partner_id = ANY(%(partner_ids)s::int[])
     GROUP BY partner_id
),
partners AS (
    SELECT partner_id FROM sales_agg
    UNION SELECT partner_id FROM receivable
    UNION SELECT partner_id FROM pipeline
)
SELECT partners.partner_id,
       sales_agg.first_invoice_date,
       sales_agg.last_invoice_date,
       COALESCE(sales_agg.invoice_count, 0) AS invoice_count,
       COALESCE(sales_agg.invoice_count_all, 0) AS invoice_count_all,
       COALESCE(sales_agg.net_invoiced, 0) AS net_invoiced,
       COALESCE(sales_agg.net_invoiced_all, 0) AS net_invoiced_all,
       COALESCE(sales_agg.gross_invoiced, 0) AS gross_invoiced,
       COALESCE(sales_agg.refunded, 0) AS refunded,
       COALESCE(sales_agg.net_last_12m, 0) AS net_last_12m,
       COALESCE(sales_agg.net_prev_12m, 0) AS net_prev_12m,
       COALESCE(line_agg.line_revenue - line_agg.cost, 0) AS gross_margin,
       COALESCE(line_agg.line_revenue_all - line_agg.cost_all, 0) AS gross_margin_all,
       COALESCE(line_agg.discount, 0) AS discount_amount,
       COALESCE(receivable.receivable_amount, 0) AS receivable_amount,
       COALESCE(receivable.overdue_amount, 0) AS overdue_amount,
       COALESCE(receivable.overdue_days, 0) AS overdue_days,
       COALESCE(receivable.aging_1_30, 0) AS aging_1_30,
       COALESCE(receivable.aging_31_60, 0) AS aging_31_60,
       COALESCE(receivable.aging_61_90, 0) AS aging_61_90,
       COALESCE(receivable.aging_over_90, 0) AS aging_over_90,
       COALESCE(interactions.interaction_count, 0) AS interaction_count,
       COALESCE(pipeline.open_opportunity_count, 0) AS open_opportunity_count,
       COALESCE(pipeline.open_quotation_count, 0) AS open_quotation_count
  FROM partners
  LEFT JOIN sales_agg ON sales_agg.partner_id = partners.partner_id
  LEFT JOIN line_agg ON line_agg.partner_id = partners.partner_id
  LEFT JOIN receivable ON receivable.partner_id = partners.partner_id
  LEFT JOIN interactions ON interactions.partner_id = partners.partner_id
  LEFT JOIN pipeline ON pipeline.partner_id = partners.partner_id
"""

# Sales documents counted: posted customer invoices and refunds ...
SALES_FROM_INVOICES = """
    SELECT inv.commercial_partner_id AS partner_id,
           inv.date_invoice AS doc_date,
           inv.amount_untaxed_signed AS amount
      FROM account_invoice inv
     WHERE inv.company_id = %(company_id)s
       AND inv.type IN ('out_invoice', 'out_refund')
       AND inv.state IN ('open', 'paid')
       AND inv.date_invoice <= %(today)s
       AND inv.amount_untaxed_signed <> 0
       AND (%(partner_ids)s::int[] IS NULL
            OR inv.commercial_partner_id = ANY(%(partner_ids)s::int[]))
"""

# ... or, for companies that invoice late, confirmed sale orders, converted
# to the company currency at the rate of the order date.
SALES_FROM_ORDERS = """
    SELECT partner.commercial_partner_id AS partner_id,
           sale.date_order::date AS doc_date,
           sale.amount_untaxed * COALESCE(company_rate.rate, 1)
               / COALESCE(NULLIF(order_rate.rate, 0), 1) AS amount
      FROM sale_order sale
      JOIN res_partner partner ON partner.id = sale.partner_id
      JOIN res_company company ON company.id = sale.company_id
      JOIN product_pricelist pricelist ON pricelist.id = sale.pricelist_id
      LEFT JOIN LATERAL (
          SELECT rate FROM res_currency_rate
           WHERE currency_id = pricelist.currency_id AND name <= sale.date_order
             AND (company_id = sale.company_id OR company_id IS NULL)
           ORDER BY company_id, name DESC LIMIT 1) order_rate ON TRUE
      LEFT JOIN LATERAL (
          SELECT rate FROM res_currency_rate
           WHERE currency_id = company.currency_id AND name <= sale.date_order
             AND (company_id = sale.company_id OR company_id IS NULL)
           ORDER BY company_id, name DESC LIMIT 1) company_rate ON TRUE
     WHERE sale.company_id = %(company_id)s
       AND sale.state IN ('sale', 'done')
       AND sale.date_order::date <= %(today)s
       AND sale.amount_untaxed <> 0
       AND (%(partner_ids)s::int[] IS NULL
            OR partner.commercial_partner_id = ANY(%(partner_ids)s::int[]))
"""

# Upsert of the raw figures (the refresh after an invoice or a payment).
RAW_COLUMNS = (
    "first_invoice_date", "last_invoice_date", "invoice_count", "invoice_count_all",
    "net_invoiced", "net_invoiced_all", "gross_invoiced", "refunded", "net_last_12m",
    "net_prev_12m", "gross_margin", "gross_margin_all", "discount_amount",
    "receivable_amount", "overdue_amount", "overdue_days", "aging_1_30", "aging_31_60",
    "aging_61_90", "aging_over_90", "interaction_count", "open_opportunity_count",
    "open_quotation_count",
)

# Scores over the whole company, from the raw figures and the state the
# previous run left (for "reactivated"): RFM quintiles (1 + 5 x percent_rank:
# equal values always get equal scores, the lowest value always 1), the weighted value score, ABC classes by
# cumulative share, grade, segment, lifecycle stage and lifetime value.
# The result fills the temporary table ``crm_ext_insight_scored``.
SCORES = """
CREATE TEMP TABLE crm_ext_insight_scored ON COMMIT DROP AS
WITH base AS (
    SELECT raw.*,
           partner.industry_rating,
           partner.customer_satisfaction,
           %(today)s::date - raw.last_invoice_date AS recency_days,
           CASE WHEN raw.invoice_count_all > 1
                THEN (raw.last_invoice_date - raw.first_invoice_date)::float
                     / (raw.invoice_count_all - 1)
           END AS avg_interval_days,
           previous.lifecycle_stage AS previous_stage,
           previous.lifecycle_stage_date AS previous_stage_date
      FROM crm_ext_insight_raw raw
      JOIN res_partner partner ON partner.id = raw.partner_id
      LEFT JOIN crm_customer_insight previous
             ON previous.partner_id = raw.partner_id
            AND previous.company_id = %(company_id)s
),
customers AS (
    SELECT base.*,
           LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY recency_days DESC) * 5))::int
               AS r_score,
           LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY invoice_count) * 5))::int
               AS f_score,
           LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY net_invoiced) * 5))::int
               AS m_score,
           PERCENT_RANK() OVER (ORDER BY gross_margin) AS profit_rank,
           PERCENT_RANK() OVER (ORDER BY net_invoiced) AS volume_rank,
           PERCENT_RANK() OVER (ORDER BY discount_amount / NULLIF(gross_invoiced, 0)
                                NULLS FIRST) AS cost_rank,
           PERCENT_RANK() OVER (ORDER BY first_invoice_date DESC) AS length_rank,
           CASE %(abc_measure)s WHEN 'revenue' THEN net_invoiced ELSE gross_margin END
               AS abc_value
      FROM base
     WHERE invoice_count_all > 0
),
valued AS (
    SELECT customers.*,
           100.0 * (%(w_profit)s * profit_rank
                    + %(w_volume)s * volume_rank
                    + %(w_cost)s * (1 - cost_rank)
                    + %(w_industry)s * COALESCE(NULLIF(industry_rating, ''), '0')::float / 5
                    + %(w_length)s * length_rank
                    + %(w_satisfaction)s * COALESCE(NULLIF(customer_satisfaction, 0)::float / 5, 0.5))
           / NULLIF(%(w_profit)s + %(w_volume)s + %(w_cost)s + %(w_industry)s
                    + %(w_length)s + %(w_satisfaction)s, 0) AS value_score,
           COALESCE(SUM(GREATEST(abc_value, 0)) OVER (
               ORDER BY abc_value DESC, partner_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           / NULLIF(SUM(GREATEST(abc_value, 0)) OVER (), 0) AS abc_share_before
      FROM customers
),
staged AS (
    SELECT base.partner_id,
           CASE
             WHEN base.invoice_count_all = 0 THEN
               CASE WHEN base.open_opportunity_count + base.open_quotation_count > 0
                    THEN 'prospect' END
             WHEN base.first_invoice_date > %(today)s::date - %(new_days)s THEN 'new'
             WHEN base.recency_days >= GREATEST(%(lost_min_days)s::float,
                                               %(lost_factor)s * COALESCE(base.avg_interval_days, 0))
               THEN 'lost'
             WHEN base.previous_stage = 'lost'
                  OR (base.previous_stage = 'reactivated'
                      AND base.previous_stage_date > %(today)s::date - %(new_days)s)
               THEN 'reactivated'
             WHEN base.recency_days > %(rhythm_factor)s * base.avg_interval_days
                  OR (base.net_prev_12m > 0
                      AND base.net_last_12m <= base.net_prev_12m * (1 - %(decline_pct)s / 100.0))
               THEN 'declining'
             WHEN base.net_prev_12m > 0
                  AND base.net_last_12m >= base.net_prev_12m * (1 + %(growth_pct)s / 100.0)
               THEN 'growing'
             ELSE 'active'
           END AS lifecycle_stage
      FROM base
)
SELECT base.*,
       valued.r_score, valued.f_score, valued.m_score,
       CASE WHEN valued.partner_id IS NOT NULL
            THEN valued.r_score::text || valued.f_score::text || valued.m_score::text
       END AS rfm_score,
       segment.id AS segment_id,
       ROUND(valued.value_score::numeric, 2)::float AS value_score,
       grade.code AS grade,
       CASE WHEN valued.partner_id IS NULL THEN NULL
            WHEN valued.abc_value > 0 AND valued.abc_share_before < %(abc_a)s / 100.0 THEN 'A'
            WHEN valued.abc_value > 0
                 AND valued.abc_share_before < (%(abc_a)s + %(abc_b)s) / 100.0 THEN 'B'
            ELSE 'C'
       END AS abc_class,
       staged.lifecycle_stage,
       CASE WHEN staged.lifecycle_stage IS DISTINCT FROM base.previous_stage
            THEN %(today)s::date ELSE base.previous_stage_date END AS lifecycle_stage_date,
       CASE staged.lifecycle_stage
            WHEN 'lost' THEN 0.0 WHEN 'declining' THEN 0.5 ELSE 1.0 END AS clv_retention,
       base.gross_margin * 365.0 / %(window_days)s AS clv_run_rate
  FROM base
  JOIN staged ON staged.partner_id = base.partner_id
  LEFT JOIN valued ON valued.partner_id = base.partner_id
  LEFT JOIN LATERAL (
      SELECT id FROM crm_customer_segment
       WHERE active AND valued.partner_id IS NOT NULL
         AND valued.r_score BETWEEN r_min AND r_max
         AND valued.f_score BETWEEN f_min AND f_max
         AND valued.m_score BETWEEN m_min AND m_max
         AND (company_id IS NULL OR company_id = %(company_id)s)
       ORDER BY sequence, id LIMIT 1) segment ON TRUE
  LEFT JOIN LATERAL (
      SELECT code FROM crm_customer_grade
       WHERE active AND valued.partner_id IS NOT NULL
         AND valued.value_score >= min_score
         AND (company_id IS NULL OR company_id = %(company_id)s)
       ORDER BY min_score DESC, id LIMIT 1) grade ON TRUE
"""

# What changed since the previous run, for the history.
TRACKED_CHANGES = """
INSERT INTO crm_customer_segment_history
       (partner_id, company_id, date, field_name, old_value, new_value,
        create_uid, create_date, write_uid, write_date)
SELECT scored.partner_id, %(company_id)s, %(today)s, change.field_name,
       change.old_value, change.new_value,
       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
  FROM crm_ext_insight_scored scored
  LEFT JOIN crm_customer_insight previous
         ON previous.partner_id = scored.partner_id AND previous.company_id = %(company_id)s
  LEFT JOIN crm_customer_segment old_segment ON old_segment.id = previous.segment_id
  LEFT JOIN crm_customer_segment new_segment ON new_segment.id = scored.segment_id
  CROSS JOIN LATERAL (VALUES
      ('segment', old_segment.name, new_segment.name),
      ('grade', previous.grade, scored.grade),
      ('abc_class', previous.abc_class, scored.abc_class),
      ('lifecycle_stage', previous.lifecycle_stage, scored.lifecycle_stage)
  ) AS change(field_name, old_value, new_value)
 WHERE change.old_value IS DISTINCT FROM change.new_value
"""

# Customers the company no longer has any figure for keep their row, emptied.
CLEAR_VANISHED = """
DELETE FROM crm_customer_insight insight
 WHERE insight.company_id = %(company_id)s
   AND NOT EXISTS (SELECT 1 FROM crm_ext_insight_raw raw
                    WHERE raw.partner_id = insight.partner_id)
"""
