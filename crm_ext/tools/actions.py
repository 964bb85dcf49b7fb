# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Window actions the buttons of a form return (a smart button's list of
related records)."""
from . import access


def window_action(record, xmlid, domain, context=None, single=None, form_view=None):
    """The window action ``xmlid`` (a dict, as the web client reads it) on
    the records of ``domain`` (a search domain), opened from ``record`` (one
    record, which the caller must be able to read); ``context``: the
    action's context (empty by default).  When ``single`` (a recordset) is
    one record, the action opens it in its form (``form_view``: the xml id
    of that form, else the default one).

    :raises AccessError: the caller may not read ``record``.
    """
    record.ensure_one()
    access.check_readable(record)
    action = record.env.ref(xmlid).read()[0]
    action["domain"] = domain
    action["context"] = context or {}
    if single is not None and len(single) == 1:
        form_id = record.env.ref(form_view).id if form_view else False
        action.update(res_id=single.id, view_mode="form", views=[(form_id, "form")])
    return action
