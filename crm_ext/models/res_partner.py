# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .crm_customer_insight import ABC_CLASSES, GRADES, LIFECYCLE_STAGES

# partner field -> field of its crm.customer.insight row in the user's company
INSIGHT_FIELDS = {
    "rfm_recency_days": "recency_days",
    "rfm_frequency": "invoice_count",
    "rfm_monetary": "net_invoiced",
    "rfm_score": "rfm_score",
    "customer_segment_id": "segment_id",
    "customer_value_score": "value_score",
    "customer_grade": "grade",
    "abc_class": "abc_class",
    "lifecycle_stage": "lifecycle_stage",
    "clv_value": "clv_value",
    "receivable_amount": "receivable_amount",
    "overdue_amount": "overdue_amount",
}


def _search_insight_field(insight_field):
    """A search method for a partner field that mirrors ``insight_field`` of
    the insight rows of the user's company; contacts follow their company."""
    def search(partners, operator, value):
        insights = partners.env["crm.customer.insight"]
        company_domain = [("company_id", "=", partners.env.user.company_id.id)]
        if value is False and operator in ("=", "!="):
            # "not set" also holds for customers without any insight row
            with_value = insights.search(company_domain + [(insight_field, "!=", False)])
            negate = "not in" if operator == "=" else "in"
            return [("commercial_partner_id", negate, with_value.mapped("partner_id").ids)]
        matching = insights.search(company_domain + [(insight_field, operator, value)])
        return [("commercial_partner_id", "in", matching.mapped("partner_id").ids)]
    return search


class ResPartner(models.Model):
    _inherit = "res.partner"

    industry_rating = fields.Selection([
        ("0", "Unknown"),
        ("1", "Marginal"),
        ("2", "Follower"),
        ("3", "Established"),
        ("4", "Leading"),
        ("5", "Market leader"),
    ], "Industry Position", default="0",
        help="The customer's standing in its industry, rated by the account manager; "
             "part of the customer value score (future value).")
    customer_satisfaction = fields.Float(
        "Satisfaction", help="Satisfaction of the customer from 1 to 5 (0: unknown); part of "
                             "the customer value score.")
    customer_insight_id = fields.Many2one(
        "crm.customer.insight", "Insight", compute="_compute_customer_insight",
        help="The figures of this customer (or of its company) in your current company.")
    insight_currency_id = fields.Many2one(
        "res.currency", compute="_compute_customer_insight")
    rfm_recency_days = fields.Integer(
        "Recency (days)", compute="_compute_customer_insight",
        search=_search_insight_field("recency_days"))
    rfm_frequency = fields.Integer(
        "Frequency", compute="_compute_customer_insight", search=_search_insight_field("invoice_count"))
    rfm_monetary = fields.Monetary(
        "Monetary", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("net_invoiced"))
    rfm_score = fields.Char(
        "RFM Score", compute="_compute_customer_insight", search=_search_insight_field("rfm_score"))
    customer_segment_id = fields.Many2one(
        "crm.customer.segment", "Segment", compute="_compute_customer_insight",
        search=_search_insight_field("segment_id"))
    customer_value_score = fields.Float(
        "Value Score", compute="_compute_customer_insight", search=_search_insight_field("value_score"))
    customer_grade = fields.Selection(
        GRADES, "Grade", compute="_compute_customer_insight",
        search=_search_insight_field("grade"))
    abc_class = fields.Selection(
        ABC_CLASSES, "ABC Class", compute="_compute_customer_insight",
        search=_search_insight_field("abc_class"))
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, compute="_compute_customer_insight",
        search=_search_insight_field("lifecycle_stage"))
    clv_value = fields.Monetary(
        "Lifetime Value", currency_field="insight_currency_id",
        compute="_compute_customer_insight")
    receivable_amount = fields.Monetary(
        "Receivable", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("receivable_amount"))
    overdue_amount = fields.Monetary(
        "Overdue", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("overdue_amount"))
    customer_history_count = fields.Integer(compute="_compute_customer_history_count")

    def _compute_customer_insight(self):
        company = self.env.user.company_id
        insights = self.env["crm.customer.insight"].search([
            ("partner_id", "in", self.mapped("commercial_partner_id").ids),
            ("company_id", "=", company.id),
        ])
        by_partner = {insight.partner_id.id: insight for insight in insights}
        empty = self.env["crm.customer.insight"]
        for partner in self:
            insight = by_partner.get(partner.commercial_partner_id.id, empty)
            partner.customer_insight_id = insight
            partner.insight_currency_id = company.currency_id
            for partner_field, insight_field in INSIGHT_FIELDS.items():
                partner[partner_field] = insight[insight_field]

    def _compute_customer_history_count(self):
        counts = self.env["crm.customer.segment.history"].read_group(
            [("partner_id", "in", self.mapped("commercial_partner_id").ids),
             ("company_id", "=", self.env.user.company_id.id)],
            ["partner_id"], ["partner_id"])
        by_partner = {row["partner_id"][0]: row["partner_id_count"] for row in counts}
        for partner in self:
            partner.customer_history_count = by_partner.get(partner.commercial_partner_id.id, 0)

    @api.multi
    def action_view_open_receivable(self):
        """The open receivable journal items behind the ledger summary."""
        self.ensure_one()
        action = self.env.ref("account.action_account_moves_all_a").read()[0]
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("account_id.internal_type", "=", "receivable"),
            ("reconciled", "=", False),
            ("company_id", "=", self.env.user.company_id.id),
        ]
        action["context"] = {}
        return action

    @api.multi
    def action_view_customer_history(self):
        self.ensure_one()
        action = self.env.ref("crm_ext.crm_customer_segment_history_action").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action
