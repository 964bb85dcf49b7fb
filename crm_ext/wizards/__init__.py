from . import crm_loyalty_redeem_wizard
from . import crm_loyalty_adjust_wizard
from . import crm_complaint_credit_note_wizard
from . import crm_complaint_credit_note_wizard_line
from . import crm_complaint_compensation_wizard
from . import crm_complaint_register_wizard
from . import stock_return_picking
