# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import collections
from datetime import timedelta

from odoo import api, fields, models

from ..tools import in_progress, insight_queries, prepared

LIFECYCLE_STAGES = [
    ("prospect", "Prospect"),
    ("new", "New"),
    ("active", "Active"),
    ("growing", "Growing"),
    ("declining", "Declining"),
    ("lost", "Lost"),
    ("reactivated", "Reactivated"),
]
GRADES = [
    ("strategic", "Strategic"),
    ("key", "Key"),
    ("general", "General"),
]
ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]

# the ranked measure each ABC measure of the company follows
ABC_COLUMNS = {"margin": "profit", "revenue": "volume"}

SCORE_COLUMNS = (
    "avg_interval_days", "r_score", "f_score", "m_score", "rfm_score",
    "segment_id", "value_score", "grade", "abc_class", "lifecycle_stage",
    "lifecycle_stage_date", "clv_run_rate", "clv_retention",
)

# {query parameter: the company's setting}
COMPANY_SETTINGS = collections.OrderedDict([
    ("window_days", "insight_window_days"),
    ("abc_a", "insight_abc_a_share"),
    ("abc_b", "insight_abc_b_share"),
    ("new_days", "insight_new_days"),
    ("lost_min_days", "insight_lost_min_days"),
    ("lost_factor", "insight_lost_factor"),
    ("rhythm_factor", "insight_rhythm_factor"),
    ("growth_pct", "insight_growth_pct"),
    ("decline_pct", "insight_decline_pct"),
    ("w_profit", "insight_weight_profit"),
    ("w_volume", "insight_weight_volume"),
    ("w_cost", "insight_weight_marketing_cost"),
    ("w_industry", "insight_weight_industry"),
    ("w_length", "insight_weight_relationship"),
    ("w_satisfaction", "insight_weight_satisfaction"),
])

# an operation in progress (see in_progress): the companies whose figures a
# full recompute will give, refreshed after no invoice or payment meanwhile
INSIGHT_REFRESH_DEFERRED = "insight_refresh_deferred"


