"""Upgrade case: loyalty members' points and balances, the ledger entries
and the liability account reconciled with the points outstanding."""
from common import UpgradeCase


class LoyaltyCase(UpgradeCase):
    models = {
        "crm.loyalty.program": [
            "company_id", "liability_account_id", "liability_balance",
            "liability_difference",
        ],
        "crm.loyalty.member": [
            # not lifetime_earned and lifetime_redeemed: redefined since
            # 11.0.1.0.0 on the same ledger (a reversed redemption is not
            # redeemed, a manual adjustment is not earned); the entries and
            # the balance below are what must not change
            "partner_id", "program_id", "card_number", "enrol_date", "tier_id",
            "tier_since", "balance", "expiring_points",
        ],
        "crm.loyalty.entry": [
            "member_id", "partner_id", "program_id", "date", "entry_type", "points",
            "remaining_points", "expiry_date", "invoice_id", "sale_order_id",
            "complaint_id", "reversed_entry_id", "move_id", "origin",
        ],
    }

    def _prepare_more(self, env):
        """The sum of the ledger by member, and whether the liability was
        reconciled (a difference of zero)."""
        env.cr.execute("SELECT member_id, SUM(points) FROM crm_loyalty_entry "
                       "GROUP BY member_id ORDER BY member_id")
        return {"ledger": {str(member): round(points, 4)
                           for member, points in env.cr.fetchall()}}

    def _check_more(self, env, more):
        problems = []
        members = env["crm.loyalty.member"].with_context(active_test=False).search([])
        ledger = {str(member.id): round(member.balance, 4) for member in members
                  if str(member.id) in more.get("ledger", {})}
        problems += self._compare("balances against the old ledger's sums",
                                  more.get("ledger", {}), ledger)
        return problems


CASE = LoyaltyCase()
