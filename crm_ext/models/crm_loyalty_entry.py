# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..exceptions import NotWholePointsError

ENTRY_TYPES = [
    ("earn", "Earned"),
    ("redeem", "Redeemed"),
    ("expire", "Expired"),
    ("adjust", "Adjustment"),
    ("bonus", "Bonus"),
    ("reversal", "Reversal"),
]
# the fields of a ledger entry :meth:`CrmLoyaltyEntry._record` writes
LEDGER_FIELDS = (
    "member_id", "date", "entry_type", "bonus_reason", "points", "remaining_points",
    "expiry_date", "invoice_id", "sale_order_id", "complaint_id", "referred_partner_id", "origin",
    "reversed_entry_id", "earn_multiplier", "move_id", "user_id", "note")
BONUS_REASONS = [
    ("birthday", "Birthday"),
    ("referral", "Referral"),
    ("compensation", "Compensation"),
    ("other", "Other"),
]


class CrmLoyaltyEntry(models.Model):
    """The points ledger: append-only.  Every movement of points is an
    entry; corrections are new entries (reversals, adjustments).  Positive
    entries keep the points not yet used (``remaining_points``); negative
    ones use them up, soonest-expiring first."""

    _name = "crm.loyalty.entry"
    _description = "Loyalty Points Entry"
    _order = "date desc, id desc"

    member_id = fields.Many2one(
        "crm.loyalty.member", required=True, readonly=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(
        related="member_id.partner_id", store=True, readonly=True, string="Customer",
        auto_join=True)
    program_id = fields.Many2one(
        related="member_id.program_id", store=True, readonly=True)
    company_id = fields.Many2one(
        related="member_id.program_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    date = fields.Date(required=True, readonly=True, index=True,
                       default=fields.Date.context_today)
    entry_type = fields.Selection(ENTRY_TYPES, "Type", required=True, readonly=True, index=True)
    bonus_reason = fields.Selection(BONUS_REASONS, readonly=True)
    points = fields.Float(required=True, readonly=True, group_operator="sum")
    value = fields.Monetary(compute="_compute_value", help="Points x value of a point.")
    remaining_points = fields.Float(
        readonly=True, group_operator="sum",
        help="Points of this entry not yet redeemed, reversed or expired.")
    expired_points = fields.Float(
        readonly=True, group_operator="sum",
        help="Points of this entry that expired (a credit note does not take them back).")
    expiry_date = fields.Date(readonly=True, index=True)
    invoice_id = fields.Many2one("account.invoice", readonly=True, index=True,
                                 ondelete="restrict")
    sale_order_id = fields.Many2one("sale.order", readonly=True, index=True,
                                    ondelete="restrict")
    complaint_id = fields.Many2one("crm.complaint", readonly=True, index=True,
                                   ondelete="restrict")
    referred_partner_id = fields.Many2one(
        "res.partner", "Referred Customer", readonly=True, ondelete="restrict")
    origin = fields.Char("Source", readonly=True)
    reversed_entry_id = fields.Many2one(
        "crm.loyalty.entry", "Reverses", readonly=True, index=True, ondelete="restrict")
    earn_multiplier = fields.Float(readonly=True, default=1.0)
    # an earning booked in the journal entry of its invoice loses it when the
    # invoice is cancelled (Odoo deletes it): the entry keeps its invoice, and
    # the reversal recorded then books what the deleted entry held
    move_id = fields.Many2one("account.move", "Journal Entry", readonly=True, index=True,
                              ondelete="set null")
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    note = fields.Text(readonly=True)

    @api.model_cr_context
    def _auto_init(self):
        result = super(CrmLoyaltyEntry, self)._auto_init()
        # earnings are updated in place (their remaining points) when they are
        # used or expire, and the earnings of a page expire together: with
        # room for a new version of each row in its page, PostgreSQL leaves
        # the indexes alone (a million expire in 15 s instead of 34 s)
        self._cr.execute("ALTER TABLE crm_loyalty_entry SET (fillfactor = 45)")
        return result

    @api.depends("points", "program_id.point_value")
    def _compute_value(self):
        for entry in self:
            entry.value = entry.program_id._points_value(entry.points)

    @api.model
    def create(self, vals):  # pylint: disable=method-required-super
        """Refused: entries are written by :meth:`_record` only."""
        raise UserError(_("Loyalty points are only moved by the program (earning, "
                          "redemption, expiry) or the adjustment wizard."))

    @api.multi
    def write(self, vals):
        """Refused: the ledger is append-only.

        :raises UserError: always, on any entry.
        """
        if self:
            raise UserError(_("Loyalty ledger entries are never changed: record a "
                              "correction instead."))
        return super(CrmLoyaltyEntry, self).write(vals)

    @api.multi
    def unlink(self):
        """Refused: the ledger is append-only.

        :raises UserError: always, on any entry.
        """
        if self:
            raise UserError(_("Loyalty ledger entries are never deleted: record a "
                              "correction instead."))
        return super(CrmLoyaltyEntry, self).unlink()

    # the ledger

    @api.model
    def _record(self, vals_list):
        """Add entries to the ledger, in order: lock their members, let
        positive entries settle any debt first, let negative ones use up
        points (the entry they reverse first, then soonest-expiring), and
        book them in accounting when the program does.  A positive entry
        with ``restore`` (points given back by an invoice or an order) puts
        back the points the document's movements used, on the entries they
        were, with their expiry (see :meth:`_restore`)."""
        # the program moves the points of the members whoever asks (a
        # salesperson's invoice or order for a colleague's customer)
        members = self.env["crm.loyalty.member"].sudo().browse(
            sorted({vals["member_id"] for vals in vals_list}))
        members._lock()
        entries = self.browse()
        ledger = self.sudo()
        for vals in vals_list:
            vals = dict(vals)
            member = members.browse(vals["member_id"])
            program = member.program_id
            points = vals["points"]
            if not points:
                raise NotWholePointsError(program, 0.0)  # a movement moves points
            program._check_whole_points(points)
            vals.setdefault("date", fields.Date.context_today(self))
            vals.setdefault("user_id", self.env.uid)
            uses = []
            if points > 0:
                vals["remaining_points"] = max(0.0, points - self._debt(member))
                if vals.pop("restore", False):
                    uses = self._restore(vals, vals["remaining_points"])
                    vals["remaining_points"] -= sum(used for _source, used in uses)
                if "expiry_date" not in vals:
                    vals["expiry_date"] = program._expiry_date(vals["date"])
            else:
                vals.pop("restore", None)
                vals["remaining_points"] = 0.0
            released = vals.pop("released_liability", 0.0)
            if program.journal_id and not vals.get("move_id"):
                vals["move_id"] = self._book(program, member, vals, released).id
            entry = ledger._insert(member, vals)
            if points < 0:
                uses = self._use_up(member, -points, vals.get("reversed_entry_id"))
            self._write_uses(entry, uses, -1.0 if points > 0 else 1.0)
            entries |= entry
        # the one2many fields of the ledger and what is computed from the
        # entries (a complaint's cost), as create() would
        for model, field in (("crm.loyalty.member", "entry_ids"),
                             ("account.invoice", "loyalty_entry_ids"),
                             ("sale.order", "loyalty_entry_ids"),
                             ("crm.complaint", "loyalty_entry_ids")):
            self.env[model].invalidate_cache([field])
        if any(vals.get("complaint_id") for vals in vals_list):
            entries.modified(["points", "complaint_id"])
            if self.env.recompute and self._context.get("recompute", True):
                entries.recompute()
        return entries

    @api.model
    def _insert(self, member, vals):
        """One row of the ledger, with its member's customer, program and
        company: what create() writes, in one statement (a ledger entry is
        written once, by :meth:`_record` only)."""
        unknown = set(vals) - set(LEDGER_FIELDS)
        if unknown:
            raise UserError(_("Unknown ledger entry fields: %s") % ", ".join(sorted(unknown)))
        row = dict.fromkeys(LEDGER_FIELDS)
        row["earn_multiplier"] = 1.0
        row.update({key: value if value is not False else None
                    for key, value in vals.items()})
        row.update({"partner_id": member.partner_id.id, "program_id": member.program_id.id,
                    "company_id": member.program_id.company_id.id, "uid": self.env.uid})
        columns = LEDGER_FIELDS + ("partner_id", "program_id", "company_id")
        self.env.cr.execute("""
            INSERT INTO crm_loyalty_entry ({columns}, create_uid, create_date, write_uid,
                                           write_date)
            VALUES ({values}, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                    NOW() AT TIME ZONE 'UTC')
            RETURNING id
        """.format(columns=", ".join(columns),  # pylint: disable=sql-injection
                   values=", ".join("%%(%s)s" % column for column in columns)), row)
        return self.browse(self.env.cr.fetchone()[0])

    @api.model
    def _debt(self, member):
        """Points the member owes (reversals of points already spent):
        what the remaining points exceed the balance by."""
        self.env.cr.execute("""
            SELECT COALESCE(SUM(remaining_points), 0) - COALESCE(SUM(points), 0)
              FROM crm_loyalty_entry WHERE member_id = %s
        """, (member.id,))
        return max(0.0, self.env.cr.fetchone()[0])

    @api.model
    def _use_up(self, member, points, first_entry_id=None):
        """Use up ``points`` of the member's remaining points: those of
        ``first_entry_id`` first, then soonest-expiring, oldest first.  What
        cannot be used up becomes a debt.  Returns ``[(entry id, points
        used)]``."""
        cr = self.env.cr
        cr.execute("""
            SELECT id, remaining_points FROM crm_loyalty_entry
             WHERE member_id = %s AND remaining_points > 0
             ORDER BY id = %s DESC, expiry_date NULLS LAST, date, id
        """, (member.id, first_entry_id or 0))
        used = []
        for entry_id, remaining in cr.fetchall():
            if points <= 0:
                break
            used.append((entry_id, min(points, remaining)))
            points -= used[-1][1]
        self._add_remaining([(entry_id, -points) for entry_id, points in used])
        return used

    @api.model
    def _restore(self, vals, points):
        """What a movement giving points back (``vals``, of an invoice or an
        order) restores, up to ``points``: ``[(entry id, points)]``, the
        points the document's earlier movements used, the last used first.
        Points given back keep the expiry of the points they were."""
        column = "invoice_id" if vals.get("invoice_id") else "sale_order_id"
        if not vals.get(column) or points <= 0:
            return []
        self.env.cr.execute("""
            SELECT use.source_id, SUM(use.points)
              FROM crm_loyalty_entry_use use
              JOIN crm_loyalty_entry entry ON entry.id = use.entry_id
             WHERE entry.{column} = %s
             GROUP BY use.source_id
            HAVING SUM(use.points) > 0
             ORDER BY MAX(use.id) DESC
        """.format(column=column), (vals[column],))  # pylint: disable=sql-injection
        restored = []
        for source_id, used in self.env.cr.fetchall():
            if points <= 0:
                break
            restored.append((source_id, min(points, used)))
            points -= restored[-1][1]
        self._add_remaining(restored)
        return restored

    @api.model
    def _add_remaining(self, changes):
        """Add points to the remaining points of entries: ``[(entry id,
        points)]``, in one statement."""
        if changes:
            self.env.cr.execute("""
                UPDATE crm_loyalty_entry entry
                   SET remaining_points = entry.remaining_points + change.points
                  FROM unnest(%s::int[], %s::float8[]) AS change(id, points)
                 WHERE entry.id = change.id
            """, ([entry_id for entry_id, _points in changes],
                  [points for _entry_id, points in changes]))
            self.invalidate_cache(["remaining_points"])

    @api.model
    def _write_uses(self, entry, uses, sign):
        """Keep which entries' points ``entry`` used (``sign`` 1) or gave
        back (``sign`` -1): ``uses`` is ``[(entry id, points)]``."""
        if uses:
            self.env.cr.execute("""
                INSERT INTO crm_loyalty_entry_use (entry_id, source_id, points, company_id)
                SELECT entry.id, use.source_id, use.points * %s, entry.company_id
                  FROM unnest(%s::int[], %s::float8[]) AS use(source_id, points)
                  JOIN crm_loyalty_entry entry ON entry.id = %s
            """, (sign, [source_id for source_id, _points in uses],
                  [points for _source_id, points in uses], entry.id))

    @api.model
    def _move_lines(self, program, member, vals, released=0.0):
        """The journal items of a movement of points (``vals``: its
        ``points``, ``entry_type``): earning (positive) debits the loyalty
        expense and credits the points liability; a negative movement
        releases the liability, to income when points expire, against the
        expense otherwise.  ``released``: liability a deleted journal entry
        held, credited back with the movement.  Without ``member``, the
        items of the points of several members (the daily expiry)."""
        currency = program.currency_id
        value = currency.round(program._points_value(abs(vals["points"])))
        amount = currency.round((value if vals["points"] > 0 else -value) + released)
        if currency.is_zero(amount):
            return []
        liability = program.liability_account_id
        if amount > 0:
            debit_account, credit_account = program.expense_account_id, liability
        else:
            debit_account = liability
            credit_account = (program.income_account_id if vals["entry_type"] == "expire"
                              else program.expense_account_id)
        if member:
            label = _("Loyalty points: %(type)s %(card)s") % {
                "type": dict(self._fields["entry_type"]._description_selection(self.env))[
                    vals["entry_type"]],
                "card": member.card_number}
        else:
            label = _("Loyalty points expired: %s points") % abs(vals["points"])
        common = {"name": label, "partner_id": member.partner_id.id}
        return [
            dict(common, account_id=debit_account.id, debit=abs(amount), credit=0.0),
            dict(common, account_id=credit_account.id, debit=0.0, credit=abs(amount)),
        ]

    @api.model
    def _book(self, program, member, vals, released=0.0):
        """The posted journal entry of a movement of points (see
        :meth:`_move_lines`), dated and referenced by its ``date`` and
        ``origin``, or none when it is worth nothing."""
        lines = self._move_lines(program, member, vals, released)
        if not lines:
            return self.env["account.move"]
        move = self.env["account.move"].sudo().create({
            "journal_id": program.journal_id.id,
            "date": vals.get("date") or fields.Date.context_today(self),
            "ref": vals.get("origin") or member.card_number,
            "line_ids": [(0, 0, line) for line in lines],
        })
        move.post()
        return move