class CrmCustomerInsight(models.Model):
    """What the ledger says about one customer (a commercial partner) in one
    company.  Rows are written by set-based SQL (``_recompute_company``, in
    crm_customer_insight_run.py), never edited by hand."""

    _name = "crm.customer.insight"
    _description = "Customer Insight"
    _order = "value_score desc, partner_id"
    _rec_name = "partner_id"

    # auto_join: the salespeople's record rule reads the customer's
    # salesperson in a join, not in a list of every customer's id
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, index=True,
        ondelete="cascade", auto_join=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    user_id = fields.Many2one(related="partner_id.user_id", string="Salesperson",
                              readonly=True)
    computed_at = fields.Datetime(
        "Figures Changed On", readonly=True,
        help="When a figure or score of this customer last changed.")
    last_recompute = fields.Datetime(
        "Computed On", related="company_id.insight_last_recompute", readonly=True)

    # raw figures
    first_invoice_date = fields.Date(readonly=True)
    last_invoice_date = fields.Date(readonly=True)
    invoice_count = fields.Integer(
        "Invoices", readonly=True, help="Customer invoices in the analysis window.")
    invoice_count_all = fields.Integer("Invoices (all time)", readonly=True)
    net_invoiced = fields.Monetary(
        readonly=True, help="Untaxed invoiced amount minus refunds in the analysis window, "
                            "in the company currency.")
    net_invoiced_all = fields.Monetary("Net Invoiced (all time)", readonly=True)
    gross_invoiced = fields.Monetary(readonly=True)
    refunded = fields.Monetary(readonly=True)
    net_last_12m = fields.Monetary("Net Invoiced, Last 12 Months", readonly=True)
    net_prev_12m = fields.Monetary("Net Invoiced, 12 Months Before", readonly=True)
    gross_margin = fields.Monetary(
        readonly=True, help="Invoiced untaxed amount minus the cost of the invoiced "
                            "products, in the analysis window.")
    gross_margin_all = fields.Monetary("Gross Margin (all time)", readonly=True)
    discount_amount = fields.Monetary("Sales Discounts", readonly=True)
    financial_expense = fields.Monetary(
        readonly=True, help="Financial expenses booked on the customer in the analysis window "
                            "(the accounts chosen in the settings: cash discounts, bank "
                            "charges, write-offs...).")
    marketing_cost = fields.Monetary(
        compute="_compute_ratios", help="Sales discounts plus financial expenses.")
    receivable_amount = fields.Monetary("Receivable", readonly=True)
    overdue_amount = fields.Monetary("Overdue", readonly=True)
    overdue_days = fields.Integer(readonly=True, help="Days since the oldest overdue due date.")
    aging_1_30 = fields.Monetary("Overdue 1-30 Days", readonly=True)
    aging_31_60 = fields.Monetary("Overdue 31-60 Days", readonly=True)
    aging_61_90 = fields.Monetary("Overdue 61-90 Days", readonly=True)
    aging_over_90 = fields.Monetary("Overdue Over 90 Days", readonly=True)
    interaction_count = fields.Integer(
        "Interactions (90 days)", readonly=True,
        help="Messages, logged calls and meetings with the customer in the last 90 days.")
    open_opportunity_count = fields.Integer("Open Opportunities", readonly=True)
    open_quotation_count = fields.Integer("Open Quotations", readonly=True)
    average_order_value = fields.Monetary(compute="_compute_ratios")
    return_rate = fields.Float(
        "Return Rate (%)", compute="_compute_ratios", digits=(16, 1),
        help="Refunded / invoiced, in percent.")

    # scores
    recency_days = fields.Integer(
        "Recency (days)", compute="_compute_recency_days", search="_search_recency_days",
        help="Days since the last purchase.")
    avg_interval_days = fields.Float("Days Between Purchases", readonly=True)
    r_score = fields.Integer("R", readonly=True)
    f_score = fields.Integer("F", readonly=True)
    m_score = fields.Integer("M", readonly=True)
    rfm_score = fields.Char("RFM", readonly=True, index=True)
    segment_id = fields.Many2one("crm.customer.segment", readonly=True, index=True)
    value_score = fields.Float(
        readonly=True, group_operator="avg",
        help="0 to 100, in whole points, from the weighted indicators of the company's "
             "settings.")
    grade = fields.Selection(GRADES, readonly=True, index=True)
    abc_class = fields.Selection(ABC_CLASSES, "ABC Class", readonly=True, index=True)
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, readonly=True, index=True)
    lifecycle_stage_date = fields.Date("Stage Since", readonly=True)
    # the lifetime value: crm_customer_insight_clv.py

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)",
         "A customer has one insight row per company."),
    ]

    @api.model_cr_context
    def _auto_init(self):
        result = super(CrmCustomerInsight, self)._auto_init()
        # every night rewrites most rows (the value score moves with the
        # ranks): room in each page lets PostgreSQL update them in place,
        # without touching the indexes
        self._cr.execute("ALTER TABLE crm_customer_insight SET (fillfactor = 50)")
        return result

    @api.depends("last_invoice_date")
    def _compute_recency_days(self):
        today = fields.Date.from_string(fields.Date.context_today(self))
        for insight in self:
            insight.recency_days = (
                (today - fields.Date.from_string(insight.last_invoice_date)).days
                if insight.last_invoice_date else 0)

    def _search_recency_days(self, operator, value):
        # recency grows with time: compare the last purchase date instead
        if value is False or operator not in ("=", "!=", "<", "<=", ">", ">="):
            return [("last_invoice_date", operator, value)]
        today = fields.Date.from_string(fields.Date.context_today(self))
        day = fields.Date.to_string(today - timedelta(days=int(value)))
        mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(operator, operator)
        return [("last_invoice_date", mirrored, day)]

    @api.depends("net_invoiced", "invoice_count", "refunded", "gross_invoiced",
                 "discount_amount", "financial_expense")
    def _compute_ratios(self):
        for insight in self:
            insight.marketing_cost = insight.discount_amount + insight.financial_expense
            insight.average_order_value = (
                insight.net_invoiced / insight.invoice_count if insight.invoice_count else 0.0)
            insight.return_rate = (
                100.0 * insight.refunded / insight.gross_invoiced
                if insight.gross_invoiced else 0.0)

    # business methods

    @api.model
    def _query_parameters(self, company, today=None, partner_ids=None):
        """The parameters of the statements of ``insight_queries`` (its
        docstring names each, with its unit) for ``company`` (a
        ``res.company`` record) on ``today`` (a date string 'YYYY-MM-DD';
        the user's today when not given), restricted to the commercial
        partners ``partner_ids`` (a list of ids; None: every customer)."""
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        # plain SQL: each invoice's validation asks, after Odoo has cleared
        # the cache, and read() would load every field of the company
        self.env.cr.execute("""
            SELECT {settings},
                   ARRAY(SELECT account_id FROM res_company_insight_financial_account_rel
                          WHERE company_id = company.id ORDER BY account_id)
              FROM res_company company WHERE id = %s
        """.format(settings=", ".join(  # pylint: disable=sql-injection
            "COALESCE(%s, 0)" % column for column in COMPANY_SETTINGS.values())),
            (company.id,))
        row = self.env.cr.fetchone()
        params = dict(zip(COMPANY_SETTINGS, row))
        window = params["window_days"]
        params.update({
            "company_id": company.id,
            "today": today,
            "window_start": today - timedelta(days=window - 1),
            "d90": today - timedelta(days=90),
            "y1_start": today - timedelta(days=365),
            "y2_start": today - timedelta(days=730),
            "cost_field_id": self.env["ir.model.fields"]._get_id(
                "product.product", "standard_price"),
            "partner_ids": list(partner_ids) if partner_ids is not None else None,
            "finance_account_ids": row[-1],
            "uid": self.env.uid,
        })
        return params

    @api.model
    def _raw_select(self, company):
        """The query of the raw figures, from the company's sales source."""
        source = (insight_queries.SALES_FROM_ORDERS if company.insight_source == "order"
                  else insight_queries.SALES_FROM_INVOICES)
        return insight_queries.RAW_SELECT.format(sales_source=source)

    @api.model
    def _refresh_partners(self, partners, company, commercial=False):
        """Refresh the raw figures of some customers at once (after an invoice
        or a payment); scores, which compare customers, wait for the next
        full recompute.  ``commercial``: the partners are commercial
        entities already (an invoice's commercial partner)."""
        if commercial:
            commercial_ids = partners.ids
        else:
            # plain SQL: mapped() would prefetch every field of the partners
            self.env.cr.execute("SELECT DISTINCT commercial_partner_id FROM res_partner "
                                "WHERE id = ANY(%s) AND commercial_partner_id IS NOT NULL",
                                (partners.ids,))
            commercial_ids = [row[0] for row in self.env.cr.fetchall()]
        if not commercial_ids:
            return
        params = self._query_parameters(company, partner_ids=commercial_ids)
        # one statement: a temporary table per invoice would cost more than
        # the figures of one customer; a customer left without any figure
        # goes, as it does from the full recompute
        update, insert = insight_queries.upsert_statements(
            "source", insight_queries.RAW_COLUMNS)
        # prepared: it costs more to plan than to run for one customer
        prepared.execute(
            self.env.cr,
            "WITH source AS ({raw}), updated AS ({update}), vanished AS ({vanished}) "
            "{insert}".format(raw=self._raw_select(company), update=update,
                              vanished=insight_queries.REFRESH_VANISHED, insert=insert),
            params)
        self._invalidate_insight_cache()

    def _invalidate_insight_cache(self):
        """Forget the insight rows and the partner fields that show them,
        and nothing else (no arguments would clear the whole cache)."""
        self.invalidate_cache(list(self._fields))
        partners = self.env["res.partner"]
        partners.invalidate_cache([
            name for name, field in partners._fields.items()
            if field.compute == "_compute_customer_insight"])

    @api.model
    def _refresh_documents(self, documents, partner_field):
        """Refresh the customers of some invoices or payments, company by
        company, but in the companies that will recompute everything anyway
        (``INSIGHT_REFRESH_DEFERRED`` in progress)."""
        deferred = in_progress.ids(self.env.cr, INSIGHT_REFRESH_DEFERRED)
        insight = self.sudo()
        for company in documents.mapped("company_id"):
            if company.id in deferred:
                continue
            partners = documents.filtered(
                lambda document: document.company_id == company).mapped(partner_field)
            insight._refresh_partners(partners, company,
                                      commercial=partner_field == "commercial_partner_id")
