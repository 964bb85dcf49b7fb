"""Import a CSV of past purchases into a database now: the history import of
crm_ext (crm.churn.history.import) without queue_job, for operators.  The
file is checked whole first: a refused file imports nothing, and its
refused rows are printed with their line numbers.  The purchase history
journal and its numbering are made first, then the chunks of rows (whole
customers, each chunk making the customers it does not find) are imported
by ``--jobs`` worker processes side by side (one per core by default), each
chunk committed on its own: stopped, the same
command run again on the same file resumes the import.  A chunk that meets
a lock or serialization conflict is rolled back and tried again.

Usage: scripts/import-history.sh FILE DB [--company ID] [--jobs N] [--chunk-rows N]
(the format of FILE: crm_ext/tools/history_csv.py).
"""
import argparse
import base64
import multiprocessing
import os
import random
import sys
import time

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_ERRORS_TO_RETRY

#: the database of a worker process (set by _start_worker)
_WORKER = {}


def import_file(env, path, company=None, out=print, jobs=None, chunk_rows=None):
    """Import the file at ``path`` into ``company`` (a res.company; the
    superuser's company by default) as a new crm.churn.history.import, or
    resume the last unfinished import of the same file name there (a file
    imported already, the same name and content, is not imported twice); ``out``
    prints the progress; ``jobs``: worker processes importing chunks side
    by side (default: the number of cores; 1 imports in this process);
    ``chunk_rows``: rows per chunk of a new import (default: the model's).
    Returns the import (refused or done); commits on ``env``'s cursor,
    which the caller opened."""
    company = company or env.user.company_id
    name = os.path.basename(path)
    with open(path, "rb") as handle:
        content = handle.read()
    imports = env["crm.churn.history.import"]
    run = imports.search([("name", "=", name), ("company_id", "=", company.id),
                          ("state", "=", "running")], limit=1)
    if not run:
        done = imports.search([("name", "=", name), ("company_id", "=", company.id),
                               ("state", "=", "done")]).filtered(
            lambda done_run: base64.b64decode(done_run.data) == content)
        if done:
            out("%s: already imported (import %s), nothing done" % (name, done[0].id))
            return done[0]
        values = {"name": name, "company_id": company.id, "data": base64.b64encode(content)}
        if chunk_rows:
            values["chunk_rows"] = chunk_rows
        run = imports.create(values)
    env.cr.commit()  # the import is on record

    def import_chunks(starts):
        env.cr.commit()  # the journal and its numbering
        started = time.time()
        workers = min(jobs or os.cpu_count() or 1, len(starts))
        tasks = [(run.id, start) for start in starts]
        done = 0
        if workers > 1:
            context = multiprocessing.get_context("spawn")
            with context.Pool(workers, initializer=_start_worker,
                              initargs=(odoo.tools.config.rcfile, env.cr.dbname)) as pool:
                for imported in pool.imap_unordered(_import_chunk, tasks):
                    done += imported
                    out("  %s more rows imported (%.0f s)" % (done, time.time() - started))
        else:
            for task in tasks:
                done += _import_chunk_retried(env, *task)
                out("  %s more rows imported (%.0f s)" % (done, time.time() - started))
        env.clear()

    run._import_all(import_chunks=import_chunks)
    env.cr.commit()
    return run


def _start_worker(config, database):
    """A worker process: Odoo configured as the command, its database."""
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    _WORKER["registry"] = odoo.registry(database)


def _import_chunk(task):
    """In a worker: import the chunk ``task`` = (import id, start) on a
    cursor of its own.  Returns the rows imported."""
    run_id, start = task
    with api.Environment.manage(), _WORKER["registry"].cursor() as cr:
        return _import_chunk_retried(api.Environment(cr, SUPERUSER_ID, {}), run_id, start)


def _import_chunk_retried(env, run_id, start):
    """Import the chunk from ``start`` of the import ``run_id`` and commit
    it; on a lock or serialization conflict, roll back and try again after
    a random wait growing with the tries, as Odoo's RPC dispatch does.
    Returns the rows imported (the rows imported before are skipped)."""
    for tries in range(1, MAX_TRIES_ON_CONCURRENCY_FAILURE + 1):
        try:
            imported = env["crm.churn.history.import"].browse(run_id)._import_rows_from(start)
            env.cr.commit()
            env.clear()
            return imported
        except psycopg2.OperationalError as error:
            env.cr.rollback()
            env.clear()
            if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY \
                    or tries == MAX_TRIES_ON_CONCURRENCY_FAILURE:
                raise
            time.sleep(random.uniform(0.0, 2 ** tries))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--company", type=int, help="id of the company (default: the main one)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--chunk-rows", type=int,
                        help="rows per transaction of a new import (default: 500)")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.database)
    started = time.time()
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env["res.company"].browse(args.company) if args.company else None
        run = import_file(env, args.file, company=company, jobs=args.jobs,
                          chunk_rows=args.chunk_rows)
        if run.state == "refused":
            print(run.refusals, file=sys.stderr)
            return 1
        print("%s: %s purchases imported in %.0f s" % (run.name, run.done_count,
                                                       time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
