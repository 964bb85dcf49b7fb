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
        """Send as Odoo does (``auto_commit``: commit after each batch, as
        Odoo's mass mailing does), once the caller is known to be allowed to
        post on the documents (see :meth:`_check_caller_may_post`); a comment
        on complaints with their resolution template first records the
        sending on them (with the checks of a send: see
        ``crm.complaint._mark_resolution_sent``).  Returns the window action
        that closes the composer (a dict).

        :raises AccessError: the caller may not post on the documents, or
            may not change the complaints.
        :raises UserError: a complaint's resolution cannot be sent (not
            resolved, no resolution text, a customer without email).
        """
        for wizard in self:
            wizard._check_caller_may_post()
            complaints = wizard._resolution_complaints()
            if complaints:
                complaints._mark_resolution_sent()
        return super(MailComposeMessage, self).send_mail(auto_commit=auto_commit)

    @api.multi
    def _check_caller_may_post(self):
        """Raise AccessError unless the caller may post a message on the
        documents the composer writes to (its record, or the active ids of a
        mass mode), by the documents' own rule
        (``check_mail_message_access``): before anything is posted, and
        for every caller of this public method, also one replying to a
        message of a document it may not post on."""
        self.ensure_one()
        if not self.model or self.model not in self.env:
            return
        documents = self.env[self.model]
        if not hasattr(documents, "check_mail_message_access"):
            return
        if self.composition_mode != "comment" and self.env.context.get("active_ids"):
            ids = self.env.context["active_ids"]
        else:
            ids = [self.res_id]
        ids = [res_id for res_id in ids if res_id]
        if ids:
            documents.check_mail_message_access(ids, "create")

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
