"""make run-workers and make load on the test database: two Odoo servers in
prefork mode (HTTP workers, a cron worker, the gevent long polling process)
share the database and the filestore; locust's salespeople and accountants
work on both while the crons run; SIGTERM stops every process they started."""
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import time
import urllib.request
import xmlrpc.client

import psutil
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOAD_LINE = re.compile(
    r"^load: requests=(\d+) errors=(\d+) p95_ms=(\d+) throughput_rps=([\d.]+) "
    r"ledger=(consistent|INCONSISTENT)$")



def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workers(artifacts_dir):
    """scripts/run-workers.sh on the test database, on free ports."""
    conf, db = os.environ.get("ODOO_TEST_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf or not db:
        pytest.skip("ODOO_TEST_CONF and ODOO_TEST_DB are set by 'make test'")
    out = artifacts_dir / "load"
    out.mkdir(exist_ok=True)
    env = dict(os.environ, ODOO_DB=db, RUN_WORKERS_PREPARE="0", RUN_WORKERS_LOG_DIR=str(out),
               ODOO_PORT=str(_free_port()), ODOO_PORT_B=str(_free_port()),
               ODOO_LONGPOLLING_PORT=str(_free_port()),
               ODOO_LONGPOLLING_PORT_B=str(_free_port()))
    with open(str(out / "run-workers.out"), "w") as output:
        process = subprocess.Popen([str(ROOT / "scripts" / "run-workers.sh")], env=env,
                                   stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.time() + 180
    ready = None
    while ready is None and time.time() < deadline and process.poll() is None:
        ready = re.search(r"^run-workers: ready a=(\S+) b=(\S+)$",
                          (out / "run-workers.out").read_text(), re.M)
        time.sleep(0.5)
    masters = []
    try:
        assert ready, "run-workers did not start: see %s" % out
        workers = {"process": process, "env": env, "out": out, "db": db,
                   "servers": list(ready.groups()),
                   "logs": [str(out / "workers-a.log"), str(out / "workers-b.log")]}
        masters = list(_instances(workers))
        yield workers
    finally:
        # the script stops both instances; if it cannot, their process
        # groups (setsid) go
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for pid in masters:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _instances(workers):
    """{master pid: its descendants' command lines} of the two Odoo masters."""
    script = psutil.Process(workers["process"].pid)
    masters = [child for child in script.children() if "odoo" in " ".join(child.cmdline())]
    return {master.pid: [" ".join(proc.cmdline()) for proc in master.children(recursive=True)]
            for master in masters}


def test_two_prefork_instances_with_workers_cron_and_long_polling(workers):
    instances = _instances(workers)
    assert len(instances) == 2
    for children in instances.values():
        gevent = [cmd for cmd in children if " gevent " in cmd]
        assert len(gevent) == 1, children
        # the HTTP workers and the cron worker are forks of the master
        assert len(children) - len(gevent) >= 3, children


def test_long_polling_answers_on_both_instances(workers):
    env = workers["env"]
    for server, port in zip(workers["servers"], ("ODOO_LONGPOLLING_PORT",
                                                 "ODOO_LONGPOLLING_PORT_B")):
        uid = xmlrpc.client.ServerProxy(server + "/xmlrpc/2/common").authenticate(
            workers["db"], "admin", "admin", {})
        xmlrpc.client.ServerProxy(server + "/xmlrpc/2/object").execute_kw(
            workers["db"], uid, "admin", "bus.bus", "create",
            [{"channel": json.dumps("crm_ext_load_test"),
              "message": json.dumps({"port": env[port]})}])
        request = urllib.request.Request(
            "http://127.0.0.1:%s/longpolling/poll" % env[port],
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "channels": ["crm_ext_load_test"], "last": 0}}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read().decode())["result"]
        assert {"port": env[port]} in [note["message"] for note in result]


def test_make_load_makes_no_error_and_keeps_the_ledger(workers):
    # not the servers' ports: make's set-up writes ODOO_PORT into odoo.conf
    env = dict(os.environ, ODOO_DB=workers["db"], LOAD_USERS="2", LOAD_TIME="45s",
               LOAD_OUT=str(workers["out"]), LOAD_SERVERS=",".join(workers["servers"]),
               LOAD_LOGS=",".join(workers["logs"]))
    result = subprocess.run(["make", "--no-print-directory", "load"], cwd=str(ROOT), env=env,
                            capture_output=True, text=True, timeout=300)
    (workers["out"] / "make-load.err").write_text(result.stderr)
    lines = [line for line in result.stdout.splitlines() if line.startswith("load: ")]
    assert len(lines) == 1, result.stdout + result.stderr[-3000:]
    requests, errors, _p95, _rps, ledger = LOAD_LINE.match(lines[0]).groups()
    assert int(requests) > 0
    assert (int(errors), ledger) == (0, "consistent"), result.stderr[-3000:]
    assert result.returncode == 0


def test_sigterm_stops_every_process(workers):
    pids = [pid for pid in _instances(workers)]
    pids += [proc.pid for pid in pids for proc in psutil.Process(pid).children(recursive=True)]
    workers["process"].send_signal(signal.SIGTERM)
    workers["process"].wait(60)
    time.sleep(1)
    left = [pid for pid in pids if psutil.pid_exists(pid)
            and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not left
    for server in workers["servers"]:
        with pytest.raises(OSError):
            urllib.request.urlopen(server + "/web/login", timeout=5)
