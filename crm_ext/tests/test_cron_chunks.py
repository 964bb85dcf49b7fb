"""The chunked run every crm_ext cron uses (``tools/chunked_cron.py``), on
real cursors: a run skipped while another holds its lock, a failing chunk
rolled back alone while the others are committed, lock errors retried with
backoff, and the same isolation in a savepoint without new cursors."""
import odoo

from ..tools.chunked_cron import ChunkedRun, lock_key
from .cron_common import CommittedCase

LOCK = "crm_ext.test_cron_chunks"


class TestChunkedRun(CommittedCase):

    def setUp(self):
        super(TestChunkedRun, self).setUp()
        with self.committed_env() as env:
            self.partner_ids = [env["res.partner"].create({"name": "Chunked %d" % index}).id
                                for index in range(3)]
        self.addCleanup(self._remove_partners)

    def _remove_partners(self):
        with self.committed_env() as env:
            env["res.partner"].browse(self.partner_ids).unlink()

    def _comments(self):
        """The partners' comments as committed, in order."""
        with self.committed_env() as env:
            env.cr.execute("SELECT id, comment FROM res_partner WHERE id IN %s",
                           (tuple(self.partner_ids),))
            comments = dict(env.cr.fetchall())
        return [comments[partner_id] for partner_id in self.partner_ids]

    @staticmethod
    def _write(partner_id, text):
        def work(env):
            env["res.partner"].browse(partner_id).write({"comment": text})
            return partner_id
        return work

    def test_lock_key_is_the_same_on_every_server(self):
        # CRC-32 of the name as a signed 32-bit number, not Python's hash()
        self.assertEqual(lock_key("crm_ext.complaint_escalation"),
                         lock_key("crm_ext.complaint_escalation"))
        self.assertEqual(lock_key("a"), -390611389)
        self.assertTrue(-2 ** 31 <= lock_key("crm_ext.loyalty_daily") < 2 ** 31)

    def test_a_run_that_meets_another_is_skipped(self):
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            env = self.env(cr=cr)
            with self.lock_held_elsewhere(LOCK):
                with ChunkedRun(env, LOCK) as run:
                    self.assertFalse(run.acquired)
                self.assertTrue(run.summary["skipped"])
            # once the other run has ended, a new one works
            with ChunkedRun(env, LOCK) as run:
                self.assertTrue(run.acquired)
                run.chunk(self._write(self.partner_ids[0], "after"))
            cr.rollback()
        self.assertEqual(self._comments()[0], "after")

    def test_a_failing_chunk_is_rolled_back_alone(self):
        def failing(env):
            env["res.partner"].browse(self.partner_ids[1]).write({"comment": "half"})
            raise ValueError("a chunk that fails on purpose")

        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            with ChunkedRun(self.env(cr=cr), LOCK) as run:
                results = [run.chunk(self._write(self.partner_ids[0], "done")),
                           run.chunk(failing, label="1"),
                           run.chunk(self._write(self.partner_ids[2], "done"))]
            # the chunks are committed even though the run's own cursor is not
            cr.rollback()
        self.assertEqual(results, [self.partner_ids[0], None, self.partner_ids[2]])
        self.assertEqual(run.summary, {"chunks": 2, "failed": 1, "retries": 0, "skipped": False})
        self.assertEqual(self._comments(), ["done", None, "done"])

    def test_a_locked_row_is_retried_with_backoff(self):
        holder = odoo.registry(self.env.cr.dbname).cursor()
        self.addCleanup(holder.close)
        holder.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE",
                       (self.partner_ids[0],))
        waits = []

        def sleep(seconds):
            # the other transaction ends while the chunk waits
            waits.append(seconds)
            holder.rollback()

        def work(env):
            env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                           (self.partner_ids[0],))
            return self._write(self.partner_ids[0], "retried")(env)

        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            with ChunkedRun(self.env(cr=cr), LOCK, backoff=0.2, sleep=sleep) as run:
                self.assertEqual(run.chunk(work), self.partner_ids[0])
            cr.rollback()
        self.assertEqual(len(waits), 1)
        self.assertTrue(0.1 <= waits[0] <= 0.3, waits)
        self.assertEqual(run.summary["retries"], 1)
        self.assertEqual(self._comments()[0], "retried")

    def test_retries_end_after_max_tries(self):
        holder = odoo.registry(self.env.cr.dbname).cursor()
        self.addCleanup(holder.close)
        holder.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE",
                       (self.partner_ids[0],))
        waits = []

        def work(env):
            env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                           (self.partner_ids[0],))

        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            with ChunkedRun(self.env(cr=cr), LOCK, max_tries=3, backoff=0.1,
                            sleep=waits.append) as run:
                self.assertIsNone(run.chunk(work))
                # the next chunk is not blocked
                run.chunk(self._write(self.partner_ids[1], "next"))
            cr.rollback()
        holder.rollback()
        self.assertEqual(len(waits), 2)
        self.assertLess(waits[0], waits[1] * 1.5)  # doubled, with a factor of 0.5 to 1.5
        self.assertEqual(run.summary, {"chunks": 1, "failed": 1, "retries": 2, "skipped": False})
        self.assertEqual(self._comments()[1], "next")

    def test_without_new_cursors_a_failing_chunk_is_rolled_back_to_its_savepoint(self):
        def failing(env):
            env["res.partner"].browse(self.partner_ids[1]).write({"comment": "half"})
            env.cr.execute("SELECT 1 / 0")

        # on a cursor of its own, rolled back at the end, so that the rows it
        # locks are free for the clean-up
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            env = self.env(cr=cr)
            with ChunkedRun(env, LOCK, use_new_cursor=False) as run:
                run.chunk(self._write(self.partner_ids[0], "in transaction"))
                run.chunk(failing)
            partners = env["res.partner"].browse(self.partner_ids)
            partners.invalidate_cache()
            self.assertEqual(partners.mapped("comment"), ["in transaction", False, False])
            # nothing was committed
            self.assertEqual(self._comments(), [None, None, None])
            cr.rollback()
        self.assertEqual(run.summary["failed"], 1)
