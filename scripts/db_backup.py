"""Back up and restore an Odoo database with its filestore, in the format of
Odoo's own database manager (a zip of ``dump.sql``, ``filestore/`` and
``manifest.json``: it restores as well from /web/database/manager).

    db_backup.py -c ODOO_CONF backup DB [FILE]
    db_backup.py -c ODOO_CONF restore FILE [DB]

The dump and the restore are Odoo's (``odoo.service.db.dump_db`` /
``restore_db``): ``pg_dump`` and ``psql`` of the PostgreSQL the configuration
names (its ``pg_path``, else the PATH). A restore goes into a database that
does not exist yet (by default the name the backup was made from); it keeps
the database's UUID unless the database it was made from is still on the
server (then it is a copy beside it, and gets a new one, as the manager's
"This database might have been copied" answer does).
"""
import argparse
import datetime
import json
import os
import sys
import zipfile

import odoo
from odoo.service import db as odoo_db


def _fail(message):
    sys.stderr.write("error: %s\n" % message)
    sys.exit(1)


def backup(database, path):
    if not odoo_db.exp_db_exist(database):
        _fail("database %s does not exist" % database)
    if not path:
        stamp = datetime.datetime.utcnow().strftime("%Y%m%d-%H%M%S")
        folder = os.path.join(odoo.tools.config["data_dir"], "backups")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "%s-%s.zip" % (database, stamp))
    partial = path + ".part"
    with open(partial, "wb") as stream:
        odoo_db.dump_db(database, stream, "zip")
    # a backup that stopped half-way never has the final name
    os.replace(partial, path)
    print(path)


def restore(path, database):
    if not zipfile.is_zipfile(path):
        _fail("%s is not a backup made by 'make backup' (a zip of dump.sql, filestore "
              "and manifest.json)" % path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if "dump.sql" not in names or "manifest.json" not in names:
            _fail("%s has no dump.sql or manifest.json" % path)
        manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
    database = database or manifest["db_name"]
    if odoo_db.exp_db_exist(database):
        _fail("database %s exists: restore into another name (DB=…) or drop it first"
              % database)
    filestore = odoo.tools.config.filestore(database)
    if os.path.exists(filestore) and os.listdir(filestore):
        _fail("%s, the filestore of %s, is not empty (left by a database dropped without "
              "it?): move it away first" % (filestore, database))
    copy = database != manifest["db_name"] and odoo_db.exp_db_exist(manifest["db_name"])
    with odoo.api.Environment.manage():
        odoo_db.restore_db(database, path, copy=copy)
    print("%s restored from %s (Odoo %s, modules: %d)%s" % (
        database, path, manifest.get("version"), len(manifest.get("modules", {})),
        ", with a new database UUID (a copy)" if copy else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    commands = parser.add_subparsers(dest="command")
    commands.required = True
    backup_parser = commands.add_parser("backup")
    backup_parser.add_argument("database")
    backup_parser.add_argument("file", nargs="?")
    restore_parser = commands.add_parser("restore")
    restore_parser.add_argument("file")
    restore_parser.add_argument("database", nargs="?")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config])
    # the database manager's functions ask for it; this command is the admin's
    odoo.tools.config["list_db"] = True
    if args.command == "backup":
        backup(args.database, args.file)
    else:
        restore(args.file, args.database)


if __name__ == "__main__":
    main()
