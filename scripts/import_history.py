"""Import a CSV of past purchases into a database now: the history import of
crm_ext (crm.churn.history.import) without queue_job, for operators.  The
file is checked whole first: a refused file imports nothing, and its
refused rows are printed with their line numbers.  The customers are
created first, then the chunks of rows are imported by worker processes
side by side, each chunk committed on its own: stopped, the same command
run again on the same file resumes the import.

Usage: scripts/import-history.sh FILE DB [--company ID] [--workers N]
(the format of FILE: crm_ext/tools/history_csv.py).
"""
import argparse
import base64
import os
import subprocess
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api

WORKERS = 2


def import_file(env, path, config, company=None, workers=WORKERS, out=print):
    """Import the file at ``path`` into ``company`` (a res.company; the
    superuser's company by default) as a new crm.churn.history.import, or
    resume the last unfinished import of the same file name there.
    ``config``: the Odoo configuration file the workers read; ``workers``:
    how many chunks are imported at a time.  Returns the import (refused
    or done); commits on ``env``'s cursor, which the caller opened."""
    company = company or env.user.company_id
    name = os.path.basename(path)
    imports = env["crm.churn.history.import"]
    run = imports.search([("name", "=", name), ("company_id", "=", company.id),
                          ("state", "=", "running")], limit=1)
    if not run:
        with open(path, "rb") as handle:
            run = imports.create({"name": name, "company_id": company.id,
                                  "data": base64.b64encode(handle.read())})

    def run_chunks(starts):
        # the customers and the import's state, for the workers to see
        env.cr.commit()
        out("%s customers; %s chunks of rows to import" % (
            len(set(row.ref for row in run._rows()[0])), len(starts)))
        env.cr.commit()
        processes = [subprocess.Popen([
            sys.executable, os.path.abspath(__file__), "-c", config, "-d", env.cr.dbname,
            "--worker", str(run.id), ",".join(str(start) for start in starts[index::workers])])
            for index in range(min(workers, len(starts)))]
        if any(process.wait() for process in processes):
            raise SystemExit("a worker failed: run the same command again to resume")

    run._import_all(run_chunks=run_chunks)
    env.cr.commit()
    return run


def work(env, run_id, starts):
    """A worker: import the chunks of rows ``starts`` of the import
    ``run_id``, each committed on its own (the worker's cursor)."""
    run = env["crm.churn.history.import"].browse(run_id)
    for start in starts:
        started = time.time()
        imported = run._import_chunk(start, finish=False)
        env.cr.commit()
        print("  rows from %s: %s (%.0f s)" % (start + 1, imported, time.time() - started),
              flush=True)
        env.clear()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--company", type=int, help="id of the company (default: the main one)")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("file", help="the CSV file (a worker: the starts of its chunks)")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.database)
    started = time.time()
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.worker:
            work(env, args.worker, [int(start) for start in args.file.split(",") if start])
            return 0
        company = env["res.company"].browse(args.company) if args.company else None
        run = import_file(env, args.file, args.config, company=company, workers=args.workers)
        if run.state == "refused":
            print(run.refusals, file=sys.stderr)
            return 1
        print("%s: %s purchases imported in %.0f s" % (run.name, run.done_count,
                                                       time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
