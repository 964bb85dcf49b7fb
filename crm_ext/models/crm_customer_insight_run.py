# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The recompute of crm.customer.insight: a company's figures and scores, its churn risk and the visits of its grades, in chunks."""
import collections
import io
import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import split_every

from ..tools import access, clock, insight_queries, session
from ..tools.chunked_cron import ChunkedRun
from .crm_customer_insight import ABC_COLUMNS, SCORE_COLUMNS

#: the advisory lock of a recompute (the nightly cron and the menu alike):
#: two never run at once, so no visit is planned twice
LOCK = "crm_ext.customer_insight"
#: customers written per chunk: 5,000 keep the cost of a chunk (its cursor,
#: its COPY, its commit) a few percent of its work (100,000 customers make
#: 20 chunks), while a chunk holds its rows' locks well under a second (an
#: invoice validated meanwhile waits little) and a failed one is cheap to redo
CHUNK_SIZE = 5000
#: the columns a full recompute writes
WRITTEN_COLUMNS = insight_queries.RAW_COLUMNS + SCORE_COLUMNS
#: the statements of its rows' table, with these columns (fixed texts)
ROWS_TABLE = insight_queries.ROWS_TABLE.format(columns=", ".join(WRITTEN_COLUMNS))
ROWS_FILL = insight_queries.ROWS_FILL.format(columns=", ".join(WRITTEN_COLUMNS))


