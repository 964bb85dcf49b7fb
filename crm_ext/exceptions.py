# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Errors crm_ext raises from several places: each builds its translated
message, in the language of the user of the environment it is given."""
from odoo import _
from odoo.exceptions import AccessError


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
