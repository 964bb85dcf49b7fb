# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The partner's mirror of its customer insight: fields, search and grouping."""
from odoo import api, fields, models
from odoo.osv import expression

from .crm_customer_insight import ABC_CLASSES, GRADES, LIFECYCLE_STAGES

# mirror field -> field of its crm.customer.insight row in the user's company
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
    "clv_basis": "clv_basis",
    "receivable_amount": "receivable_amount",
    "overdue_amount": "overdue_amount",
    "churn_risk": "churn_risk",
    "churn_reasons": "churn_reasons",
    "p_alive": "p_alive",
    "p_alive_percent": "p_alive_percent",
    "expected_purchases_90d": "expected_purchases_90d",
    "clv_predicted": "clv_predicted",
}
# mirror fields the customer views can group by (see read_group)
INSIGHT_GROUPBYS = ("customer_segment_id", "customer_grade", "abc_class", "lifecycle_stage")


def _search_insight_field(insight_field):
    """A search method for a mirror field that mirrors ``insight_field`` of
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


class CrmCustomerInsightMirror(models.AbstractModel):
    """The figures of a partner's commercial entity in the user's current
    company (its ``crm.customer.insight`` row), as fields of the partner
    that lists can search, sort by, aggregate and group by.  Inherited by
    ``res.partner``: the model that inherits it has a
    ``commercial_partner_id`` and is the table ``res_partner``."""

    _name = "crm.customer.insight.mirror"
    _description = "Customer Insight of a Partner"

    customer_insight_id = fields.Many2one(
        "crm.customer.insight", "Insight", compute="_compute_customer_insight",
        help="The figures of this customer (or of its company) in your current company.")
    insight_currency_id = fields.Many2one(
        "res.currency", compute="_compute_customer_insight")
    rfm_recency_days = fields.Integer(
        "Recency (days)", compute="_compute_customer_insight",
        search=_search_insight_field("recency_days"))
    rfm_frequency = fields.Integer(
        "Frequency", compute="_compute_customer_insight",
        search=_search_insight_field("invoice_count"),
        help="Customer invoices in the analysis window of the company's settings.")
    rfm_monetary = fields.Monetary(
        "Monetary", currency_field="insight_currency_id",
        help="Net invoiced (refunds deducted, taxes excluded) in the analysis window of the "
             "company's settings, in the company currency.",
        compute="_compute_customer_insight", search=_search_insight_field("net_invoiced"))
    rfm_score = fields.Char(
        "RFM Score", compute="_compute_customer_insight", search=_search_insight_field("rfm_score"))
    customer_segment_id = fields.Many2one(
        "crm.customer.segment", "Segment", compute="_compute_customer_insight",
        search=_search_insight_field("segment_id"))
    customer_value_score = fields.Float(
        "Value Score", digits=(3, 0), compute="_compute_customer_insight",
        search=_search_insight_field("value_score"))
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
        compute="_compute_customer_insight",
        help="Gross margin so far plus the margin still expected, in the company currency: "
             "see its basis.")
    clv_basis = fields.Char(
        "Lifetime Value Basis", compute="_compute_customer_insight",
        help="How the lifetime value was computed, in words.")
    receivable_amount = fields.Monetary(
        "Receivable", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("receivable_amount"))
    overdue_amount = fields.Monetary(
        "Overdue", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("overdue_amount"))
    churn_risk = fields.Integer(
        "Churn Risk (%)", group_operator="avg", compute="_compute_customer_insight",
        search=_search_insight_field("churn_risk"),
        help="0 (no sign of leaving) to 100 %: the sum of the weighted risk factors; see the "
             "reasons.")
    churn_reasons = fields.Text(
        compute="_compute_customer_insight", search=_search_insight_field("churn_reasons"))
    p_alive = fields.Float(
        "P(alive)", digits=(16, 4), group_operator="avg", compute="_compute_customer_insight",
        search=_search_insight_field("p_alive"),
        help="Probability that the customer still buys (the company's churn model).")
    p_alive_percent = fields.Float(
        "Still Buying (%)", digits=(16, 0), compute="_compute_customer_insight",
        help="P(alive) as a percentage: the chance, per the company's churn model, that the "
             "customer still buys.")
    expected_purchases_90d = fields.Float(
        "Expected Purchases (90 Days)", digits=(16, 2), compute="_compute_customer_insight",
        search=_search_insight_field("expected_purchases_90d"))
    clv_predicted = fields.Monetary(
        "Predicted Value", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("clv_predicted"))

    def _compute_customer_insight(self):
        company = self.env.user.company_id
        insights = self.env["crm.customer.insight"]
        # the partner form holds the (hidden) insight page for every user
        if insights.check_access_rights("read", raise_exception=False):
            insights = insights.search([
                ("partner_id", "in", self.mapped("commercial_partner_id").ids),
                ("company_id", "=", company.id),
            ])
        by_partner = {insight.partner_id.id: insight for insight in insights}
        empty = self.env["crm.customer.insight"]
        mirrored = self._insight_mirror_fields()
        for partner in self:
            insight = by_partner.get(partner.commercial_partner_id.id, empty)
            partner.customer_insight_id = insight
            partner.insight_currency_id = company.currency_id
            for partner_field, insight_field in mirrored.items():
                partner[partner_field] = insight[insight_field]

    @api.model
    def _insight_mirror_fields(self):
        """{mirror field: field of ``crm.customer.insight`` it shows}: the
        fields :meth:`_compute_customer_insight` fills and that grouping
        and aggregates read from the insight rows.  Meant to be overridden
        by a module that mirrors one more figure: it declares the field
        (``compute="_compute_customer_insight"``, a search made with
        ``_search_insight_field``) and adds it here."""
        return dict(INSIGHT_FIELDS)

    @api.model
    def _insight_groupbys(self):
        """The mirror fields lists may group by (one query per grouping,
        see :meth:`_read_group_insight`).  Meant to be overridden to offer
        one more."""
        return INSIGHT_GROUPBYS

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """Also group by the insight fields, which are not stored on the
        partner: see :meth:`_read_group_insight`.  Arguments and result as
        ``models.BaseModel.read_group``.

        :raises AccessError: grouping by an insight field without the right
            to read the partners or the customer insight.
        """
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        groupbys = self._insight_groupbys()
        if not lazy and len(groupby) > 1 and set(groupby) & set(groupbys):
            groups = self._read_group_nested(domain, fields, groupby, orderby)
        elif groupby and groupby[0] in groupbys:
            groups = self._read_group_insight(domain, fields, groupby, orderby, lazy)
        else:
            return super(CrmCustomerInsightMirror, self).read_group(
                domain, fields, groupby, offset=offset, limit=limit, orderby=orderby,
                lazy=lazy)
        return groups[offset:offset + limit if limit else None]

    @api.model
    def _read_group_nested(self, domain, fields, groupby, orderby):
        """Eager grouping (pivot, graph) by several fields: the groups of the
        first field, each split by the other fields."""
        result = []
        for group in self.read_group(domain, fields, groupby[:1], orderby=orderby, lazy=False):
            for subgroup in self.read_group(group["__domain"], fields, groupby[1:],
                                            orderby=orderby, lazy=False):
                subgroup[groupby[0]] = group[groupby[0]]
                result.append(subgroup)
        return result

    @api.model
    def _read_group_insight(self, domain, fields, groupby, orderby, lazy):
        """Group the partners of ``domain`` by an insight field of the user's
        company in one query; contacts follow their company and customers
        without figures fall in the group without value."""
        self.check_access_rights("read")
        self.env["crm.customer.insight"].check_access_rights("read")
        name = groupby[0]
        field = self._fields[name]
        aggregates = self._read_group_insight_aggregates(fields or [], name)
        query = self._where_calc(domain)
        self._apply_ir_rules(query, "read")
        from_clause, where_clause, where_params = query.get_sql()
        insight_from, insight_where, insight_params = self._insight_rows_query()
        self.env.cr.execute("""
            SELECT insight.{column}, COUNT(partner.id){aggregates}
              FROM res_partner partner
              LEFT JOIN (SELECT crm_customer_insight.* FROM {insight_from}
                          WHERE {insight_where}) insight
                     ON insight.partner_id = partner.commercial_partner_id
             WHERE partner.id IN (SELECT res_partner.id FROM {from_clause} WHERE {where})
             GROUP BY insight.{column}
        """.format(column=self._insight_mirror_fields()[name], from_clause=from_clause,
                   where=where_clause or "TRUE", insight_from=insight_from,
                   insight_where=insight_where,
                   aggregates="".join(", " + sql for _name, sql in aggregates)),
            insight_params + where_params)
        rows = self.env.cr.fetchall()

        values, labels = [row[0] for row in rows if row[0] is not None], {}
        if field.type == "many2one":
            # the comodel's order (segments by priority), whatever their state
            records = self.env[field.comodel_name].sudo().with_context(active_test=False)
            records = records.search([("id", "in", values)])
            values, labels = records.ids, dict(records.name_get())
        else:
            values = field.get_values(self.env)
        position = {value: index for index, value in enumerate(values)}
        rows.sort(key=lambda row: position.get(row[0], len(position)))
        order = (orderby or "").split(",")[0].split()
        if order[:1] == [name] and order[1:2] and order[1].lower() == "desc":
            rows.reverse()

        count_key = "__count"
        if lazy and not self.env.context.get("group_by_no_leaf"):
            count_key = name + "_count"
        aggregated = [aggregated_name for aggregated_name, _sql in aggregates]
        groups = []
        for row in rows:
            value = row[0] if row[0] is not None else False
            group = {key: False if result is None else result
                     for key, result in zip(aggregated, row[2:])}
            group.update({
                name: (value, labels[value]) if value and field.type == "many2one" else value,
                count_key: row[1],
                "__domain": expression.AND([[(name, "=", value)], domain]),
            })
            if lazy and len(groupby) > 1:
                group["__context"] = {"group_by": groupby[1:]}
            groups.append(group)
        return groups

    @api.model
    def _insight_rows_query(self):
        """(from, where, parameters) of the insight rows of the user's
        company that the user may read: the groups of a salesperson show
        the figures of their own customers only, the others fall in the
        group without value."""
        insights = self.env["crm.customer.insight"]
        query = insights._where_calc([("company_id", "=", self.env.user.company_id.id)])
        insights._apply_ir_rules(query, "read")
        return query.get_sql()

    @api.model
    def _read_group_insight_aggregates(self, fields, groupby):
        """(field, SQL aggregate) of the requested fields that aggregate:
        stored partner fields and the insight figures."""
        insight_fields = self.env["crm.customer.insight"]._fields
        mirrored = self._insight_mirror_fields()
        aggregates = []
        for name in fields:
            field = self._fields.get(name)
            if name in (groupby, "sequence") or not field or not field.group_operator:
                continue
            if field.store and field.column_type:
                column = 'partner."%s"' % name
            elif name in mirrored and insight_fields[mirrored[name]].store:
                column = 'insight."%s"' % mirrored[name]
            else:
                continue
            aggregates.append((name, "%s(%s)" % (field.group_operator, column)))
        return aggregates