class CrmCustomerInsight(models.Model):
    """The full recompute, run by the nightly cron and the sales managers'
    *Recompute* menu: per company, the figures and scores of every customer
    are computed at once (RFM quintiles, ABC classes and value scores rank
    the whole company), then written in chunks of customers; the churn risk
    is scored at once and written in chunks; the visits due are planned in
    chunks.  Each chunk reads what it writes from the data of its start, so
    a run that stopped half-way is completed by the next, and a second run
    changes nothing the first did."""

    # one concern of the model per file
    _inherit = "crm.customer.insight"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _action_recompute_all(self):
        """The "Recompute Customer Insight" menu (a server action, which any
        user may run): the figures and scores of the caller's companies now,
        as the nightly cron computes them, in the caller's transaction (the
        manager waits for the counts; an error leaves nothing half-done).

        :returns: the window action (a dict) of the form that says what it
            did (a ``crm.customer.insight.recompute``): customers
            recomputed, segments changed, seconds taken.
        :raises AccessError: the caller is not a sales manager.
        :raises UserError: a recompute (the nightly one, or another
            manager's) is running, or a chunk of this one failed (nothing
            is changed then).
        """
        access.check_sales_manager(self.env, "recompute_insight")
        companies = self.env.user.company_ids
        started = time.monotonic()
        counts = self._recompute_companies(companies, use_new_cursor=False)
        if counts is None:
            raise UserError(_("The customer insight is being recomputed right now; "
                              "try again when it is done."))
        if counts["failed_chunks"]:
            # raised: the whole transaction, the chunks that worked included,
            # is rolled back
            raise UserError(_("The customer insight could not be recomputed (the server's "
                              "log says why); nothing was changed."))
        return self.env["crm.customer.insight.recompute"]._show(
            companies, counts, time.monotonic() - started)

    @api.model
    def _cron_recompute_all(self, use_new_cursor=True):
        """Entry point of the nightly cron (``ir_cron_customer_insight``):
        every company, each chunk committed on a cursor of its own
        (``use_new_cursor``; False: in savepoints of this transaction)."""
        # a database has a handful of companies
        self._recompute_companies(
            self.env["res.company"].sudo().search([]),  # pylint: disable=no-search-all
            use_new_cursor=use_new_cursor)
        return True

    @api.model
    def _recompute_companies(self, companies, use_new_cursor=True):
        """The figures and scores of ``companies``, their churn risk (see
        ``_score_churn``), then the visits their grades plan, as one run of
        the lock :data:`LOCK`, on the clock's now.

        :param use_new_cursor: commit each chunk on a cursor of its own
            (the cron), or run it in a savepoint of this transaction.
        :returns: the counts of :meth:`_recompute_company`, summed over the
            companies, and ``failed_chunks``, the chunks that failed (a
            dict of ints); None when another run holds the lock (nothing
            done).
        """
        now = clock.now(self.env)
        today = fields.Date.context_today(self, now)
        insight = self.sudo()
        totals = collections.Counter(customers=0, segment_changes=0)
        with ChunkedRun(insight.env, LOCK, use_new_cursor=use_new_cursor) as run:
            if not run.acquired:
                return None
            for company in companies.sudo():
                company_insight = insight.with_context(force_company=company.id)
                totals.update(company_insight._recompute_company(company, today=today, run=run))
                company_insight._score_churn_run(company, now, run)
                company_insight._schedule_visits_run(company, today, run)
            totals["failed_chunks"] = run.summary["failed"]
        return dict(totals)

    @api.model
    def _in_chunk(self, run, label, records, method, *args):
        """``records.method(*args)`` as one chunk of ``run`` (a
        ``ChunkedRun``: on the chunk's cursor, its result or None when it
        failed), or at once in this transaction when ``run`` is None."""
        if run is None:
            return getattr(records, method)(*args)
        return run.chunk(lambda env: getattr(records.with_env(records.env(cr=env.cr)),
                                             method)(*args), label=label)

    @api.model
    def _recompute_company(self, company, today=None, run=None):
        """Recompute every figure and score of ``company`` (a
        ``res.company``) on ``today`` (a date string 'YYYY-MM-DD'; the
        user's today by default): one chunk computes the whole company in a
        few statements, whatever its number of customers (the ranks need
        them all), then chunks of :data:`CHUNK_SIZE` customers write them
        with their history.

        :param run: the ``ChunkedRun`` whose chunks these are; None: all in
            this transaction, an error raised.
        :returns: {"customers": customers scored (int), "segment_changes":
            those whose segment changed, new ones included (int)}, of the
            chunks written.
        """
        params = self._query_parameters(company, today=today)
        copied = run is not None and run.use_new_cursor
        label = "figures of %s" % company.id
        computed = self._in_chunk(run, label, self, "_compute_rows", company, params, copied)
        counts = collections.Counter(customers=0, segment_changes=0)
        if computed is None:
            return dict(counts)
        partner_ids, lines, vanished_ids, figures_as_of = computed
        if vanished_ids:
            self._in_chunk(run, label, self, "_delete_rows", vanished_ids)
        complete = True
        for start in range(0, len(partner_ids), CHUNK_SIZE):
            chunk_ids = partner_ids[start:start + CHUNK_SIZE]
            written = self._in_chunk(
                run, "%s, from customer %s" % (label, chunk_ids[0]), self, "_write_rows",
                dict(params, first_id=chunk_ids[0], last_id=chunk_ids[-1],
                     figures_as_of=figures_as_of),
                lines[start:start + CHUNK_SIZE] if copied else None)
            if written is None:
                complete = False
            else:
                counts.update(written)
        if not copied:
            self.env.cr.execute("DROP TABLE IF EXISTS crm_ext_insight_rows")
        if complete:
            self._in_chunk(run, label, self, "_stamp_recompute", company, clock.now(self.env))
        self._invalidate_insight_cache()
        return dict(counts)

    @api.model
    def _fill_raw_metrics(self, company, params):
        """The raw figures of the whole company, in the temporary table the
        scores read."""
        self.env.cr.execute("DROP TABLE IF EXISTS crm_ext_insight_raw")
        self.env.cr.execute(
            "CREATE TEMP TABLE crm_ext_insight_raw ON COMMIT DROP AS " + self._raw_select(company),
            params)

    @api.model
    def _compute_rows(self, company, params, copied):
        """The figures and scores of every customer of ``company`` as they
        will be written, in the temporary table ``crm_ext_insight_rows``
        (see insight_queries.ROWS_TABLE); ``params``: of
        :meth:`_query_parameters`.

        :param copied: the chunks that write them run on other cursors:
            return the rows as lines of COPY's text format (the temporary
            table goes with this transaction).
        :returns: (the customers' partner ids, sorted; their rows' lines in
            the same order, or None when not ``copied``; the ids of the
            insight rows of customers without any figure left; the moment
            the figures are of, this transaction's start in UTC).
        """
        cr = self.env.cr
        cr.execute("SELECT NOW() AT TIME ZONE 'UTC'")
        figures_as_of = cr.fetchone()[0]
        with session.tuned(cr):
            self._fill_raw_metrics(company, params)
            cr.execute("DROP TABLE IF EXISTS crm_ext_insight_scored")
            cr.execute(insight_queries.SCORES.format(
                abc_column=ABC_COLUMNS[company.insight_abc_measure]), params)
            cr.execute(insight_queries.VANISHED_IDS, params)
            vanished_ids = [row[0] for row in cr.fetchall()]
            self._create_rows_table()
            cr.execute(ROWS_FILL)
            cr.execute("DROP TABLE crm_ext_insight_raw")
            cr.execute("DROP TABLE crm_ext_insight_scored")
            cr.execute("SELECT partner_id FROM crm_ext_insight_rows ORDER BY partner_id")
            partner_ids = [row[0] for row in cr.fetchall()]
            lines = None
            if copied:
                text = io.StringIO()
                cr.copy_expert("COPY (SELECT * FROM crm_ext_insight_rows ORDER BY partner_id) "
                               "TO STDOUT", text)
                # COPY escapes the line breaks of values: one line per row
                lines = text.getvalue().split("\n")[:-1]
                cr.execute("DROP TABLE crm_ext_insight_rows")
        return partner_ids, lines, vanished_ids, figures_as_of

    @api.model
    def _create_rows_table(self):
        """The empty temporary table ``crm_ext_insight_rows``."""
        self.env.cr.execute("DROP TABLE IF EXISTS crm_ext_insight_rows")
        self.env.cr.execute(ROWS_TABLE)

    @api.model
    def _delete_rows(self, insight_ids):
        """Remove the insight rows ``insight_ids`` (customers the company no
        longer has any figure for)."""
        self.env.cr.execute("DELETE FROM crm_customer_insight WHERE id = ANY(%s)",
                            (list(insight_ids),))

    @api.model
    def _write_rows(self, params, lines=None):
        """One chunk of a full recompute: write the rows of the customers
        ``params["first_id"]`` to ``params["last_id"]`` and what changed to
        the history.  Only rows that changed are updated, new customers are
        inserted; a chunk written again writes nothing more.

        :param lines: the chunk's rows, as :meth:`_compute_rows` copies them
            (this cursor lacks its table), or None (the table is here).
        :returns: {"customers": rows of the chunk, "segment_changes": those
            whose segment changed}.
        """
        cr = self.env.cr
        if lines is not None:
            self._create_rows_table()
            cr.copy_expert("COPY crm_ext_insight_rows FROM STDIN",
                           io.StringIO("".join(line + "\n" for line in lines)))
        cr.execute(insight_queries.TRACKED_CHANGES, params)
        cr.execute(insight_queries.SCORED_COUNTS, params)
        customers, segment_changes = cr.fetchone()
        update, insert = insight_queries.upsert_statements(
            insight_queries.CHUNK_ROWS, WRITTEN_COLUMNS, keep_newer=True)
        cr.execute(update, params)
        cr.execute(insert, params)
        if lines is not None:
            cr.execute("DROP TABLE crm_ext_insight_rows")
        return {"customers": customers, "segment_changes": segment_changes}

    @api.model
    def _stamp_recompute(self, company, now):
        """Say that every figure of ``company`` was recomputed at ``now`` (a
        naive UTC datetime)."""
        self.env.cr.execute("UPDATE res_company SET insight_last_recompute = %s WHERE id = %s",
                            (fields.Datetime.to_string(now), company.id))
        company.invalidate_cache(["insight_last_recompute"], company.ids)

    @api.model
    def _score_churn_run(self, company, now, run):
        """``_score_churn`` of every customer of ``company`` at ``now``, in
        the chunks of ``run``: read and scored at once (one statement, then
        numpy), written :data:`CHUNK_SIZE` rows a chunk through COPY, then
        the customers left without a purchase cleared."""
        label = "churn of %s" % company.id
        scored = self._in_chunk(run, label, self, "_churn_score_rows", company, now)
        if scored is None:
            return
        ids, scores = scored
        for start in range(0, len(ids), CHUNK_SIZE):
            end = start + CHUNK_SIZE
            self._in_chunk(run, "%s, from row %s" % (label, ids[start]), self,
                           "_write_churn_scores", ids[start:end],
                           {column: values[start:end] for column, values in scores.items()},
                           now)
        self._in_chunk(run, label, self, "_clear_unscored_churn", company, now, ids)
        self._invalidate_insight_cache()


    @api.model
    def _schedule_visits_run(self, company, today, run):
        """crm.customer.grade ``_schedule_visits`` of ``company`` on ``today``
        (a date string 'YYYY-MM-DD') in the chunks of ``run``: the customers
        a visit is due for, read in one chunk, then planned in chunks that
        read again, each at its start, which of them still has none planned
        (no visit is planned twice, however often the run is repeated)."""
        grades = self.env["crm.customer.grade"].sudo()
        label = "visits of %s" % company.id
        due = self._in_chunk(run, label, grades, "_visit_partner_ids", company)
        for chunk in split_every(CHUNK_SIZE, due or [], list):
            self._in_chunk(run, "%s, from customer %s" % (label, chunk[0]), grades,
                           "_schedule_visits", company, today, chunk)
