import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / ".local" / "test-artifacts"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer(object):
    """An Odoo server process on the test database, for HTTP-level tests."""

    def __init__(self, conf, db, log_path):
        self.db = db
        self.port = _free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = log_path
        odoo_bin = pathlib.Path(sys.executable).with_name("odoo")
        env = dict(os.environ, PATH="%s:%s" % (ROOT / "node_modules" / ".bin", os.environ["PATH"]))
        self._log = open(str(log_path), "w")
        self.process = subprocess.Popen(
            [str(odoo_bin), "-c", conf, "-d", db, "--db-filter", "^%s$" % db,
             "--http-port", str(self.port), "--longpolling-port", str(_free_port()),
             "--max-cron-threads", "0", "--workers", "0"],
            stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def _registry_loaded(self):
        self._log.flush()
        with open(str(self.log_path), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        return "Modules loaded." in text or "Failed to load registry" in text

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        # no request before the server has preloaded the database: a request
        # during the preload loads the registry a second time in another
        # thread, which Odoo 11 does not always survive
        while time.time() < deadline and not self._registry_loaded():
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited: see %s" % self.log_path)
            time.sleep(0.2)
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Odoo exited: see %s" % self.log_path)
            try:
                with urllib.request.urlopen(self.url + "/web/login", timeout=10) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("Odoo did not answer within %ss" % timeout)

    def rpc(self, login="admin", password="admin"):
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        uid = common.authenticate(self.db, login, password, {})
        assert uid, "login %s refused" % login
        models = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True)

        def call(model, method, *args, **kwargs):
            return models.execute_kw(self.db, uid, password, model, method, list(args), kwargs)
        return call

    def log_problems(self, since=0):
        """The errors the server logged (from the ``since``-th on)."""
        self._log.flush()
        with open(str(self.log_path), encoding="utf-8", errors="replace") as handle:
            return [line.rstrip() for line in handle
                    if " ERROR " in line or " CRITICAL " in line
                    or line.startswith("Traceback")][since:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def odoo_server(artifacts_dir):
    conf = os.environ.get("ODOO_TEST_CONF")
    db = os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.skip("ODOO_TEST_CONF and ODOO_TEST_DB are set by 'make test'")
    server = OdooServer(conf, db, artifacts_dir / "odoo-server.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for all the browser tests."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    profile = tempfile.mkdtemp(prefix="crm_ext-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000",
                 "--user-data-dir=%s" % profile):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def screenshot_on_failure(browser, artifacts_dir, request):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        name = request.node.name
        browser.save_screenshot(str(artifacts_dir / ("%s-failure.png" % name)))
        (artifacts_dir / ("%s-failure.html" % name)).write_text(browser.page_source)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # expose each phase's report to fixtures (screenshots on failure)
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
