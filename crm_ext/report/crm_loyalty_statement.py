# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The member statement workbook: a card, then its ledger with the balance
after each entry."""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import workbook as wb


class CrmLoyaltyStatement(models.AbstractModel):
    """Card (the Balances row of the Loyalty workbook of each card),
    Ledger (every entry of the cards, oldest first, with the balance of
    the card after it), then Parameters.  From the Print menu of loyalty
    cards and the card form's button; the cards are those the user may
    read."""

    _name = "report.crm_ext.loyalty_statement"
    _inherit = "report.crm_ext.loyalty_workbook"
    _description = "Loyalty Statement Workbook"

    @api.model
    def _statement_members(self, objs):
        """The cards of ``objs`` (crm.loyalty.member) the user may read,
        by card number.

        :raises UserError: no card."""
        if not objs or objs._name != "crm.loyalty.member":
            raise UserError(_("Choose the loyalty card of the statement."))
        return self.env["crm.loyalty.member"].search([("id", "in", objs.ids)],
                                                     order="card_number")

    @api.model
    def _workbook_size(self, data, objs, company):
        return self.env["crm.loyalty.entry"].search_count([("member_id", "in", objs.ids)])

    @api.model
    def _workbook_filters(self, data, objs, company):
        return [(_("Cards"), ", ".join(self._statement_members(objs).mapped("card_number")))]

    @api.model
    def _statement_columns(self):
        """The columns of the Ledger sheet (tools/workbook.Column): those
        of the Loyalty workbook's ledger but the customer, with the points
        remaining, their expiry, the note and the balance after each entry."""
        ledger = {column.key: column for column in self._ledger_columns()}
        column = wb.Column
        return [ledger["date"], ledger["card_number"], ledger["kind"], ledger["points"],
                ledger["value"],
                column(_("Remaining"), "remaining_points", "integer", 10),
                column(_("Expiry"), "expiry_date", "date", 11),
                ledger["document"], ledger["journal_entry"],
                column(_("Note"), "note", "text", 30),
                column(_("Balance"), "running_balance", "integer", 10)]

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        members = self._statement_members(objs)
        footer = self._workbook_footer()
        wb.write_table(workbook, formats, _("Card"), self._balance_columns(),
                       self._member_rows(members.ids), footer)
        entries = self.env["crm.loyalty.entry"].search(
            [("member_id", "in", members.ids)], order="member_id, date, id")
        # by card number, then date: the running balance of each card
        order = {member_id: n for n, member_id in enumerate(members.ids)}
        ids = [entry.id for entry in sorted(entries, key=lambda e: order[e.member_id.id])]
        wb.write_table(workbook, formats, _("Ledger"), self._statement_columns(),
                       _running_balance(self._entry_rows(ids)), footer, _("Total"))


def _running_balance(rows):
    """Yield ledger ``rows`` (every entry of each card, a card's entries
    together, oldest first) with ``running_balance``: the card's balance
    after the entry, the sum of its entries up to it."""
    member_id, balance = None, 0.0
    for row in rows:
        if row["member_id"] != member_id:
            member_id, balance = row["member_id"], 0.0
        balance += row["points"]
        row["running_balance"] = balance
        yield row
