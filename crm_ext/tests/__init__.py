from . import test_customer_insight_page
