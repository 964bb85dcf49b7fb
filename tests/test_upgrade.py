"""Databases made with the released crm_ext (11.0.1.0.0 and 11.0.6.0.0, their
source in ``tests/data/``, made by ``scripts/release-source.sh`` from the
tags ``crm_ext-<version>``) upgrade to the current code through the
migration scripts, each run once, with every figure unchanged: the rows of
the figure tables, and the cases of ``tests/upgrade/`` (``prepare`` on the
old code, ``check`` on the upgraded database) for customers' insight,
points and ledger, complaints and their SLA states, churn alerts and models.

Both old databases are built and upgraded at once, one thread each (most of
the time is Odoo's installs, one process per core); the timings of each
step go to ``upgrade-<release>-timings.json`` in the artefacts."""
import ast
import configparser
import json
import os
import pathlib
import re
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
RELEASES = ("11.0.1.0.0", "11.0.6.0.0")
RUNNER = ROOT / "tests" / "upgrade" / "runner.py"
CASES = sorted(path.stem for path in (ROOT / "tests" / "upgrade").glob("upgrade_*.py"))
# The tables of the figures that must survive the upgrade, by the columns
# the old database has (columns added since are checked apart).
FIGURE_TABLES = (
    "crm_customer_insight", "crm_customer_segment_history",
    "crm_loyalty_program", "crm_loyalty_tier", "crm_loyalty_member", "crm_loyalty_entry",
    "crm_loyalty_entry_use", "crm_loyalty_tier_history",
    "crm_complaint", "crm_complaint_solution",
    "account_invoice", "account_invoice_line", "account_move", "account_move_line",
    "account_partial_reconcile", "account_payment",
    "sale_order", "sale_order_line", "stock_picking", "stock_move",
    "res_partner", "mail_activity",
)
# Written by the ORM on every update, not figures.
VOLATILE = {"write_date", "write_uid"}
# What the migrations change on purpose: (table, column) -> why.
CHANGED_ON_PURPOSE = {}
MIGRATION = re.compile(r"module crm_ext: Running migration \[>?([0-9.]+)>?\] (\w+)-migration")


