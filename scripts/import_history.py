"""Import a CSV of past purchases into a database now: the history import of
crm_ext (crm.churn.history.import) without queue_job, for operators.  The
file is checked whole first: a refused file imports nothing, and its
refused rows are printed with their line numbers.  The customers are
created first, then the chunks of rows imported one after the other, each
committed on its own: stopped, the same command run again on the same file
resumes the import.  (Chunks side by side would wait for each other: an
invoice's number is taken under a lock held until its chunk commits.)

Usage: scripts/import-history.sh FILE DB [--company ID]
(the format of FILE: crm_ext/tools/history_csv.py).
"""
import argparse
import base64
import os
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api


def import_file(env, path, company=None, out=print):
    """Import the file at ``path`` into ``company`` (a res.company; the
    superuser's company by default) as a new crm.churn.history.import, or
    resume the last unfinished import of the same file name there; ``out``
    prints the progress.  Returns the import (refused or done); commits on
    ``env``'s cursor, which the caller opened."""
    company = company or env.user.company_id
    name = os.path.basename(path)
    imports = env["crm.churn.history.import"]
    run = imports.search([("name", "=", name), ("company_id", "=", company.id),
                          ("state", "=", "running")], limit=1)
    if not run:
        with open(path, "rb") as handle:
            run = imports.create({"name": name, "company_id": company.id,
                                  "data": base64.b64encode(handle.read())})
    env.cr.commit()  # the import is on record
    started = time.time()

    def after_chunk(done):
        # a cursor this command opened: each chunk stays imported
        env.cr.commit()
        out("  %s of %s rows imported (%.0f s)" % (done, run.row_count, time.time() - started))
        env.clear()

    run._import_all(after_chunk=after_chunk)
    env.cr.commit()
    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--company", type=int, help="id of the company (default: the main one)")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.database)
    started = time.time()
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company) if args.company else None
        run = import_file(env, args.file, company=company)
        if run.state == "refused":
            print(run.refusals, file=sys.stderr)
            return 1
        print("%s: %s purchases imported in %.0f s" % (run.name, run.done_count,
                                                       time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
