# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-based SQL behind the customer insight figures.

The statements of the figures and scores work on one company at a time and
take the parameters ``crm.customer.insight._query_parameters`` builds (psycopg2
``%(name)s`` parameters):

The day and the company:

- ``company_id`` (int): the ``res.company`` whose figures are computed;
- ``today`` (``datetime.date``): the day of the figures (the user's today,
  or the day a test or benchmark gives);
- ``window_start`` (``datetime.date``): the first day of the analysis
  window, ``today - (window_days - 1)``;
- ``d90`` (``datetime.date``): ``today - 90 days``, the start of the
  interactions counted;
- ``y1_start`` / ``y2_start`` (``datetime.date``): ``today - 365`` and
  ``today - 730`` days, the bounds of the last 12 months and the 12 before;
- ``partner_ids`` (list of ``res.partner`` ids, or ``None``): restricts the
  figures to these commercial partners (the refresh after an invoice or a
  payment); ``None`` for every customer of the company;
- ``cost_field_id`` (int): the ``ir.model.fields`` id of
  ``product.product.standard_price``, whose cost is a company property
  (``ir_property``);
- ``finance_account_ids`` (list of ``account.account`` ids): the accounts of
  the financial expenses counted as marketing cost;
- ``uid`` (int): the ``res.users`` id written as creator and last editor of
  the rows;
- ``first_id`` / ``last_id`` (int, ``res.partner`` ids): the first and last
  customer of a chunk of the full recompute's writes (:data:`CHUNK_ROWS`).

The company's settings (``res.company.insight_*``, see
``crm_customer_insight.COMPANY_SETTINGS``; 0 when not set):

- ``window_days`` (int, days): the length of the analysis window;
- ``abc_a`` / ``abc_b`` (float, percent 0-100): the cumulative shares of the
  ABC measure that make class A, then class B;
- ``new_days`` (int, days): a customer whose first invoice is this recent is
  new (and a reactivated customer stays reactivated this long);
- ``lost_min_days`` (int, days): a customer is never lost sooner;
- ``lost_factor`` (float, a multiple of the customer's average days between
  purchases): lost when the last purchase is older than this;
- ``rhythm_factor`` (float, same multiple): declining when the last purchase
  is older than this;
- ``growth_pct`` / ``decline_pct`` (float, percent): growing or declining
  when the last 12 months' net sales exceed or fall short of the 12 before by
  this share;
- ``w_profit``, ``w_volume``, ``w_cost``, ``w_industry``, ``w_length``,
  ``w_satisfaction`` (float, relative weights, not negative): the weights of
  the value score's indicators (gross profit, sales volume, marketing cost,
  industry position, relationship length, satisfaction).

The statements of the invoices' own figures take ``invoice_ids`` (list of
``account.invoice`` ids) and ``cost_field_id`` (see
``account.invoice._store_insight_figures``).  Two placeholders are filled with
``str.format`` before execution, from fixed texts only: ``{sales_source}``
(:data:`SALES_FROM_INVOICES` or :data:`SALES_FROM_ORDERS`) and
``{abc_column}`` (``profit`` or ``volume``).
"""

# Net amount, cost of goods and discounts of posted customer invoices, in the
# company currency and signed like ``amount_untaxed_signed`` (refunds
# negative), kept on the invoice when it is validated: the margin of a sale is
# the one at the cost of its day, and the nightly recompute reads invoices,
# not their lines.  They are kept as double precision numbers: the recompute
# sums them a dozen ways over every invoice, and converting a million
# decimal amounts costs more than the rest of the figures together.
INVOICE_FIGURES = """
UPDATE account_invoice inv
   SET insight_net_signed = inv.amount_untaxed_signed,
       insight_cost_signed = COALESCE(figures.cost, 0),
       insight_discount_signed = COALESCE(figures.discount, 0)
  FROM unnest(%(invoice_ids)s::int[]) AS target(id)
  LEFT JOIN (
    SELECT line.invoice_id,
           SUM(sign.value * line.quantity
               / NULLIF(COALESCE(line_uom.factor, product_uom.factor), 0) * product_uom.factor
               * COALESCE(cost.value_float, cost_default.value_float, 0)) AS cost,
           -- the discount, like the line, in the company currency
           SUM(line.price_unit * line.quantity * line.discount / 100.0
               * COALESCE(line.price_subtotal_signed / NULLIF(line.price_subtotal, 0),
                          sign.value)) AS discount
      FROM account_invoice_line line
      JOIN account_invoice line_inv ON line_inv.id = line.invoice_id
      JOIN LATERAL (SELECT CASE WHEN line_inv.type = 'out_refund' THEN -1 ELSE 1 END AS value)
           sign ON TRUE
      LEFT JOIN product_product product ON product.id = line.product_id
      LEFT JOIN product_template template ON template.id = product.product_tmpl_id
      LEFT JOIN product_uom line_uom ON line_uom.id = line.uom_id
      LEFT JOIN product_uom product_uom ON product_uom.id = template.uom_id
      LEFT JOIN ir_property cost
             ON cost.fields_id = %(cost_field_id)s
            AND cost.company_id = line_inv.company_id
            AND cost.res_id = 'product.product,' || line.product_id
      LEFT JOIN ir_property cost_default
             ON cost_default.fields_id = %(cost_field_id)s
            AND cost_default.company_id = line_inv.company_id
            AND cost_default.res_id IS NULL
     WHERE line.invoice_id = ANY(%(invoice_ids)s::int[])
     GROUP BY line.invoice_id
  ) figures ON figures.invoice_id = target.id
 WHERE inv.id = target.id
