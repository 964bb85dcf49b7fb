# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Set-based SQL behind the churn model and the churn risk.

Every statement works on one company and takes psycopg2 ``%(name)s``
parameters:

- ``company_id`` (int): the ``res.company``;
- ``as_of`` (``datetime.date``): the day the purchase histories are cut at
  (the fit's "as of", or the calibration date of the model card, or the
  day of the scoring);
- ``holdout_end`` (``datetime.date``): purchases after ``as_of`` up to this
  day are counted as ``holdout_purchases`` (the model card); ``as_of`` when
  there is no holdout;
- the scoring's days (``datetime.date``): ``d90`` (``as_of - 90 days``),
  ``d180`` (``as_of - 180 days``), ``points_until`` (the last expiry day of
  the points counted as expiring);
- ``partner_ids`` (list of ``res.partner`` ids, or ``None``): restricts the
  scoring to these commercial partners.

A purchase is a day on which the customer has posted customer invoices
(refunds are not purchases) worth zero or more, untaxed, in the company
currency: the transactions of the BG/NBD and Gamma-Gamma models, as
``lifetimes.utils.summary_data_from_transaction_data`` counts them per day
(a purchase of nothing, as CDNOW's eight free first orders, is still a
purchase: the customer came).
Times are in days; the model divides them by 7 (weeks).
"""

# The purchase days of the company's customers up to ``holdout_end``, with
# their amount.
_PURCHASE_DAYS = """
purchase_days AS (
    SELECT inv.commercial_partner_id AS partner_id, inv.date_invoice AS day,
           SUM(COALESCE(inv.insight_net_signed, inv.amount_untaxed_signed::float)) AS amount
      FROM account_invoice inv
     WHERE inv.company_id = %(company_id)s
       AND inv.type = 'out_invoice'
       AND inv.state IN ('open', 'paid')
       AND inv.date_invoice <= %(holdout_end)s
     GROUP BY inv.commercial_partner_id, inv.date_invoice
    HAVING SUM(COALESCE(inv.insight_net_signed, inv.amount_untaxed_signed::float)) >= 0
),
first_days AS (
    SELECT partner_id, MIN(day) AS first_day
      FROM purchase_days WHERE day <= %(as_of)s GROUP BY partner_id
),
summary AS (
    -- x: repeat purchases; t_x: days from the first purchase to the last;
    -- t: days from the first purchase to as_of; m: average amount of the
    -- repeat purchases (NULL without one)
    SELECT days.partner_id,
           COUNT(*) FILTER (WHERE days.day <= %(as_of)s) - 1 AS x,
           MAX(days.day) FILTER (WHERE days.day <= %(as_of)s) - first_days.first_day AS t_x,
           %(as_of)s::date - first_days.first_day AS t,
           AVG(days.amount) FILTER (WHERE days.day > first_days.first_day
                                      AND days.day <= %(as_of)s) AS m,
           %(as_of)s::date - MAX(days.day) FILTER (WHERE days.day <= %(as_of)s)
               AS days_since_last,
           COUNT(*) FILTER (WHERE days.day > %(as_of)s) AS holdout_purchases
      FROM purchase_days days
      JOIN first_days ON first_days.partner_id = days.partner_id
     GROUP BY days.partner_id, first_days.first_day
)
"""

# The BG/NBD input of the fit: customers with the same (x, t_x, t) once,
# with their number.
FIT_FREQUENCIES = "WITH " + _PURCHASE_DAYS + """
SELECT x, t_x, t, COUNT(*) FROM summary GROUP BY x, t_x, t
"""

# The Gamma-Gamma input of the fit: the repeat buyers' x and m.
FIT_SPENDS = "WITH " + _PURCHASE_DAYS + """
SELECT x, m FROM summary WHERE x > 0 AND m > 0
"""

# The model card: the purchases up to ``as_of`` (``holdout_end`` the same
# day), one row per customer and day, the days counted from ``as_of``
# (negative).
PURCHASES = "WITH " + _PURCHASE_DAYS + """
SELECT partner_id, day - %(as_of)s::date FROM purchase_days
"""

# What the risk factors read, per customer of the company with an insight
# row and a purchase: one statement over the company, one row per customer,
# in the order of SCORE_INPUT_COLUMNS.
SCORE_INPUTS = "WITH " + _PURCHASE_DAYS + """,
recent_sales AS (
    -- orders and spend of the last 90 days and of the 90 before, refunds
    -- of the last 90 days (positive)
    SELECT inv.commercial_partner_id AS partner_id,
           COUNT(*) FILTER (WHERE inv.type = 'out_invoice' AND inv.date_invoice > %(d90)s)
               AS orders_90,
           COUNT(*) FILTER (WHERE inv.type = 'out_invoice' AND inv.date_invoice <= %(d90)s)
               AS orders_prev_90,
           SUM(amount.value) FILTER (WHERE inv.type = 'out_invoice'
                                       AND inv.date_invoice > %(d90)s) AS spend_90,
           SUM(amount.value) FILTER (WHERE inv.type = 'out_invoice'
                                       AND inv.date_invoice <= %(d90)s) AS spend_prev_90,
           -SUM(amount.value) FILTER (WHERE inv.type = 'out_refund'
                                        AND inv.date_invoice > %(d90)s) AS refunded_90
      FROM account_invoice inv
      JOIN LATERAL (SELECT COALESCE(inv.insight_net_signed,
                                    inv.amount_untaxed_signed::float) AS value) amount ON TRUE
     WHERE inv.company_id = %(company_id)s
       AND inv.type IN ('out_invoice', 'out_refund')
       AND inv.state IN ('open', 'paid')
       AND inv.date_invoice > %(d180)s AND inv.date_invoice <= %(as_of)s
     GROUP BY inv.commercial_partner_id
),
complaints AS (
    SELECT commercial_partner_id AS partner_id,
           COUNT(*) FILTER (WHERE NOT COALESCE(is_closed, FALSE) AND date_resolved IS NULL)
               AS open_complaints,
           COUNT(*) FILTER (WHERE NOT COALESCE(is_closed, FALSE) AND date_resolved IS NULL
                              AND sla_status = 'breached') AS breached_complaints
      FROM crm_complaint
     WHERE company_id = %(company_id)s
     GROUP BY commercial_partner_id
),
last_ratings AS (
    SELECT DISTINCT ON (commercial_partner_id)
           commercial_partner_id AS partner_id, customer_rating AS last_rating
      FROM crm_complaint
     WHERE company_id = %(company_id)s AND customer_rating > 0
     ORDER BY commercial_partner_id,
              COALESCE(date_closed, date_resolved, date_received) DESC, id DESC
),
tier_moves AS (
    -- the last tier change of the last 90 days, when it went down
    SELECT * FROM (
        SELECT DISTINCT ON (partner.commercial_partner_id)
               partner.commercial_partner_id AS partner_id,
               history.old_tier_id, history.new_tier_id,
               COALESCE(new_tier.min_spend, -1) < COALESCE(old_tier.min_spend, 0) AS down
          FROM crm_loyalty_tier_history history
          JOIN res_partner partner ON partner.id = history.partner_id
          JOIN crm_loyalty_tier old_tier ON old_tier.id = history.old_tier_id
          LEFT JOIN crm_loyalty_tier new_tier ON new_tier.id = history.new_tier_id
         WHERE history.company_id = %(company_id)s
           AND history.date > %(d90)s AND history.date <= %(as_of)s
         ORDER BY partner.commercial_partner_id, history.date DESC, history.id DESC
    ) last_move WHERE down
),
expiring_points AS (
    SELECT partner.commercial_partner_id AS partner_id,
           SUM(entry.remaining_points) AS expiring_points
      FROM crm_loyalty_entry entry
      JOIN res_partner partner ON partner.id = entry.partner_id
     WHERE entry.company_id = %(company_id)s
       AND entry.remaining_points > 0
       AND entry.expiry_date > %(as_of)s AND entry.expiry_date <= %(points_until)s
     GROUP BY partner.commercial_partner_id
),
segment_moves AS (
    -- the last segment change of the last 90 days, when it went to a
    -- segment of a later priority (the history keeps the segments' names)
    SELECT * FROM (
        SELECT DISTINCT ON (history.partner_id)
               history.partner_id, old_segment.id AS old_segment_id,
               new_segment.id AS new_segment_id,
               new_segment.sequence > old_segment.sequence AS down
          FROM crm_customer_segment_history history
          JOIN LATERAL (
              SELECT id, sequence FROM crm_customer_segment
               WHERE name = history.old_value
                 AND (company_id IS NULL OR company_id = history.company_id)
               ORDER BY company_id NULLS LAST, sequence, id LIMIT 1) old_segment ON TRUE
          JOIN LATERAL (
              SELECT id, sequence FROM crm_customer_segment
               WHERE name = history.new_value
                 AND (company_id IS NULL OR company_id = history.company_id)
               ORDER BY company_id NULLS LAST, sequence, id LIMIT 1) new_segment ON TRUE
         WHERE history.company_id = %(company_id)s
           AND history.field_name = 'segment'
           AND history.date > %(d90)s AND history.date <= %(as_of)s
         ORDER BY history.partner_id, history.date DESC, history.id DESC
    ) last_move WHERE down
)
SELECT insight.id,
       summary.x, summary.t_x, summary.t, summary.m, summary.days_since_last,
       insight.avg_interval_days,
       COALESCE(recent_sales.orders_90, 0), COALESCE(recent_sales.orders_prev_90, 0),
       COALESCE(recent_sales.spend_90, 0), COALESCE(recent_sales.spend_prev_90, 0),
       COALESCE(recent_sales.refunded_90, 0),
       insight.interaction_count,
       COALESCE(complaints.open_complaints, 0), COALESCE(complaints.breached_complaints, 0),
       last_ratings.last_rating,
       insight.overdue_amount, insight.overdue_days,
       tier_moves.old_tier_id, tier_moves.new_tier_id,
       COALESCE(expiring_points.expiring_points, 0),
       segment_moves.old_segment_id, segment_moves.new_segment_id,
       insight.gross_margin_all, insight.net_invoiced_all
  FROM crm_customer_insight insight
  JOIN summary ON summary.partner_id = insight.partner_id
  LEFT JOIN recent_sales ON recent_sales.partner_id = insight.partner_id
  LEFT JOIN complaints ON complaints.partner_id = insight.partner_id
  LEFT JOIN last_ratings ON last_ratings.partner_id = insight.partner_id
  LEFT JOIN tier_moves ON tier_moves.partner_id = insight.partner_id
  LEFT JOIN expiring_points ON expiring_points.partner_id = insight.partner_id
  LEFT JOIN segment_moves ON segment_moves.partner_id = insight.partner_id
 WHERE insight.company_id = %(company_id)s
   AND (%(partner_ids)s::int[] IS NULL OR insight.partner_id = ANY(%(partner_ids)s::int[]))
"""

SCORE_INPUT_COLUMNS = (
    "id", "x", "t_x", "t", "m", "days_since_last", "avg_interval_days",
    "orders_90", "orders_prev_90", "spend_90", "spend_prev_90", "refunded_90",
    "interaction_count", "open_complaints", "breached_complaints", "last_rating",
    "overdue_amount", "overdue_days", "old_tier_id", "new_tier_id", "expiring_points",
    "old_segment_id", "new_segment_id", "gross_margin_all", "net_invoiced_all",
)

# The customers of the company without any purchase up to the scoring day
# (prospects, or only refunds): no risk, no reason.
CLEAR_UNSCORED = """
UPDATE crm_customer_insight insight
   SET churn_risk = 0, churn_reason_codes = NULL, churn_figures = NULL, p_alive = NULL,
       expected_purchases_90d = NULL, clv_model_value = NULL, churn_model_id = NULL,
       churn_scored_at = %(now)s, {factor_columns_null}
 WHERE insight.company_id = %(company_id)s
   AND (%(partner_ids)s::int[] IS NULL OR insight.partner_id = ANY(%(partner_ids)s::int[]))
   AND insight.id <> ALL(%(scored_ids)s::int[])
   AND (insight.churn_scored_at IS NULL OR insight.churn_risk <> 0
        OR insight.churn_reason_codes IS NOT NULL)
"""
