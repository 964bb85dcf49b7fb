# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL of the Complaints register workbook: one statement per chunk of
complaint ids, the rows in the order of the ids given."""

#: the complaints of ``%(ids)s`` (a list of ints), in that order: reference,
#: subject, customer, category (its full name), the codes of severity and
#: SLA status, the stage's id (its name is translated), officer (the responsible), the moments in UTC
#: (received, acknowledge by/acknowledged, resolve by/resolved), the cost
#: of the resolutions (``cost_amount``: credit notes, returns and
#: compensation points, as crm_complaint_resolution.py stores it, company
#: currency) and the customer's rating (0: none)
COMPLAINT_ROWS = """
SELECT c.name AS reference,
       c.subject,
       p.name AS customer,
       cat.complete_name AS category,
       c.severity,
       c.stage_id,
       officer.name AS officer,
       c.date_received, c.ack_deadline, c.date_acknowledged,
       c.resolve_deadline, c.date_resolved,
       c.sla_status,
       COALESCE(c.cost_amount, 0) AS cost,
       NULLIF(c.customer_rating, 0) AS rating
  FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS o(id, n)
  JOIN crm_complaint c ON c.id = o.id
  JOIN res_partner p ON p.id = c.partner_id
  LEFT JOIN crm_complaint_category cat ON cat.id = c.category_id
  LEFT JOIN res_users u ON u.id = c.user_id
  LEFT JOIN res_partner officer ON officer.id = u.partner_id
 ORDER BY o.n
"""
