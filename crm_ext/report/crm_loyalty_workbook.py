# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The Loyalty workbook: balances and tiers, the ledger of a period, the
liability reconciliation, and the points moved per month."""
import collections

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import access, clock, workbook as wb
from ..tools.workbook_loyalty_queries import ENTRY_ROWS, MEMBER_ROWS


def movement(row):
    """The column of the monthly chart a ledger row (``ENTRY_ROWS``) moves
    and by how much (points, positive): ``earned`` (earnings, bonuses and
    what credit notes take back of them), ``redeemed`` (redemptions and
    what orders give back), ``expired``; None for an adjustment.  The
    grouping of the card's lifetime figures (crm_loyalty_member.py)."""
    kind = row["entry_type"]
    if kind in ("earn", "bonus") or kind == "reversal" and not row["on_order"]:
        return "earned", row["points"]
    if kind == "redeem" or kind == "reversal" and row["on_order"]:
        return "redeemed", -row["points"]
    if kind == "expire":
        return "expired", -row["points"]
    return None


class CrmLoyaltyWorkbook(models.AbstractModel):
    """Balances (every member of the filters: card, customer, salesperson,
    tier, points, their value, the points expiring next and when), Ledger
    (the entries of the period), Liability (each program's points
    outstanding at the end of the period against its liability account,
    ``crm.loyalty.program._liability_check``) and Charts (points earned,
    redeemed and expired per month).  The members are those of the
    programs of the Print menu, or of the wizard's filters, that the user
    may read."""

    _name = "report.crm_ext.loyalty_workbook"
    _inherit = "report.crm_ext.workbook_abstract"
    _description = "Loyalty Workbook"

    @api.model
    def _workbook_readers(self):
        return access.LOYALTY_READERS

    @api.model
    def _member_domain(self, data, objs, company):
        """The members of the workbook: ``company``'s, of the programs of
        ``objs`` (Print menu) or of the customers of the filters."""
        domain = [("company_id", "=", company.id)]
        if self._print_menu(data, objs):
            domain.append(("program_id", "in", objs.ids))
        domain += self._workbook_customer_domain(data, company, "partner_id")
        return domain

    @api.model
    def _entry_domain(self, data, objs, company):
        """The ledger entries of the period of ``data`` of the members of
        :meth:`_member_domain`."""
        domain = [("company_id", "=", company.id)]
        if self._print_menu(data, objs):
            domain.append(("program_id", "in", objs.ids))
        domain += self._workbook_customer_domain(data, company, "partner_id")
        if data.get("date_from"):
            domain.append(("date", ">=", data["date_from"]))
        if data.get("date_to"):
            domain.append(("date", "<=", data["date_to"]))
        return domain

    @api.model
    def _workbook_size(self, data, objs, company):
        return (self.env["crm.loyalty.member"].search_count(
            self._member_domain(data, objs, company))
            + self.env["crm.loyalty.entry"].search_count(
                self._entry_domain(data, objs, company)))

    @api.model
    def _workbook_filters(self, data, objs, company):
        lines = super(CrmLoyaltyWorkbook, self)._workbook_filters(data, objs, company)
        if self._print_menu(data, objs):
            lines.append((_("Programs"), ", ".join(objs.mapped("name"))))
        lines += self._filter_words(
            data, _("%(from)s to %(to)s: the ledger entries dated in it; the liability at "
                    "its end"), _("Salespeople"))
        lines.append((_("Figures"), _(
            "Points as the ledger holds them; their value at each program's value of a point, "
            "in the company currency.")))
        return lines

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        footer = self._workbook_footer()
        members = self.env["crm.loyalty.member"].search(
            self._member_domain(data, objs, company), order="card_number").ids
        wb.write_table(workbook, formats, _("Balances"), self._balance_columns(),
                       self._member_rows(members), footer, _("Total"))
        entries = self.env["crm.loyalty.entry"].search(
            self._entry_domain(data, objs, company), order="date, id").ids
        months = collections.defaultdict(collections.Counter)
        wb.write_table(workbook, formats, _("Ledger"), self._ledger_columns(),
                       self._tally_months(self._entry_rows(entries), months), footer,
                       _("Total"))
        programs = self.env["crm.loyalty.program"].search(
            [("company_id", "=", company.id)]
            + ([("id", "in", objs.ids)] if self._print_menu(data, objs) else []))
        if self._liability_readable(programs):
            wb.write_table(workbook, formats, _("Liability"), self._liability_columns(),
                           self._liability_rows(programs, data), footer, _("Total"))
        self._write_chart(workbook, formats, months)

    # the sheets

    @api.model
    def _balance_columns(self):
        column = wb.Column
        return [
            column(_("Card"), "card_number", "text", 14),
            column(_("Customer"), "customer", "text", 30),
            column(_("Salesperson"), "salesperson", "text", 20),
            column(_("Program"), "program", "text", 18),
            column(_("Tier"), "tier", "text", 12),
            column(_("Points"), "balance", "integer", 10, True),
            column(_("Value"), "balance_value", "money", 14, True),
            column(_("Points Expiring Next"), "expiring_points", "integer", 12, True),
            column(_("Expiring On"), "expiring_date", "date", 12),
        ]

    @api.model
    def _member_rows(self, ids):
        """The Balances rows of the members ``ids``, one statement per
        chunk (see ``_fetch_chunks``); values at the program's value of a point."""
        programs = {}
        tiers = {tier.id: tier.name for tier in self.env["crm.loyalty.tier"].with_context(
            active_test=False).search([])}
        today = fields.Date.context_today(self, clock.now(self.env))
        for row in self._fetch_chunks(MEMBER_ROWS, ids, today=today):
            program = self._program(programs, row["program_id"])
            row["balance_value"] = program._points_value(row["balance"])
            row["tier"] = tiers.get(row["tier_id"])
            yield row

    @api.model
    def _program(self, programs, program_id):
        """The program ``program_id`` from the cache ``programs`` (a dict)."""
        if program_id not in programs:
            programs[program_id] = self.env["crm.loyalty.program"].browse(program_id)
        return programs[program_id]

    @api.model
    def _ledger_columns(self):
        column = wb.Column
        return [
            column(_("Date"), "date", "date", 11),
            column(_("Card"), "card_number", "text", 14),
            column(_("Customer"), "customer", "text", 30),
            column(_("Kind"), "kind", "text", 12),
            column(_("Points"), "points", "integer", 10, True),
            column(_("Value"), "value", "money", 14, True),
            column(_("Document"), "document", "text", 20),
            column(_("Journal Entry"), "journal_entry", "text", 18),
        ]

    @api.model
    def _entry_rows(self, ids):
        """The ledger rows of the entries ``ids`` (see ``ENTRY_ROWS``), one
        statement per chunk (see ``_fetch_chunks``): kinds in the user's language, values at the
        program's value of a point."""
        kinds = dict(self.env["crm.loyalty.entry"]._fields["entry_type"]
                     ._description_selection(self.env))
        programs = {}
        for row in self._fetch_chunks(ENTRY_ROWS, ids):
            row["kind"] = kinds.get(row["entry_type"], row["entry_type"])
            row["value"] = self._program(programs, row["program_id"])._points_value(
                row["points"])
            yield row

    @api.model
    def _tally_months(self, rows, months):
        """Yield ``rows``, adding their points to ``months`` ({'YYYY-MM':
        Counter of :func:`movement`'s columns})."""
        for row in rows:
            moved = movement(row)
            if moved:
                months[str(row["date"])[:7]][moved[0]] += moved[1]
            yield row

    @api.model
    def _liability_columns(self):
        column = wb.Column
        return [
            column(_("Program"), "program", "text", 24),
            column(_("Liability Account"), "account", "text", 26),
            column(_("As At"), "date", "date", 11),
            column(_("Points Outstanding"), "outstanding_points", "integer", 14, True),
            column(_("Points Liability"), "outstanding_value", "money", 15, True),
            column(_("Liability Account Balance"), "liability_balance", "money", 15, True),
            column(_("Difference"), "difference", "money", 14, True),
            column(_("Reconciled"), "reconciled", "text", 11),
        ]

    @api.model
    def _liability_readable(self, programs):
        """Whether the user audits the liability of ``programs`` (see
        ``crm.loyalty.program._check_liability_reader``): the Liability
        sheet is left out for the others (salespeople)."""
        try:
            programs._check_liability_reader()
        except AccessError:
            return False
        return True

    @api.model
    def _liability_rows(self, programs, data):
        """Each program's liability check at the end of the period (today
        without one): ``crm.loyalty.program._liability_check``."""
        date = data.get("date_to") or fields.Date.context_today(self, clock.now(self.env))
        for program in programs:
            check = program._liability_check(date)
            yield dict(check, program=program.name, date=date,
                       account=program.liability_account_id.display_name or _("Not booked"),
                       reconciled=_("Yes") if check["balanced"] else _("No"))

    @api.model
    def _write_chart(self, workbook, formats, months):
        """The Charts sheet: points earned, redeemed and expired per month
        of the ledger, a column chart of three series beside its table."""
        sheet = workbook.add_worksheet(_("Charts"))
        wb.setup_page(sheet, self._workbook_footer())
        column = wb.Column
        table = wb.write_block(sheet, formats, 0, [
            column(_("Month"), "month", "text", 10),
            column(_("Earned"), "earned", "integer", 12),
            column(_("Redeemed"), "redeemed", "integer", 12),
            column(_("Expired"), "expired", "integer", 12),
        ], [dict(month=month, earned=moved["earned"], redeemed=moved["redeemed"],
                 expired=moved["expired"]) for month, moved in sorted(months.items())])
        sheet.insert_chart(0, 5, wb.column_chart(
            workbook, table, _("Points earned, redeemed and expired per month"), "month",
            ["earned", "redeemed", "expired"]))
