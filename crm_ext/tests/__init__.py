from . import test_customer_insight_page
from . import test_customer_insight_metrics
from . import test_customer_insight_rules
from . import test_translations
from . import test_customer_insight_partner
from . import test_customer_insight_margin
