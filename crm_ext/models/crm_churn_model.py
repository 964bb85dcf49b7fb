# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn model of a company: its BG/NBD and Gamma-Gamma fit and its card."""
from datetime import timedelta

import numpy as np

from odoo import _, api, fields, models

from ..tools import access, bgnbd, churn_queries, clock, gamma_gamma, model_card, session

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
        self.env.cr.execute(churn_queries.FIT_SPENDS, params)
        spends = np.array(self.env.cr.fetchall(), dtype=float).reshape(-1, 2)
        if len(spends) > 1:
            spend = gamma_gamma.fit(spends[:, 0], spends[:, 1])
            values.update({"spend_p": spend["p"], "spend_q": spend["q"],
                           "spend_gamma": spend["gamma"],
                           "spend_customers": int(round(spend["customers"])),
                           "spend_correlation": spend["correlation"]})
        return values

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
        customers with them."""
        insight = self.env["crm.customer.insight"].sudo()
        for company in companies.sudo():
            self.sudo().with_context(force_company=company.id)._fit_company(company)
            insight.with_context(force_company=company.id)._score_churn(company)

    @api.model
    def _cron_fit(self):
        """Entry point of the weekly cron (``ir_cron_churn_fit``): every
        company."""
        # a database has a handful of companies
        self._fit_companies(
            self.env["res.company"].sudo().search([]))  # pylint: disable=no-search-all
        return True

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
