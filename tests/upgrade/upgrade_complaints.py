"""Upgrade case: complaints, their stage and SLA states (deadlines,
status, breached flags) survive."""
from common import UpgradeCase


class ComplaintCase(UpgradeCase):
    models = {
        "crm.complaint": [
            "name", "partner_id", "company_id", "stage_id", "is_closed", "severity",
            "priority", "user_id", "team_id", "sla_id", "ack_deadline",
            "resolve_deadline", "at_risk_deadline", "sla_status", "sla_breach",
            "escalated_breached",
        ],
        "crm.complaint.stage": ["name", "sequence", "is_closed", "pauses_sla"],
        "crm.complaint.sla": ["name", "company_id"],
    }


CASE = ComplaintCase()
