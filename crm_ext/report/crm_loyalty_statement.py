# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import access, xlsx


class CrmLoyaltyStatement(models.TransientModel):
    """A member's statement as a spreadsheet: the card, then every entry of
    the ledger.  Built for the user who asks for it, with their access
    rights, and downloaded from this short-lived record (only its creator
    can read it)."""

    _name = "crm.loyalty.statement"
    _description = "Loyalty Statement"

    member_id = fields.Many2one(
        "crm.loyalty.member", "Card", required=True, readonly=True, ondelete="cascade")
    filename = fields.Char(readonly=True)
    data = fields.Binary("Statement", readonly=True, attachment=False)

    @api.model
    def create(self, vals):
        """The statement of the card ``vals["member_id"]`` (an int id), its
        spreadsheet built at once.

        :raises UserError: no such card.
        :raises AccessError: the caller may not read the card.
        """
        member_id = vals.get("member_id")
        if not isinstance(member_id, int) or isinstance(member_id, bool):
            raise UserError(_("Choose the loyalty card of the statement."))
        member = self.env["crm.loyalty.member"].browse(member_id).exists()
        if not member:
            raise UserError(_("Choose the loyalty card of the statement."))
        # the statement shows the member's data to whoever asks for it
        access.check_readable(member)
        vals = dict(vals, filename=_("Statement %s.xlsx") % member.card_number,
                    data=base64.b64encode(self._xlsx(member)))
        return super(CrmLoyaltyStatement, self).create(vals)

    @api.multi
    def action_download(self):
        """The client action (a dict) that downloads this statement's
        spreadsheet.

        :raises ValueError: not exactly one statement.
        """
        return xlsx.download_action(self)

    @api.model
    def _rows(self, member):
        """(label, value) of the card, then the ledger's header and rows,
        oldest first."""
        member.ensure_one()
        card = [
            (_("Card"), member.card_number),
            (_("Customer"), member.partner_id.display_name),
            (_("Program"), member.program_id.name),
            (_("Tier"), member.tier_id.name or ""),
            (_("Balance"), member.balance),
            (_("Value"), member.balance_value),
            (_("Expiring in 30 Days"), member.expiring_points),
            (_("Statement Date"), _date(fields.Date.context_today(self))),
        ]
        header = [_("Date"), _("Type"), _("Points"), _("Remaining"), _("Expiry"),
                  _("Source"), _("Note")]
        types = dict(self.env["crm.loyalty.entry"]._fields["entry_type"]
                     ._description_selection(self.env))
        entries = self.env["crm.loyalty.entry"].search(
            [("member_id", "=", member.id)], order="date, id")
        ledger = [[
            _date(entry.date), types.get(entry.entry_type, entry.entry_type), entry.points,
            entry.remaining_points, _date(entry.expiry_date),
            entry.origin or entry.invoice_id.number or entry.sale_order_id.name or "",
            entry.note or "",
        ] for entry in entries]
        return card, header, ledger

    @api.model
    def _xlsx(self, member):
        card, header, ledger = self._rows(member)
        heading = _("Loyalty Statement")

        def write(book):
            sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", "-", member.card_number)[:31])
            bold = book.add_format({"bold": True})
            title = book.add_format({"bold": True, "font_size": 14})
            formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"})}
            sheet.write(0, 0, heading, title)
            row = 2
            for label, value in card:
                sheet.write(row, 0, label, bold)
                xlsx.write_cell(sheet, row, 1, value, formats)
                row += 1
            row += 1
            sheet.write_row(row, 0, header, bold)
            xlsx.write_rows(sheet, row + 1, ledger, formats)
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 1, 28)
            sheet.set_column(2, 4, 12)
            sheet.set_column(5, 6, 30)

        return xlsx.workbook_bytes(write)


def _date(value):
    """A date of the ORM (a string in Odoo 11) as a date, or ""."""
    return fields.Date.from_string(value) if value else ""
