# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The detection of crm.churn.alert: the cron that raises, holds out and closes alerts."""
import logging

from odoo import _, api, fields, models
from odoo.tools.misc import split_every

from ..tools import bulk_mail, churn_alert_queries, clock
from ..tools.chunked_cron import ChunkedRun

_logger = logging.getLogger(__name__)

#: the advisory lock of the detection (tools/chunked_cron.py): two runs of
#: it, on any worker or server, never overlap
DETECTION_LOCK = "crm_ext.churn_detection"
#: customers (or open alerts) per chunk: a chunk is one INSERT (or two
#: UPDATEs) and the bulk insert of its activities (or tracking), well under
#: a second and a few thousand row locks, while the 5,000 alerts of the
#: 100,000-customer benchmark company still take only a few commits
CHUNK_SIZE = 2000


class CrmChurnAlert(models.Model):
    """The detection cron of the churn alerts (``_cron_detect``), company
    by company, in chunks (tools/chunked_cron.py): score, close the alerts
    whose outcome is known, raise the new ones (with the hold-out draw)
    and plan their activities, raise the crises.  Each step is set-based
    (one statement per chunk) and reads what is left to do from the data,
    so that a run after a complete one does nothing and a run after one
    that stopped half-way does the rest."""

    # one concern of the model per file
    _inherit = "crm.churn.alert"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_detect(self, use_new_cursor=True):
        """The cron ``crm_ext.ir_cron_churn_detection``: :meth:`_detect_run`
        for every company, under the advisory lock ``DETECTION_LOCK`` (a
        run that finds it taken does nothing), each chunk committed on a
        cursor of its own (``use_new_cursor``, a bool; False: in savepoints
        of the caller's transaction, as the tests run it).  Re-running it
        the same day raises nothing twice (one open alert per customer, the
        same hold-out draw, activities planned with their alert).

        :returns: the number of new alerts (an int).
        """
        now = clock.now(self.env)
        raised = []
        with ChunkedRun(self.env, DETECTION_LOCK, use_new_cursor=use_new_cursor) as run:
            if run.acquired:
                for company in self._detection_companies():
                    raised += self._detect_run(run, company, now)
        return len(raised)

    @api.model
    def _detection_companies(self):
        """The companies the cron works for: all of them.  Meant to be
        overridden (a module that leaves some out)."""
        # a database has a handful of companies
        return self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all

    @api.model
    def _detect(self, company):
        """Score the customers of ``company`` unless already scored today,
        then act on the scores (:meth:`_detect_run`), at the clock's now,
        in savepoints of the caller's transaction (the demo data).
        Returns the new alerts."""
        return self._detect_in_transaction(company, clock.now(self.env), score=True)

    @api.model
    def _detect_alerts(self, company, now):
        """:meth:`_detect_run` at ``now`` (a naive UTC datetime) without the
        scoring, in savepoints of the caller's transaction (tests and
        benchmark).  Returns the new alerts."""
        return self._detect_in_transaction(company, now, score=False)

    @api.model
    def _detect_in_transaction(self, company, now, score):
        """:meth:`_detect_run` in savepoints of the caller's cursor."""
        with ChunkedRun(self.env, DETECTION_LOCK, use_new_cursor=False) as run:
            raised = self._detect_run(run, company, now, score=score) if run.acquired else []
        return self.browse(sorted(raised))

    @api.model
    def _detect_run(self, run, company, now, score=True):
        """The detection of ``company`` at ``now`` (a naive UTC datetime) in
        chunks of ``run`` (a ChunkedRun holding ``DETECTION_LOCK``): score
        the customers unless the nightly recompute did today
        (``score``), close the open alerts whose customer bought again
        (retained) or stayed silent (lost), raise the new alerts with their
        activities, and raise the crises (crm.churn.crisis
        ``_detect_crises``).  What each step has to do is listed in a chunk
        of its own, after the chunks before it are committed.  A failing
        chunk is logged and left to the next run; a failed scoring leaves
        the company to the next run.  Returns the ids of the new alerts."""
        if score and not run.chunk(self._step(company, now, "_score_if_due"),
                                   "%s: score" % company.name):
            return []
        alert_ids = run.chunk(self._step(company, now, "_open_alert_ids"),
                              "%s: open alerts" % company.name) or []
        for ids in split_every(CHUNK_SIZE, alert_ids, list):
            run.chunk(self._step(company, now, "_close_outcomes", ids),
                      "%s: close alerts %d-%d" % (company.name, ids[0], ids[-1]))
        partner_ids = run.chunk(self._step(company, now, "_candidate_ids"),
                                "%s: candidates" % company.name) or []
        raised = []
        for ids in split_every(CHUNK_SIZE, partner_ids, list):
            raised += run.chunk(self._step(company, now, "_raise_alerts", ids),
                                "%s: raise customers %d-%d" % (company.name, ids[0], ids[-1])
                                ) or []
        run.chunk(self._step(company, now, "_raise_crises"), "%s: crises" % company.name)
        _logger.info("Churn alerts of %s: %d raised", company.name, len(raised))
        return raised

    @api.model
    def _step(self, company, now, method, *args):
        """The work of one chunk: ``method`` of this model called with the
        company (on the chunk's cursor), ``now`` and ``args``, as the
        superuser, with the clock frozen at the run's ``now`` (the scoring
        reads it)."""
        def work(env):
            with clock.frozen(env, now):
                return getattr(env[self._name].sudo(), method)(
                    env["res.company"].browse(company.id), now, *args)
        return work

    @api.model
    def _score_if_due(self, company, now):
        """Score the company's customers (``crm.customer.insight._score_churn``)
        unless the nightly recompute of the insight scored them already
        on the day of ``now``.  Returns True."""
        insight = self.env["crm.customer.insight"].sudo()
        if insight._churn_scored_on(company) != fields.Date.to_string(now.date()):
            insight._score_churn(company)
        return True

    @api.model
    def _open_alert_ids(self, company, now):
        """The ids of the company's open alerts (a list), for the closing."""
        self.env.cr.execute(churn_alert_queries.OPEN_ALERT_IDS, self._query_params(company, now))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _candidate_ids(self, company, now):
        """The ids of the customers due an alert (a list, see
        churn_alert_queries.CANDIDATES)."""
        self.env.cr.execute(churn_alert_queries.CANDIDATE_IDS,
                            self._candidate_params(company, now))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _raise_crises(self, company, now):
        """The crises of the company (crm.churn.crisis ``_detect_crises``),
        as the ids of the new ones."""
        return self.env["crm.churn.crisis"]._detect_crises(company, now).ids

    @api.model
    def _query_params(self, company, now, **extra):
        """The parameters every statement of tools/churn_alert_queries.py takes."""
        return dict(extra, company=company.id, today=now.date(), now=now, uid=self.env.uid)

    @api.model
    def _candidate_params(self, company, now, **extra):
        """The parameters of churn_alert_queries.CANDIDATES: the company's
        thresholds and hold-out share."""
        return self._query_params(
            company, now, risk=company.churn_alert_risk_threshold,
            p_alive=company.churn_alert_p_alive_threshold,
            holdout=company.churn_alert_holdout_pct / 100.0, **extra)

    @api.model
    def _raise_alerts(self, company, now, partner_ids):
        """Insert the new alerts of the customers ``partner_ids`` (a list of
        ids, one chunk) in one statement (see churn_alert_queries.INSERT_ALERTS),
        then plan the activity of each one not held out for its owner, in
        the same transaction: an alert and its activity are committed
        together or not at all.  Returns the ids of the new alerts (a
        list)."""
        cr = self.env.cr
        cr.execute(churn_alert_queries.INSERT_ALERTS,
                   self._candidate_params(company, now, partner_ids=list(partner_ids)))
        rows = cr.fetchall()
        alerts = self.browse(sorted(row[0] for row in rows))
        if alerts:
            alerts._plan_activities([(alert_id, owner) for alert_id, owner, held_out in rows
                                     if owner and not held_out], now)
        return alerts.ids

    @api.multi
    def _plan_activities(self, assignments, now):
        """The activity of each alert of ``assignments`` ([(alert id, user
        id)]) for its owner, who then follows the alert (set-based, as the
        complaint escalation: tools/bulk_mail.py)."""
        bulk_mail.schedule_activities(
            self, sorted(assignments), self.env.ref("crm_ext.mail_activity_data_churn_alert"),
            lambda name: _("Churn risk: %s") % name, now)

    @api.model
    def _close_outcomes(self, company, now, alert_ids):
        """Close the company's open alerts among ``alert_ids`` (a list of
        ids, one chunk) whose customer bought again (retained) and then
        those raised the company's silence ago (lost), each in one
        statement, with their state's tracking message; their planned
        activities go.  Alerts closed meanwhile are left as they are.
        Returns True."""
        cr = self.env.cr
        params = self._query_params(company, now, lost_days=company.churn_alert_lost_days,
                                    alert_ids=list(alert_ids))
        changes = []
        for query, state in ((churn_alert_queries.CLOSE_RETAINED, "retained"),
                             (churn_alert_queries.CLOSE_LOST, "lost")):
            cr.execute(query, params)
            changes += [(alert_id, before, state) for alert_id, before in cr.fetchall()]
        if not changes:
            return True
        closed = self.browse(sorted(change[0] for change in changes))
        closed.invalidate_cache(["state", "date_closed"], closed.ids)
        bulk_mail.insert_tracking(closed, "state", sorted(changes), now)
        cr.execute("DELETE FROM mail_activity WHERE res_model = %s AND res_id IN %s",
                   (self._name, tuple(closed.ids)))
        closed.invalidate_cache(["activity_ids"], closed.ids)
        return True
