from . import crm_loyalty_redeem_wizard
from . import crm_loyalty_adjust_wizard
