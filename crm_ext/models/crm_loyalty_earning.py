# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The rules of crm.loyalty.earning: what a customer invoice earns or gives back."""
from odoo import api, fields, models

from ..tools import prepared
from .crm_loyalty_program import ACTIVE_PROGRAM

# the attribute of the cursor that holds the validation in progress
POSTING_STATE = "_crm_ext_loyalty_posting"
# operations in progress (see in_progress): the invoices whose journal
# entries are being made, those being cancelled (see account.move.unlink)
MOVES_IN_CREATION = "invoice_move_creation"
CANCELLING = "invoice_cancellation"



class CrmLoyaltyEarning(models.AbstractModel):
    """The loyalty points of customer invoices, apart from the invoice
    model: what an invoice earns (the program's rules and the customer's
    tier when it is validated), what payments, credit notes and
    cancellations change of it, and the referral bonus.  Its methods take
    the invoices as arguments; ``account.invoice`` calls them from its
    overrides (account_invoice_loyalty.py), the posting of the points with
    the invoice's journal entry is in crm_loyalty_earning_posting.py.

    The small ``_earning_base`` and ``_earn_multiplier`` steps are meant to
    be overridden by modules that change how invoices earn."""

    _name = "crm.loyalty.earning"
    _description = "Loyalty Points Earned on Invoices"

    @api.model
    def _sync(self, invoices, released=None):
        """Bring the points of customer ``invoices`` to what they earn now
        (posted or paid share, less refunds), whatever happened before:
        validating, paying, re-opening or cancelling again never awards
        twice, a refund or a cancellation takes back its share.
        ``released``: {invoice id: liability its deleted journal entry
        held}, booked back with the reversal that follows."""
        earning_invoices = invoices.filtered(lambda inv: inv.type == "out_invoice")
        earning_invoices |= invoices.filtered(lambda inv: inv.type == "out_refund").mapped(
            "refund_invoice_id")
        released = released or {}
        # reckoned when their journal entries were made, unless a credit note
        # validated with them refunds them
        reckoned = set(self._posting_state().get("at_posting") or ()) - set(
            invoices.mapped("refund_invoice_id").ids)
        for invoice in earning_invoices.filtered(lambda inv: inv.id not in reckoned and (
                inv.date_invoice or inv.loyalty_entry_ids)):
            member, vals = self._movement(invoice) or (None, None)
            amount = released.get(invoice.id)
            if vals:
                if amount:
                    vals["released_liability"] = amount
                self._record_movement(invoice, member, vals)
            elif amount and member:
                # no point moves, but the liability the journal entry held
                self.env["crm.loyalty.entry"]._book(member.program_id, member, {
                    "points": 0.0, "entry_type": "reversal", "origin": invoice.number,
                    "date": fields.Date.context_today(self)}, released=amount)
        self._award_referral_bonus(earning_invoices.filtered(lambda inv: inv.state == "paid"))

    @api.model
    def _record_movement(self, invoice, member, vals):
        """Record ``vals``, the movement of ``invoice``'s points (see
        :meth:`_movement`), in the ledger of ``member``; an earning lifts
        the member's tier at once."""
        vals["origin"] = invoice.number
        self.env["crm.loyalty.entry"]._record([vals])
        if vals["points"] > 0:
            member._update_tiers(upgrade_only=True)
        invoice.invalidate_cache(["loyalty_entry_ids"], invoice.ids)

    @api.model
    def _movement(self, invoice):
        """``(member, values of the ledger entry)`` that brings ``invoice``'s
        points to what it earns now: no values when nothing moves.  None
        while its journal entry is made, when the customer's enrolment
        depends on the insight refreshed after the validation."""
        invoice.ensure_one()
        program, member, multiplier, entries = self._program_member(invoice)
        # all of them, whoever validates or pays (a salesperson who does not
        # see the customer's ledger would have the points earned again)
        earned = invoice.sudo().loyalty_entry_ids.filtered(
            lambda entry: entry.entry_type in ("earn", "reversal")) if entries else \
            self.env["crm.loyalty.entry"].sudo()
        first_earning = earned.filtered(lambda entry: entry.entry_type == "earn")[-1:]
        if first_earning:
            # the invoice's points stay with the member and program they went to
            member, multiplier = first_earning.member_id, first_earning.earn_multiplier
            program = member.program_id
        elif not program or self._state(invoice) not in ("open", "paid"):
            return member.browse(), None
        refunded = full = earn_multiplier = None
        posting = self._posting(invoice)
        reckoned = posting or not invoice.sudo().loyalty_earn_multiplier
        if reckoned:
            full, earn_multiplier, refunded = self._reckon(invoice, program, multiplier)
            if posting:
                self._fix_points(invoice, full, earn_multiplier)
        if not member:
            if posting and program.enrol_mode == "classified":
                return None
            # customers are enrolled by the first invoice that earns points
            if self._points_due(invoice, program, refunded, full) > 0:
                member = self.env["crm.loyalty.member"]._member_of(
                    program, invoice.commercial_partner_id)
            if not member:
                return member, None
        target = self._points_due(invoice, member.program_id, refunded, full)
        held = sum(earned.mapped("points"))
        if target < held:
            # what expired of its points is gone already: not taken back again
            target = max(target, min(held, sum(earned.mapped("expired_points"))))
        delta = member.program_id._round_points(target - held)
        if not delta:
            return member, None
        if reckoned and not posting:
            # an invoice posted without them (before crm_ext, or before the
            # version that fixes them) has its points fixed by their first
            # movement: a call that moves nothing writes nothing
            self._fix_points(invoice, full, earn_multiplier)
        return member, {
            "member_id": member.id,
            "entry_type": "earn" if delta > 0 else "reversal",
            "points": delta,
            "invoice_id": invoice.id,
            "earn_multiplier": invoice.sudo().loyalty_earn_multiplier,
            "reversed_entry_id": first_earning.id if delta < 0 else False,
            "origin": invoice.number,
            # points a credit note took back come back as they were
            "restore": delta > 0 and len(earned) > 1,
        }

    @api.model
    def _program_member(self, invoice):
        """What the points of ``invoice`` need, in one query (each validated
        invoice asks): ``(program, member, multiplier, entries)``, the
        program that applies to its company on its date, the member of its
        customer in it, the earn multiplier of the member's tier (None
        without a tier) and whether the invoice has ledger entries."""
        # prepared: each validated invoice asks
        prepared.execute(self.env.cr, """
            SELECT program.id, member.id, tier.earn_multiplier,
                   EXISTS (SELECT 1 FROM crm_loyalty_entry WHERE invoice_id = %(invoice)s)
              FROM (SELECT 1) one
              LEFT JOIN LATERAL ({active}) program ON TRUE
              LEFT JOIN crm_loyalty_member member
                     ON member.program_id = program.id AND member.partner_id = %(partner)s
              LEFT JOIN crm_loyalty_tier tier ON tier.id = member.tier_id
        """.format(active=ACTIVE_PROGRAM), {  # pylint: disable=sql-injection
            "company": invoice.company_id.id,
            "day": invoice.date_invoice or fields.Date.context_today(self),
            "partner": invoice.commercial_partner_id.id, "invoice": invoice.id})
        program_id, member_id, multiplier, entries = self.env.cr.fetchone()
        return (self.env["crm.loyalty.program"].sudo().browse(program_id or []),
                self.env["crm.loyalty.member"].sudo().browse(member_id or []),
                multiplier, entries)

    @api.model
    def _state(self, invoice):
        """The state of ``invoice``, open while it is being validated."""
        return "open" if self._posting(invoice) else invoice.state

    @api.model
    def _reckon(self, invoice, program, multiplier=None):
        """Fix the points of the whole ``invoice``, at its validation: by
        the program's rules now (rate, category multipliers, exclusions,
        minimum, rounding) and the tier multiplier (see
        :meth:`_earn_multiplier`).  Returns ``(full, multiplier, refunded)``:
        its points (float), the tier multiplier they were reckoned at, and
        what credit notes refund of it (company currency, None without
        lines), read with its lines; :meth:`_fix_points` stores the first
        two."""
        invoice.ensure_one()
        multiplier = self._earn_multiplier(invoice, program, multiplier)
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
        """, {"invoice": invoice.id, "program": program.id})
        rows = self.env.cr.fetchall()
        full = 0.0
        if rows and not (program.min_amount
                         and invoice.amount_untaxed_signed < program.min_amount):
            base = self._earning_base(invoice, program, [row[:2] for row in rows], rows[0][3])
            full = program._round_points(base * program.points_per_unit * multiplier)
        return full, multiplier, abs(rows[0][2]) if rows else None

    @api.model
    def _fix_points(self, invoice, full, multiplier):
        """Store ``full`` points and the tier ``multiplier`` they were
        reckoned at (see :meth:`_reckon`) on ``invoice``."""
        self.env.cr.execute("""
            UPDATE account_invoice SET loyalty_points_full = %s, loyalty_earn_multiplier = %s
             WHERE id = %s
        """, (full, multiplier, invoice.id))
        invoice.invalidate_cache(["loyalty_points_full", "loyalty_earn_multiplier"],
                                 invoice.ids)

    @api.model
    def _earning_base(self, invoice, program, amounts, multiplied=True):
        """The amount of ``invoice`` that earns points, in the company
        currency, before the program's rate and the tier multiplier:
        ``amounts``, ``[(product category id, untaxed amount)]`` of its
        lines that earn (the program's excluded products left out), each
        multiplied by its category's multiplier (when ``multiplied``: the
        program has category rules).  Meant to be overridden to change
        what an invoice line earns."""
        categories = program._category_multipliers() if multiplied else {}
        return sum(amount * categories.get(categ_id, 1.0) for categ_id, amount in amounts)

    @api.model
    def _earn_multiplier(self, invoice, program, multiplier=None):
        """The tier multiplier ``invoice`` earns at: ``multiplier``, that of
        the tier the customer held before it (its first earning's after a
        re-validation); for a customer without a tier (None), that of the
        tier its spend before this invoice reaches.  Meant to be
        overridden to change the tier multiplier."""
        if multiplier is not None:
            return multiplier
        tier = program._spends_and_tiers(
            [(0, program.id, invoice.commercial_partner_id.id)], invoice.date_invoice,
            excluded_invoice_ids=invoice.ids)[0][1]
        return tier.earn_multiplier or 1.0

    @api.model
    def _points_due(self, invoice, program, refunded=None, full=None):
        """Points ``invoice`` earns now: the share of its points (see
        :meth:`_reckon`) that is posted (or paid) and not refunded.
        ``refunded``: what its credit notes refund, when already read;
        ``full``: its points when reckoned and not stored yet."""
        invoice.ensure_one()
        total = invoice.amount_total_company_signed
        if full is None:
            full = invoice.sudo().loyalty_points_full
        if self._state(invoice) not in ("open", "paid") or not total or not full:
            return 0.0
        kept = total
        if program.earn_on == "paid":
            kept = self._paid_by_payments(invoice)
            if not kept:
                return 0.0
        if refunded is None:
            self.env.cr.execute("""
                SELECT COALESCE(SUM(amount_total_company_signed), 0) FROM account_invoice
                 WHERE refund_invoice_id = %s AND type = 'out_refund'
                   AND state IN ('open', 'paid')
            """, (invoice.id,))
            refunded = abs(self.env.cr.fetchone()[0])
        kept = min(kept, max(0.0, total - refunded))
        return program._round_points(full * kept / total)

    @api.model
    def _paid_by_payments(self, invoice):
        """What payments (not credit notes) have settled of ``invoice``, in
        the company currency."""
        invoice.ensure_one()
        if not invoice.move_id:
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
        """, (invoice.move_id.id, invoice.account_id.id))
        return self.env.cr.fetchone()[0]

    @api.model
    def _award_referral_bonus(self, invoices):
        """The referrer of a customer earns the referral bonus once, when
        an invoice of that customer (of paid ``invoices``) is paid for the
        first time."""
        entries = self.env["crm.loyalty.entry"]
        for invoice in invoices:
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
