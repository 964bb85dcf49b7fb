# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.churn.history.import: a run of the purchase history import (a CSV of
past purchases loaded as customers and posted customer invoices)."""
import base64

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact, job

from ..exceptions import HistoryImportRefused
from ..tools import access, clock, history_csv

#: rows a job imports, in one transaction, by default
CHUNK_ROWS = 500
#: the queue_job channel of the import's jobs (its capacity: odoo.conf
#: [queue_job]); side by side they share no lock (see
#: crm_churn_history_import_books.py)
CHANNEL = "root.crm_ext_history_import"


class CrmChurnHistoryImport(models.Model):
    """One file of past purchases and its import: the whole file is checked
    first (a refused file is imported not at all); a first job prepares
    the invoice numbering, then jobs of about :attr:`chunk_rows` rows (whole
    customers), each in one transaction, make the customers they do not
    find by reference and post one customer invoice per row through Odoo's
    own validation, and a last one computes the customer insight.  The
    invoices keep the run and their line (``history_import_id``,
    ``history_import_line``): a job run again skips the rows already
    imported, so a stopped import resumes where it stopped."""

    _name = "crm.churn.history.import"
    _description = "Purchase History Import"
    _order = "id desc"

    name = fields.Char(
        "File Name", required=True, readonly=True,
        states={"draft": [("readonly", False)], "refused": [("readonly", False)]})
    data = fields.Binary(
        "File", required=True, attachment=True, readonly=True,
        states={"draft": [("readonly", False)], "refused": [("readonly", False)]},
        help="CSV, UTF-8, a header line naming the columns ref (the customer's reference), "
             "name, date (YYYY-MM-DD), amount (untaxed, in the company's currency) and, "
             "optionally, product (internal reference or name).")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True,
        states={"draft": [("readonly", False)], "refused": [("readonly", False)]},
        default=lambda self: self.env.user.company_id)
    product_id = fields.Many2one(
        "product.product", "Default Product", required=True, readonly=True,
        states={"draft": [("readonly", False)], "refused": [("readonly", False)]},
        default=lambda self: self._default_product_id(),
        help="What the purchases without a product are invoiced as.")
    state = fields.Selection(
        [("draft", "Draft"), ("refused", "Refused"), ("running", "Running"),
         ("done", "Done")], "Status", required=True, readonly=True, default="draft",
        copy=False)
    row_count = fields.Integer("Rows", readonly=True, copy=False)
    chunk_rows = fields.Integer(
        "Rows per Job", required=True, default=CHUNK_ROWS, readonly=True,
        states={"draft": [("readonly", False)], "refused": [("readonly", False)]},
        help="Rows imported in one transaction: a job that fails loses no more.")
    done_count = fields.Integer("Imported Rows", compute="_compute_progress")
    progress = fields.Float("Progress (%)", compute="_compute_progress")
    refusals = fields.Text("Refused Rows", readonly=True, copy=False)
    started_at = fields.Datetime("Started On", readonly=True, copy=False)
    finished_at = fields.Datetime("Finished On", readonly=True, copy=False)

    _sql_constraints = [
        ("chunk_rows_positive", "CHECK(chunk_rows > 0)",
         "A job imports at least one row."),
    ]

    @api.model
    def _default_product_id(self):
        return self.env.ref("crm_ext.crm_churn_history_import_product",
                            raise_if_not_found=False)

    @api.depends("row_count")
    def _compute_progress(self):
        done = self._imported_counts()
        for run in self:
            run.done_count = done.get(run.id, 0)
            run.progress = 100.0 * run.done_count / run.row_count if run.row_count else 0.0

    @api.multi
    def action_start(self):
        """Check the whole file, then import it in the background (jobs of
        queue_job, which ``make run`` starts with the server).  A file with
        malformed rows is refused: the import's ``refusals`` list each with
        its line number, and nothing is imported.  Idempotent: an import
        already started stays as it is.

        :returns: True.
        :raises AccessError: the caller is not a sales manager, or may not
            change the import (another company's).
        """
        self._check_manager()
        for run in self.sudo().filtered(lambda run: run.state in ("draft", "refused")):
            if run._checked_rows() is not None:
                run._enqueue("_import_start")
        return True

    @api.multi
    def action_resume(self):
        """Import again what a stopped run has not imported yet (a job
        failed, or the server stopped): the rows already imported are
        skipped.  Idempotent: a job already waiting is not queued twice.

        :returns: True.
        :raises AccessError: the caller is not a sales manager, or may not
            change the import (another company's).
        """
        self._check_manager()
        for run in self.sudo().filtered(lambda run: run.state == "running"):
            run._enqueue("_import_start")
        return True

    def _check_manager(self):
        """Sales managers only, and on the imports they may change."""
        access.check_sales_manager(self.env, "import_history")
        access.check_writable(self)

    # the import, as the superuser once the caller is checked

    def _rows(self):
        """The rows of the file, customer by customer (a chunk then holds
        whole customers, see :meth:`_chunks`), and its refusals (see
        tools/history_csv)."""
        today = clock.now(self.env).date()
        rows, refusals = history_csv.parse(base64.b64decode(self.data or b""), today)
        return sorted(rows, key=lambda row: (row.ref, row.date, row.line)), refusals

    def _checked_rows(self):
        """The rows of the whole file once checked (the products named by
        the rows included), and the import marked running; or None, the
        import refused with the malformed rows listed."""
        self.ensure_one()
        rows, refusals = self._rows()
        products = self._row_products(rows)
        refusals += [(row.line, "product", row.product) for row in rows
                     if row.product and row.product not in products]
        if refusals:
            self.write({"state": "refused", "row_count": 0,
                        "refusals": HistoryImportRefused(
                            self.env, sorted(refusals)).name})
            return None
        self.write({"state": "running", "row_count": len(rows), "refusals": False,
                    "started_at": self.started_at
                    or fields.Datetime.to_string(clock.now(self.env))})
        return rows

    def _enqueue(self, method, *args):
        """Queue the job ``method`` (a job method of the import) with
        ``args``.  A chunk of rows is not queued twice while it waits; a
        finishing check always is (see :meth:`_finish_when_complete`)."""
        descriptions = {
            "_import_start": _("start"),
            "_import_chunk": args and _("rows from %s") % (args[0] + 1),
            "_finish_when_complete": _("finish"),
        }
        delayed = self.with_delay(
            channel=CHANNEL,
            identity_key=None if method == "_finish_when_complete" else identity_exact,
            description=_("Purchase history import %(file)s: %(step)s") % {
                "file": self.name, "step": descriptions[method]})
        getattr(delayed, method)(*args)

    @job(default_channel=CHANNEL)
    def _import_start(self):
        """The first job (and that of a resume): the journal and the
        invoice numbering of the file's years, then a job per chunk of rows
        not imported yet."""
        rows = self._rows()[0]
        self._prepare(rows)
        starts = self._missing_starts(rows)
        for start in starts:
            self._enqueue("_import_chunk", start)
        if not starts:
            self._enqueue("_finish_when_complete")
        return _("Chunks of rows queued: %s.") % len(starts)

    @job(default_channel=CHANNEL)
    def _import_chunk(self, start, finish=True):
        """Import the chunk of rows from ``start`` (:meth:`_import_rows_from`);
        then, when ``finish``, queue the check that finishes the import.
        Returns what a job shows of it (text)."""
        imported = self._import_rows_from(start)
        if finish:
            # one check after each chunk: the chunk committed last has its
            # own, which sees every row (see _finish_when_complete)
            self._enqueue("_finish_when_complete")
        return _("%s purchases imported.") % imported

    def _import_rows_from(self, start):
        """Import the chunk of rows from ``start`` (an index in the file's
        rows, see :meth:`_chunks`), in the caller's transaction.  Returns
        how many were imported (those imported before skipped)."""
        self.ensure_one()
        rows = self._rows()[0]
        end = dict(self._chunks(rows)).get(start, start)
        return self._import_rows(rows[start:end])

    @job(default_channel=CHANNEL)
    def _finish_when_complete(self):
        """Finish the import once every row is imported; one at a time (the
        import's row locked, or the job retried)."""
        try:
            self.env.cr.execute("SELECT id FROM crm_churn_history_import WHERE id = %s "
                                "FOR UPDATE NOWAIT", (self.id,))
        except psycopg2.OperationalError:
            raise RetryableJobError("Another job finishes the import.", seconds=10,
                                    ignore_retry=True)
        self.invalidate_cache(["state"], self.ids)
        rows = self._rows()[0]
        if self.state != "running" or self._missing_starts(rows):
            return _("Not finished: rows are still importing.")
        self._finish()
        return _("Finished.")

    def _import_all(self, import_chunks=None):
        """Check the file and import it now, in the caller's transaction
        (scripts/import-history.sh, tests): the steps of the jobs, one after
        the other.  ``import_chunks``: called with the starts of the chunks
        to import, instead of importing them here one after the other (the
        command commits what comes before, then imports them in worker
        processes).  Returns the rows, or None when the file is refused."""
        self.ensure_one()
        rows = self._checked_rows()
        if rows is None:
            return None
        self._prepare(rows)
        starts = self._missing_starts(rows)
        if import_chunks:
            import_chunks(starts)
        else:
            for start in starts:
                self._import_rows_from(start)
        self._finish()
        return rows

    def _prepare(self, rows):
        """What the chunks of ``rows`` share, made once before them: the
        journal and the numbering of each year (see
        crm_churn_history_import_books.py)."""
        self._prepare_numbering(rows)

    def _finish(self):
        """The import done: the customer insight of the company computed
        once, for every imported customer at a time."""
        self.env["crm.customer.insight"].sudo()._recompute_company(self.company_id)
        self.write({"state": "done",
                    "finished_at": fields.Datetime.to_string(clock.now(self.env))})

    def _chunks(self, rows):
        """The chunks of ``rows`` (the file's, customer by customer), as
        [(start, end)] indexes: :attr:`chunk_rows` rows each, or more to
        keep each customer whole, so that chunks side by side never make
        the same customer nor post for it."""
        chunks, start = [], 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or (index - start >= self.chunk_rows
                                      and rows[index].ref != rows[index - 1].ref):
                chunks.append((start, index))
                start = index
        return chunks

    def _missing_starts(self, rows):
        """The starts of the chunks of ``rows`` (the file's) that have a row
        not imported yet."""
        imported = self._imported_lines([row.line for row in rows])
        return [start for start, end in self._chunks(rows)
                if any(row.line not in imported for row in rows[start:end])]

    def _imported_lines(self, lines):
        """The set of ``lines`` (of the file) already imported."""
        self.env.cr.execute("""
            SELECT history_import_line FROM account_invoice
             WHERE history_import_id = %s AND history_import_line = ANY(%s)
        """, (self.id, list(lines)))
        return {line for (line,) in self.env.cr.fetchall()}

    def _imported_counts(self):
        """{import id: rows imported}, in one statement."""
        if not self.ids:
            return {}
        self.env.cr.execute("""
            SELECT history_import_id, COUNT(*) FROM account_invoice
             WHERE history_import_id = ANY(%s) GROUP BY history_import_id
        """, (self.ids,))
        return dict(self.env.cr.fetchall())
