# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn concern of crm.customer.insight: risk, its reasons, P(alive)."""
import json
from datetime import timedelta

import numpy as np

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools.misc import formatLang

from ..tools import bgnbd, bulk_update, churn_queries, churn_risk, churn_value, clock, session
from .crm_churn_model import DAYS_PER_UNIT

# the columns of the factors' contributions
FACTOR_COLUMNS = tuple("churn_factor_%s" % code for code in churn_risk.FACTOR_CODES)


class CrmCustomerInsight(models.Model):
    """The churn figures of a customer in a company, scored by
    :meth:`_score_churn` (the factors in tools/churn_risk.py, P(alive) and
    the predicted value from the company's ``crm.churn.model``).  The
    reasons are stored as factor codes and figures, and put in words in the
    reader's language."""

    # one concern of the model per file
    _inherit = "crm.customer.insight"  # pylint: disable=consider-merging-classes-inherited

    # not indexed: the nightly scoring rewrites the risk of most customers,
    # in place (HOT updates) only when no index holds it
    churn_risk = fields.Integer(
        readonly=True, group_operator="avg",
        help="0 (no sign of leaving) to 100, the sum of the weighted risk factors of the "
             "company's settings; the top three are the reasons.")
    churn_reasons = fields.Text(
        compute="_compute_churn_reasons", search="_search_churn_reasons",
        help="The factors that weigh most in the churn risk, in words.")
    churn_reason_codes = fields.Char(
        readonly=True, help="The factors of the reasons, the heaviest first.")
    churn_figures = fields.Text(readonly=True, help="The figures of the reasons (JSON).")
    churn_at_risk = fields.Boolean(
        "At Churn Risk", compute="_compute_churn_at_risk", search="_search_churn_at_risk",
        help="The churn risk reaches the company's alert threshold (Settings, Churn Alerts).")
    p_alive = fields.Float(
        "P(alive)", readonly=True, digits=(16, 4), group_operator="avg",
        help="Probability that the customer still buys (BG/NBD model of the company, "
             "Fader, Hardie & Lee 2005).")
    p_alive_percent = fields.Float(
        "Still Buying (%)", compute="_compute_p_alive_percent", digits=(16, 0),
        help="P(alive) as a percentage: the chance, per the company's churn model, that the "
             "customer still buys.")
    expected_purchases_90d = fields.Float(
        "Expected Purchases (90 Days)", readonly=True, digits=(16, 2),
        help="Purchases the BG/NBD model of the company expects in the next 90 days.")
    churn_scored_at = fields.Datetime("Churn Scored On", readonly=True)
    churn_model_id = fields.Many2one(
        "crm.churn.model", readonly=True, ondelete="set null",
        help="The model P(alive) and the predicted value come from.")
    # each factor's contribution, in points of the risk
    churn_factor_rhythm = fields.Float("Risk: Purchase Rhythm", readonly=True)
    churn_factor_frequency = fields.Float("Risk: Order Frequency", readonly=True)
    churn_factor_spend = fields.Float("Risk: Spend", readonly=True)
    churn_factor_interactions = fields.Float("Risk: Interactions", readonly=True)
    churn_factor_complaints = fields.Float("Risk: Complaints", readonly=True)
    churn_factor_rating = fields.Float("Risk: Last Rating", readonly=True)
    churn_factor_overdue = fields.Float("Risk: Overdue Receivables", readonly=True)
    churn_factor_returns = fields.Float("Risk: Returns", readonly=True)
    churn_factor_tier = fields.Float("Risk: Loyalty Tier", readonly=True)
    churn_factor_points = fields.Float("Risk: Expiring Points", readonly=True)
    churn_factor_segment = fields.Float("Risk: Segment", readonly=True)
    churn_factor_p_alive = fields.Float("Risk: P(alive)", readonly=True)

    @api.depends("churn_reason_codes", "churn_figures")
    @api.depends("p_alive")
    def _compute_p_alive_percent(self):
        for insight in self:
            insight.p_alive_percent = 100.0 * insight.p_alive

    def _compute_churn_reasons(self):
        for insight in self:
            insight.churn_reasons = insight._churn_reasons_text(
                insight.churn_reason_codes, insight.churn_figures)

    @api.model
    def _churn_reasons_text(self, codes, figures):
        """The reasons in words, in the user's language: ``codes`` the
        factors (comma-separated, heaviest first), ``figures`` their figures
        (JSON); False without any.  The customer's and its alerts' reasons
        alike."""
        figures = json.loads(figures or "{}")
        return "; ".join(self._churn_reason_words(code, figures[code])
                         for code in (codes or "").split(",") if code in figures) or False

    def _search_churn_reasons(self, operator, value):
        # the words are the reader's language: a text matches the factors
        # whose name has it
        if value is False or value is None:
            return [("churn_reason_codes", "=" if operator == "=" else "!=", False)]
        labels = self._churn_factor_labels()
        text = str(value).lower()
        codes = [code for code, label in labels.items()
                 if text in label.lower() or text in code]
        domain = expression.OR([[("churn_reason_codes", "ilike", code)] for code in codes]
                               or [expression.FALSE_DOMAIN])
        if operator in expression.NEGATIVE_TERM_OPERATORS:
            return ["!"] + domain
        return domain

    @api.model
    def _churn_factor_labels(self):
        """{factor code: its name in the user's language}."""
        return {
            "rhythm": _("Purchase rhythm"), "frequency": _("Order frequency"),
            "spend": _("Spend"), "interactions": _("Interactions"),
            "complaints": _("Complaints"), "rating": _("Last rating"),
            "overdue": _("Overdue receivables"), "returns": _("Returns"),
            "tier": _("Loyalty tier"), "points": _("Expiring points"),
            "segment": _("Segment"), "p_alive": _("P(alive)"),
        }

    def _churn_reason_words(self, code, figures):
        """One reason in words, in the user's language, from its ``figures``
        (see tools/churn_risk.reason_figures)."""
        def number(name, digits=0):
            return formatLang(self.env, figures.get(name) or 0.0, digits=digits)

        if code == "rhythm":
            return _("no order for %(days)s days, usually every %(usual)s") % {
                "days": number("days"), "usual": number("usual")}
        if code == "frequency":
            return _("%(orders)s orders in the last 90 days, %(previous)s in the 90 before") % {
                "orders": number("orders"), "previous": number("previous")}
        if code == "spend":
            return _("spend down %s%% on the previous 90 days") % number("pct")
        if code == "interactions":
            if not figures.get("count"):
                return _("no interaction in the last 90 days")
            return _("%s interactions in the last 90 days") % number("count")
        if code == "complaints":
            words = _("%s open complaints") % number("open")
            if figures.get("breached"):
                words = _("%(open)s, %(breached)s past its deadline") % {
                    "open": words, "breached": number("breached")}
            return words
        if code == "rating":
            return _("last complaint rated %s/5") % number("stars")
        if code == "overdue":
            return _("%(amount)s overdue, the oldest for %(days)s days") % {
                "amount": formatLang(self.env, figures.get("amount") or 0.0,
                                     currency_obj=self.company_id.currency_id),
                "days": number("days")}
        if code == "returns":
            return _("%s%% of the last 90 days' sales returned") % number("pct")
        if code == "tier":
            tiers = self._churn_names("crm.loyalty.tier", figures)
            return _("tier lost") + (" (%s)" % " → ".join(tiers) if tiers else "")
        if code == "points":
            return _("%s points expiring unused") % number("points")
        if code == "segment":
            return _("segment down: %s") % " → ".join(
                self._churn_names("crm.customer.segment", figures))
        return _("%s%% likely to be still buying") % number("pct")

    def _churn_names(self, model, figures):
        """The names, in the user's language, of the records of ``model``
        that ``figures`` holds as ``old`` and ``new`` (the old first; those
        deleted since are left out)."""
        ids = [int(figures[key]) for key in ("old", "new") if figures.get(key)]
        names = dict(self.env[model].sudo().browse(ids).exists().mapped(
            lambda record: (record.id, record.name)))
        return [names[record_id] for record_id in ids if record_id in names]

    # business methods

    @api.model
    def _churn_settings(self, company):
        """(weights {factor code: points}, thresholds) of ``company``, as
        tools/churn_risk.py names them."""
        weights = {code: company[field] for code, field, _default in churn_risk.FACTORS}
        thresholds = {name: company[field] for name, field in churn_risk.THRESHOLDS.items()}
        return weights, thresholds

    @api.model
    def _score_churn(self, company, partner_ids=None):
        """Score the churn risk, its reasons, P(alive), the expected purchases
        and the predicted value of every customer of ``company`` (a
        ``res.company``; ``partner_ids``: only these commercial partners)
        on the clock's today: one statement reads the figures of the whole
        company, numpy scores them, one statement writes them.  The latest
        ``crm.churn.model`` of the company gives P(alive) unless its data
        was insufficient.  Run after each fit of the model and by the churn
        detection before it raises alerts (the nightly recompute runs the
        same three steps in chunks: crm_customer_insight_run.py); a second
        run on the same day gives the same figures."""
        now = clock.now(self.env)
        ids, scores = self._churn_score_rows(company, now, partner_ids)
        self._write_churn_scores(ids, scores, now)
        self._clear_unscored_churn(company, now, ids, partner_ids)
        self._invalidate_insight_cache()

    @api.model
    def _churn_params(self, company, now, partner_ids=None):
        """The parameters of tools/churn_queries.py's scoring statements for
        ``company`` at ``now`` (a naive UTC datetime: the day is the user's
        today then)."""
        today = fields.Date.from_string(fields.Date.context_today(self, now))
        return {
            "company_id": company.id, "as_of": today, "holdout_end": today,
            "d90": today - timedelta(days=90), "d180": today - timedelta(days=180),
            "points_until": today + timedelta(days=company.churn_points_days),
            "partner_ids": list(partner_ids) if partner_ids is not None else None,
            "now": fields.Datetime.to_string(now),
        }

    @api.model
    def _churn_score_rows(self, company, now, partner_ids=None):
        """The scores of the customers of ``company`` at ``now`` (see
        :meth:`_score_churn`), read and computed, not written.

        :returns: (insight ids, {score column: list of values in the order
            of the ids}), ``churn_figures`` included.
        """
        params = self._churn_params(company, now, partner_ids)
        cr = self.env.cr
        with session.tuned(cr):
            cr.execute(churn_queries.SCORE_INPUTS, params)
            rows = cr.fetchall()
        columns = churn_queries.SCORE_INPUT_COLUMNS
        data = dict(zip(columns, zip(*rows))) if rows else {name: () for name in columns}
        scores = self._churn_scores(company, data)
        position = {name: index for index, name in enumerate(columns)}
        p_alive = scores["p_alive"]

        def reader(index, row):
            return lambda name: p_alive[index] if name == "p_alive" else row[position[name]]

        scores["churn_figures"] = [
            churn_risk.reason_figures(codes, reader(index, row)) if codes else None
            for index, (codes, row) in enumerate(zip(scores.pop("reasons"), rows))]
        return list(data["id"]), scores

    @api.model
    def _write_churn_scores(self, ids, scores, now):
        """Write ``scores`` (as :meth:`_churn_score_rows` gives them) on the
        insight rows ``ids`` at once, through COPY, scored at ``now``."""
        with session.tuned(self.env.cr):
            bulk_update.update_rows(
                self.env.cr, "crm_customer_insight", ids, scores,
                constants={"churn_scored_at": fields.Datetime.to_string(now)})

    @api.model
    def _clear_unscored_churn(self, company, now, scored_ids, partner_ids=None):
        """No risk nor reason for the customers of ``company`` (``partner_ids``:
        of these only) that are not among ``scored_ids`` (insight ids): those
        without a purchase up to the day of ``now``."""
        factor_nulls = ", ".join("%s = 0" % column for column in FACTOR_COLUMNS)
        with session.tuned(self.env.cr):
            self.env.cr.execute(
                churn_queries.CLEAR_UNSCORED.format(factor_columns_null=factor_nulls),
                dict(self._churn_params(company, now, partner_ids),
                     scored_ids=list(scored_ids)))

    @api.model
    def _churn_scored_on(self, company):
        """The day (UTC, 'YYYY-MM-DD') the customers of ``company`` were
        last scored up to the clock's now, or None."""
        self.env.cr.execute("SELECT MAX(churn_scored_at)::date FROM crm_customer_insight "
                            "WHERE company_id = %s AND churn_scored_at <= %s",
                            (company.id, fields.Datetime.to_string(clock.now(self.env))))
        return self.env.cr.fetchone()[0]

    @api.model
    def _churn_scores(self, company, data):
        """{score column: list of values} of the customers of ``data`` (see
        :meth:`_score_churn`), and ``reasons`` (lists of factor codes)."""
        model = self.env["crm.churn.model"]._latest(company)
        x = np.array(data["x"], dtype=float)
        t_x = np.array(data["t_x"], dtype=float) / DAYS_PER_UNIT
        t = np.array(data["t"], dtype=float) / DAYS_PER_UNIT
        missing = np.full(x.shape, np.nan)
        p_alive = expected = clv = purchases = spend = rates = missing
        usable = model._usable() and bool(len(x))
        if usable:
            params = {"r": model.r, "alpha": model.alpha, "a": model.a, "b": model.b}
            # customers with the same history computed once
            histories, inverse = np.unique(np.column_stack([x, t_x, t]), axis=0,
                                           return_inverse=True)
            inverse = inverse.ravel()
            history = tuple(histories.T)
            p_alive = bgnbd.p_alive(params, *history)[inverse]
            expected = bgnbd.expected_purchases(params, 90 / DAYS_PER_UNIT, *history)[inverse]
            if model.spend_q > 1:
                purchases = churn_value.discounted_purchases(
                    params, company.clv_horizon_months, company.clv_discount_rate / 100.0,
                    *history)[inverse]
                spend = churn_value.expected_spend(
                    {"p": model.spend_p, "q": model.spend_q, "gamma": model.spend_gamma},
                    x, np.array(data["m"], dtype=float))
                rates = churn_value.margin_rates(data["gross_margin_all"],
                                                 data["net_invoiced_all"])
                clv = np.round(purchases * spend * rates, 2)
        weights, thresholds = self._churn_settings(company)
        contributions = churn_risk.contributions(
            churn_risk.severities(data, thresholds, p_alive if usable else None), weights)
        reasons = churn_risk.top_reasons(contributions) if len(x) else []

        def values(array):
            return [None if value != value else float(value) for value in array.tolist()]

        scores = {column: values(contributions[column[len("churn_factor_"):]])
                  for column in FACTOR_COLUMNS}
        scores.update({
            "churn_risk": churn_risk.risk(contributions).tolist() if len(x) else [],
            "churn_reason_codes": [",".join(codes) or None for codes in reasons],
            "reasons": reasons,
            "p_alive": values(p_alive), "expected_purchases_90d": values(expected),
            "churn_model_id": [model.id if usable else None] * len(x),
            "clv_model_value": values(clv), "clv_model_purchases": values(purchases),
            "clv_model_spend": values(spend), "clv_model_margin_rate": values(rates),
        })
        return scores

    # the "at risk" filter: from the company's alert threshold

    @api.depends("churn_risk", "company_id.churn_alert_risk_threshold")
    def _compute_churn_at_risk(self):
        for insight in self:
            insight.churn_at_risk = (
                insight.churn_risk >= insight.company_id.churn_alert_risk_threshold)

    def _search_churn_at_risk(self, operator, value):
        # ("=" or "!=", a boolean) each row against the alert threshold of
        # its own company (a database has a handful of companies: one term
        # each); a row never scored is not at risk
        wanted = (operator == "=") == bool(value)
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        return expression.OR([expression.AND([
            [("company_id", "=", company.id)],
            [("churn_risk", ">=", company.churn_alert_risk_threshold)] if wanted else
            ["|", ("churn_risk", "<", company.churn_alert_risk_threshold),
             ("churn_risk", "=", False)],
        ]) for company in companies] or [expression.FALSE_DOMAIN])
