# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CrmCustomerSegment(models.Model):
    """A named group of customers by RFM scores (1-5 each).  A customer
    belongs to the first active segment, by sequence, whose ranges hold its
    R, F and M scores."""

    _name = "crm.customer.segment"
    _description = "Customer Segment"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        "Priority", default=10, help="Segments are tried in this order; the first match wins.")
    active = fields.Boolean(default=True)
    color = fields.Integer("Color Index")
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the segment in every company.")
    description = fields.Text(translate=True, help="Who the customers are and what to do.")
    r_min = fields.Integer("Recency From", default=1)
    r_max = fields.Integer("Recency To", default=5)
    f_min = fields.Integer("Frequency From", default=1)
    f_max = fields.Integer("Frequency To", default=5)
    m_min = fields.Integer("Monetary From", default=1)
    m_max = fields.Integer("Monetary To", default=5)
    insight_ids = fields.One2many("crm.customer.insight", "segment_id", readonly=True)
    customer_count = fields.Integer(compute="_compute_customer_count")

    def _compute_customer_count(self):
        counts = self.env["crm.customer.insight"].read_group(
            [("segment_id", "in", self.ids), ("company_id", "=", self.env.user.company_id.id)],
            ["segment_id"], ["segment_id"])
        by_segment = {row["segment_id"][0]: row["segment_id_count"] for row in counts}
        for segment in self:
            segment.customer_count = by_segment.get(segment.id, 0)

    @api.constrains("r_min", "r_max", "f_min", "f_max", "m_min", "m_max")
    def _check_score_ranges(self):
        for segment in self:
            for low, high, label in (
                    (segment.r_min, segment.r_max, _("Recency")),
                    (segment.f_min, segment.f_max, _("Frequency")),
                    (segment.m_min, segment.m_max, _("Monetary"))):
                if not 1 <= low <= high <= 5:
                    raise ValidationError(_(
                        "Segment %(segment)s: the %(score)s range must go from 1 to 5, "
                        "lowest first (got %(low)s to %(high)s).") % {
                            "segment": segment.name, "score": label, "low": low, "high": high})