def _odoo(conf, log, *args):
    """Odoo with ``args`` and ``--stop-after-init``, logging to ``log`` (emptied
    first: Odoo appends)."""
    log.write_text("")
    odoo_bin = pathlib.Path(sys.executable).with_name("odoo")
    env = dict(os.environ, PATH="%s:%s" % (ROOT / "node_modules" / ".bin", os.environ["PATH"]),
               CRM_EXT_DEMO_CUSTOMERS=os.environ.get("CRM_EXT_DEMO_CUSTOMERS", "30"))
    result = subprocess.run(
        [str(odoo_bin), "-c", str(conf), "--logfile", str(log)] + list(args)
        + ["--stop-after-init"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=1800)
    return result


def _log_problems(log):
    return [line for line in log.read_text().splitlines()
            if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")]


def _connect(conf, name):
    parser = configparser.ConfigParser()
    parser.read(str(conf))
    options = parser["options"]

    def option(key):
        value = options.get(key, "False")
        return None if value in ("False", "") else value
    return psycopg2.connect(dbname=name, host=option("db_host"), port=option("db_port"),
                            user=option("db_user"), password=option("db_password"))


def _columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_schema = 'public' AND table_name = %s", (table,))
    return {row[0] for row in cr.fetchall()} - VOLATILE


def _snapshot(conn, columns_by_table=None):
    """Every row of the figure tables, by table and id: a dict of column to
    value, over ``columns_by_table`` (by default, every column the table has)."""
    snapshot = {}
    with conn.cursor() as cr:
        for table in FIGURE_TABLES:
            columns = sorted(columns_by_table.get(table, ()) if columns_by_table
                             else _columns(cr, table))
            if not columns:
                continue
            cr.execute("SELECT %s FROM %s ORDER BY id" % (
                ", ".join('"%s"' % column for column in columns), table))
            snapshot[table] = {row[columns.index("id")]: dict(zip(columns, row))
                               for row in cr.fetchall()}
    return snapshot


def _differences(before, after):
    """(table, column) -> the number of rows whose value changed, and the rows
    that appeared or vanished, by table."""
    changed = {}
    for table, rows in before.items():
        after_rows = after[table]
        for gone in set(rows) - set(after_rows):
            changed[(table, "<row vanished>")] = changed.get((table, "<row vanished>"), 0) + 1
        for new in set(after_rows) - set(rows):
            changed[(table, "<row appeared>")] = changed.get((table, "<row appeared>"), 0) + 1
        for row_id in set(rows) & set(after_rows):
            for column, value in rows[row_id].items():
                if after_rows[row_id][column] != value:
                    changed[(table, column)] = changed.get((table, column), 0) + 1
    return changed


def _old_conf(conf, release, source):
    """A configuration with the old crm_ext of ``release`` (extracted into
    ``source``) in the place of the current one on the add-ons path."""
    with tarfile.open(str(ROOT / "tests" / "data" / ("crm_ext-%s.tar.gz" % release))) as archive:
        archive.extractall(str(source))
    parser = configparser.ConfigParser()
    parser.read(conf)
    paths = [path.strip() for path in parser["options"]["addons_path"].split(",")]
    parser["options"]["addons_path"] = ",".join(
        str(source) if pathlib.Path(path).resolve() == ROOT else path for path in paths)
    assert str(source) in parser["options"]["addons_path"], "crm_ext's folder is not on the path"
    old_conf = source / "odoo.conf"
    with old_conf.open("w") as handle:
        parser.write(handle)
    return old_conf


def _build_and_upgrade(conf, release, name, source, artifacts_dir):
    """The old release installed with demo data, its facts prepared, then
    upgraded twice and checked: the snapshots, logs, facts and timings."""
    old_conf = _old_conf(conf, release, source)
    steps = {"timings": {}}
    prefix = "upgrade-%s" % release

    def timed(step, function, *args, **kwargs):
        start = time.time()
        result = function(*args, **kwargs)
        steps["timings"][step] = round(time.time() - start, 1)
        return result

    def odoo(step, config, *args):
        log = artifacts_dir / ("%s-%s.log" % (prefix, step))
        result = timed(step, _odoo, config, log, "-d", name, *args)
        assert result.returncode == 0 and not _log_problems(log), log.read_text()[-5000:]
        return log.read_text()

    def runner(step, config, *args):
        result = timed(step, subprocess.run, [sys.executable, str(RUNNER), step, str(config),
                                              name] + [str(arg) for arg in args],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
        assert result.returncode == 0, result.stdout.decode()[-5000:]

    # its dependencies first: the demo customers need the chart of
    # accounts, which installs after the modules that pulled it in
    manifest = ast.literal_eval((source / "crm_ext" / "__manifest__.py").read_text())
    odoo("install-dependencies", old_conf, "-i", ",".join(manifest["depends"]),
         "--log-level=warn")
    odoo("install-old", old_conf, "-i", "crm_ext", "--log-level=warn")
    facts = artifacts_dir / ("%s-facts.json" % prefix)
    runner("prepare", old_conf, facts)
    with _connect(conf, name) as conn:
        conn.set_session(readonly=True)
        steps["before"] = _snapshot(conn)
        with conn.cursor() as cr:
            cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'crm_ext'")
            steps["old_version"] = cr.fetchone()[0]
    conn.close()
    # the dependencies the module gained since the release (queue_job...)
    # first, beside the release, as README's upgrade says: Odoo 11 logs an
    # error ("Unmet dependencies") wherever the new code meets a database
    # without them
    current = ast.literal_eval((ROOT / "crm_ext" / "__manifest__.py").read_text())
    gained = sorted(set(current["depends"]) - set(manifest["depends"]))
    if gained:
        odoo("install-gained", old_conf, "-i", ",".join(gained), "--log-level=warn")
    for step in ("first", "second"):
        steps[step + "_log"] = odoo("upgrade-" + step, conf, "-u", "crm_ext", "--log-level=info")
    checks = artifacts_dir / ("%s-check.json" % prefix)
    runner("check", conf, facts, checks)
    steps["checks"] = json.loads(checks.read_text())
    with _connect(conf, name) as conn:
        columns = {table: set(rows[next(iter(rows))]) if rows else set()
                   for table, rows in steps["before"].items()}
        steps["after"] = _snapshot(conn, columns)
        with conn.cursor() as cr:
            cr.execute("SELECT latest_version FROM ir_module_module WHERE name = 'crm_ext'")
            steps["new_version"] = cr.fetchone()[0]
            steps["cursor_checks"] = _new_column_checks(cr)
            steps["models"] = _module_models(cr)
    conn.close()
    (artifacts_dir / ("%s-timings.json" % prefix)).write_text(
        json.dumps(steps["timings"], indent=1))
    return steps


@pytest.fixture(scope="module")
def upgrades(tmp_path_factory, artifacts_dir):
    """Each release built and upgraded in a thread of its own: the steps of
    each (or the error it met), by release."""
    conf = os.environ.get("ODOO_TEST_CONF")
    if not conf:
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    test_db = os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    names = {release: "%s_upgrade_%s" % (test_db, release.replace(".", "_"))
             for release in RELEASES}

    def drop_all():
        for name in names.values():
            subprocess.run([str(ROOT / "scripts" / "odoo-db.sh"), "drop", name], check=True)
    drop_all()
    try:
        with ThreadPoolExecutor(max_workers=len(RELEASES)) as pool:
            futures = {release: pool.submit(
                _build_and_upgrade, conf, release, names[release],
                tmp_path_factory.mktemp("release"), artifacts_dir) for release in RELEASES}
            results = {}
            for release, future in futures.items():
                try:
                    results[release] = future.result()
                except Exception as exc:  # pylint: disable=broad-except
                    results[release] = exc
        yield results
    finally:
        drop_all()


@pytest.fixture(params=RELEASES)
def upgrade(request, upgrades):
    """The steps of one release's upgrade."""
    steps = upgrades[request.param]
    if isinstance(steps, Exception):
        raise steps
    steps["release"] = request.param
    return steps


def _new_column_checks(cr):
    """Facts about what the upgrade added: posted invoices without their
    insight figures (the backfill must leave none), the shipped New stage
    without the acknowledgement shipped since (11.0.6.0.0's migration)."""
    cr.execute("SELECT COUNT(*) FROM account_invoice "
               "WHERE type IN ('out_invoice', 'out_refund') AND state IN ('open', 'paid') "
               "AND (insight_net_signed IS NULL OR insight_cost_signed IS NULL)")
    facts = {"posted invoices without insight figures": cr.fetchone()[0]}
    cr.execute("SELECT COUNT(*) FROM crm_complaint_stage stage "
               "JOIN ir_model_data data ON data.model = 'crm.complaint.stage' "
               "AND data.res_id = stage.id AND data.module = 'crm_ext' "
               "AND data.name = 'crm_complaint_stage_new' "
               "WHERE stage.mail_template_id IS NULL")
    facts["New stage without its acknowledgement"] = cr.fetchone()[0]
    return facts


def _module_models(cr):
    """The models crm_ext has in ``cr``'s database (sorted names)."""
    cr.execute("""
        SELECT model.model
          FROM ir_model model
          JOIN ir_model_data data ON data.model = 'ir.model' AND data.res_id = model.id
         WHERE data.module = 'crm_ext'
         ORDER BY model.model
    """)
    return [row[0] for row in cr.fetchall()]


def _version(text):
    return tuple(int(part) for part in text.split("."))


def _migrations_run(log):
    return sorted(MIGRATION.findall(log))


def test_the_release_is_the_old_data_model(upgrade):
    assert upgrade["old_version"] == upgrade["release"]
    assert upgrade["before"]["crm_loyalty_entry"], "the old demo data earned no points"
    assert upgrade["before"]["crm_complaint"], "the old demo data has no complaint"
    assert upgrade["before"]["crm_customer_insight"], "the old demo data has no insight"


def test_every_migration_runs_once(upgrade):
    manifest = (ROOT / "crm_ext" / "__manifest__.py").read_text()
    current = re.search(r'"version": "([0-9.]+)"', manifest).group(1)
    assert upgrade["new_version"] == current
    expected = sorted(
        (version.name, path.name.split("-")[0])
        for version in (ROOT / "crm_ext" / "migrations").iterdir()
        if _version(version.name) > _version(upgrade["release"])
        for path in version.glob("*-migration.py"))
    # none when the data model is still the release's (11.0.x: x changes
    # with the data model and brings a migration; y and z do not)
    assert expected or _version(current)[:3] == _version(upgrade["release"])[:3]
    assert _migrations_run(upgrade["first_log"]) == expected
    assert _migrations_run(upgrade["second_log"]) == []


def test_every_figure_survives(upgrade):
    changed = _differences(upgrade["before"], upgrade["after"])
    unexpected = {key: rows for key, rows in changed.items() if key not in CHANGED_ON_PURPOSE}
    assert unexpected == {}


def test_what_the_upgrade_adds_is_filled(upgrade):
    assert upgrade["cursor_checks"] == {"posted invoices without insight figures": 0,
                                        "New stage without its acknowledgement": 0}


def test_the_models_are_those_of_a_fresh_install(upgrade):
    """The models a version dropped go with the upgrade, their fields
    with them (Odoo 11 keeps them: see crm_ext/tools/vanished_models.py)."""
    conf = os.environ["ODOO_TEST_CONF"]
    with _connect(conf, os.environ.get("ODOO_TEST_DB", "crm_ext_test")) as conn:
        with conn.cursor() as cr:
            fresh = _module_models(cr)
    conn.close()
    assert upgrade["models"] == fresh


@pytest.mark.parametrize("case", CASES)
def test_the_case_survives(upgrade, case):
    """Each case of tests/upgrade/ finds what it prepared on the old code."""
    assert upgrade["checks"][case] == []
