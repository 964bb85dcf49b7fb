# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install and uninstall hooks of crm_ext (see the manifest)."""
import logging

from lxml import etree
from psycopg2.extensions import AsIs

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

# The tables of other modules that point at any document by (model, id):
# their rows about crm_ext's documents are deleted before Odoo drops the
# columns. Without it the uninstall failed once the columns were dropped:
# removing crm_ext's models made Odoo recompute the stored fields that follow
# them (a rating's or an activity's res_model and res_name, which read the
# document and its partner), on rows whose columns were already gone
# ("column crm_complaint.name does not exist", "column
# res_partner.industry_rating does not exist"), and the transaction aborted.
# The cascades of PostgreSQL take their dependants (tracking values,
# notifications of a message).
DOCUMENT_TABLES = (
    ("rating_rating", "res_model"),
    ("rating_rating", "parent_res_model"),
    ("mail_activity", "res_model"),
    ("mail_followers", "res_model"),
    ("mail_message", "model"),
    ("queue_job", "model_name"),
    ("ir_filters", "model_id"),
)


def post_init_hook(cr, registry):
    """The insight figures of the customer invoices validated before crm_ext
    was installed (see ``account.invoice._backfill_insight_figures``):
    re-runnable, it fills only the invoices that have none."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["account.invoice"]._backfill_insight_figures()


def uninstall_hook(cr, registry):
    """What Odoo's uninstall leaves or trips on, removed while crm_ext's
    models are still loaded (Odoo then removes crm_ext's records, columns
    and tables): the documents of other modules about crm_ext's records,
    crm_ext's actions on the users' dashboards, its settings and the queue
    job functions of its models."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    models = _own_models(env)
    if not models:
        return
    _delete_documents_of(env, models)
    _forget_own_records(env, models)
    _keep_books(env)
    _remove_dashboard_actions(env)
    _delete_job_functions(env, models)
    cr.execute("DELETE FROM ir_config_parameter WHERE key LIKE 'crm_ext.%%'")


def _own_models(env):
    """The names of the models crm_ext defines (not those it extends)."""
    env.cr.execute("SELECT model.model FROM ir_model model "
                   "JOIN ir_model_data data ON data.model = 'ir.model' "
                   "AND data.res_id = model.id AND data.module = 'crm_ext' "
                   "WHERE NOT EXISTS (SELECT 1 FROM ir_model_data other "
                   "WHERE other.model = 'ir.model' AND other.res_id = model.id "
                   "AND other.module != 'crm_ext')")
    return tuple(sorted(row[0] for row in env.cr.fetchall()))


def _delete_documents_of(env, models):
    """The rows of ``DOCUMENT_TABLES`` about records of ``models``, one
    statement each; their attachments through the ORM, which lets Odoo's
    garbage collector remove the files."""
    env["ir.attachment"].search([("res_model", "in", list(models))]).unlink()
    for table, column in DOCUMENT_TABLES:
        env.cr.execute("SELECT 1 FROM information_schema.columns "
                       "WHERE table_name = %s AND column_name = %s", (table, column))
        if env.cr.fetchone():
            env.cr.execute("DELETE FROM %s WHERE %s IN %s",
                           (AsIs(table), AsIs(column), models))
            _logger.info("crm_ext uninstall: %d rows of %s deleted", env.cr.rowcount, table)


def _forget_own_records(env, models):
    """The xml ids of the records of crm_ext's own models (stages,
    categories, programs, demo records) deleted: their tables are dropped
    whole, rows and all, instead of Odoo deleting each record first, which
    fails where they point at each other (a stage of a complaint) and leaves
    their xml ids behind."""
    env.cr.execute("DELETE FROM ir_model_data WHERE module = 'crm_ext' AND model IN %s",
                   (models,))


def _keep_books(env):
    """crm_ext's records that documents use, kept as Odoo keeps those
    documents: accounts and journals that hold journal items (the points'
    liability and expense, the loyalty journal), and crm_ext's products (the
    loyalty discount, the history import's product, the demo's), which
    orders, invoices, journal items and stock moves use, and crm_ext's own
    tables too until Odoo drops them, after it deletes the records.  An
    ``__export__`` xml id of their own tells Odoo's uninstall that they are
    not crm_ext's alone (deleting them fails, and Odoo logs each failure)."""
    env.cr.execute("""
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT '__export__', 'crm_ext_' || data.name, data.model, data.res_id, TRUE
        FROM ir_model_data data
        WHERE data.module = 'crm_ext' AND (
            (data.model = 'account.journal' AND EXISTS (
                SELECT 1 FROM account_move_line line WHERE line.journal_id = data.res_id))
            OR (data.model = 'account.account' AND EXISTS (
                SELECT 1 FROM account_move_line line WHERE line.account_id = data.res_id))
            OR data.model IN ('product.product', 'product.template'))
        ON CONFLICT DO NOTHING""")


def _remove_dashboard_actions(env):
    """crm_ext's actions taken out of the users' dashboards (``board``'s
    ``ir.ui.view.custom``: "Add to my dashboard" stores the action's id),
    which would open on an action that no longer exists."""
    env.cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'crm_ext' "
                   "AND model LIKE 'ir.actions.%%'")
    action_ids = {str(row[0]) for row in env.cr.fetchall()}
    if not action_ids:
        return
    customs = env["ir.ui.view.custom"].search([("arch", "like", "<action")])
    for custom in customs:
        arch = etree.fromstring(custom.arch)
        nodes = [node for node in arch.iter("action") if node.get("name") in action_ids]
        if nodes:
            for node in nodes:
                node.getparent().remove(node)
            custom.write({"arch": etree.tostring(arch, encoding="unicode")})


def _delete_job_functions(env, models):
    """The queue_job functions queue_job registered for the methods of
    crm_ext's models (named ``<model>.method``, without an xml id)."""
    if "queue.job.function" not in env:
        return
    names = ["<%s>.%%" % model for model in models]
    env.cr.execute("DELETE FROM queue_job_function WHERE name LIKE ANY(%s)", (names,))
