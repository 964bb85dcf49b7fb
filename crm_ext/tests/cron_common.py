"""What the tests of the chunked crons share: environments on real cursors
of their own (committed when their block ends, as a cron's chunks are), and
a second transaction that holds a cron's advisory lock, as an overlapping
run on another worker or server would."""
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tests import common

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
    def lock_held_elsewhere(self, name):
        """Another transaction, on a real cursor, holds the advisory lock
        ``name`` for the block (a run of the same cron on another worker)."""
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            self.assertTrue(try_lock(cr, name), "%s is already held" % name)
            yield cr
            cr.rollback()
