# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

# the longest a demo complaint is moved back to reach its share of the time
MAX_HOURS_BACK = 24 * 60


class CrmComplaintDemo(models.AbstractModel):
    """Places demo complaints in time so that their SLA status is the one
    they show, whatever the day and hour of the installation."""

    _name = "crm.complaint.demo"
    _description = "Complaint Demo Data"

    @api.model
    def _place_at_risk(self, xmlids):
        """Move the reception of the complaints ``xmlids`` back until
        90% of the time to their next deadline has passed: at risk."""
        model = self.env["crm.complaint"]
        now = model._now()
        for xmlid in xmlids:
            complaint = self.env.ref(xmlid)
            sla = complaint.sla_id
            if not sla:
                continue
            target = 0.9 * (sla.resolve_hours if complaint.date_acknowledged
                            else sla.ack_hours)
            working_time = model._working_time(sla.resource_calendar_id)
            received = now
            for _hour in range(MAX_HOURS_BACK):
                if working_time.hours_between(received, now) >= target:
                    break
                received -= timedelta(hours=1)
            values = {"date_received": fields.Datetime.to_string(received)}
            if complaint.date_acknowledged:
                values["date_acknowledged"] = fields.Datetime.to_string(
                    received + timedelta(minutes=30))
            complaint.write(values)
