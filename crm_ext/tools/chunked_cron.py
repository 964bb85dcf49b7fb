# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Crons that run anywhere, any number of times.

A crm_ext cron works through its work in chunks, each committed on a cursor
of its own (the pattern of Odoo's ``stock/models/procurement.py``
scheduler), so that:

- a run killed half-way leaves only whole chunks; what each cron still has
  to do is read from the data (complaints not escalated, entries not
  expired, customers not scored since the run began), so the next run
  completes the rest;
- a chunk that fails is logged and rolled back alone; the others go on, and
  the next run takes it again;
- PostgreSQL's serialization, deadlock and lock errors (another worker or
  user on the same rows) are retried with an exponential backoff, as Odoo's
  RPC layer retries them (``odoo.service.model.check``);
- two runs of the same work never overlap: a run holds a transaction-level
  advisory lock, on the cron's own cursor, for as long as it runs (released
  by PostgreSQL when that transaction ends, even if the process dies); a run
  that finds it taken is skipped, with a log line.

With ``use_new_cursor=False`` (the tests', and a caller's that wants the
work inside its own transaction), every chunk runs in a savepoint of the
caller's cursor instead: the same isolation of a failing chunk, nothing
committed.

Usage::

    with ChunkedRun(self.env, "crm_ext.complaint_escalation") as run:
        if run.acquired:
            for chunk in chunks:
                run.chunk(lambda env: env["crm.complaint"]._escalate_ids(chunk))
    run.summary  # {'chunks': …, 'failed': …, 'retries': …, 'skipped': …}
"""
import logging
import random
import time
import zlib

import psycopg2
from psycopg2 import errorcodes

from odoo import api
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

_logger = logging.getLogger(__name__)

#: the tries of a chunk that meets a concurrency error, the first included
MAX_TRIES = 5
#: the first wait, in seconds, before a chunk is tried again (doubled at
#: each retry, with a random factor between 0.5 and 1.5)
BACKOFF = 0.5
#: the first of the two 32-bit keys of crm_ext's advisory locks ("crm_")
LOCK_SPACE = 0x63726D5F


def lock_key(name):
    """The second advisory lock key of ``name`` (a str): a signed 32-bit
    CRC-32, so that every server computes the same key."""
    key = zlib.crc32(name.encode("utf-8"))
    return key - (1 << 32) if key >= (1 << 31) else key


def try_lock(cr, name):
    """Take the transaction-level advisory lock ``name`` on ``cr`` without
    waiting.

    :returns: True when taken (held until ``cr``'s transaction ends), False
        when another transaction holds it.
    """
    cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_SPACE, lock_key(name)))
    return cr.fetchone()[0]


def is_concurrency_error(error):
    """Whether ``error`` is one Odoo retries (serialization failure,
    deadlock, lock not available)."""
    return (isinstance(error, psycopg2.OperationalError)
            and error.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY)


class ChunkedRun(object):
    """One run of a chunked cron: see the module's docstring.

    :param env: the cron's environment; its cursor holds the run's lock and
        is not written by the chunks.
    :param name: the work's name (a str, e.g. ``"crm_ext.loyalty_daily"``):
        the advisory lock two runs of it share.
    :param use_new_cursor: commit each chunk on a cursor of its own (True,
        the crons) or run it in a savepoint of ``env.cr`` (False).
    :param max_tries: the tries of a chunk on a concurrency error.
    :param backoff: the first wait before a retry, in seconds.
    """

    def __init__(self, env, name, use_new_cursor=True, max_tries=MAX_TRIES, backoff=BACKOFF,
                 sleep=time.sleep):
        self.env = env
        self.name = name
        self.use_new_cursor = use_new_cursor
        self.max_tries = max_tries
        self.backoff = backoff
        self._sleep = sleep
        self.acquired = False
        self.summary = {"chunks": 0, "failed": 0, "retries": 0, "skipped": False}

    def __enter__(self):
        self.acquired = try_lock(self.env.cr, self.name)
        if not self.acquired:
            self.summary["skipped"] = True
            _logger.info("%s: skipped, another run of it is working", self.name)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self.use_new_cursor:
            # the chunks changed the database behind the cron's cursor
            self.env.cache.invalidate()
        if self.acquired and exc_type is None:
            _logger.info("%s: %d chunk(s) done, %d failed, %d retried", self.name,
                         self.summary["chunks"], self.summary["failed"], self.summary["retries"])
        return False

    def chunk(self, work, label=""):
        """Run ``work(env)`` as one chunk: committed alone (or in a
        savepoint), retried on a concurrency error, logged and rolled back on
        any other error.

        :param work: a callable of an environment (on the chunk's cursor).
        :param label: what the chunk is, for the log (a str).
        :returns: ``work``'s result, or None when the chunk failed.
        """
        assert self.acquired, "a chunk of %s outside its lock" % self.name
        for attempt in range(1, self.max_tries + 1):
            try:
                result = self._run(work)
            except Exception as error:  # pylint: disable=broad-except
                if is_concurrency_error(error) and attempt < self.max_tries:
                    wait = self.backoff * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                    _logger.info("%s: chunk %s met %s, try %d/%d in %.2f s", self.name, label,
                                 errorcodes.lookup(error.pgcode), attempt + 1,
                                 self.max_tries, wait)
                    self.summary["retries"] += 1
                    self._sleep(wait)
                    continue
                self.summary["failed"] += 1
                _logger.exception("%s: chunk %s failed and was rolled back; the next run "
                                  "takes it again", self.name, label)
                return None
            self.summary["chunks"] += 1
            return result

    def _run(self, work):
        if not self.use_new_cursor:
            with self.env.cr.savepoint():
                return work(self.env)
        # A cron's chunk commits on the cursor it opened (the closing of the
        # block commits; an error rolls back): only whole chunks are kept.
        with api.Environment.manage(), self.env.registry.cursor() as cr:
            return work(self.env(cr=cr))
