"""Upgrade case: churn alerts and fitted churn models, where the release
has them (11.0.6.0.0 on)."""
from common import UpgradeCase


class ChurnCase(UpgradeCase):
    models = {
        "crm.churn.alert": [
            "partner_id", "company_id", "date", "churn_risk", "p_alive",
            "churn_reason_codes", "state", "user_id", "held_out", "cost", "date_closed",
        ],
        "crm.churn.model": [
            "company_id", "as_of", "time_unit", "customers", "r", "alpha", "a", "b",
            "converged", "spend_p", "spend_q", "spend_gamma", "grade",
        ],
        "crm.churn.action": ["alert_id"],
    }


CASE = ChurnCase()
