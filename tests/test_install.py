"""crm_ext installs on a fresh database without demo data, with a clean log.
(``make test`` itself installs it with demo data on the test database.)"""
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch_db():
    conf = os.environ.get("ODOO_TEST_CONF")
    if not conf:
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    name = "%s_nodemo" % os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    drop = [str(ROOT / "scripts" / "odoo-db.sh"), "drop", name]
    subprocess.run(drop, check=True)
    yield conf, name
    subprocess.run(drop, check=True)


def test_installs_without_demo_data(scratch_db, artifacts_dir):
    conf, name = scratch_db
    log = artifacts_dir / "install-without-demo.log"
    odoo_bin = pathlib.Path(sys.executable).with_name("odoo")
    result = subprocess.run(
        [str(odoo_bin), "-c", conf, "-d", name, "-i", "crm_ext", "--without-demo=all",
         "--stop-after-init", "--log-level=warn", "--logfile", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
    assert result.returncode == 0, log.read_text()
    problems = [line for line in log.read_text().splitlines()
                if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")]
    assert problems == []
    check = subprocess.run(
        [sys.executable, "-c", (
            "import odoo, sys\n"
            "odoo.tools.config.parse_config(['-c', sys.argv[1]])\n"
            "with odoo.registry(sys.argv[2]).cursor() as cr:\n"
            "    cr.execute(\"SELECT state FROM ir_module_module WHERE name='crm_ext'\")\n"
            "    print(cr.fetchone()[0])\n"
            "    cr.execute(\"SELECT count(*) FROM ir_module_module WHERE demo\")\n"
            "    print(cr.fetchone()[0])\n"), conf, name],
        stdout=subprocess.PIPE, check=True, universal_newlines=True)
    state, modules_with_demo = check.stdout.split()
    assert state == "installed"
    assert modules_with_demo == "0"
