# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SQL views of the analysis models (``_auto = False``)."""
from odoo import SUPERUSER_ID, tools

from ..exceptions import AnalysisBuildError


def create(model, query):
    """Create (again) the view of ``model`` (an ``_auto = False`` model,
    from its ``init()``) as ``query`` (a constant SELECT statement of the
    module's code).  Odoo calls ``init()`` as the superuser when it loads
    the module; over RPC anybody could otherwise rebuild the view.

    :raises AnalysisBuildError: (an AccessError) the caller is not the
        superuser.
    """
    if model.env.uid != SUPERUSER_ID:
        raise AnalysisBuildError(model.env)
    tools.drop_view_if_exists(model.env.cr, model._table)
    # the module's constant statement under the model's table name
    model.env.cr.execute("CREATE OR REPLACE VIEW %s AS (%s)" % (  # pylint: disable=sql-injection
        model._table, query))
