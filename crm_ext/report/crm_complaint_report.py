# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.crm_complaint import CHANNELS, RESOLUTION_TYPES
from ..models.crm_complaint_sla import SEVERITIES
from ..models.crm_complaint_sla_tracking import SLA_STATUSES
from ..tools import sql_view


class CrmComplaintReport(models.Model):
    """Complaint analysis, one row per complaint.  The averages are per
    row and ignore the rows without a value (NULL): resolution hours of
    resolved complaints, ratings given, and the SLA met % of the
    complaints whose SLA is decided (met: 100, breached: 0), so that every
    grouping of the pivot averages them right."""

    _name = "crm.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_received desc"

    name = fields.Char("Reference", readonly=True)
    date_received = fields.Datetime("Received", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, auto_join=True)
    product_id = fields.Many2one("product.product", readonly=True)
    category_id = fields.Many2one("crm.complaint.category", readonly=True)
    team_id = fields.Many2one("crm.team", readonly=True)
    user_id = fields.Many2one("res.users", "Responsible", readonly=True)
    stage_id = fields.Many2one("crm.complaint.stage", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, "SLA Status", readonly=True)
    resolution_type = fields.Selection(RESOLUTION_TYPES, readonly=True)
    is_closed = fields.Boolean("Closed", readonly=True)
    complaint_count = fields.Integer("# Complaints", readonly=True)
    resolution_hours = fields.Float(
        "Avg Resolution Hours", readonly=True, group_operator="avg")
    sla_met_percent = fields.Float("SLA Met %", readonly=True, group_operator="avg")
    customer_rating = fields.Float("Avg Rating", readonly=True, group_operator="avg")
    cost_amount = fields.Float("Cost", readonly=True)

    def _select(self):
        return """
            SELECT complaint.id,
                   complaint.name,
                   complaint.date_received,
                   complaint.company_id,
                   complaint.commercial_partner_id AS partner_id,
                   complaint.product_id,
                   complaint.category_id,
                   complaint.team_id,
                   complaint.user_id,
                   complaint.stage_id,
                   complaint.severity,
                   complaint.channel,
                   complaint.sla_status,
                   complaint.resolution_type,
                   COALESCE(complaint.is_closed, FALSE) AS is_closed,
                   1 AS complaint_count,
                   CASE WHEN complaint.date_resolved IS NOT NULL
                        THEN complaint.resolution_hours END AS resolution_hours,
                   CASE complaint.sla_status WHEN 'met' THEN 100.0
                                             WHEN 'breached' THEN 0.0 END AS sla_met_percent,
                   NULLIF(complaint.customer_rating, 0)::float AS customer_rating,
                   COALESCE(complaint.cost_amount, 0) AS cost_amount
        """

    def _from(self):
        return "FROM crm_complaint complaint"

    def init(self):
        """The analysis view (see :func:`sql_view.create`: only as the
        superuser, when the module is installed or updated)."""
        sql_view.create(self, "%s %s" % (self._select(), self._from()))
