# The generators the demo data files call (<function …/>): abstract models
# with private methods only, kept apart from the production models.
from . import crm_customer_demo
from . import crm_loyalty_demo
from . import crm_complaint_demo
from . import crm_complaint_resolution_demo
from . import crm_churn_demo
