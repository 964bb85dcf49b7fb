# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""ir.actions.act_window: the customer insight opens on a salesperson's own customers."""
from odoo import api, models

# the action, and the filter of its search view it turns on for salespeople
# who see only their own documents
OWN_CUSTOMERS_ACTION = "crm_ext.crm_customer_insight_action"
OWN_CUSTOMERS_FILTER = "my_customers"


class IrActionsActWindow(models.Model):
    _inherit = "ir.actions.act_window"

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        """As ``ir.actions.act_window.read``; the customer insight action
        (``OWN_CUSTOMERS_ACTION``) read by an "Own Documents Only"
        salesperson turns the *My Customers* filter on: they land on their
        customers, those who see every customer on the whole company."""
        result = super(IrActionsActWindow, self).read(fields=fields, load=load)
        action = self.env.ref(OWN_CUSTOMERS_ACTION, raise_if_not_found=False)
        if not action or action.id not in self.ids:
            return result
        if not self._own_customers_only():
            return result
        for values in result:
            context = (values.get("context") or "").strip()
            if values["id"] == action.id and context.startswith("{"):
                values["context"] = "{'search_default_%s': 1, %s" % (
                    OWN_CUSTOMERS_FILTER, context[1:].lstrip())
        return result

    @api.model
    def _own_customers_only(self):
        """Whether the user is a salesperson who sees only their own
        customers' figures (the record rules of crm.customer.insight).
        Meant to be overridden to land other users on their customers."""
        return (self.user_has_groups("sales_team.group_sale_salesman")
                and not self.user_has_groups("sales_team.group_sale_salesman_all_leads"))
