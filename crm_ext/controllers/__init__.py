from . import crm_complaint_rating
