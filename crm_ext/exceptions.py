# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Errors crm_ext raises from several places: each class builds its
translated message from the records and figures it names, so that every
place says the same thing (and a caller may catch one kind of error).

Each keeps the environment of its records as ``env`` before it translates:
``_()`` reads the language there, as it reads it in a model's method.
"""
from odoo import _
from odoo.exceptions import AccessError, UserError, ValidationError

from .tools.points import format_points


# ----------------------------------------------------------------------
# Shared
# ----------------------------------------------------------------------

class AnalysisBuildError(AccessError):
    """An analysis view (re)built by someone else than the superuser, who
    builds it when the module is installed or updated (see
    tools/sql_view.py; the complaint and the customer insight analyses)."""

    def __init__(self, env):
        self.env = env
        super(AnalysisBuildError, self).__init__(_(
            "The analysis is built when the module is installed or updated."))


# ----------------------------------------------------------------------
# Complaints: SLA, resolutions and give-backs (credit notes, returns)
# ----------------------------------------------------------------------

class SlaNoWorkingTimeError(UserError):
    """The working hours of an SLA policy have no working time to plan a
    deadline (no attendance, or leaves over all of them)."""

    def __init__(self, calendar, hours):
        """``calendar``: the resource.calendar; ``hours``: the working hours
        to plan (a float)."""
        self.env = calendar.env
        super(SlaNoWorkingTimeError, self).__init__(_(
            "The working hours %(calendar)s have no working time to plan %(hours)s "
            "hours.") % {"calendar": calendar.name, "hours": hours})


class ComplaintOfficerError(AccessError):
    """A give-back only complaint officers make."""

    def __init__(self, env):
        self.env = env
        super(ComplaintOfficerError, self).__init__(_(
            "Only complaint officers give compensation points."))


class StarRatingError(ValidationError):
    """A customer rating that is not 1 to 5 stars."""

    def __init__(self, complaint, rating, named=True):
        """``rating``: what was given to ``complaint`` (a crm.complaint);
        ``named``: the message names the complaint."""
        self.env = complaint.env
        if not named:
            message = _("A customer rating goes from 1 to 5 stars: %s is not one.") % rating
        else:
            message = _(
                "A customer rating goes from 1 to 5 stars: %(rating)s is not one "
                "(complaint %(complaint)s).") % {"rating": rating, "complaint": complaint.name}
        super(StarRatingError, self).__init__(message)


class CreditOverLineError(ValidationError):
    """The credit notes of an invoice credit more of a line than it
    invoiced (quantity or amount)."""

    def __init__(self, invoice, line, quantity, amount):
        """``quantity`` (in the line's unit) and ``amount`` (untaxed, in the
        invoice's currency): what the credit notes credit of ``line``."""
        self.env = invoice.env
        super(CreditOverLineError, self).__init__(_(
            "%(line)s: the credit notes of %(invoice)s would credit %(quantity)s "
            "for %(amount)s, more than the %(invoiced)s for %(invoiced_amount)s "
            "invoiced.") % {
                "line": line.name, "invoice": invoice.number or invoice.display_name,
                "quantity": quantity, "amount": invoice.currency_id.round(amount),
                "invoiced": line.quantity, "invoiced_amount": line.price_subtotal})


class CreditOverInvoiceError(ValidationError):
    """The credit notes of an invoice credit more than it invoiced."""

    def __init__(self, invoice, total):
        """``total``: what the credit notes credit, untaxed, in the
        invoice's currency."""
        self.env = invoice.env
        super(CreditOverInvoiceError, self).__init__(_(
            "The credit notes of %(invoice)s would credit %(total)s, more than the "
            "%(invoiced)s it invoiced (untaxed).") % {
                "invoice": invoice.number or invoice.display_name,
                "total": invoice.currency_id.round(total), "invoiced": invoice.amount_untaxed})


class CreditOverLeftError(UserError):
    """A credit note of a complaint would credit more of an invoice line
    than no credit note credits yet."""

    def __init__(self, line, quantity, left):
        """``line``: the account.invoice.line; ``quantity``: to credit;
        ``left``: what is not credited yet (in the line's unit)."""
        self.env = line.env
        super(CreditOverLeftError, self).__init__(_(
            "%(line)s: %(quantity)s cannot be credited, %(invoiced)s were invoiced and "
            "%(left)s are not credited yet.") % {
                "line": line.name, "quantity": quantity, "invoiced": line.quantity,
                "left": left})


class ReturnOverDeliveredError(UserError):
    """The returns of a delivery would take back more than it delivered."""

    def __init__(self, delivery, product, returned, delivered):
        """Quantities of ``product`` in its unit."""
        self.env = delivery.env
        super(ReturnOverDeliveredError, self).__init__(_(
            "%(product)s: the returns of %(delivery)s would take back %(returned)s, more "
            "than the %(delivered)s delivered.") % {
                "product": product.display_name, "delivery": delivery.name,
                "returned": returned, "delivered": delivered})


class ReturnOverLeftError(UserError):
    """A return of a complaint would take back more of a delivery than no
    return takes back yet."""

    def __init__(self, delivery, product, quantity, left):
        """Quantities of ``product`` in its unit."""
        self.env = delivery.env
        super(ReturnOverLeftError, self).__init__(_(
            "%(product)s: %(quantity)s cannot be returned, %(left)s of what %(delivery)s "
            "delivered is not returned yet.") % {
                "product": product.display_name, "quantity": quantity, "left": left,
                "delivery": delivery.name})


# ----------------------------------------------------------------------
# Loyalty: the points ledger, redemptions, adjustments
# ----------------------------------------------------------------------

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


class NotWholePointsError(_LoyaltyError, UserError):
    """Points move by whole multiples of their program's rounding step (see
    ``crm.loyalty.program._is_whole_points``): ``points`` is not one."""

    def __init__(self, program, points):
        super(NotWholePointsError, self).__init__(program, points)

    def _message(self, program, points):
        return _("Points move by multiples of %(step)s in %(program)s: "
                 "%(points)s is not one.") % {
            "step": format_points(program.points_rounding), "program": program.name,
            "points": format_points(points)}


class LoyaltyManagersOnlyError(_LoyaltyError, AccessError):
    """A step of the loyalty program for its managers (with the
    accountants, for ``liability``) that the caller tried."""

    def __init__(self, record, liability=False):
        super(LoyaltyManagersOnlyError, self).__init__(record, liability)

    def _message(self, record, liability):
        if liability:
            return _("Only accountants and loyalty managers check the points liability.")
        return _("Only loyalty managers can adjust points by hand.")


class RedemptionNotAllowedError(_LoyaltyError, AccessError):
    """The caller may not redeem points on ``order`` (see
    ``sale.order.apply_loyalty_points``)."""

    def __init__(self, order):
        super(RedemptionNotAllowedError, self).__init__(order)

    def _message(self, order):
        return _("Only salespeople redeem loyalty points on an order, or the customer on "
                 "its own quotation when the loyalty program allows it.")


class NotEnoughPointsError(_LoyaltyError, UserError):
    """``member`` has fewer points than ``points`` taken from its balance:
    ``balance`` (what it has, the points the order holds included)."""

    def __init__(self, member, balance, points):
        super(NotEnoughPointsError, self).__init__(member, balance, points)

    def _message(self, member, balance, points):
        return _("%(customer)s has %(balance)s points: %(points)s cannot be redeemed.") % {
            "customer": member.partner_id.name, "balance": balance, "points": points}


# ----------------------------------------------------------------------
# Customer insight and the partner
# ----------------------------------------------------------------------


class SalesManagersOnlyError(AccessError):
    """What only sales managers do, asked by another user: ``action`` is
    one of :attr:`ACTIONS` (the customer insight recomputed now, the churn
    model fitted now, a churn crisis closed, a purchase history imported).
    Raised by ``tools/access.check_sales_manager``."""

    ACTIONS = ("recompute_insight", "fit_churn_model", "close_crisis", "import_history")

    def __init__(self, env, action):
        self.env = env  # the language of the message (see odoo.tools.translate)
        messages = {
            "recompute_insight": _("Only sales managers recompute the customer insight."),
            "fit_churn_model": _("Only sales managers fit the churn model."),
            "close_crisis": _("Only sales managers close a churn crisis."),
            "import_history": _("Only sales managers import a purchase history."),
        }
        super(SalesManagersOnlyError, self).__init__(messages[action])


class ManualRatingRefused(AccessError):
    """A user who is not a salesperson changes the industry position or the
    satisfaction of a customer."""

    def __init__(self, env):
        self.env = env
        super(ManualRatingRefused, self).__init__(
            _("Only salespeople can change the industry position and the "
              "satisfaction of a customer."))


# ----------------------------------------------------------------------
# Churn alerts: retention actions, dismissal, crises
# ----------------------------------------------------------------------

class ChurnAlertHeldOutError(UserError):
    """A retention action on an alert of the hold-out group: nobody acts on
    them, so that the KPIs can compare (see crm.churn.alert ``held_out``)."""

    def __init__(self, alert):
        self.env = alert.env
        super(ChurnAlertHeldOutError, self).__init__(_(
            "The alert on %s is held out: it measures what happens when nobody acts, so no "
            "call, visit, offer or points are logged on it.") % alert.partner_id.display_name)


class ChurnAlertClosedError(UserError):
    """An action on an alert that is no longer open (retained, lost or
    dismissed)."""

    def __init__(self, alert):
        self.env = alert.env
        state = dict(alert._fields["state"]._description_selection(alert.env))[alert.state]
        super(ChurnAlertClosedError, self).__init__(_(
            "The alert on %(customer)s is closed (%(state)s): nothing more is done on it.") % {
                "customer": alert.partner_id.display_name, "state": state})


class ChurnDismissReasonError(UserError):
    """An alert dismissed without a reason."""

    def __init__(self, env):
        self.env = env
        super(ChurnDismissReasonError, self).__init__(_(
            "Say why the alert is dismissed: the reason is kept on it."))


# ----------------------------------------------------------------------
# Churn: the history import (crm.churn.history.import)
# ----------------------------------------------------------------------

class HistoryImportRefused(UserError):
    """A history file with malformed rows: nothing of it is imported.

    ``refusals``: ``(line, kind, value)`` tuples (see
    ``crm_ext/tools/history_csv.py``), worded one a line in :attr:`lines`.
    """

    def __init__(self, env, refusals):
        self.env = env
        self.lines = [self._line(line, kind, value) for line, kind, value in refusals]
        super(HistoryImportRefused, self).__init__(
            _("Nothing was imported: %s row(s) of the file are refused.")
            % len(refusals) + "\n" + "\n".join(self.lines))

    def _line(self, line, kind, value):
        """One refusal in words."""
        messages = {
            "encoding": _("The file is not UTF-8 text."),
            "empty": _("The file has no purchase."),
            "header": _("Line %(line)s: the header has no %(value)s column."),
            "columns": _("Line %(line)s: %(value)s fields, not as many as the header."),
            "ref": _("Line %(line)s: no customer reference."),
            "name": _("Line %(line)s: no customer name."),
            "date": _("Line %(line)s: '%(value)s' is not a date (YYYY-MM-DD)."),
            "future": _("Line %(line)s: %(value)s is in the future."),
            "amount": _("Line %(line)s: '%(value)s' is not an amount (a number, 0 or more, "
                        "with a dot for decimals)."),
            "product": _("Line %(line)s: no product '%(value)s' (internal reference or "
                         "name)."),
        }
        return messages[kind] % {"line": line, "value": value}


# ----------------------------------------------------------------------
# Workbooks (report/crm_workbook_abstract.py and the workbooks on it)
# ----------------------------------------------------------------------

class WorkbookAccessError(AccessError):
    """A workbook asked for by a user who may not read its data."""

    def __init__(self, env):
        self.env = env
        super(WorkbookAccessError, self).__init__(_(
            "You may not read the figures of this workbook."))


# ----------------------------------------------------------------------
# Customer statement (report/crm_customer_statement.py and its wizard)
# ----------------------------------------------------------------------

class StatementAccessError(AccessError):
    """A customer statement asked by someone who may not read it: not an
    invoicing user nor a sales manager, or of a company that is not the
    user's."""

    def __init__(self, env, company=None):
        """``company``: the res.company asked for, when it is the refusal
        (not named: the user may not read it)."""
        self.env = env
        if company is not None:
            message = _("You print the customer statements of your own companies only.")
        else:
            message = _("Only invoicing users and sales managers print customer "
                        "statements.")
        super(StatementAccessError, self).__init__(message)


class StatementPeriodError(UserError):
    """A customer statement whose period is not a first and a last day, the
    first before the last."""

    def __init__(self, env, date_from, date_to):
        """``date_from``, ``date_to``: what was given ('YYYY-MM-DD' strings)."""
        self.env = env
        super(StatementPeriodError, self).__init__(_(
            "A statement covers the days from a first to a last one: %(from)s to %(to)s "
            "is not such a period.") % {"from": date_from or "?", "to": date_to or "?"})
