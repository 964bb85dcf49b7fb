# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.tools.misc import formatLang


class CrmCustomerInsightRecompute(models.TransientModel):
    """What the *Recompute Customer Insight* menu did, shown to the sales
    manager who ran it (crm.customer.insight ``_action_recompute_all``): a
    form of defaults, read-only, that nothing saves."""

    _name = "crm.customer.insight.recompute"
    _description = "Customer Insight Recomputed"

    company_names = fields.Char("Companies", readonly=True)
    customer_count = fields.Integer("Customers Recomputed", readonly=True)
    segment_change_count = fields.Integer(
        "Segment Changes", readonly=True,
        help="Customers whose segment changed (new customers included); each change is in "
             "the classification history.")
    duration = fields.Float(
        "Duration (s)", digits=(16, 1), readonly=True, help="Seconds the recompute took.")
    summary = fields.Text(readonly=True)

    @api.model
    def _show(self, companies, counts, seconds):
        """The window action (a dict) of the confirmation of a recompute of
        ``companies`` (``res.company`` records) that gave ``counts`` (as
        crm.customer.insight ``_recompute_company`` returns them, summed) in
        ``seconds`` (a float), worded in the user's language: a new form
        filled by its context's defaults (no row is stored)."""
        values = {
            "customers": formatLang(self.env, counts["customers"], digits=0),
            "seconds": formatLang(self.env, seconds, digits=1),
            "changed": formatLang(self.env, counts["segment_changes"], digits=0),
        }
        return {
            "type": "ir.actions.act_window",
            "name": _("Customer Insight Recomputed"),
            "res_model": self._name,
            "context": {
                "default_company_names": ", ".join(companies.mapped("name")),
                "default_customer_count": counts["customers"],
                "default_segment_change_count": counts["segment_changes"],
                "default_duration": round(seconds, 1),
                "default_summary": _("%(customers)s customers recomputed in %(seconds)s s; "
                                     "segments changed for %(changed)s.") % values,
            },
            "view_mode": "form",
            "views": [(self.env.ref(
                "crm_ext.crm_customer_insight_recompute_view_form").id, "form")],
            "target": "new",
        }
