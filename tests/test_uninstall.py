"""Uninstalling crm_ext as an admin does (Apps -> CRM Customer Retention ->
Uninstall: ``button_immediate_uninstall``) leaves Odoo working: the module
uninstalled, none of its records, tables or columns left, every remaining
view valid, every menu on an existing action, the partner form opening, and
Odoo's own data untouched.

It works on a copy of the test database (``<test db>_uninstall``, made with
``scripts/odoo-db.sh copy``; its own install where there is no test
database), dropped at the end. The uninstall and the checks run in a
process of their own (``SCRIPT``), which writes its findings as JSON."""
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DB_SCRIPT = str(ROOT / "scripts" / "odoo-db.sh")

SCRIPT = r'''
import json
import sys
import time

from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api

conf, dbname, out = sys.argv[1:4]
odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
facts = {}

# Odoo's own figures, which the uninstall must not touch
FIGURES = (
    ("res_partner", "COUNT(*)"),
    ("account_invoice", "COUNT(*), SUM(amount_total), SUM(residual)"),
    ("account_move", "COUNT(*)"),
    ("account_move_line", "COUNT(*), SUM(debit), SUM(credit), SUM(amount_residual)"),
    ("sale_order", "COUNT(*), SUM(amount_total)"),
    ("stock_move", "COUNT(*), SUM(product_uom_qty)"),
)


def figures(cr):
    result = {}
    for table, expression in FIGURES:
        cr.execute("SELECT %s FROM %s" % (expression, table))
        result[table] = [float(value or 0) for value in cr.fetchone()]
    return result


with api.Environment.manage():
    registry = odoo.registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT model, res_id FROM ir_model_data WHERE module = 'crm_ext'")
        records = cr.fetchall()
        # the records only crm_ext made (not the models it extends)
        cr.execute("SELECT model, res_id FROM ir_model_data GROUP BY model, res_id "
                   "HAVING bool_and(module = 'crm_ext')")
        records = cr.fetchall()
        # (a model removed from the code in an earlier version may keep its
        # ir.model row until the uninstall: it has no table to check)
        own_models = [name for name in (env["ir.model"].browse(res_id).model
                                         for model, res_id in records if model == "ir.model")
                      if name in env]
        facts["tables"] = sorted(env[name]._table for name in own_models
                                 if not env[name]._abstract)
        facts["columns"] = sorted(
            [env[field.model]._table, field.name]
            for field in env["ir.model.fields"].browse(
                [res_id for model, res_id in records if model == "ir.model.fields"])
            if field.store and field.model not in own_models and field.model in env
            and field.name in env[field.model]._fields
            and env[field.model]._fields[field.name].column_type)
        facts["records"] = sorted([model, res_id] for model, res_id in records)
        facts["figures_before"] = figures(cr)
        module = env["ir.module.module"].search([("name", "=", "crm_ext")])
        admin = env.ref("base.user_root")  # the admin of Odoo 11 (uid 1)
        # crm_ext's complaints on the admin's dashboard, as "Add to my
        # dashboard" stores them
        action = env.ref("crm_ext.crm_complaint_action")
        env["ir.ui.view.custom"].create({
            "user_id": admin.id, "ref_id": env.ref("board.board_my_dash_view").id,
            "arch": '<form string="My Dashboard"><board style="2-1"><column>'
                    '<action name="%d" string="Complaints" view_mode="list" '
                    'context="{}" domain="[]"/></column><column/><column/></board>'
                    '</form>' % action.id})
        facts["dashboard_action"] = action.id

started = time.time()
with api.Environment.manage():
    with odoo.registry(dbname).cursor() as cr:
        env = api.Environment(cr, admin.id, {})
        env["ir.module.module"].browse(module.id).button_immediate_uninstall()
facts["seconds"] = round(time.time() - started, 1)

with api.Environment.manage():
    registry = odoo.registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        facts["state"] = env["ir.module.module"].search([("name", "=", "crm_ext")]).state
        facts["records_left"] = sorted(
            [model, res_id] for model, res_id in facts["records"]
            if model in env and env[model].browse(res_id).exists())
        cr.execute("SELECT COUNT(*) FROM ir_model_data WHERE module = 'crm_ext'")
        facts["xml_ids_left"] = cr.fetchone()[0]
        cr.execute("SELECT table_name FROM information_schema.tables "
                   "WHERE table_schema = 'public' AND table_name IN %s",
                   (tuple(facts["tables"]) or ("",),))
        facts["tables_left"] = sorted(row[0] for row in cr.fetchall())
        columns_left = []
        for table, column in facts["columns"]:
            cr.execute("SELECT 1 FROM information_schema.columns "
                       "WHERE table_name = %s AND column_name = %s", (table, column))
            if cr.fetchone():
                columns_left.append([table, column])
        facts["columns_left"] = columns_left
        # every view: checked as Odoo checks a view it saves (combined with
        # what inherits it), and every model's default views as a client
        # opens them
        broken = []
        for view in env["ir.ui.view"].with_context(active_test=False).search([]):
            try:
                with cr.savepoint():
                    if view.model and view.model not in env:
                        raise ValueError("model %s is gone" % view.model)
                    view._check_xml()
            except Exception as exc:
                broken.append("%s (%s): %s" % (view.xml_id or view.name, view.id, exc))
        cr.execute("SELECT DISTINCT model, type FROM ir_ui_view "
                   "WHERE mode = 'primary' AND active AND model IS NOT NULL "
                   "AND type IN ('form', 'tree', 'search', 'kanban') ORDER BY model, type")
        for model, view_type in cr.fetchall():
            if model not in env:
                broken.append("%s: a %s view of a model that is gone" % (model, view_type))
                continue
            try:
                with cr.savepoint():
                    env[model].fields_view_get(view_type=view_type)
            except Exception as exc:
                broken.append("%s %s: %s" % (model, view_type, exc))
        facts["broken_views"] = broken
        dangling = []
        for menu in env["ir.ui.menu"].with_context(active_test=False).search([]):
            if menu.action and not menu.action.exists():
                dangling.append(menu.complete_name)
        facts["dangling_menus"] = dangling
        gone = []
        for model_name, field in (("ir.actions.act_window", "res_model"),
                                  ("ir.actions.server", "model_name"),
                                  ("ir.cron", "model_name"), ("ir.rule", "model_id"),
                                  ("ir.model.access", "model_id")):
            for record in env[model_name].with_context(active_test=False).search([]):
                target = record[field]
                target = target.model if hasattr(target, "model") and not isinstance(
                    target, str) else target
                if target and target not in env:
                    gone.append("%s %s: %s" % (model_name, record.id, target))
        facts["records_on_gone_models"] = gone
        actions = set(env["ir.actions.actions"].search([]).ids)
        boards = []
        for custom in env["ir.ui.view.custom"].search([]):
            for node in etree.fromstring(custom.arch).iter("action"):
                if node.get("name", "").isdigit() and int(node.get("name")) not in actions:
                    boards.append("%s: %s" % (custom.id, node.get("name")))
        facts["dashboards_on_gone_actions"] = boards
        partner_problems = []
        try:
            with cr.savepoint():
                view = env["res.partner"].fields_view_get(view_type="form")
                partners = env["res.partner"].search([], limit=20)
                partners.read(list(view["fields"]))
                partners.read(list(env["res.partner"]._fields))
        except Exception as exc:
            partner_problems.append(str(exc))
        facts["partner_form"] = partner_problems
        facts["figures_after"] = figures(cr)

with open(out, "w") as handle:
    json.dump(facts, handle, indent=1, sort_keys=True)
'''


