# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The models a module no longer defines, removed from the database.

Odoo 11 keeps the ``ir.model`` row of a model dropped from the code when the
module is upgraded: ``ir.model.data._process_end`` passes over its external id
(reflected with ``noupdate`` NULL, not false), and ``ir.model.unlink`` cannot
remove it (``_drop_table`` asks the registry for a model it no longer has).
Its fields, constraints, table and many2many tables stay; uninstalling the
module later leaves them behind.  A migration calls :func:`remove_vanished_models`
(the ORM cannot), after the registry is loaded.
"""
import logging

from psycopg2 import sql

_logger = logging.getLogger(__name__)


def vanished_models(env, module):
    """``{ir.model id: model name}`` of the models ``module`` reflected that
    the registry of ``env`` no longer has."""
    env.cr.execute("""
        SELECT model.id, model.model
          FROM ir_model model
          JOIN ir_model_data data ON data.model = 'ir.model' AND data.res_id = model.id
         WHERE data.module = %s
    """, (module,))
    return {model_id: name for model_id, name in env.cr.fetchall() if name not in env}


def _registered_tables(env):
    """The tables and many2many tables of the models the registry has."""
    tables = set()
    for model in env.registry.values():
        tables.add(model._table)
        tables.update(field.relation for field in model._fields.values()
                      if field.type == "many2many" and field.store and field.relation)
    return tables


def _drop(env, table, kept):
    if table in kept:
        return
    env.cr.execute("SELECT relkind FROM pg_class WHERE relname = %s", (table,))
    kind = env.cr.fetchone()
    if kind and kind[0] in ("r", "v"):
        env.cr.execute(sql.SQL("DROP {} {} CASCADE").format(
            sql.SQL("TABLE" if kind[0] == "r" else "VIEW"), sql.Identifier(table)))


def remove_vanished_models(env, module):
    """Remove what the database keeps of the models ``module`` no longer
    defines (see :func:`vanished_models`): their tables and many2many
    tables (those no registered model uses), fields, constraints, access
    rights, record rules, translations, the records other models keep of
    them (attachments, messages, followers, activities), their external ids
    and their ``ir.model`` rows.  Returns the names of the models removed
    (sorted list)."""
    models = vanished_models(env, module)
    if not models:
        return []
    cr = env.cr
    model_ids, names = list(models), list(models.values())
    kept = _registered_tables(env)
    cr.execute("SELECT name FROM ir_model_relation WHERE model = ANY(%s)", (model_ids,))
    for (relation,) in cr.fetchall():
        _drop(env, relation, kept)
    for name in names:
        _drop(env, name.replace(".", "_"), kept)
    cr.execute("SELECT id FROM ir_model_fields WHERE model_id = ANY(%s)", (model_ids,))
    field_ids = [row[0] for row in cr.fetchall()]
    for statement in (
            # translations of their names, helps and selections
            "DELETE FROM ir_translation WHERE name LIKE 'ir.model.fields,%%' "
            "AND res_id = ANY(%(fields)s)",
            "DELETE FROM ir_translation WHERE name LIKE 'ir.model,%%' "
            "AND res_id = ANY(%(models)s)",
            # the external ids of what goes
            "DELETE FROM ir_model_data WHERE model = 'ir.model.fields' "
            "AND res_id = ANY(%(fields)s)",
            "DELETE FROM ir_model_data WHERE model = 'ir.model.constraint' AND res_id IN "
            "(SELECT id FROM ir_model_constraint WHERE model = ANY(%(models)s))",
            "DELETE FROM ir_model_data WHERE model = 'ir.model.relation' AND res_id IN "
            "(SELECT id FROM ir_model_relation WHERE model = ANY(%(models)s))",
            "DELETE FROM ir_model_data WHERE model = 'ir.model.access' AND res_id IN "
            "(SELECT id FROM ir_model_access WHERE model_id = ANY(%(models)s))",
            "DELETE FROM ir_model_data WHERE model = 'ir.rule' AND res_id IN "
            "(SELECT id FROM ir_rule WHERE model_id = ANY(%(models)s))",
            "DELETE FROM ir_model_data WHERE model = ANY(%(names)s)",
            # what other models keep of their records
            "DELETE FROM ir_attachment WHERE res_model = ANY(%(names)s)",
            "DELETE FROM mail_followers WHERE res_model = ANY(%(names)s)",
            "DELETE FROM mail_activity WHERE res_model = ANY(%(names)s)",
            "DELETE FROM mail_message WHERE model = ANY(%(names)s)",
            "DELETE FROM ir_filters WHERE model_id = ANY(%(names)s)",
            "DELETE FROM ir_model_constraint WHERE model = ANY(%(models)s)",
            "DELETE FROM ir_model_relation WHERE model = ANY(%(models)s)",
            "DELETE FROM ir_model_access WHERE model_id = ANY(%(models)s)",
            "DELETE FROM ir_rule WHERE model_id = ANY(%(models)s)",
            "DELETE FROM ir_model_fields WHERE id = ANY(%(fields)s)",
            "DELETE FROM ir_model_data WHERE model = 'ir.model' AND res_id = ANY(%(models)s)",
            "DELETE FROM ir_model WHERE id = ANY(%(models)s)"):
        cr.execute(statement, {"models": model_ids, "names": names, "fields": field_ids})
    _logger.info("removed the models %s no longer defines: %s", module, ", ".join(sorted(names)))
    env.registry.clear_caches()
    return sorted(names)
