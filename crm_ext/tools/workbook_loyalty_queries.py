# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL of the Loyalty workbook and of the member statement: one
statement per chunk of ids, the rows in the order of the ids given."""

#: the members of ``%(ids)s`` (a list of ints), in that order: card number,
#: program, customer, salesperson, the tier's id (its name is translated),
#: the balance (the sum of the ledger,
#: as the card computes it) and the points that expire next (the remaining
#: points of the earliest expiry on or after ``%(today)s``, a date) and when
MEMBER_ROWS = """
SELECT m.id AS member_id,
       m.program_id,
       m.card_number,
       prog.name AS program,
       p.name AS customer,
       sp.name AS salesperson,
       m.tier_id,
       COALESCE(balance.points, 0) AS balance,
       expiring.points AS expiring_points,
       expiring.expiry_date AS expiring_date
  FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS o(id, n)
  JOIN crm_loyalty_member m ON m.id = o.id
  JOIN crm_loyalty_program prog ON prog.id = m.program_id
  JOIN res_partner p ON p.id = m.partner_id
  LEFT JOIN res_users u ON u.id = p.user_id
  LEFT JOIN res_partner sp ON sp.id = u.partner_id
  LEFT JOIN (SELECT member_id, SUM(points) AS points
               FROM crm_loyalty_entry
              WHERE member_id = ANY(%(ids)s)
              GROUP BY member_id) balance ON balance.member_id = m.id
  LEFT JOIN (SELECT DISTINCT ON (member_id) member_id, expiry_date,
                    SUM(remaining_points) OVER (PARTITION BY member_id, expiry_date) AS points
               FROM crm_loyalty_entry
              WHERE member_id = ANY(%(ids)s) AND remaining_points > 0
                AND expiry_date >= %(today)s
              ORDER BY member_id, expiry_date) expiring ON expiring.member_id = m.id
 ORDER BY o.n
"""

#: the ledger entries of ``%(ids)s`` (a list of ints), in that order: date,
#: card, customer, kind (the code), points, the document (the entry's
#: source, else its invoice's number, else its order's name), the journal
#: entry that booked it and the note
ENTRY_ROWS = """
SELECT e.id, e.member_id, e.program_id,
       e.date,
       m.card_number,
       p.name AS customer,
       e.entry_type,
       e.sale_order_id IS NOT NULL AS on_order,
       e.points,
       e.remaining_points,
       e.expiry_date,
       COALESCE(e.origin, inv.number, so.name) AS document,
       move.name AS journal_entry,
       e.note
  FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS o(id, n)
  JOIN crm_loyalty_entry e ON e.id = o.id
  JOIN crm_loyalty_member m ON m.id = e.member_id
  JOIN res_partner p ON p.id = e.partner_id
  LEFT JOIN account_invoice inv ON inv.id = e.invoice_id
  LEFT JOIN sale_order so ON so.id = e.sale_order_id
  LEFT JOIN account_move move ON move.id = e.move_id
 ORDER BY o.n
"""
