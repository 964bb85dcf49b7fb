"""What the tests of the chunked crons share: environments on real cursors
of their own (committed when their block ends, as a cron's chunks are), and
a second transaction that holds a cron's advisory lock, as an overlapping
run on another worker or server would."""
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import common

from ..tools import clock
from ..tools.chunked_cron import try_lock


@common.at_install(False)
@common.post_install(True)
class CommittedCase(common.TransactionCase):
    """A test whose fixtures are committed (a chunk's cursor cannot see the
    test cursor's work): each test removes what it committed with
    ``addCleanup``."""

    @contextmanager
    def committed_env(self, context=None):
        """An environment on a new cursor, committed when the block ends
        (rolled back on an error)."""
        values = {"tracking_disable": True, "mail_create_nolog": True,
                  "mail_create_nosubscribe": True}
        values.update(context or {})
        with api.Environment.manage(), odoo.registry(self.env.cr.dbname).cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, values)

    @contextmanager
    def cron_env(self, moment):
        """The environment of a cron's run: a cursor of its own, which holds
        the run's lock and writes nothing itself (rolled back after the
        block), with the clock (``tools/clock.py``) frozen at ``moment``
        (a 'YYYY-MM-DD HH:MM:SS' string)."""
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            env = self.env(cr=cr)
            with clock.frozen(env, moment):
                yield env
            cr.rollback()

    @contextmanager
    def lock_held_elsewhere(self, name):
        """Another transaction, on a real cursor, holds the advisory lock
        ``name`` for the block (a run of the same cron on another worker)."""
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            self.assertTrue(try_lock(cr, name), "%s is already held" % name)
            yield cr
            cr.rollback()
