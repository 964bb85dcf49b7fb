# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.2.0.0: tier changes carry their company (the multi-company record
rule reads it).

Filled in one statement before the update: the ORM would compute the new
stored field record by record.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE crm_loyalty_tier_history ADD COLUMN IF NOT EXISTS company_id int4")
    cr.execute("""
        UPDATE crm_loyalty_tier_history history SET company_id = member.company_id
          FROM crm_loyalty_member member
         WHERE member.id = history.member_id AND history.company_id IS NULL
    """)
