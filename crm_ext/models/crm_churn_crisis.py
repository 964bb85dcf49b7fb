# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import SUPERUSER_ID, _, api, fields, models

from ..tools import access, bulk_mail, churn_alert_queries

_logger = logging.getLogger(__name__)

# {dimension: the model of its values}
DIMENSION_MODELS = {
    "segment": "crm.customer.segment",
    "category": "product.category",
    "salesperson": "res.users",
    "country": "res.country",
    "state": "res.country.state",
}
DIMENSIONS = [
    ("segment", "Segment"),
    ("category", "Product Category"),
    ("salesperson", "Salesperson"),
    ("country", "Country"),
    ("state", "State"),
]


class CrmChurnCrisis(models.Model):
    """Several customers of one segment, product category, salesperson or
    region (country, state) turning at risk within the company's crisis
    window: one open crisis per (company, dimension, value) for the sales
    managers, listing the alerts.  Raised by the churn detection
    (:meth:`_detect_crises`), closed by a sales manager."""

    _name = "crm.churn.crisis"
    _description = "Churn Crisis"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    dimension = fields.Selection(DIMENSIONS, required=True, readonly=True)
    value_id = fields.Integer(required=True, readonly=True,
                              help="The id of the segment, category, user, country or state.")
    value_name = fields.Char("Of", compute="_compute_name")
    date = fields.Date(required=True, readonly=True, help="The day the crisis was raised.")
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], required=True,
                             readonly=True, default="open", track_visibility="onchange")
    alert_ids = fields.Many2many(
        "crm.churn.alert", "crm_churn_crisis_alert_rel", "crisis_id", "alert_id", "Alerts",
        readonly=True)
    alert_count = fields.Integer("Customers at Risk", compute="_compute_alert_count")

    @api.model_cr
    def init(self):
        """One open crisis per company, dimension and value (the detection's
        INSERT relies on it: ON CONFLICT)."""
        self.env.cr.execute("""
            CREATE UNIQUE INDEX IF NOT EXISTS crm_churn_crisis_open_unique
                ON crm_churn_crisis (company_id, dimension, value_id)
             WHERE state = 'open'
        """)

    @api.depends("dimension", "value_id")
    def _compute_name(self):
        labels = dict(self._fields["dimension"]._description_selection(self.env))
        for crisis in self:
            value = self.env[DIMENSION_MODELS[crisis.dimension]].sudo().browse(
                crisis.value_id).exists() if crisis.dimension else None
            crisis.value_name = value.display_name if value else False
            crisis.name = "%s: %s" % (labels.get(crisis.dimension, ""),
                                      crisis.value_name or crisis.value_id)

    @api.depends("alert_ids")
    def _compute_alert_count(self):
        for crisis in self:
            crisis.alert_count = len(crisis.alert_ids)

    @api.multi
    def action_close(self):
        """Close these crises (a crisis closed again stays closed:
        idempotent); the next crisis of the same value is a new one.
        Returns True.

        :raises SalesManagersOnlyError: (an AccessError) the caller is no
            sales manager.
        :raises AccessError: the caller may not change the crises.
        """
        access.check_sales_manager(self.env, "close_crisis")
        access.check_writable(self)
        self.filtered(lambda crisis: crisis.state == "open").write({"state": "closed"})
        return True

    @api.model
    def _detect_crises(self, company, now):
        """Raise the company's crises from the alerts of its crisis window
        (see churn_alert_queries.INSERT_CRISES and LINK_CRISES), plan an activity
        for each of its sales managers on each new crisis, and post on the
        open crises the customers that join them.  Returns the new crises."""
        cr = self.env.cr
        params = {"company": company.id, "today": now.date(), "now": now,
                  "uid": self.env.uid, "count": company.churn_crisis_count,
                  "since": now.date() - timedelta(days=company.churn_crisis_window_days - 1)}
        cr.execute(churn_alert_queries.INSERT_CRISES, params)
        crises = self.browse(sorted(row[0] for row in cr.fetchall()))
        cr.execute(churn_alert_queries.LINK_CRISES, params)
        linked = sorted(set(row[0] for row in cr.fetchall()))
        self.invalidate_cache(["alert_ids"])
        self.env["crm.churn.alert"].invalidate_cache(["crisis_ids"])
        if crises:
            managers = self._crisis_managers(company)
            bulk_mail.schedule_activities(
                crises, [(crisis_id, user.id) for crisis_id in crises.ids for user in managers],
                self.env.ref("crm_ext.mail_activity_data_churn_crisis"),
                lambda name: _("Churn crisis: %s") % name, now)
        joined = [crisis_id for crisis_id in linked if crisis_id not in crises.ids]
        if joined:
            body = "<p>%s</p>" % _("More customers turned at risk: see the alerts.")
            bulk_mail.insert_messages(self.browse(joined), [
                {"res_id": crisis_id, "body": body} for crisis_id in joined], now)
        _logger.info("Churn crises of %s: %d raised", company.name, len(crises))
        return crises

    @api.model
    def _crisis_managers(self, company):
        """The users a crisis of ``company`` is for: its active sales
        managers (the superuser left out).  Meant to be overridden by a
        module that warns other people."""
        group = self.env.ref(access.SALES_MANAGERS)
        return group.sudo().users.filtered(
            lambda user: user.active and user.id != SUPERUSER_ID and company in user.company_ids)
