# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmLoyaltyEntryUse(models.Model):
    """Which earlier entries' points a movement of the ledger used (a
    redemption, a reversal, a debit adjustment), or gave back (negative
    points): points given back return to the entries they were taken from,
    with their expiry.  Written by :meth:`crm.loyalty.entry._record` only;
    loyalty managers and accountants, who see every card, may read it."""

    _name = "crm.loyalty.entry.use"
    _description = "Loyalty Points Used"
    _log_access = False
    _order = "id"

    entry_id = fields.Many2one(
        "crm.loyalty.entry", "Movement", required=True, readonly=True, index=True,
        ondelete="restrict")
    source_id = fields.Many2one(
        "crm.loyalty.entry", "Points Of", required=True, readonly=True, index=True,
        ondelete="restrict")
    points = fields.Float(required=True, readonly=True)
    company_id = fields.Many2one(related="entry_id.company_id", store=True, readonly=True)
