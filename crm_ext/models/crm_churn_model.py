# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn model of a company: its BG/NBD and Gamma-Gamma fit and its card."""
import logging
import math
from datetime import timedelta

import numpy as np

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import access, bgnbd, churn_queries, clock, gamma_gamma, model_card, session
from ..tools.chunked_cron import ChunkedRun

_logger = logging.getLogger(__name__)

GRADES = [("A", "A"), ("B", "B"), ("C", "C")]
# what a fit writes besides the card (nothing when the data is insufficient)
FITTED_FIELDS = ("r", "alpha", "a", "b", "log_likelihood", "converged", "spend_p", "spend_q",
                 "spend_gamma", "spend_customers", "spend_correlation")
# card field: the figure of tools/model_card.build
CARD_FIGURES = {
    "holdout_customers": "holdout_customers", "holdout_churn_rate": "holdout_churn_rate",
    "holdout_auc": "auc", "top_decile_lift": "lift_top_decile", "accuracy": "accuracy",
    "f1_churners": "f1_churners", "naive_window": "naive_window",
    "naive_top_decile_lift": "naive_lift_top_decile", "naive_accuracy": "naive_accuracy",
    "naive_f1_churners": "naive_f1_churners",
}
# the time unit of the parameters: days of the SQL divided by this
DAYS_PER_UNIT = 7.0
#: the advisory lock of the weekly fit (tools/chunked_cron.py): two runs of
#: it, on any worker or server, never overlap
FIT_LOCK = "crm_ext.churn_fit"


