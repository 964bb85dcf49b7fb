# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.osv.orm import setup_modifiers

from ..tools import access

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
# insight fields the customer views can group by (see ResPartner.read_group)
INSIGHT_GROUPBYS = ("customer_segment_id", "customer_grade", "abc_class", "lifecycle_stage")
# rated by the account manager: only salespeople may change them
MANUAL_RATINGS = ("industry_rating", "customer_satisfaction")
# who reads the customer figures, loyalty cards and ledger (ir.model.access.csv)
INSIGHT_READERS = "sales_team.group_sale_salesman,account.group_account_invoice"
LOYALTY_READERS = INSIGHT_READERS
# personal data of the customer, for those who need it (readme/CONFIGURE.rst)
BIRTHDATE_READERS = "crm_ext.crm_loyalty_program_group_manager"


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
    birthdate = fields.Date(
        "Birthday", groups=BIRTHDATE_READERS, copy=False,
        help="The loyalty program's birthday bonus is awarded on this day.")
    referred_by_id = fields.Many2one(
        "res.partner", index=True,
        help="The customer who brought this one: it earns the referral bonus of the "
             "loyalty program when this customer's first invoice is paid.")
    customer_satisfaction = fields.Float(
        "Satisfaction", groups=INSIGHT_READERS, copy=False,
        help="Satisfaction of the customer from 1 to 5 (0: unknown); part of the customer "
             "value score.")
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
        compute="_compute_customer_insight")
    receivable_amount = fields.Monetary(
        "Receivable", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("receivable_amount"))
    overdue_amount = fields.Monetary(
        "Overdue", currency_field="insight_currency_id",
        compute="_compute_customer_insight", search=_search_insight_field("overdue_amount"))
    customer_history_count = fields.Integer(compute="_compute_customer_history_count")
    complaint_count = fields.Integer(
        "Complaints", compute="_compute_complaint_count",
        help="Complaints of this customer (or of its company) that you can see.")
    last_complaint_rating = fields.Integer(
        compute="_compute_last_complaint_rating",
        help="Stars (1-5) the customer (or its company) gave to its latest rated complaint "
             "resolution that you can see; 0: none.")
    # the loyalty page of the customer form: only for the users who see the
    # loyalty program (the form holds the page for every user)
    loyalty_card_ids = fields.Many2many(
        "crm.loyalty.member", string="Loyalty Cards", compute="_compute_loyalty_card_ids",
        groups=LOYALTY_READERS,
        help="The loyalty cards of this customer (or of its company) in your companies.")
    loyalty_balance = fields.Float(
        "Loyalty Points", compute="_compute_loyalty_balance", groups=LOYALTY_READERS,
        help="Points of the loyalty cards of this customer (or of its company) in your "
             "companies.")
    loyalty_entry_ids = fields.Many2many(
        "crm.loyalty.entry", string="Points Ledger", compute="_compute_loyalty_entry_ids",
        groups=LOYALTY_READERS,
        help="The loyalty points moved for this customer (or its company).")

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
        for partner in self:
            insight = by_partner.get(partner.commercial_partner_id.id, empty)
            partner.customer_insight_id = insight
            partner.insight_currency_id = company.currency_id
            for partner_field, insight_field in INSIGHT_FIELDS.items():
                partner[partner_field] = insight[insight_field]

    def _compute_customer_history_count(self):
        history = self.env["crm.customer.segment.history"]
        counts = []
        if history.check_access_rights("read", raise_exception=False):
            counts = history.read_group(
                [("partner_id", "in", self.mapped("commercial_partner_id").ids),
                 ("company_id", "=", self.env.user.company_id.id)],
                ["partner_id"], ["partner_id"])
        by_partner = {row["partner_id"][0]: row["partner_id_count"] for row in counts}
        for partner in self:
            partner.customer_history_count = by_partner.get(partner.commercial_partner_id.id, 0)

    def _compute_complaint_count(self):
        complaints = self.env["crm.complaint"]
        groups = []
        partner_ids = self._loyalty_partner_ids()
        if partner_ids and complaints.check_access_rights("read", raise_exception=False):
            groups = complaints.read_group(
                [("commercial_partner_id", "in", partner_ids)],
                ["commercial_partner_id"], ["commercial_partner_id"])
        counts = {group["commercial_partner_id"][0]: group["commercial_partner_id_count"]
                  for group in groups}
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id.id, 0)

    def _compute_last_complaint_rating(self):
        complaints = self.env["crm.complaint"]
        ratings = {}
        partner_ids = self._loyalty_partner_ids()
        if partner_ids and complaints.check_access_rights("read", raise_exception=False):
            query = complaints._where_calc([
                ("commercial_partner_id", "in", partner_ids), ("customer_rating", ">", 0)])
            complaints._apply_ir_rules(query, "read")
            from_clause, where_clause, params = query.get_sql()
            self.env.cr.execute("""
                SELECT DISTINCT ON (crm_complaint.commercial_partner_id)
                       crm_complaint.commercial_partner_id, crm_complaint.customer_rating
                  FROM {from_clause} WHERE {where}
                 ORDER BY crm_complaint.commercial_partner_id,
                          COALESCE(crm_complaint.date_closed, crm_complaint.date_resolved,
                                   crm_complaint.date_received) DESC,
                          crm_complaint.id DESC
            """.format(from_clause=from_clause, where=where_clause), params)
            ratings = dict(self.env.cr.fetchall())
        for partner in self:
            partner.last_complaint_rating = ratings.get(partner.commercial_partner_id.id, 0)

    def _loyalty_partner_ids(self):
        """Commercial partners of ``self`` already in the database: members
        belong to the commercial entity."""
        return [partner_id for partner_id in self.mapped("commercial_partner_id").ids
                if isinstance(partner_id, int)]

    def _loyalty_records_by_partner(self, model):
        """{commercial partner id: ids of its ``model`` records} (members or
        ledger entries), in one search."""
        records = self.env[model]
        partner_ids = self._loyalty_partner_ids()
        if partner_ids:
            records = records.search([("partner_id", "in", partner_ids)])
        by_partner = {}
        for record in records:
            by_partner.setdefault(record.partner_id.id, []).append(record.id)
        return by_partner

    def _compute_loyalty_card_ids(self):
        by_partner = self._loyalty_records_by_partner("crm.loyalty.member")
        for partner in self:
            partner.loyalty_card_ids = [
                (6, 0, by_partner.get(partner.commercial_partner_id.id, []))]

    def _compute_loyalty_balance(self):
        entries = self.env["crm.loyalty.entry"]
        partner_ids = self._loyalty_partner_ids()
        balances = {}
        if partner_ids:
            groups = entries.read_group(
                [("partner_id", "in", partner_ids)], ["partner_id", "points"], ["partner_id"])
            balances = {group["partner_id"][0]: group["points"] for group in groups}
        for partner in self:
            partner.loyalty_balance = balances.get(partner.commercial_partner_id.id, 0.0)

    def _compute_loyalty_entry_ids(self):
        by_partner = self._loyalty_records_by_partner("crm.loyalty.entry")
        for partner in self:
            partner.loyalty_entry_ids = [
                (6, 0, by_partner.get(partner.commercial_partner_id.id, []))]

    @api.constrains("referred_by_id", "parent_id")
    def _check_referred_by(self):
        for partner in self.filtered("referred_by_id"):
            if partner.referred_by_id.commercial_partner_id == partner.commercial_partner_id:
                raise ValidationError(_(
                    "%s cannot be referred by itself or by a contact of its own company: "
                    "the referral bonus rewards bringing in another customer.")
                    % partner.display_name)

    @api.multi
    def action_view_open_receivable(self):
        """The open receivable journal items behind the ledger summary."""
        self.ensure_one()
        access.check_readable(self)
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
        access.check_readable(self)
        action = self.env.ref("crm_ext.crm_customer_segment_history_action").read()[0]
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    @api.multi
    def action_view_complaints(self):
        """The complaints of the customer's commercial entity."""
        self.ensure_one()
        access.check_readable(self)
        action = self.env.ref("crm_ext.crm_complaint_action_partner").read()[0]
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.multi
    def action_view_loyalty_members(self):
        """The loyalty card of the customer's commercial entity (the list
        when it is a member of several programs)."""
        self.ensure_one()
        access.check_readable(self)
        members = self.loyalty_card_ids
        action = self.env.ref("crm_ext.crm_loyalty_member_action").read()[0]
        if len(members) == 1:
            action.update(res_id=members.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.model
    def _can_edit_manual_ratings(self):
        return (self.env.uid == SUPERUSER_ID
                or self.user_has_groups("sales_team.group_sale_salesman"))

    @api.multi
    def write(self, vals):
        if set(vals) & set(MANUAL_RATINGS) and not self._can_edit_manual_ratings():
            raise AccessError(_("Only salespeople can change the industry position and the "
                                "satisfaction of a customer."))
        return super(ResPartner, self).write(vals)

    @api.model
    def fields_view_get(self, view_id=None, view_type="form", toolbar=False, submenu=False):
        """Show the manual ratings read-only to the other users who see them
        (accountants): a view cannot make a field read-only by group."""
        res = super(ResPartner, self).fields_view_get(
            view_id=view_id, view_type=view_type, toolbar=toolbar, submenu=submenu)
        if view_type != "form" or self._can_edit_manual_ratings():
            return res
        arch = etree.fromstring(res["arch"])
        nodes = arch.xpath("//field[@name='%s' or @name='%s']" % MANUAL_RATINGS)
        for node in nodes:
            node.set("readonly", "1")
            setup_modifiers(node, res["fields"].get(node.get("name")))
        if nodes:
            res["arch"] = etree.tostring(arch, encoding="unicode")
        return res

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        """Also group by the insight fields, which are not stored on the
        partner: see :meth:`_read_group_insight`."""
        groupby = [groupby] if isinstance(groupby, str) else list(groupby)
        if not lazy and len(groupby) > 1 and set(groupby) & set(INSIGHT_GROUPBYS):
            groups = self._read_group_nested(domain, fields, groupby, orderby)
        elif groupby and groupby[0] in INSIGHT_GROUPBYS:
            groups = self._read_group_insight(domain, fields, groupby, orderby, lazy)
        else:
            return super(ResPartner, self).read_group(
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
        """.format(column=INSIGHT_FIELDS[name], from_clause=from_clause,
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
        aggregates = []
        for name in fields:
            field = self._fields.get(name)
            if name in (groupby, "sequence") or not field or not field.group_operator:
                continue
            if field.store and field.column_type:
                column = 'partner."%s"' % name
            elif name in INSIGHT_FIELDS and insight_fields[INSIGHT_FIELDS[name]].store:
                column = 'insight."%s"' % INSIGHT_FIELDS[name]
            else:
                continue
            aggregates.append((name, "%s(%s)" % (field.group_operator, column)))
        return aggregates
