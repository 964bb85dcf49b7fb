# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The liability check of crm.loyalty.program: its points outstanding against its account."""
from odoo import _, api, fields, models

from ..exceptions import LoyaltyManagersOnlyError
from ..tools import access


class CrmLoyaltyProgram(models.Model):
    """The points outstanding are a debt of the company: their value and
    the balance of the program's liability account are always equal when
    the program books its points."""

    # one concern of the model per file
    _inherit = "crm.loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    outstanding_points = fields.Float(compute="_compute_liability_check")
    outstanding_value = fields.Monetary(
        "Points Liability", compute="_compute_liability_check",
        help="Outstanding points x value of a point.")
    liability_balance = fields.Monetary(
        "Liability Account Balance", compute="_compute_liability_check")
    liability_difference = fields.Monetary(compute="_compute_liability_check")

    def _compute_liability_check(self):
        for program in self:
            check = program._liability_check()
            program.update({
                "outstanding_points": check["outstanding_points"],
                "outstanding_value": check["outstanding_value"],
                "liability_balance": check["liability_balance"],
                "liability_difference": check["difference"],
            })

    @api.multi
    def check_liability(self):
        """The points liability of this program against its account.

        For accountants and loyalty managers; reads only.  Returns a dict:
        ``outstanding_points`` (float, points not yet redeemed or expired),
        ``outstanding_value`` (float, those points x the value of a point, in
        the company currency), ``liability_balance`` (float, credit - debit of
        the liability account's posted journal items, company currency),
        ``difference`` (float, balance - value) and ``balanced`` (bool: equal
        whenever the program books its points).

        :raises AccessError: the caller is neither an accountant (Billing)
            nor a loyalty manager (``LoyaltyManagersOnlyError``), or may not
            read this program.
        :raises ValueError: not exactly one program.
        """
        self._check_liability_reader()
        return self._liability_check()

    @api.multi
    def action_view_liability_items(self):
        """The posted journal items of these programs' liability accounts,
        as accountants audit them (Invoicing > Loyalty > Liability Journal
        Items: every program's; a program's form: its own).

        :returns: the window action of Odoo's journal items (a dict) on
            those items (none for programs that book no points).
        :raises AccessError: the caller is neither an accountant (Billing)
            nor a loyalty manager, or may not read these programs or
            journal items.
        """
        self._check_liability_reader()
        self.env["account.move.line"].check_access_rights("read")
        action = self.env.ref("account.action_account_moves_all_a").read()[0]
        action.update(
            name=_("Loyalty Liability Journal Items"), context={},
            domain=[("account_id", "in", self.mapped("liability_account_id").ids),
                    ("move_id.state", "=", "posted")])
        return action

    def _check_liability_reader(self):
        """Raise AccessError unless the caller audits the liability: an
        accountant (Billing) or a loyalty manager who may read these
        programs (``LoyaltyManagersOnlyError`` otherwise)."""
        if not self.user_has_groups("account.group_account_invoice,"
                                    "crm_ext.crm_loyalty_program_group_manager"):
            raise LoyaltyManagersOnlyError(self, liability=True)
        access.check_readable(self)

    def _liability_check(self, date_to=None):
        """See :meth:`check_liability`, without its access checks; with
        ``date_to`` (a 'YYYY-MM-DD' string), as at the end of that day: the
        ledger entries and the posted journal items dated on or before it
        (the Loyalty workbook's reconciliation at the end of its period)."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT COALESCE(SUM(points), 0) FROM crm_loyalty_entry WHERE program_id = %s"
            " AND (%s::date IS NULL OR date <= %s::date)",
            (self.id, date_to or None, date_to or None))
        outstanding_points = self.env.cr.fetchone()[0]
        liability = 0.0
        if self.liability_account_id:
            self.env.cr.execute("""
                SELECT COALESCE(SUM(aml.credit - aml.debit), 0)
                  FROM account_move_line aml
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE aml.account_id = %s AND move.state = 'posted'
                   AND (%s::date IS NULL OR move.date <= %s::date)
            """, (self.liability_account_id.id, date_to or None, date_to or None))
            liability = self.env.cr.fetchone()[0]
        outstanding_value = self.currency_id.round(self._points_value(outstanding_points))
        return {
            "outstanding_points": outstanding_points,
            "outstanding_value": outstanding_value,
            "liability_balance": liability,
            "difference": self.currency_id.round(liability - outstanding_value),
            "balanced": self.currency_id.is_zero(liability - outstanding_value),
        }
