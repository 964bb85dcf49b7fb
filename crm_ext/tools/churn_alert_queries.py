# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL of the churn alerts and crises, set-based: one statement per step
of a company, or of a chunk of its customers or alerts, whatever their
number.

Every statement takes named psycopg2 parameters:

- ``company``: the res.company id;
- ``today``: the day of the run, a ``date`` (the alerts' ``date``);
- ``now``: the moment of the run, a naive UTC ``datetime`` (write dates);
- ``uid``: the user who writes (create/write uid);
- the statements of one chunk, the ids of the chunk: ``partner_ids``
  (customers) or ``alert_ids`` (alerts), lists.
"""

# the states of an alert still waiting for its outcome
OPEN_STATES = ("new", "in_progress")

# The hold-out draw of an alert: the first 60 bits of the md5 of
# "company-customer-day", as a number below 2^60, under the share of 2^60.
# A hash rather than random(): the same customer, company and day always
# draw the same (tests and a re-run of the detection cannot re-roll it),
# and md5 spreads neighbouring ids evenly.  Parameter: ``holdout`` (the
# share, 0-1).
HOLDOUT_DRAW = """
    ('x' || substr(md5(%(company)s::text || '-' || candidate.partner_id::text || '-'
                       || %(today)s::text), 1, 15))::bit(60)::bigint
    < %(holdout)s * 1152921504606846976
"""

# The customers of a company due an alert (the rule, in one place): those
# with a purchase whose risk reaches ``risk`` or whose P(alive) is below
# ``p_alive``, without an open alert, and not already lost or dismissed
# since their last purchase (a customer who buys again may be alerted
# again: one alert per customer and episode).  Read from the data at each
# chunk, so that a re-run or a run after a failed chunk finds only what is
# left.
CANDIDATES = """
      FROM crm_customer_insight insight
      JOIN res_partner partner ON partner.id = insight.partner_id
     WHERE insight.company_id = %(company)s
       AND insight.last_invoice_date IS NOT NULL
       AND partner.active
       AND (insight.churn_risk >= %(risk)s OR insight.p_alive < %(p_alive)s)
       AND NOT EXISTS (
           SELECT 1 FROM crm_churn_alert alert
            WHERE alert.partner_id = insight.partner_id
              AND alert.company_id = insight.company_id
              AND (alert.state IN ('new', 'in_progress')
                   OR (alert.state IN ('lost', 'dismissed')
                       AND insight.last_invoice_date <= alert.date)))
"""

# The customers of CANDIDATES, in id order: the detection splits them in
# chunks.  Returns (partner id).
CANDIDATE_IDS = """
    SELECT insight.partner_id {candidates}
     ORDER BY insight.partner_id
""".format(candidates=CANDIDATES)

# The new alerts of a company among the customers ``partner_ids`` (a list
# of ids: one chunk of CANDIDATE_IDS, checked again).  The owner is the
# customer's salesperson, else the leader of its sales team.  The partial
# unique index of crm_churn_alert (one open alert per customer and
# company) settles a concurrent transaction: ON CONFLICT DO NOTHING, or a
# serialization failure under REPEATABLE READ (retried by the chunked
# run, which then finds the alert).  Returns (id, owner, held out).
INSERT_ALERTS = """
    INSERT INTO crm_churn_alert (partner_id, company_id, date, churn_risk, p_alive,
                                 churn_reason_codes, churn_figures, state, user_id,
                                 held_out, cost,
                                 create_uid, create_date, write_uid, write_date)
    SELECT candidate.partner_id, %(company)s, %(today)s, candidate.churn_risk,
           candidate.p_alive, candidate.churn_reason_codes, candidate.churn_figures, 'new',
           candidate.owner,
           {holdout}, 0.0, %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM (SELECT insight.partner_id, insight.churn_risk, insight.p_alive,
                   insight.churn_reason_codes, insight.churn_figures,
                   COALESCE(partner.user_id, (SELECT team.user_id FROM crm_team team
                                               WHERE team.id = partner.team_id)) AS owner
                   {candidates}
               AND insight.partner_id = ANY(%(partner_ids)s)) candidate
     ORDER BY candidate.partner_id
        ON CONFLICT (partner_id, company_id) WHERE state IN ('new', 'in_progress')
        DO NOTHING
    RETURNING id, user_id, held_out
""".format(holdout=HOLDOUT_DRAW, candidates=CANDIDATES)

# The open alerts of a company, in id order: the closing splits them in
# chunks.  Returns (alert id).
OPEN_ALERT_IDS = """
    SELECT id FROM crm_churn_alert
     WHERE company_id = %(company)s AND state IN ('new', 'in_progress')
     ORDER BY id
"""

# The open alerts of a company among ``alert_ids`` (a list of ids: one
# chunk of OPEN_ALERT_IDS) whose customer bought again: a posted
# customer invoice dated on or after the alert's day.  They close as
# retained on the day of that invoice.  Returns (id, state before).
CLOSE_RETAINED = """
    UPDATE crm_churn_alert alert
       SET state = 'retained', date_closed = bought.date_invoice,
           write_uid = %(uid)s, write_date = %(now)s
      FROM (SELECT open_alert.id, open_alert.state, MIN(invoice.date_invoice) AS date_invoice
              FROM crm_churn_alert open_alert
              JOIN account_invoice invoice
                   ON invoice.commercial_partner_id = open_alert.partner_id
                  AND invoice.company_id = open_alert.company_id
             WHERE open_alert.company_id = %(company)s
               AND open_alert.id = ANY(%(alert_ids)s)
               AND open_alert.state IN ('new', 'in_progress')
               AND invoice.type = 'out_invoice'
               AND invoice.state IN ('open', 'paid')
               AND invoice.date_invoice >= open_alert.date
             GROUP BY open_alert.id, open_alert.state) bought
     WHERE alert.id = bought.id
    RETURNING alert.id, bought.state
"""

# The open alerts of a company among ``alert_ids`` raised ``lost_days``
# days or more before ``today`` (run after CLOSE_RETAINED: their customer
# bought nothing since).  Returns (id, state before).
CLOSE_LOST = """
    UPDATE crm_churn_alert alert
       SET state = 'lost', date_closed = %(today)s,
           write_uid = %(uid)s, write_date = %(now)s
      FROM (SELECT id, state FROM crm_churn_alert
             WHERE company_id = %(company)s
               AND id = ANY(%(alert_ids)s)
               AND state IN ('new', 'in_progress')
               AND date <= %(today)s - %(lost_days)s) due
     WHERE alert.id = due.id
    RETURNING alert.id, due.state
"""

# The alerts of a company raised in the window (``since`` to ``today``,
# dismissed ones left out) with each value of each dimension of their
# customer: (alert id, dimension, value id).  The customer's product
# category is the one of its largest net invoiced amount in the company.
ALERT_DIMENSIONS = """
    WITH recent AS (
        SELECT alert.id, alert.partner_id, alert.company_id
          FROM crm_churn_alert alert
         WHERE alert.company_id = %(company)s
           AND alert.date BETWEEN %(since)s AND %(today)s
           AND alert.state != 'dismissed'
    ), category AS (
        SELECT DISTINCT ON (recent.id) recent.id, template.categ_id
          FROM recent
          JOIN account_invoice invoice ON invoice.commercial_partner_id = recent.partner_id
                                      AND invoice.company_id = recent.company_id
          JOIN account_invoice_line line ON line.invoice_id = invoice.id
          JOIN product_product product ON product.id = line.product_id
          JOIN product_template template ON template.id = product.product_tmpl_id
         WHERE invoice.type IN ('out_invoice', 'out_refund')
           AND invoice.state IN ('open', 'paid')
         GROUP BY recent.id, template.categ_id
         -- the signed subtotal is negative on a refund
         ORDER BY recent.id, SUM(line.price_subtotal_signed) DESC, template.categ_id
    )
    SELECT recent.id, 'segment', insight.segment_id
      FROM recent
      JOIN crm_customer_insight insight ON insight.partner_id = recent.partner_id
                                       AND insight.company_id = recent.company_id
     WHERE insight.segment_id IS NOT NULL
    UNION ALL
    SELECT recent.id, value.dimension, value.value_id
      FROM recent
      JOIN res_partner partner ON partner.id = recent.partner_id
     CROSS JOIN LATERAL (VALUES ('salesperson', partner.user_id),
                                ('country', partner.country_id),
                                ('state', partner.state_id)) value (dimension, value_id)
     WHERE value.value_id IS NOT NULL
    UNION ALL
    SELECT category.id, 'category', category.categ_id FROM category
"""

# The crises of a company: each (dimension, value) of ALERT_DIMENSIONS
# with ``count`` alerts or more, as one open crisis (a new one unless one
# is open: the partial unique index of crm_churn_crisis).  Returns the ids
# of the new crises.
INSERT_CRISES = """
    WITH member (alert_id, dimension, value_id) AS ({dimensions})
    INSERT INTO crm_churn_crisis (company_id, dimension, value_id, date, state,
                                  create_uid, create_date, write_uid, write_date)
    SELECT %(company)s, dimension, value_id, %(today)s, 'open',
           %(uid)s, %(now)s, %(uid)s, %(now)s
      FROM member
     GROUP BY dimension, value_id
    HAVING COUNT(DISTINCT alert_id) >= %(count)s
     ORDER BY dimension, value_id
        ON CONFLICT (company_id, dimension, value_id) WHERE state = 'open' DO NOTHING
    RETURNING id
""".format(dimensions=ALERT_DIMENSIONS)

# The alerts of the window that each open crisis of the company lists
# (those it lists already kept); run after INSERT_CRISES.  Returns
# (crisis id, alert id) of the alerts listed now.
LINK_CRISES = """
    WITH member (alert_id, dimension, value_id) AS ({dimensions})
    INSERT INTO crm_churn_crisis_alert_rel (crisis_id, alert_id)
    SELECT DISTINCT crisis.id, member.alert_id
      FROM member
      JOIN crm_churn_crisis crisis ON crisis.company_id = %(company)s
                                  AND crisis.state = 'open'
                                  AND crisis.dimension = member.dimension
                                  AND crisis.value_id = member.value_id
        ON CONFLICT DO NOTHING
    RETURNING crisis_id, alert_id
""".format(dimensions=ALERT_DIMENSIONS)
