"""``make backup`` and ``make restore``: the test database and its filestore
in one zip (Odoo's database manager's format), restored into a new database
where the points ledger is reconciled, the ledger's figures are those of the
original, and every attachment of the filestore is readable, one added just
before the backup included."""
import base64
import json
import os
import pathlib
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = "crm_ext backup and restore test"
CONTENT = "A file of the filestore that must come back: 备份与恢复.\n".encode("utf-8") * 50

# Run with ``odoo`` on the database argv[2] (configuration argv[1]); prints
# JSON.  ``fact`` is what the test compares between the two databases.
PROBE = r"""
import base64, hashlib, json, os, sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1]])
action = sys.argv[3]
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    Attachment = env["ir.attachment"]
    if action == "add":
        attachment = Attachment.create({"name": sys.argv[4], "datas_fname": "restore.txt",
                                        "datas": sys.argv[5]})
        print(json.dumps({"id": attachment.id, "store_fname": attachment.store_fname}))
    elif action == "remove":
        Attachment.search([("name", "=", sys.argv[4])]).unlink()
        print("{}")
    else:
        cr.execute("SELECT id, store_fname, checksum FROM ir_attachment "
                   "WHERE store_fname IS NOT NULL ORDER BY id")
        unreadable = []
        stored = cr.fetchall()
        for attachment_id, store_fname, checksum in stored:
            path = Attachment._full_path(store_fname)
            if not os.path.isfile(path):
                unreadable.append(attachment_id)
                continue
            with open(path, "rb") as handle:
                if hashlib.sha1(handle.read()).hexdigest() != checksum:
                    unreadable.append(attachment_id)
        marker = Attachment.search([("name", "=", sys.argv[4])])
        cr.execute("SELECT program_id, COUNT(*), SUM(points), SUM(remaining_points) "
                   "FROM crm_loyalty_entry GROUP BY program_id ORDER BY program_id")
        ledger = [list(row) for row in cr.fetchall()]
        print(json.dumps({
            "stored": len(stored), "unreadable": unreadable,
            "marker": [base64.b64decode(datas).decode("utf-8") for datas in marker.mapped("datas")],
            "ledger": ledger,
            "consistency": env["crm.loyalty.program"]._ledger_consistency(),
            "filestore": Attachment._filestore()}))
"""


def _probe(conf, database, *args):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, conf, database] + list(args),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _make(target, **variables):
    env = dict(os.environ, **variables)
    return subprocess.run(["make", "--no-print-directory", target], cwd=str(ROOT), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=1200)


@pytest.fixture(scope="module")
def restored(tmp_path_factory):
    conf = os.environ.get("ODOO_TEST_CONF")
    if not conf:
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    source = os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    target = "%s_restored" % source
    drop = [str(ROOT / "scripts" / "odoo-db.sh"), "drop", target]
    subprocess.run(drop, check=True)
    backup = tmp_path_factory.mktemp("backup") / "backup.zip"
    encoded = base64.b64encode(CONTENT).decode("ascii")
    added = _probe(conf, source, "add", MARKER, encoded)
    try:
        result = _make("backup", DB=source, FILE=str(backup))
        assert result.returncode == 0, result.stdout[-3000:]
        before = _probe(conf, source, "facts", MARKER)
    finally:
        # what the restore finds of it comes from the backup only
        _probe(conf, source, "remove", MARKER)
    try:
        result = _make("restore", DB=target, FILE=str(backup))
        assert result.returncode == 0, result.stdout[-3000:]
        again = _make("restore", DB=target, FILE=str(backup))
        yield {"backup": backup, "added": added, "before": before,
               "after": _probe(conf, target, "facts", MARKER), "again": again,
               "restore_output": result.stdout}
    finally:
        subprocess.run(drop, check=True)


def test_the_backup_holds_the_dump_the_filestore_and_a_manifest(restored):
    with zipfile.ZipFile(str(restored["backup"])) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
        stored = "filestore/" + restored["added"]["store_fname"]
        assert archive.read(stored) == CONTENT
    assert {"dump.sql", "manifest.json"} <= names
    assert manifest["db_name"] == os.environ.get("ODOO_TEST_DB", "crm_ext_test")
    assert "crm_ext" in manifest["modules"]


def test_the_restored_attachments_are_readable(restored):
    after = restored["after"]
    assert after["marker"] == [CONTENT.decode("utf-8")]
    assert after["unreadable"] == []
    assert after["stored"] == restored["before"]["stored"] >= 1
    assert after["filestore"] != restored["before"]["filestore"]


def test_the_restored_ledger_is_reconciled(restored):
    after, before = restored["after"], restored["before"]
    assert after["consistency"]["consistent"], after["consistency"]
    assert after["ledger"] == before["ledger"] and after["ledger"]
    assert after["consistency"]["members"] == before["consistency"]["members"]


def test_a_restore_never_overwrites_a_database(restored):
    assert restored["again"].returncode != 0
    assert "exists" in restored["again"].stdout
    # the source database is still there beside it: a copy, with a new UUID
    assert "a copy" in restored["restore_output"]


def test_a_restore_refuses_what_is_not_a_backup(tmp_path):
    if not os.environ.get("ODOO_TEST_CONF"):
        pytest.skip("ODOO_TEST_CONF is set by 'make test'")
    bogus = tmp_path / "bogus.zip"
    bogus.write_bytes(b"not a zip")
    result = _make("restore", DB="crm_ext_never_made", FILE=str(bogus))
    assert result.returncode != 0
    assert "is not a backup" in result.stdout