def _odoo_env():
    return dict(os.environ, PATH="%s:%s" % (ROOT / "node_modules" / ".bin", os.environ["PATH"]),
                CRM_EXT_DEMO_CUSTOMERS=os.environ.get("CRM_EXT_DEMO_CUSTOMERS", "30"))


@pytest.fixture(scope="module")
def uninstalled(artifacts_dir):
    """The findings of the uninstall of crm_ext on a copy of the test database."""
    conf = os.environ.get("ODOO_TEST_CONF")
    if not conf:
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    test_db = os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    name = "%s_uninstall" % test_db
    subprocess.run([DB_SCRIPT, "drop", name], check=True)
    log = artifacts_dir / "uninstall.log"
    timings = {}
    try:
        start = time.time()
        if subprocess.run([DB_SCRIPT, "exists", test_db]).returncode == 0:
            subprocess.run([DB_SCRIPT, "copy", test_db, name], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            odoo_bin = str(pathlib.Path(sys.executable).with_name("odoo"))
            for modules in ("sale_management,crm,stock,account_invoicing,mail,rating,"
                            "queue_job,report_xlsx,board", "crm_ext"):
                subprocess.run([odoo_bin, "-c", conf, "-d", name, "-i", modules,
                                "--stop-after-init", "--log-level=warn"], check=True,
                               env=_odoo_env(), stdout=subprocess.DEVNULL)
        timings["database"] = round(time.time() - start, 1)
        out = artifacts_dir / "uninstall-facts.json"
        start = time.time()
        result = subprocess.run([sys.executable, "-c", SCRIPT, conf, name, str(out)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=_odoo_env(), timeout=1200)
        timings["uninstall and checks"] = round(time.time() - start, 1)
        log.write_text(result.stdout.decode(errors="replace"))
        assert result.returncode == 0, log.read_text()[-5000:]
        facts = json.loads(out.read_text())
        facts["timings"] = timings
        (artifacts_dir / "uninstall-timings.json").write_text(json.dumps(
            dict(timings, uninstall=facts["seconds"]), indent=1))
        facts["log"] = log.read_text()
        yield facts
    finally:
        subprocess.run([DB_SCRIPT, "drop", name], check=True)


def test_the_module_is_uninstalled(uninstalled):
    assert uninstalled["state"] == "uninstalled"


def test_the_uninstall_logs_no_error(uninstalled):
    assert [line for line in uninstalled["log"].splitlines()
            if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")] == []


def test_no_record_of_crm_ext_remains_but_its_books(uninstalled):
    """Views, actions, menus, crons, rules, accesses, fields, models: nothing
    the module's data made, nor its xml ids; but the accounts and journal
    of the points, which hold journal items Odoo keeps."""
    assert uninstalled["records"], "crm_ext had no record to remove"
    kept = {model for model, _res_id in uninstalled["records_left"]}
    # and its products, which orders, invoices and stock moves use
    assert kept <= {"account.account", "account.journal", "product.product", "product.template"}
    assert uninstalled["xml_ids_left"] == 0


def test_its_tables_are_dropped(uninstalled):
    assert "crm_complaint" in uninstalled["tables"]
    assert uninstalled["tables_left"] == []


def test_its_columns_on_odoo_tables_are_dropped(uninstalled):
    assert any(table == "res_partner" for table, _column in uninstalled["columns"])
    assert uninstalled["columns_left"] == []


def test_every_remaining_view_is_valid(uninstalled):
    assert uninstalled["broken_views"] == []


def test_no_menu_opens_a_missing_action(uninstalled):
    assert uninstalled["dangling_menus"] == []


def test_no_action_cron_rule_or_access_on_a_missing_model(uninstalled):
    assert uninstalled["records_on_gone_models"] == []


def test_no_dashboard_opens_a_missing_action(uninstalled):
    assert uninstalled["dashboards_on_gone_actions"] == []


def test_the_partner_form_opens(uninstalled):
    assert uninstalled["partner_form"] == []


def test_odoo_data_is_untouched(uninstalled):
    assert uninstalled["figures_before"]["account_invoice"][0] > 0
    assert uninstalled["figures_after"] == uninstalled["figures_before"]
