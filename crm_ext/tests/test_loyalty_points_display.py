"""Points shown as whole numbers (issue 15): every points field of the
loyalty screens, as the users who open them get them, uses the integer
widget (a stat button: no decimals), and the money beside them is
monetary."""
from lxml import etree

from odoo.tests import common

from .test_loyalty_common import LoyaltyCase

# {model: the points fields of its screens}
POINTS_FIELDS = {
    "crm.loyalty.member": {"balance", "expiring_points", "lifetime_earned",
                           "lifetime_redeemed", "lifetime_expired", "lifetime_adjusted",
                           "points", "remaining_points"},
    "crm.loyalty.entry": {"points", "remaining_points", "expired_points"},
    "crm.loyalty.program": {"min_redeem_points", "birthday_bonus", "referral_bonus",
                            "outstanding_points"},
    "crm.loyalty.redeem.wizard": {"balance", "max_points", "min_points", "points",
                                  "balance_after"},
    "crm.loyalty.adjust.wizard": {"balance", "points", "new_balance"},
    "res.partner": {"loyalty_balance", "balance", "expiring_points", "lifetime_earned",
                    "lifetime_redeemed", "lifetime_expired", "lifetime_adjusted", "points",
                    "remaining_points"},
    "sale.order": {"loyalty_points_redeemed"},
}


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyPointsDisplay(LoyaltyCase):

    def _decimal_points(self, model, user):
        """The points fields of ``model``'s views (as ``user`` gets them,
        one2many lists included) shown with decimals."""
        shown = []
        records = self.env[model].sudo(user)
        for view_type in ("form", "tree", "kanban"):
            try:
                arch = records.fields_view_get(view_type=view_type)["arch"]
            except ValueError:
                continue  # no such view: Odoo's default
            for node in etree.fromstring(arch).iter("field"):
                if node.get("name") not in POINTS_FIELDS[model]:
                    continue
                widget = node.get("widget")
                if widget == "statinfo" and "[16, 0]" in (node.get("options") or ""):
                    continue
                if widget != "integer" and node.get("invisible") != "1":
                    shown.append((view_type, node.get("name"), widget))
        return shown

    def test_loyalty_manager_sees_whole_points(self):
        for model in ("crm.loyalty.member", "crm.loyalty.entry", "crm.loyalty.program",
                      "crm.loyalty.adjust.wizard", "res.partner"):
            self.assertEqual(self._decimal_points(model, self.loyalty_manager), [], model)

    def test_salesperson_sees_whole_points(self):
        for model in ("crm.loyalty.member", "crm.loyalty.redeem.wizard", "res.partner",
                      "sale.order"):
            self.assertEqual(self._decimal_points(model, self.salesman), [], model)

    def test_point_values_are_money(self):
        for model, name in (("crm.loyalty.member", "balance_value"),
                            ("crm.loyalty.entry", "value"),
                            ("crm.loyalty.redeem.wizard", "value"),
                            ("crm.complaint.compensation.wizard", "value")):
            self.assertEqual(self.env[model]._fields[name].type, "monetary", model)
