from . import crm_customer_insight_report
from . import crm_complaint_report
from . import crm_churn_report
from . import crm_workbook_abstract
from . import crm_customer_insight_workbook
from . import crm_loyalty_workbook
from . import crm_loyalty_statement
from . import crm_complaint_workbook