"""

# The posted customer invoices without figures (validated before the module
# was installed, or by a version that did not keep them), ``batch`` at a time
# after the id ``after_id``: the backfill, which leaves the others as they are.
INVOICE_FIGURES_MISSING = """
SELECT id FROM account_invoice
 WHERE type IN ('out_invoice', 'out_refund') AND state IN ('open', 'paid')
   AND insight_cost_signed IS NULL AND id > %(after_id)s
 ORDER BY id
 LIMIT %(batch)s
"""

# The net amounts alone of the posted customer invoices that have their cost
# and discounts (those of their day: kept) but not their net amount, from a
# version that did not keep it.
INVOICE_NET_MISSING = """
UPDATE account_invoice SET insight_net_signed = amount_untaxed_signed
 WHERE type IN ('out_invoice', 'out_refund') AND state IN ('open', 'paid')
   AND insight_net_signed IS NULL AND insight_cost_signed IS NOT NULL
"""

# Raw figures per commercial partner, from posted customer invoices and
# refunds (company currency, untaxed, refunds negative) with their cost and
# discounts, open receivable journal items, financial expenses booked on the
# customer, messages and meetings, and open opportunities and quotations.
RAW_SELECT = """
WITH sales AS (
    {sales_source}
),
sales_agg AS (
    -- summed as double precision numbers, much faster than decimals, and
    -- rounded back to 4 decimals: an exact and stable figure at any
    -- realistic amount
    SELECT partner_id,
           MIN(doc_date) FILTER (WHERE amount > 0) AS first_invoice_date,
           MAX(doc_date) FILTER (WHERE amount > 0) AS last_invoice_date,
           COUNT(*) FILTER (WHERE amount > 0 AND doc_date >= %(window_start)s)
               AS invoice_count,
           COUNT(*) FILTER (WHERE amount > 0) AS invoice_count_all,
           SUM(amount) FILTER (WHERE doc_date >= %(window_start)s) AS net_invoiced,
           SUM(amount) AS net_invoiced_all,
           -SUM(amount) FILTER (WHERE amount < 0 AND doc_date >= %(window_start)s)
               AS refunded,
           SUM(amount) FILTER (WHERE doc_date > %(y1_start)s) AS net_last_12m,
           SUM(amount) FILTER (WHERE doc_date > %(y2_start)s AND doc_date <= %(y1_start)s)
               AS net_prev_12m,
           SUM(margin) FILTER (WHERE doc_date >= %(window_start)s) AS gross_margin,
           SUM(margin) AS gross_margin_all,
           SUM(discount) FILTER (WHERE doc_date >= %(window_start)s) AS discount_amount
      FROM sales
     GROUP BY partner_id
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
finance AS (
    SELECT partner.commercial_partner_id AS partner_id,
           SUM(aml.debit - aml.credit) AS financial_expense
      FROM account_move_line aml
      JOIN account_move move ON move.id = aml.move_id
      JOIN res_partner partner ON partner.id = aml.partner_id
     WHERE aml.company_id = %(company_id)s
       AND aml.account_id = ANY(%(finance_account_ids)s::int[])
       AND move.state = 'posted'
       AND aml.date BETWEEN %(window_start)s AND %(today)s
       AND (%(partner_ids)s::int[] IS NULL
            OR partner.commercial_partner_id = ANY(%(partner_ids)s::int[]))
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
)
-- every customer with sales, receivables or open business: full joins, not a
-- union of ids, so the sales figures are grouped once and never stored aside
SELECT COALESCE(sales_agg.partner_id, receivable.partner_id, pipeline.partner_id) AS partner_id,
       sales_agg.first_invoice_date,
       sales_agg.last_invoice_date,
       COALESCE(sales_agg.invoice_count, 0) AS invoice_count,
       COALESCE(sales_agg.invoice_count_all, 0) AS invoice_count_all,
       COALESCE(ROUND(sales_agg.net_invoiced::numeric, 4), 0) AS net_invoiced,
       COALESCE(ROUND(sales_agg.net_invoiced_all::numeric, 4), 0) AS net_invoiced_all,
       COALESCE(ROUND((COALESCE(sales_agg.net_invoiced, 0)
                       + COALESCE(sales_agg.refunded, 0))::numeric, 4), 0) AS gross_invoiced,
       COALESCE(ROUND(sales_agg.refunded::numeric, 4), 0) AS refunded,
       COALESCE(ROUND(sales_agg.net_last_12m::numeric, 4), 0) AS net_last_12m,
       COALESCE(ROUND(sales_agg.net_prev_12m::numeric, 4), 0) AS net_prev_12m,
       COALESCE(ROUND(sales_agg.gross_margin::numeric, 4), 0) AS gross_margin,
       COALESCE(ROUND(sales_agg.gross_margin_all::numeric, 4), 0) AS gross_margin_all,
       COALESCE(ROUND(sales_agg.discount_amount::numeric, 4), 0) AS discount_amount,
       COALESCE(finance.financial_expense, 0) AS financial_expense,
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
  FROM sales_agg
  FULL JOIN receivable ON receivable.partner_id = sales_agg.partner_id
  FULL JOIN pipeline
         ON pipeline.partner_id = COALESCE(sales_agg.partner_id, receivable.partner_id)
  LEFT JOIN finance
         ON finance.partner_id = COALESCE(sales_agg.partner_id, receivable.partner_id,
                                          pipeline.partner_id)
  LEFT JOIN interactions
         ON interactions.partner_id = COALESCE(sales_agg.partner_id, receivable.partner_id,
                                               pipeline.partner_id)
"""

# The company's posted customer invoices and refunds up to today.
POSTED_CUSTOMER_INVOICES = """
      FROM account_invoice inv
     WHERE inv.company_id = %(company_id)s
       AND inv.type IN ('out_invoice', 'out_refund')
       AND inv.state IN ('open', 'paid')
       AND inv.date_invoice <= %(today)s
       AND (%(partner_ids)s::int[] IS NULL
            OR inv.commercial_partner_id = ANY(%(partner_ids)s::int[]))
"""

# Sales documents counted: posted customer invoices and refunds ...
SALES_FROM_INVOICES = """
    SELECT inv.commercial_partner_id AS partner_id,
           inv.date_invoice AS doc_date,
           COALESCE(inv.insight_net_signed, inv.amount_untaxed_signed::float) AS amount,
           COALESCE(inv.insight_net_signed, inv.amount_untaxed_signed::float)
               - COALESCE(inv.insight_cost_signed, 0) AS margin,
           COALESCE(inv.insight_discount_signed, 0) AS discount
""" + POSTED_CUSTOMER_INVOICES

# ... or, for companies that invoice late, confirmed sale orders, converted
# to the company currency at the rate of the order date (margins and
# discounts still come from the invoices).
SALES_FROM_ORDERS = """
    SELECT partner.commercial_partner_id AS partner_id,
           sale.date_order::date AS doc_date,
           (sale.amount_untaxed * COALESCE(company_rate.rate, 1)
            / COALESCE(NULLIF(order_rate.rate, 0), 1))::float AS amount,
           0::float AS margin,
           0::float AS discount
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
    UNION ALL
    SELECT inv.commercial_partner_id, inv.date_invoice, 0,
           COALESCE(inv.insight_net_signed, inv.amount_untaxed_signed::float)
               - COALESCE(inv.insight_cost_signed, 0),
           COALESCE(inv.insight_discount_signed, 0)
""" + POSTED_CUSTOMER_INVOICES

# Upsert of the raw figures (the refresh after an invoice or a payment).
RAW_COLUMNS = (
    "first_invoice_date", "last_invoice_date", "invoice_count", "invoice_count_all",
    "net_invoiced", "net_invoiced_all", "gross_invoiced", "refunded", "net_last_12m",
    "net_prev_12m", "gross_margin", "gross_margin_all", "discount_amount",
    "financial_expense", "receivable_amount", "overdue_amount", "overdue_days", "aging_1_30",
    "aging_31_60", "aging_61_90", "aging_over_90", "interaction_count",
    "open_opportunity_count", "open_quotation_count",
)

# Scores over the whole company, from the raw figures and the state the
# previous run left (for "reactivated" and the history): RFM quintiles
# (1 + 5 x percent rank: equal values always get equal scores, the lowest
# value always 1), the weighted value score, ABC classes by cumulative share,
# grade, segment, lifecycle stage and lifetime value.  ``{abc_column}`` is
# the ranked measure ABC classes follow (``profit`` or ``volume``), so that
# its rank and the ABC shares come from one sort.
# The result fills the temporary table ``crm_ext_insight_scored``.
SCORES = """
CREATE TEMP TABLE crm_ext_insight_scored ON COMMIT DROP AS
WITH base AS (
    SELECT partner_id, last_invoice_date, first_invoice_date, invoice_count,
           net_invoiced::float AS volume, gross_margin::float AS profit,
           (discount_amount + financial_expense)::float / NULLIF(gross_invoiced, 0)
               AS cost_ratio
      FROM crm_ext_insight_raw
     WHERE invoice_count_all > 0
),
total AS (
    SELECT COUNT(*) AS customers, SUM(GREATEST({abc_column}, 0)) AS abc_total FROM base
),
-- the percent rank of a day or a count, the share of customers strictly
-- below it, from the number of customers at each value: no sort of the
-- customers themselves
recency_ranks AS (
    SELECT last_invoice_date,
           (SUM(COUNT(*)) OVER (ORDER BY last_invoice_date) - COUNT(*))::float
           / NULLIF(SUM(COUNT(*)) OVER () - 1, 0) AS pct
      FROM base GROUP BY last_invoice_date
),
frequency_ranks AS (
    SELECT invoice_count,
           (SUM(COUNT(*)) OVER (ORDER BY invoice_count) - COUNT(*))::float
           / NULLIF(SUM(COUNT(*)) OVER () - 1, 0) AS pct
      FROM base GROUP BY invoice_count
),
length_ranks AS (
    SELECT first_invoice_date,
           (SUM(COUNT(*)) OVER (ORDER BY first_invoice_date DESC) - COUNT(*))::float
           / NULLIF(SUM(COUNT(*)) OVER () - 1, 0) AS pct
      FROM base GROUP BY first_invoice_date
),
ranked AS (
    -- amounts: customers strictly below = all - those at or above, counted
    -- in descending order, the order of the ABC shares
    SELECT base.partner_id,
           LEAST(5, 1 + FLOOR(COALESCE(recency_ranks.pct, 0) * 5))::int AS r_score,
           LEAST(5, 1 + FLOOR(COALESCE(frequency_ranks.pct, 0) * 5))::int AS f_score,
           COALESCE((total.customers - COUNT(*) OVER (ORDER BY volume DESC))::float
                    / NULLIF(total.customers - 1, 0), 0) AS volume_rank,
           COALESCE((total.customers - COUNT(*) OVER (ORDER BY profit DESC))::float
                    / NULLIF(total.customers - 1, 0), 0) AS profit_rank,
           PERCENT_RANK() OVER (ORDER BY cost_ratio NULLS FIRST) AS cost_rank,
           COALESCE(length_ranks.pct, 0) AS length_rank,
           {abc_column} AS abc_value,
           COALESCE(SUM(GREATEST({abc_column}, 0)) OVER (
               ORDER BY {abc_column} DESC, base.partner_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
           / NULLIF(total.abc_total, 0) AS abc_share_before
      FROM base
     CROSS JOIN total
      JOIN recency_ranks USING (last_invoice_date)
      JOIN frequency_ranks USING (invoice_count)
      JOIN length_ranks USING (first_invoice_date)
),
valued AS (
    -- in whole points: finer figures would move every night for nearly every
    -- customer, as the others' ranks shift
    SELECT ranked.*,
           LEAST(5, 1 + FLOOR(volume_rank * 5))::int AS m_score,
           ROUND((100.0 * (%(w_profit)s * profit_rank
                    + %(w_volume)s * volume_rank
                    + %(w_cost)s * (1 - cost_rank)
                    + %(w_industry)s * COALESCE(NULLIF(partner.industry_rating, ''), '0')::float / 5
                    + %(w_length)s * length_rank
                    + %(w_satisfaction)s
                      * COALESCE(NULLIF(partner.customer_satisfaction, 0)::float / 5, 0.5))
           / NULLIF(%(w_profit)s + %(w_volume)s + %(w_cost)s + %(w_industry)s
                    + %(w_length)s + %(w_satisfaction)s, 0))::numeric)::float AS value_score
      FROM ranked
      JOIN res_partner partner ON partner.id = ranked.partner_id
),
segments AS (
    -- the first segment (by sequence) of each of the 125 possible scores
    SELECT r, f, m,
           (SELECT id FROM crm_customer_segment
             WHERE active AND r BETWEEN r_min AND r_max AND f BETWEEN f_min AND f_max
               AND m BETWEEN m_min AND m_max
               AND (company_id IS NULL OR company_id = %(company_id)s)
             ORDER BY sequence, id LIMIT 1) AS segment_id
      FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m
),
grades AS (
    -- each grade from its threshold up to the next one (the first by id
    -- among equal thresholds)
    SELECT code, min_score,
           LEAD(min_score) OVER (ORDER BY min_score, id DESC) AS next_min_score
      FROM crm_customer_grade
     WHERE active AND (company_id IS NULL OR company_id = %(company_id)s)
),
customers AS (
    SELECT raw.*,
           %(today)s::date - raw.last_invoice_date AS recency_days,
           CASE WHEN raw.invoice_count_all > 1
                THEN (raw.last_invoice_date - raw.first_invoice_date)::float
                     / (raw.invoice_count_all - 1)
           END AS avg_interval_days,
           previous.lifecycle_stage AS previous_stage,
           previous.lifecycle_stage_date AS previous_stage_date,
           previous.segment_id AS previous_segment_id,
           previous.grade AS previous_grade,
           previous.abc_class AS previous_abc_class
      FROM crm_ext_insight_raw raw
      LEFT JOIN crm_customer_insight previous
             ON previous.partner_id = raw.partner_id
            AND previous.company_id = %(company_id)s
),
staged AS (
    SELECT customers.*,
           CASE
             WHEN invoice_count_all = 0 THEN
               CASE WHEN open_opportunity_count + open_quotation_count > 0
                    THEN 'prospect' END
             WHEN first_invoice_date > %(today)s::date - %(new_days)s THEN 'new'
             WHEN recency_days >= GREATEST(%(lost_min_days)s::float,
                                           %(lost_factor)s * COALESCE(avg_interval_days, 0))
               THEN 'lost'
             WHEN previous_stage = 'lost'
                  OR (previous_stage = 'reactivated'
                      AND previous_stage_date > %(today)s::date - %(new_days)s)
               THEN 'reactivated'
             WHEN recency_days > %(rhythm_factor)s * avg_interval_days
                  OR (net_prev_12m > 0
                      AND net_last_12m <= net_prev_12m * (1 - %(decline_pct)s / 100.0))
               THEN 'declining'
             WHEN net_prev_12m > 0
                  AND net_last_12m >= net_prev_12m * (1 + %(growth_pct)s / 100.0)
               THEN 'growing'
             ELSE 'active'
           END AS lifecycle_stage
      FROM customers
)
SELECT staged.*,
       valued.r_score, valued.f_score, valued.m_score,
       valued.r_score::text || valued.f_score::text || valued.m_score::text AS rfm_score,
       segments.segment_id,
       valued.value_score,
       grades.code AS grade,
       CASE WHEN valued.partner_id IS NULL THEN NULL
            WHEN valued.abc_value > 0 AND valued.abc_share_before < %(abc_a)s / 100.0 THEN 'A'
            WHEN valued.abc_value > 0
                 AND valued.abc_share_before < (%(abc_a)s + %(abc_b)s) / 100.0 THEN 'B'
            ELSE 'C'
       END AS abc_class,
       CASE WHEN staged.lifecycle_stage IS DISTINCT FROM staged.previous_stage
            THEN %(today)s::date ELSE staged.previous_stage_date END AS lifecycle_stage_date,
       CASE staged.lifecycle_stage
            WHEN 'lost' THEN 0.0 WHEN 'declining' THEN 0.5 ELSE 1.0 END AS clv_retention,
       staged.gross_margin * 365.0 / %(window_days)s AS clv_run_rate
  FROM staged
  LEFT JOIN valued ON valued.partner_id = staged.partner_id
  LEFT JOIN segments
         ON segments.r = valued.r_score AND segments.f = valued.f_score
        AND segments.m = valued.m_score
  LEFT JOIN grades
         ON valued.value_score >= grades.min_score
        AND (grades.next_min_score IS NULL OR valued.value_score < grades.next_min_score)
"""

# The rows of a full recompute as they are written: the scored rows with
# the insight table's own column types (the scores are cast once, here, as
# writing them would), and the state the run read before (``previous_*``),
# which the history compares.  ``{columns}``: RAW_COLUMNS + the score
# columns of crm_customer_insight.SCORE_COLUMNS, fixed texts.  The whole
# company's rows are made on the cursor that scored them, then written in
# chunks of customers (copied to the chunk's own cursor when it has one).
ROWS_TABLE = """
CREATE TEMP TABLE crm_ext_insight_rows ON COMMIT DROP AS
SELECT partner_id, {columns}, segment_id AS previous_segment_id, grade AS previous_grade,
       abc_class AS previous_abc_class, lifecycle_stage AS previous_stage
  FROM crm_customer_insight WITH NO DATA
"""

ROWS_FILL = """
INSERT INTO crm_ext_insight_rows
SELECT partner_id, {columns}, previous_segment_id, previous_grade, previous_abc_class,
       previous_stage
  FROM crm_ext_insight_scored
"""

# The rows of one chunk: the customers ``first_id`` to ``last_id`` (ids of
# res.partner) of the rows above, a fixed text for upsert_statements.
CHUNK_ROWS = ("(SELECT * FROM crm_ext_insight_rows "
              "WHERE partner_id BETWEEN %(first_id)s AND %(last_id)s)")

# What changed since the previous run, for the history, in one chunk.
TRACKED_CHANGES = """
INSERT INTO crm_customer_segment_history
       (partner_id, company_id, date, field_name, old_value, new_value,
        create_uid, create_date, write_uid, write_date)
SELECT scored.partner_id, %(company_id)s, %(today)s, change.field_name,
       change.old_value, change.new_value,
       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
  FROM """ + CHUNK_ROWS + """ scored
  LEFT JOIN crm_customer_segment old_segment ON old_segment.id = scored.previous_segment_id
  LEFT JOIN crm_customer_segment new_segment ON new_segment.id = scored.segment_id
  CROSS JOIN LATERAL (VALUES
      ('segment', old_segment.name, new_segment.name),
      ('grade', scored.previous_grade, scored.grade),
      ('abc_class', scored.previous_abc_class, scored.abc_class),
      ('lifecycle_stage', scored.previous_stage, scored.lifecycle_stage)
  ) AS change(field_name, old_value, new_value)
 WHERE change.old_value IS DISTINCT FROM change.new_value
"""

# What a chunk of a full recompute scored: the customers, and those whose
# segment changed (new customers included, as TRACKED_CHANGES keeps them).
SCORED_COUNTS = """
SELECT COUNT(*), COUNT(*) FILTER (WHERE previous_segment_id IS DISTINCT FROM segment_id)
  FROM """ + CHUNK_ROWS + """ scored
"""

# Customers the company no longer has any figure for lose their row: the
# refreshed customers the figures (the WITH query "source") no longer hold ...
REFRESH_VANISHED = """
DELETE FROM crm_customer_insight insight
 WHERE insight.company_id = %(company_id)s AND insight.partner_id = ANY(%(partner_ids)s)
   AND NOT EXISTS (SELECT 1 FROM source WHERE source.partner_id = insight.partner_id)
"""

# ... and, in the full recompute, every customer the raw figures no longer
# hold (their ids: a chunk deletes them).
VANISHED_IDS = """
SELECT insight.id FROM crm_customer_insight insight
 WHERE insight.company_id = %(company_id)s
   AND NOT EXISTS (SELECT 1 FROM crm_ext_insight_raw raw
                    WHERE raw.partner_id = insight.partner_id)
 ORDER BY insight.id
"""

# The customers of a grade of the company (``grade``, its code) a visit of
# the activity type ``type`` (a mail.activity.type id) is due for: they have
# a salesperson and no visit of that type planned; with the day of their
# last visit done.  ``partner_ids``: only these (a chunk), or NULL.
VISITS_DUE = """
SELECT partner.id, partner.user_id, MAX(done.date)
  FROM crm_customer_insight insight
  JOIN res_partner partner ON partner.id = insight.partner_id
  LEFT JOIN mail_message done
         ON done.model = 'res.partner' AND done.res_id = partner.id
        AND done.mail_activity_type_id = %(type)s
 WHERE insight.company_id = %(company)s AND insight.grade = %(grade)s
   AND partner.user_id IS NOT NULL AND partner.active
   AND (%(partner_ids)s::int[] IS NULL OR partner.id = ANY(%(partner_ids)s::int[]))
   AND NOT EXISTS (
       SELECT 1 FROM mail_activity planned
        WHERE planned.res_model = 'res.partner'
          AND planned.res_id = partner.id
          AND planned.activity_type_id = %(type)s)
 GROUP BY partner.id, partner.user_id
 ORDER BY partner.id
"""


def upsert_statements(source_table, columns, keep_newer=False):
    """(UPDATE, INSERT) statements writing the rows of ``source_table`` (the
    name of a table or of a WITH query, with a ``partner_id`` and
    ``columns``) into ``crm_customer_insight`` for ``%(company_id)s``: the
    UPDATE of the rows that changed (a nightly run rewrites a few customers,
    not all of them), the INSERT of the new customers.  Both take the
    parameters ``company_id`` and ``uid``; ``source_table`` and ``columns``
    are fixed texts of crm_ext, never a caller's.

    ``keep_newer``: the rows were computed in an earlier transaction (a
    chunked recompute): a row written after ``%(figures_as_of)s`` (by the
    refresh after a document committed meanwhile) is newer than them and
    kept (the next recompute scores it); without this, a chunk would put
    back the figures of before that document."""
    newer_kept = "AND insight.write_date <= %(figures_as_of)s" if keep_newer else ""
    insight_columns = ", ".join("insight.%s" % col for col in columns)
    source_columns = ", ".join("source.%s" % col for col in columns)
    update = """
        UPDATE crm_customer_insight insight
           SET ({columns}, computed_at, write_uid, write_date)
             = ({source_columns}, NOW() AT TIME ZONE 'UTC', %(uid)s,
                NOW() AT TIME ZONE 'UTC')
          FROM {table} source
         WHERE insight.partner_id = source.partner_id
           AND insight.company_id = %(company_id)s
           AND ({insight_columns}) IS DISTINCT FROM ({source_columns})
           {newer_kept}
    """.format(columns=", ".join(columns), source_columns=source_columns,
               insight_columns=insight_columns, table=source_table, newer_kept=newer_kept)
    assignments = ", ".join("%s = EXCLUDED.%s" % (col, col) for col in columns)
    # ON CONFLICT: a refresh in another transaction may add the customer meanwhile
    insert = """
        INSERT INTO crm_customer_insight
               (partner_id, company_id, computed_at, {columns},
                create_uid, create_date, write_uid, write_date)
        SELECT partner_id, %(company_id)s, NOW() AT TIME ZONE 'UTC', {source_columns},
               %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
          FROM {table} source
         WHERE NOT EXISTS (SELECT 1 FROM crm_customer_insight insight
                            WHERE insight.partner_id = source.partner_id
                              AND insight.company_id = %(company_id)s)
        ON CONFLICT (partner_id, company_id) DO UPDATE
           SET computed_at = EXCLUDED.computed_at, write_uid = EXCLUDED.write_uid,
               write_date = EXCLUDED.write_date, {assignments}
         {newer_kept}
    """.format(columns=", ".join(columns), source_columns=source_columns,
               table=source_table, assignments=assignments,
               newer_kept=newer_kept.replace("AND insight.", "WHERE crm_customer_insight.")
               if keep_newer else "")
    return update, insert
