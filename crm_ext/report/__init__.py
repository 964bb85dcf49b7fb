from . import crm_customer_insight_report
