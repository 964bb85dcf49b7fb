# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The errors crm_ext raises from several places: each class builds its
translated message from the records it is given."""
from odoo import _, exceptions
from odoo.exceptions import AccessError

from .tools.points import format_points


# -- loyalty: the points ledger, redemptions, adjustments ---------------------

class _LoyaltyError(object):
    """Mixin of the loyalty errors: :meth:`_message` builds the message in
    the language of ``record``'s environment (``_()`` reads the language
    and the cursor from ``self.env``)."""

    def __init__(self, record, *args):
        self.env = record.env
        self.record = record
        super(_LoyaltyError, self).__init__(self._message(record, *args))

    def _message(self, record, *args):
        raise NotImplementedError


class NotWholePointsError(_LoyaltyError, exceptions.UserError):
    """Points move by whole multiples of their program's rounding step (see
    ``crm.loyalty.program._is_whole_points``): ``points`` is not one."""

    def __init__(self, program, points):
        super(NotWholePointsError, self).__init__(program, points)

    def _message(self, program, points):
        return _("Points move by multiples of %(step)s in %(program)s: "
                 "%(points)s is not one.") % {
            "step": format_points(program.points_rounding), "program": program.name,
            "points": format_points(points)}


class LoyaltyManagersOnlyError(_LoyaltyError, exceptions.AccessError):
    """A step of the loyalty program for its managers (with the
    accountants, for ``liability``) that the caller tried."""

    def __init__(self, record, liability=False):
        super(LoyaltyManagersOnlyError, self).__init__(record, liability)

    def _message(self, record, liability):
        if liability:
            return _("Only accountants and loyalty managers check the points liability.")
        return _("Only loyalty managers can adjust points by hand.")


class RedemptionNotAllowedError(_LoyaltyError, exceptions.AccessError):
    """The caller may not redeem points on ``order`` (see
    ``sale.order.apply_loyalty_points``)."""

    def __init__(self, order):
        super(RedemptionNotAllowedError, self).__init__(order)

    def _message(self, order):
        return _("Only salespeople redeem loyalty points on an order, or the customer on "
                 "its own quotation when the loyalty program allows it.")


class NotEnoughPointsError(_LoyaltyError, exceptions.UserError):
    """``member`` has fewer points than ``points`` taken from its balance:
    ``balance`` (what it has, the points the order holds included)."""

    def __init__(self, member, balance, points):
        super(NotEnoughPointsError, self).__init__(member, balance, points)

    def _message(self, member, balance, points):
        return _("%(customer)s has %(balance)s points: %(points)s cannot be redeemed.") % {
            "customer": member.partner_id.name, "balance": balance, "points": points}

# -- end of loyalty -----------------------------------------------------------


# Customer insight, the partner and the analysis views (i13-insight)


class InsightRecomputeRefused(AccessError):
    """A user who is not a sales manager asks for the customer insight to be
    recomputed now."""

    def __init__(self, env):
        self.env = env  # the language of the message (see odoo.tools.translate)
        super(InsightRecomputeRefused, self).__init__(
            _("Only sales managers recompute the customer insight."))


class ManualRatingRefused(AccessError):
    """A user who is not a salesperson changes the industry position or the
    satisfaction of a customer."""

    def __init__(self, env):
        self.env = env
        super(ManualRatingRefused, self).__init__(
            _("Only salespeople can change the industry position and the "
              "satisfaction of a customer."))


class AnalysisViewRefused(AccessError):
    """Somebody but the superuser loading the module builds the SQL view of
    an analysis (its ``init()``, which anybody could call over RPC)."""

    def __init__(self, env):
        self.env = env
        super(AnalysisViewRefused, self).__init__(
            _("The analysis is built when the module is installed or updated."))
