# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..tools import in_progress, prepared
from . import insight_queries
from .res_partner import LOYALTY_READERS

INVOICE_FIGURES_BATCH = 50000
# the attribute of the cursor that holds the validation in progress
POSTING_STATE = "_crm_ext_loyalty_posting"
# operations in progress (see in_progress): the invoices whose journal
# entries are being made, those being cancelled (see account.move.unlink)
MOVES_IN_CREATION = "invoice_move_creation"
CANCELLING = "invoice_cancellation"


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    # double precision numbers, not decimals: the nightly customer figures
    # sum them over every invoice (see insight_queries.INVOICE_FIGURES)
    insight_net_signed = fields.Float(
        "Net Sales", readonly=True, copy=False,
        help="Untaxed amount of the invoice in the company currency when it was validated "
             "(negative for a refund), as the customer figures sum it.")
    insight_cost_signed = fields.Float(
        "Cost of Goods Sold", readonly=True, copy=False,
        help="Cost of the invoiced products at the company's cost on the day the invoice was "
             "validated, in the company currency (negative for a refund).")
    insight_discount_signed = fields.Float(
        "Discounts Given", readonly=True, copy=False,
        help="Discounts granted on the invoice lines, in the company currency (negative for "
             "a refund).")

    @api.model_cr_context
    def _auto_init(self):
        cr = self._cr
        new_columns = not tools.column_exists(cr, self._table, "insight_cost_signed")
        new_net_column = not tools.column_exists(cr, self._table, "insight_net_signed")
        result = super(AccountInvoice, self)._auto_init()
        # the refresh after each invoice reads one customer's invoices
        tools.create_index(cr, "account_invoice_commercial_partner_company_index",
                           self._table, ["commercial_partner_id", "company_id"])
        # the loyalty points of an invoice depend on its credit notes
        tools.create_index(cr, "account_invoice_refund_invoice_id_index",
                           self._table, ["refund_invoice_id"])
        if new_columns:
            cr.execute(insight_queries.INVOICE_FIGURES_ALL)
            invoice_ids = [row[0] for row in cr.fetchall()]
            for start in range(0, len(invoice_ids), INVOICE_FIGURES_BATCH):
                self._store_insight_figures(invoice_ids[start:start + INVOICE_FIGURES_BATCH])
        elif new_net_column:
            # the costs and discounts are those of their day: keep them
            cr.execute(insight_queries.INVOICE_NET_ALL)
        return result

    @api.model
    def _store_insight_figures(self, invoice_ids, validating=False):
        """The insight figures of these invoices.  ``validating``: a few
        invoices being validated, whose statement has its generic plan
        (planning it took 2-4 ms, three times running it)."""
        params = {"invoice_ids": list(invoice_ids),
                  "cost_field_id": self.env["ir.model.fields"]._get_id(
                      "product.product", "standard_price")}
        if validating:
            prepared.execute(self._cr, insight_queries.INVOICE_FIGURES, params, generic=True)
        else:
            self._cr.execute(insight_queries.INVOICE_FIGURES, params)
        self.invalidate_cache(
            ["insight_net_signed", "insight_cost_signed", "insight_discount_signed"], invoice_ids)

    loyalty_entry_ids = fields.One2many(
        "crm.loyalty.entry", "invoice_id", "Loyalty Points", readonly=True,
        groups=LOYALTY_READERS)
    # reckoned when the invoice is validated (see _loyalty_reckon)
    loyalty_points_full = fields.Float(
        "Loyalty Points of the Invoice", readonly=True, copy=False, groups=LOYALTY_READERS,
        help="What the whole invoice earns, reckoned when it is validated by the program's "
             "rules then and the tier the customer held before it: payments earn their share "
             "(when the program earns on payment), credit notes take theirs back.")
    loyalty_earn_multiplier = fields.Float(
        "Tier Multiplier", readonly=True, copy=False, groups=LOYALTY_READERS,
        help="The earn multiplier of the tier the customer held before this invoice.")

    @api.multi
    def invoice_validate(self):
        """The last step of a validation (``action_invoice_open``), which
        has made the invoices' journal entries: the figures and points of
        the customers follow.

        :raises UserError: an invoice is not being validated (no journal
            entry yet, or already open, paid or cancelled): call
            ``action_invoice_open``.
        """
        if self.filtered(lambda inv: not inv.move_id
                         or inv.state not in ("draft", "proforma", "proforma2")):
            raise UserError(_("Validate invoices with their Validate button "
                              "(action_invoice_open): this step alone would mark them "
                              "open without their journal entries, or twice."))
        result = super(AccountInvoice, self).invoice_validate()
        customer_invoices = self._customer_invoices()
        if customer_invoices:
            self._store_insight_figures(customer_invoices.ids, validating=True)
        self._refresh_customer_insight()
        customer_invoices._sync_loyalty_points()
        return result

    def _customer_invoices(self):
        return self.filtered(lambda inv: inv.type in ("out_invoice", "out_refund"))

    def _refresh_customer_insight(self):
        self.env["crm.customer.insight"]._refresh_documents(
            self._customer_invoices(), "commercial_partner_id")

    # loyalty points

    @api.multi
    def action_invoice_open(self):
        # at_posting, {invoice id: (member, entry values)}: the points of the
        # customer invoices reckoned when their journal entries are made, to
        # book them in those entries (see finalize_invoice_move_lines)
        cr = self.env.cr
        previous = getattr(cr, POSTING_STATE, None)
        setattr(cr, POSTING_STATE, {"at_posting": {}, "posting_ids": ()})
        try:
            return super(AccountInvoice, self).action_invoice_open()
        finally:
            setattr(cr, POSTING_STATE, previous)

    def _posting_state(self):
        """The validation in progress in this transaction: kept on the
        cursor, not in the context, as records in a new context are read
        again from the database (Odoo 11 keeps a cache per context)."""
        return getattr(self.env.cr, POSTING_STATE, None) or {}

    @api.model
    def _loyalty_posting_ids(self):
        """Invoices whose journal entries are being made, for their validation."""
        return self._posting_state().get("posting_ids") or ()

    @api.multi
    def action_move_create(self):
        with in_progress.running(self.env.cr, MOVES_IN_CREATION, self.ids):
            state = self._posting_state()
            at_posting = state.get("at_posting")
            if at_posting is None:
                return super(AccountInvoice, self).action_move_create()
            # the invoices are reckoned open, as they are once validated, but only
            # while their journal entries are made (invoice_validate sees them as
            # they are); one by one, as their points are synchronised one after
            # the other: each earns at the tier the ones before it reach
            result = True
            try:
                for index, invoice in enumerate(self):
                    state["posting_ids"] = tuple(self.ids[:index + 1])
                    result = super(AccountInvoice, invoice).action_move_create()
                    member, vals = at_posting.get(invoice.id) or (None, None)
                    if not vals:
                        continue
                    if vals.pop("booked_with_invoice", False):
                        vals["move_id"] = invoice.move_id.id
                    vals["origin"] = invoice.number
                    self.env["crm.loyalty.entry"]._record([vals])
                    if vals["points"] > 0:
                        member._update_tiers(upgrade_only=True)
                    invoice.invalidate_cache(["loyalty_entry_ids"], invoice.ids)
            finally:
                state["posting_ids"] = ()
            return result

    @api.multi
    def finalize_invoice_move_lines(self, move_lines):
        """A step of ``action_move_create`` (the journal items of the
        invoice's entry, with the points booked with it).

        :raises UserError: called outside the making of the invoice's
            journal entry.
        """
        if self.id not in in_progress.ids(self.env.cr, MOVES_IN_CREATION):
            raise UserError(_("The journal items of an invoice are made when it is "
                              "validated."))
        move_lines = super(AccountInvoice, self).finalize_invoice_move_lines(move_lines)
        at_posting = self._posting_state().get("at_posting")
        if at_posting is None or self.type != "out_invoice":
            return move_lines
        movement = self._loyalty_movement()
        if movement is None:
            return move_lines  # synchronised once validated
        at_posting[self.id] = movement
        member, vals = movement
        program = member.program_id
        if vals and vals["points"] > 0 and program.journal_id:
            # the earning is booked in the invoice's own journal entry
            vals["booked_with_invoice"] = True
            lines = self.env["crm.loyalty.entry"]._move_lines(program, member, vals)
            if self._loyalty_lines_insertable(lines):
                # written with the entry, before it is posted: see
                # account.move._insert_loyalty_lines
                self._posting_state().setdefault("inserted_lines", {})[self.id] = lines
            else:
                move_lines += [(0, 0, line) for line in lines]
        return move_lines

    def _loyalty_lines_insertable(self, lines):
        """Whether the loyalty journal items of this invoice can be written
        in one statement: plain accounts in the company currency, which
        nothing reconciles, that the journal accepts (anything else goes
        through the ORM, with its checks)."""
        if not lines:
            return False
        # one query (each validated invoice asks)
        self.env.cr.execute("""
            SELECT NOT EXISTS (SELECT 1 FROM account_journal_type_rel
                                WHERE journal_id = %(journal)s)
                   AND NOT EXISTS (SELECT 1 FROM account_account_type_rel
                                    WHERE journal_id = %(journal)s)
                   AND BOOL_AND(NOT COALESCE(account.reconcile, FALSE)
                                AND NOT COALESCE(account.deprecated, FALSE)
                                AND account.internal_type NOT IN ('receivable', 'payable',
                                                                  'liquidity')
                                AND COALESCE(account.currency_id, company.currency_id)
                                    = company.currency_id
                                AND account.company_id = %(company)s)
              FROM account_account account
              JOIN res_company company ON company.id = account.company_id
             WHERE account.id = ANY(%(accounts)s)
        """, {"journal": self.journal_id.id, "company": self.company_id.id,
              "accounts": [line["account_id"] for line in lines]})
        return bool(self.env.cr.fetchone()[0])

    def _loyalty_lines_to_insert(self):
        """The loyalty journal items of this invoice to write with its
        journal entry, once (see finalize_invoice_move_lines)."""
        return (self._posting_state().get("inserted_lines") or {}).pop(self.id, None)

    @api.multi
    def action_cancel(self):
        # the journal entry of an invoice goes with its cancellation, and
        # the points it booked with it
        released = self._loyalty_booked_in_move()
        with in_progress.running(self.env.cr, CANCELLING, self.ids):
            result = super(AccountInvoice, self).action_cancel()
        self._customer_invoices()._sync_loyalty_points(released)
        self._refresh_customer_insight()
        return result

    def _loyalty_booked_in_move(self):
        """{invoice id: amount its journal entry credits to the liability
        account of the points booked in it}."""
        invoice_ids = tuple(self._customer_invoices().filtered("move_id").ids)
        if not invoice_ids:
            return {}
        self.env.cr.execute("""
            SELECT inv.id, SUM(line.credit - line.debit)
              FROM account_invoice inv
              JOIN crm_loyalty_program program
                ON program.id IN (SELECT entry.program_id FROM crm_loyalty_entry entry
                                   WHERE entry.move_id = inv.move_id)
              JOIN account_move_line line
                ON line.move_id = inv.move_id AND line.account_id = program.liability_account_id
             WHERE inv.id IN %s
             GROUP BY inv.id
        """, (invoice_ids,))
        return dict(self.env.cr.fetchall())

    # loyalty points

    @api.multi
    def _sync_loyalty_points(self, released=None):
        """Bring the points of customer invoices to what they earn now
        (posted or paid share, less refunds), whatever happened before:
        validating, paying, re-opening or cancelling again never awards
        twice, a refund or a cancellation takes back its share.
        ``released``: {invoice id: liability its deleted journal entry
        held}, booked back with the reversal that follows."""
        invoices = self.filtered(lambda inv: inv.type == "out_invoice")
        invoices |= self.filtered(lambda inv: inv.type == "out_refund").mapped(
            "refund_invoice_id")
        released = released or {}
        # reckoned when their journal entries were made, unless a credit note
        # validated with them refunds them
        reckoned = set(self._posting_state().get("at_posting") or ()) - set(
            self.mapped("refund_invoice_id").ids)
        entries = self.env["crm.loyalty.entry"]
        for invoice in invoices.filtered(lambda inv: inv.id not in reckoned and (
                inv.date_invoice or inv.loyalty_entry_ids)):
            member, vals = invoice._loyalty_movement() or (None, None)
            amount = released.get(invoice.id)
            if vals:
                vals["origin"] = invoice.number
                if amount:
                    vals["released_liability"] = amount
                entries._record([vals])
                if vals["points"] > 0:
                    member._update_tiers(upgrade_only=True)
                invoice.invalidate_cache(["loyalty_entry_ids"], invoice.ids)
            elif amount and member:
                # no point moves, but the liability the journal entry held
                entries._book(member.program_id, member, {
                    "points": 0.0, "entry_type": "reversal", "origin": invoice.number,
                    "date": fields.Date.context_today(self)}, released=amount)
        invoices.filtered(lambda inv: inv.state == "paid")._award_referral_bonus()

    def _loyalty_movement(self):
        """``(member, values of the ledger entry)`` that brings this
        invoice's points to what it earns now: no values when nothing moves.
        None while its journal entry is made, when the customer's enrolment
        depends on the insight refreshed after the validation."""
        self.ensure_one()
        program, member, multiplier, entries = self.env[
            "crm.loyalty.program"]._active_program_member(
            self.company_id, self.date_invoice or fields.Date.context_today(self),
            self.commercial_partner_id, self)
        # all of them, whoever validates or pays (a salesperson who does not
        # see the customer's ledger would have the points earned again)
        earned = self.sudo().loyalty_entry_ids.filtered(
            lambda entry: entry.entry_type in ("earn", "reversal")) if entries else \
            self.env["crm.loyalty.entry"].sudo()
        first_earning = earned.filtered(lambda entry: entry.entry_type == "earn")[-1:]
        if first_earning:
            # the invoice's points stay with the member and program they went to
            member, multiplier = first_earning.member_id, first_earning.earn_multiplier
            program = member.program_id
        elif not program or self._loyalty_state() not in ("open", "paid"):
            return member.browse(), None
        members = self.env["crm.loyalty.member"]
        refunded = None
        if self._loyalty_posting() or not self.sudo().loyalty_earn_multiplier:
            refunded = self._loyalty_reckon(program, multiplier)
        if not member:
            if self._loyalty_posting() and program.enrol_mode == "classified":
                return None
            # customers are enrolled by the first invoice that earns points
            if self._loyalty_points_due(program, refunded) > 0:
                member = members._member_of(program, self.commercial_partner_id)
            if not member:
                return member, None
        target = self._loyalty_points_due(member.program_id, refunded)
        held = sum(earned.mapped("points"))
        if target < held:
            # what expired of its points is gone already: not taken back again
            target = max(target, min(held, sum(earned.mapped("expired_points"))))
        delta = member.program_id._round_points(target - held)
        if not delta:
            return member, None
        return member, {
            "member_id": member.id,
            "entry_type": "earn" if delta > 0 else "reversal",
            "points": delta,
            "invoice_id": self.id,
            "earn_multiplier": self.sudo().loyalty_earn_multiplier,
            "reversed_entry_id": first_earning.id if delta < 0 else False,
            "origin": self.number,
            # points a credit note took back come back as they were
            "restore": delta > 0 and len(earned) > 1,
        }

    def _loyalty_posting(self):
        """Whether the journal entry of this invoice is being made, for its
        validation."""
        return self.id in self._loyalty_posting_ids()

    def _loyalty_state(self):
        """The state of the invoice, open while it is being validated."""
        return "open" if self._loyalty_posting() else self.state

    def _loyalty_reckon(self, program, multiplier=None):
        """Fix the points of the whole invoice, at its validation: by the
        program's rules now (rate, category multipliers, exclusions,
        minimum, rounding) and ``multiplier``, that of the tier the customer
        held before it (its first earning's after a re-validation); for a
        customer without a tier, the tier its spend before this invoice
        reaches.  Returns what credit notes refund of it (company
        currency), read with its lines."""
        self.ensure_one()
        if multiplier is None:
            tier = program._spends_and_tiers(
                [(0, program.id, self.commercial_partner_id.id)], self.date_invoice,
                excluded_invoice_ids=self.ids)[0][1]
            multiplier = tier.earn_multiplier or 1.0
        # the untaxed amount of the eligible lines by product category, what
        # credit notes refund of the invoice, whether categories multiply
        self.env.cr.execute("""
            SELECT template.categ_id, SUM(line.price_subtotal_signed),
                   (SELECT COALESCE(SUM(refund.amount_total_company_signed), 0)
                      FROM account_invoice refund
                     WHERE refund.refund_invoice_id = %(invoice)s
                       AND refund.type = 'out_refund' AND refund.state IN ('open', 'paid')),
                   EXISTS (SELECT 1 FROM crm_loyalty_program_category rule
                            WHERE rule.program_id = %(program)s)
              FROM account_invoice_line line
              LEFT JOIN product_product product ON product.id = line.product_id
              LEFT JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE line.invoice_id = %(invoice)s
               AND NOT EXISTS (SELECT 1 FROM crm_loyalty_program_excluded_product_rel excluded
                                WHERE excluded.program_id = %(program)s
                                  AND excluded.product_id = line.product_id)
             GROUP BY template.categ_id
        """, {"invoice": self.id, "program": program.id})
        rows = self.env.cr.fetchall()
        full = 0.0
        if rows and not (program.min_amount
                         and self.amount_untaxed_signed < program.min_amount):
            categories = program._category_multipliers() if rows[0][3] else {}
            base = sum(amount * categories.get(categ_id, 1.0)
                       for categ_id, amount, _r, _m in rows)
            full = program._round_points(base * program.points_per_unit * multiplier)
        self.env.cr.execute("""
            UPDATE account_invoice SET loyalty_points_full = %s, loyalty_earn_multiplier = %s
             WHERE id = %s
        """, (full, multiplier, self.id))
        self.invalidate_cache(["loyalty_points_full", "loyalty_earn_multiplier"], self.ids)
        return abs(rows[0][2]) if rows else None

    def _loyalty_points_due(self, program, refunded=None):
        """Points this invoice earns now: the share of its points (see
        :meth:`_loyalty_reckon`) that is posted (or paid) and not refunded.
        ``refunded``: what its credit notes refund, when already read."""
        self.ensure_one()
        total = self.amount_total_company_signed
        full = self.sudo().loyalty_points_full
        if self._loyalty_state() not in ("open", "paid") or not total or not full:
            return 0.0
        kept = total
        if program.earn_on == "paid":
            kept = self._paid_by_payments()
            if not kept:
                return 0.0
        if refunded is None:
            self.env.cr.execute("""
                SELECT COALESCE(SUM(amount_total_company_signed), 0) FROM account_invoice
                 WHERE refund_invoice_id = %s AND type = 'out_refund'
                   AND state IN ('open', 'paid')
            """, (self.id,))
            refunded = abs(self.env.cr.fetchone()[0])
        kept = min(kept, max(0.0, total - refunded))
        return program._round_points(full * kept / total)

    def _paid_by_payments(self):
        """What payments (not credit notes) have settled of the invoice, in
        the company currency."""
        self.ensure_one()
        if not self.move_id:
            return 0.0
        self.env.cr.execute("""
            SELECT COALESCE(SUM(partial.amount), 0)
              FROM account_move_line line
              JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
              JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
             WHERE line.move_id = %s AND line.account_id = %s
               AND NOT EXISTS (SELECT 1 FROM account_invoice refund
                                WHERE refund.move_id = counterpart.move_id
                                  AND refund.type = 'out_refund')
        """, (self.move_id.id, self.account_id.id))
        return self.env.cr.fetchone()[0]

    def _award_referral_bonus(self):
        """The referrer of a customer earns the referral bonus once, when
        an invoice of that customer is paid for the first time."""
        entries = self.env["crm.loyalty.entry"]
        for invoice in self:
            referred = invoice.commercial_partner_id
            referrer = referred.referred_by_id.commercial_partner_id
            program = self.env["crm.loyalty.program"].sudo()._active_program(
                invoice.company_id)
            if not referrer or not program or not program.referral_bonus:
                continue
            if entries.sudo().search_count([
                    ("program_id", "=", program.id), ("bonus_reason", "=", "referral"),
                    ("referred_partner_id", "=", referred.id)]):
                continue
            member = self.env["crm.loyalty.member"]._member_of(program, referrer)
            if member:
                entries._record([{
                    "member_id": member.id, "entry_type": "bonus",
                    "bonus_reason": "referral", "points": program.referral_bonus,
                    "referred_partner_id": referred.id, "origin": invoice.number,
                }])