class CrmChurnModel(models.Model):
    """The BG/NBD model (Fader, Hardie & Lee 2005) and the Gamma-Gamma spend
    model (Fader & Hardie 2013) of one company, fitted by maximum likelihood
    on its posted customer invoices as of a day (tools/bgnbd.py,
    tools/gamma_gamma.py), with the model card computed at fit time
    (tools/model_card.py).  The latest of the company is the one the churn
    risk uses (:meth:`_latest`)."""

    _name = "crm.churn.model"
    _description = "Churn Model"
    _order = "as_of desc, fitted_on desc, id desc"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade")
    as_of = fields.Date(
        required=True, readonly=True, index=True,
        help="The purchase histories are cut at this day.")
    fitted_on = fields.Datetime(readonly=True)
    time_unit = fields.Selection(
        [("week", "Weeks")], required=True, readonly=True, default="week",
        help="The unit of alpha and of the times of the model.")
    customers = fields.Integer(readonly=True, help="Customers with a purchase as of the day.")
    r = fields.Float(readonly=True, digits=(16, 6))
    alpha = fields.Float(readonly=True, digits=(16, 6))
    a = fields.Float(readonly=True, digits=(16, 6))
    b = fields.Float(readonly=True, digits=(16, 6))
    log_likelihood = fields.Float(readonly=True, digits=(16, 4))
    converged = fields.Boolean(readonly=True)
    spend_p = fields.Float("Gamma-Gamma p", readonly=True, digits=(16, 6))
    spend_q = fields.Float("Gamma-Gamma q", readonly=True, digits=(16, 6))
    spend_gamma = fields.Float("Gamma-Gamma Gamma", readonly=True, digits=(16, 6))
    spend_customers = fields.Integer(
        "Repeat Buyers", readonly=True, help="Customers the spend model was fitted on.")
    spend_correlation = fields.Float(
        "Frequency-Spend Correlation", readonly=True, digits=(16, 4),
        help="Pearson correlation of the number of repeat purchases and their average "
             "amount: the Gamma-Gamma model assumes it is small.")
    # the model card (tools/model_card.py says how each figure is made)
    calibration_date = fields.Date(
        readonly=True, help="The card's model is fitted up to this day and judged on the "
                            "purchases after it, up to the model's day (the holdout).")
    holdout_customers = fields.Integer(readonly=True, help="Customers known at the split.")
    holdout_churn_rate = fields.Float(
        readonly=True, digits=(16, 3), help="Share of them without a purchase in the holdout.")
    holdout_auc = fields.Float(
        "Holdout AUC", readonly=True, digits=(16, 3),
        help="Area under the ROC curve of the expected purchases (P(alive) x the purchases "
             "of an active customer) against \"bought again in the holdout\".")
    top_decile_lift = fields.Float(
        readonly=True, digits=(16, 2),
        help="Churners among the tenth of customers the model ranks riskiest, against all.")
    accuracy = fields.Float("Predictions Right", readonly=True, digits=(16, 3))
    f1_churners = fields.Float(
        "F1 on Churners", readonly=True, digits=(16, 3),
        help="Harmonic mean of the precision and the recall of \"lost\".")
    naive_window = fields.Float(
        "Naive Rule Window (weeks)", readonly=True, digits=(16, 1),
        help="The naive rule calls lost a customer without a purchase in this last part of "
             "the window (chosen on the calibration period).")
    naive_top_decile_lift = fields.Float("Naive Rule Top-Decile Lift", readonly=True,
                                         digits=(16, 2))
    naive_accuracy = fields.Float("Naive Rule Right", readonly=True, digits=(16, 3))
    naive_f1_churners = fields.Float("Naive Rule F1 on Churners", readonly=True,
                                     digits=(16, 3))
    grade = fields.Selection(
        GRADES, readonly=True,
        help="A: at least half the predictions right and 10% better than the naive rule on "
             "churners; B: as good as the naive rule; C: rely on the other risk factors.")
    warning_codes = fields.Char(readonly=True)
    warnings = fields.Text(compute="_compute_warnings")
    insufficient_data = fields.Boolean(
        readonly=True, help="Too few customers with a purchase, or too short a history: no "
                            "P(alive), the churn risk uses the other factors only.")

    _sql_constraints = [
        ("company_as_of_uniq", "unique(company_id, as_of)",
         "A company has one churn model per day."),
    ]

    @api.depends("warning_codes")
    def _compute_warnings(self):
        words = {
            "auc_weak": _("Weak: the holdout AUC is below 0.6."),
            "auc_leakage": _("Too good to be true (AUC above 0.95): future data in the past?"),
            "few_customers": _("Insufficient data: fewer than 500 customers with a purchase."),
            "short_history": _("Insufficient data: a history shorter than twice the holdout."),
        }
        for model in self:
            model.warnings = "\n".join(
                words.get(code, code) for code in (model.warning_codes or "").split(",")
                if code) or False

    @api.multi
    def name_get(self):
        return [(model.id, _("%(company)s, as of %(day)s") % {
            "company": model.company_id.name, "day": model.as_of}) for model in self]

    # business methods

    @api.model
    def _latest(self, company):
        """The model the churn risk of ``company`` uses: its latest (an
        empty recordset without any)."""
        return self.sudo().search([("company_id", "=", company.id)], limit=1)

    def _usable(self):
        """Whether this model gives P(alive): fitted on enough data."""
        return bool(self) and not self.insufficient_data and self.converged

    @api.model
    def _fit_company(self, company, as_of=None):
        """Fit the models of ``company`` (a ``res.company``) on its purchases up
        to ``as_of`` (a date or 'YYYY-MM-DD'; the clock's today in the
        user's time zone when not given) and compute its card; the model of
        the same company and day is replaced (a fit run twice leaves one).
        Below 500 customers with a purchase, only the card is kept; with a
        history shorter than twice the holdout, the parameters are fitted
        too, but the card says insufficient data and the churn risk does
        not use them (:meth:`_usable`).

        :returns: the ``crm.churn.model`` record.
        """
        as_of = fields.Date.from_string(
            as_of or fields.Date.context_today(self, clock.now(self.env)))
        cr = self.env.cr
        params = {"company_id": company.id, "as_of": as_of, "holdout_end": as_of}
        # a refit of the same day forgets the parameters it no longer finds
        values = dict.fromkeys(FITTED_FIELDS, False)
        values.update({"company_id": company.id, "as_of": fields.Date.to_string(as_of),
                       "fitted_on": fields.Datetime.to_string(clock.now(self.env))})
        with session.tuned(cr):
            values.update(self._card_values(company, as_of, params))
            # a short history still gives parameters (shown, not used)
            if values["customers"] >= model_card.MIN_CUSTOMERS:
                values.update(self._fit_values(params))
        existing = self.sudo().search([("company_id", "=", company.id),
                                       ("as_of", "=", values["as_of"])])
        if existing:
            existing.write(values)
            return existing
        return self.sudo().create(values)

    @api.model
    def _fit_values(self, params):
        """The parameters of both models, fitted on the customers and repeat
        buyers ``churn_queries.FIT_FREQUENCIES`` and ``FIT_SPENDS`` read
        with ``params``."""
        self.env.cr.execute(churn_queries.FIT_FREQUENCIES, params)
        rows = np.array(self.env.cr.fetchall(), dtype=float).reshape(-1, 4)
        fit = bgnbd.fit(rows[:, 0], rows[:, 1] / DAYS_PER_UNIT, rows[:, 2] / DAYS_PER_UNIT,
                        weights=rows[:, 3])
        values = {"r": fit["r"], "alpha": fit["alpha"], "a": fit["a"], "b": fit["b"],
                  "log_likelihood": fit["log_likelihood"], "converged": fit["converged"],
                  "customers": int(round(fit["customers"]))}
        self._check_finite(values)
        self.env.cr.execute(churn_queries.FIT_SPENDS, params)
        spends = np.array(self.env.cr.fetchall(), dtype=float).reshape(-1, 2)
        if len(spends) > 1:
            spend = gamma_gamma.fit(spends[:, 0], spends[:, 1])
            values.update({"spend_p": spend["p"], "spend_q": spend["q"],
                           "spend_gamma": spend["gamma"],
                           "spend_customers": int(round(spend["customers"])),
                           "spend_correlation": spend["correlation"]})
            self._check_finite(values)
        return values

    @api.model
    def _check_finite(self, values):
        """Raise a UserError when a fitted figure of ``values`` (a dict) is
        not a finite number (a numerical failure of the fit): nothing of
        the fit is written, the previous model stays in use."""
        wrong = sorted(name for name, value in values.items()
                       if isinstance(value, float) and not math.isfinite(value))
        if wrong:
            raise UserError(_("The churn model could not be fitted: %s is not a number.")
                            % ", ".join(wrong))

    @api.model
    def _card_values(self, company, as_of, params):
        """The model card (tools/model_card.build) of the purchases up to
        ``as_of`` (a date), its holdout the company's ``churn_holdout_days``."""
        window = company.churn_holdout_days / DAYS_PER_UNIT
        self.env.cr.execute(churn_queries.PURCHASES, params)
        rows = np.array(self.env.cr.fetchall(), dtype=float).reshape(-1, 2)
        card = model_card.build(rows[:, 0], rows[:, 1] / DAYS_PER_UNIT, 0.0, window)
        values = {
            "customers": card["customers"],
            "calibration_date": fields.Date.to_string(
                as_of - timedelta(days=company.churn_holdout_days)),
            "insufficient_data": card["status"] == "insufficient_data",
            "grade": card["grade"] or False,
            "warning_codes": ",".join(card["warnings"]) or False,
        }
        for field, key in CARD_FIGURES.items():
            value = card.get(key)
            values[field] = value if value is not None else False
        return values

    @api.model
    def _fit_companies(self, companies):
        """Fit the models of ``companies`` as of today, then score their
        customers with them (:meth:`_fit_and_score`), in the caller's
        transaction."""
        for company in companies.sudo():
            self._fit_and_score(company)

    @api.model
    def _fit_and_score(self, company):
        """Fit the model of ``company`` as of the clock's today and score
        its customers with it: the model and the scores it gives change
        together.  Returns the model's id."""
        model = self.sudo().with_context(force_company=company.id)._fit_company(company)
        self.env["crm.customer.insight"].sudo().with_context(
            force_company=company.id)._score_churn(company)
        return model.id

    @api.model
    def _fitted_today(self, company):
        """Whether ``company`` has a model as of the clock's today (the
        cron fits it no more that day)."""
        as_of = fields.Date.context_today(self, clock.now(self.env))
        return bool(self.sudo().search_count([("company_id", "=", company.id),
                                              ("as_of", "=", as_of)]))

    @api.model
    def _cron_fit(self, use_new_cursor=True):
        """Entry point of the weekly cron (``ir_cron_churn_fit``): the fit and
        scoring of every company without a model as of today
        (:meth:`_fit_and_score`), each company in a chunk of its own
        (tools/chunked_cron.py), committed on a cursor of its own
        (``use_new_cursor``, a bool; False: in savepoints of the caller's
        transaction, as the tests run it), under the advisory lock
        ``FIT_LOCK`` (a run that finds it taken does nothing).  A company
        whose fit fails (a numerical failure) is logged and keeps its
        previous model and scores; the others are fitted; the next run
        fits the companies left.  Returns True."""
        now = clock.now(self.env)
        with ChunkedRun(self.env, FIT_LOCK, use_new_cursor=use_new_cursor) as run:
            if run.acquired:
                for company in self._fit_cron_companies():
                    run.chunk(self._fit_step(company, now), "fit of %s" % company.name)
        return True

    @api.model
    def _fit_cron_companies(self):
        """The companies the weekly cron fits: all of them.  Meant to be
        overridden (a module that leaves some out)."""
        # a database has a handful of companies
        return self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all

    @api.model
    def _fit_step(self, company, now):
        """The chunk of ``company`` of :meth:`_cron_fit`: on the chunk's
        cursor, with the clock frozen at the run's ``now``, the fit and
        scoring of the company unless fitted today.  Returns the model's
        id, or False when there was nothing to do."""
        def work(env):
            with clock.frozen(env, now):
                model = env[self._name].sudo()
                chunk_company = env["res.company"].browse(company.id)
                if model._fitted_today(chunk_company):
                    return False
                return model._fit_and_score(chunk_company)
        return work

    @api.model
    def _action_fit_now(self):
        """The "Fit Churn Model Now" menu and button (a server action for
        sales managers): the models of the caller's current company as of
        today, and the risk of its customers.

        :returns: the window action of the models (a dict).
        :raises AccessError: the caller is not a sales manager.
        """
        access.check_sales_manager(self.env, "fit_churn_model")
        self._fit_companies(self.env.user.company_id)
        return self.env.ref("crm_ext.crm_churn_model_action").read()[0]
