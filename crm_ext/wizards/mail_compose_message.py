# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""mail.compose.message: the complaint's resolution email marked as sent by the composer's Send."""
from odoo import api, models


class MailComposeMessage(models.TransientModel):
    """The composer opened by ``crm.complaint.action_resolution_compose``:
    its Send marks the complaint's resolution as sent (as account marks an
    invoice sent), decided by the template the composer used, not by its
    context."""

    _inherit = "mail.compose.message"

    @api.multi
    def send_mail(self, auto_commit=False):
        """Send as Odoo does; a comment on complaints with their resolution
        template first records the sending on them (with the checks of a
        send: see ``crm.complaint._mark_resolution_sent``)."""
        for wizard in self:
            complaints = wizard._resolution_complaints()
            if complaints:
                complaints._mark_resolution_sent()
        return super(MailComposeMessage, self).send_mail(auto_commit=auto_commit)

    @api.multi
    def _resolution_complaints(self):
        """The complaints this composer sends the resolution email of: a
        comment on crm.complaint with the resolution template (empty
        otherwise)."""
        self.ensure_one()
        complaints = self.env["crm.complaint"]
        if (self.model != complaints._name or self.composition_mode != "comment"
                or not self.res_id
                or self.template_id != complaints._resolution_template()):
            return complaints
        return complaints.browse(self.res_id)
