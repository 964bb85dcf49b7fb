"""Upgrade case: the customers' figures (insight RFM, segment, grade, CLV,
churn risk) and their segment history survive."""
from common import UpgradeCase


class InsightCase(UpgradeCase):
    models = {
        "crm.customer.insight": [
            "partner_id", "company_id", "computed_at", "first_invoice_date",
            "last_invoice_date", "invoice_count", "net_invoiced", "net_invoiced_all",
            "gross_margin", "receivable_amount", "overdue_amount", "recency_days",
            "r_score", "f_score", "m_score", "rfm_score", "segment_id", "value_score",
            "grade", "abc_class", "lifecycle_stage", "clv_run_rate", "clv_historical",
            "clv_predicted", "churn_risk", "churn_reason_codes", "p_alive",
            "churn_model_id",
        ],
        "crm.customer.segment.history": [
            "partner_id", "company_id", "segment_id", "date",
        ],
        "crm.customer.segment": ["name", "code", "sequence"],
    }


CASE = InsightCase()
