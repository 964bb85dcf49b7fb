# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The detection of crm.churn.alert: the cron that raises, holds out and closes alerts."""
import logging

from odoo import _, api, fields, models

from ..tools import bulk_mail, churn_alert_queries, clock

_logger = logging.getLogger(__name__)


class CrmChurnAlert(models.Model):
    """The detection cron of the churn alerts (``_cron_detect``), company
    by company, one statement per step: score, close the alerts whose
    outcome is known, raise the new ones (with the hold-out draw), plan
    their activities, raise the crises."""

    # one concern of the model per file
    _inherit = "crm.churn.alert"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_detect(self):
        """The cron ``crm_ext.ir_cron_churn_detection``: :meth:`_detect` for
        every company.  Re-running it the same day raises nothing twice
        (one open alert per customer, the same hold-out draw).  Returns the
        number of new alerts."""
        raised = 0
        # a database has a handful of companies
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            raised += len(self.sudo()._detect(company))
        return raised

    @api.model
    def _detect(self, company):
        """Score the company's customers (``crm.customer.insight._score_churn``)
        unless the nightly recompute of the insight scored them already
        today, then act on the scores (:meth:`_detect_alerts`).  Returns
        the new alerts."""
        now = clock.now(self.env)
        insight = self.env["crm.customer.insight"].sudo()
        if insight._churn_scored_on(company) != fields.Date.to_string(now.date()):
            insight._score_churn(company)
        return self._detect_alerts(company, now)

    @api.model
    def _detect_alerts(self, company, now):
        """From the scores of the company's customers (``churn_risk``,
        ``p_alive`` of crm.customer.insight) at ``now`` (a naive UTC
        datetime): close the open alerts whose customer bought again
        (retained) or stayed silent (lost), raise the new alerts, plan the
        activities of those not held out, and raise the crises
        (crm.churn.crisis ``_detect_crises``).  Returns the new alerts."""
        self._close_outcomes(company, now)
        alerts = self._raise_alerts(company, now)
        self.env["crm.churn.crisis"]._detect_crises(company, now)
        _logger.info("Churn alerts of %s: %d raised", company.name, len(alerts))
        return alerts

    @api.model
    def _query_params(self, company, now, **extra):
        """The parameters every statement of tools/churn_alert_queries.py takes."""
        return dict(extra, company=company.id, today=now.date(), now=now, uid=self.env.uid)

    @api.model
    def _raise_alerts(self, company, now):
        """Insert the company's new alerts in one statement (see
        churn_alert_queries.INSERT_ALERTS: thresholds and hold-out share of the
        company), then plan the activity of each one not held out for its
        owner.  Returns the new alerts."""
        cr = self.env.cr
        cr.execute(churn_alert_queries.INSERT_ALERTS, self._query_params(
            company, now, risk=company.churn_alert_risk_threshold,
            p_alive=company.churn_alert_p_alive_threshold,
            holdout=company.churn_alert_holdout_pct / 100.0))
        rows = cr.fetchall()
        alerts = self.browse(sorted(row[0] for row in rows))
        if alerts:
            alerts._plan_activities([(alert_id, owner) for alert_id, owner, held_out in rows
                                     if owner and not held_out], now)
        return alerts

    @api.multi
    def _plan_activities(self, assignments, now):
        """The activity of each alert of ``assignments`` ([(alert id, user
        id)]) for its owner, who then follows the alert (set-based, as the
        complaint escalation: tools/bulk_mail.py)."""
        bulk_mail.schedule_activities(
            self, sorted(assignments), self.env.ref("crm_ext.mail_activity_data_churn_alert"),
            lambda name: _("Churn risk: %s") % name, now)

    @api.model
    def _close_outcomes(self, company, now):
        """Close the company's open alerts whose customer bought again
        (retained) and then those raised the company's silence ago (lost),
        each in one statement, with their state's tracking message; their
        planned activities go."""
        cr = self.env.cr
        params = self._query_params(company, now, lost_days=company.churn_alert_lost_days)
        changes = []
        for query, state in ((churn_alert_queries.CLOSE_RETAINED, "retained"),
                             (churn_alert_queries.CLOSE_LOST, "lost")):
            cr.execute(query, params)
            changes += [(alert_id, before, state) for alert_id, before in cr.fetchall()]
        if not changes:
            return
        closed = self.browse(sorted(change[0] for change in changes))
        closed.invalidate_cache(["state", "date_closed"], closed.ids)
        bulk_mail.insert_tracking(closed, "state", sorted(changes), now)
        cr.execute("DELETE FROM mail_activity WHERE res_model = %s AND res_id IN %s",
                   (self._name, tuple(closed.ids)))
        closed.invalidate_cache(["activity_ids"], closed.ids)
