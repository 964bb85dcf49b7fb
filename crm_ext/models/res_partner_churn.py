# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The churn concern of res.partner: the "at risk" flag its lists filter on."""
from odoo import api, fields, models

from .crm_customer_insight_mirror import _search_insight_field


class ResPartner(models.Model):
    """The customer's churn flag in the user's current company, mirrored
    from its insight row (see crm.customer.insight ``churn_at_risk``): the
    churn risk reaches the company's alert threshold."""

    # one file per concern of the partner (STYLE.md), not one class
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    churn_at_risk = fields.Boolean(
        "At Churn Risk", compute="_compute_customer_insight",
        search=_search_insight_field("churn_at_risk"),
        help="The churn risk reaches the alert threshold of your current company.")

    @api.model
    def _insight_mirror_fields(self):
        mirrored = super(ResPartner, self)._insight_mirror_fields()
        mirrored["churn_at_risk"] = "churn_at_risk"
        return mirrored
