# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mail gateway of crm.complaint: complaints by email, stage templates, recipients."""
from odoo import SUPERUSER_ID, _, api, models, tools
from odoo.exceptions import AccessError, UserError

from ..tools import access


class CrmComplaint(models.Model):
    """Complaints by email and the emails of their stages."""

    # a concern of its own (one concern per file)
    _inherit = "crm.complaint"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    @api.returns("self", lambda complaint: complaint.id)
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an email to the complaints alias: the sender is
        the customer (found by address, created when unknown).  Called by
        Odoo's mail gateway with the parsed message (a dict, see
        ``mail.thread.message_parse``); returns the complaint (its id over
        RPC).

        :raises AccessError: the caller is not the user the complaints
            alias runs as (the mail gateway runs it as that user).
        :raises UserError: the message has no sender.
        """
        aliases = self.env["mail.alias"].sudo().search(
            [("alias_model_id.model", "=", self._name)])
        if self.env.uid != SUPERUSER_ID and self.env.uid not in aliases.mapped("alias_user_id").ids:
            raise AccessError(_("Complaints arrive by email through the complaints alias."))
        if not isinstance(msg_dict, dict) or not (
                msg_dict.get("email_from") or msg_dict.get("author_id")):
            raise UserError(_("A complaint received by email needs the sender's address."))
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner_id = msg_dict.get("author_id")
        if not partner_id and email_from:
            partner_id = self._find_partner_from_emails(
                [email_from], res_model=False, force_create=True)[0]
        partner = self.env["res.partner"].browse(partner_id)
        if partner:
            values.setdefault("partner_id", partner.commercial_partner_id.id)
            if partner != partner.commercial_partner_id:
                values.setdefault("contact_id", partner.id)
        values.setdefault("channel", "email")
        # the reference comes from the sequence, not from the subject
        values.setdefault("name", _("New"))
        values.setdefault("subject", msg_dict.get("subject") or False)
        values.setdefault("description", msg_dict.get("body") or "")
        if msg_dict.get("date"):
            values.setdefault("date_received", msg_dict["date"])
        return super(CrmComplaint, self).message_new(msg_dict, custom_values=values)

    @api.multi
    def _track_template(self, tracking):
        """Send the template of the stage a complaint enters ("Email on
        entering this stage"), once per entry: mail.thread calls this when
        the tracked stage changes, at the creation too (the first stage).
        A customer without an email address gets no email: a note says
        so (see :meth:`_stage_template_unsent`)."""
        res = super(CrmComplaint, self)._track_template(tracking)
        complaint = self[0]
        changes, _tracking_values = tracking[complaint.id]
        template = complaint.stage_id.mail_template_id
        if "stage_id" in changes and template:
            if complaint.rating_get_partner_id().email:
                res["stage_id"] = (template, {"composition_mode": "mass_mail"})
            else:
                complaint._stage_template_unsent(template)
        return res

    @api.multi
    def _stage_template_unsent(self, template):
        """Note in the chatter that the email ``template`` (a mail.template)
        of the stage the complaint entered was not sent: its customer has no
        email address.  Meant to be overridden by a module that reaches
        such customers otherwise (a letter, a text message)."""
        self.ensure_one()
        self.message_post(
            body=_("%(template)s was not sent: %(customer)s has no email address.") % {
                "template": tools.html_escape(template.name),
                "customer": tools.html_escape(self.rating_get_partner_id().display_name)},
            subtype="mail.mt_note")

    @api.multi
    def message_get_suggested_recipients(self):
        """The recipients the chatter suggests, the complaint's customer
        (its contact, else the customer) among them: {complaint id: [(partner
        id, name and email, reason)]}, as mail.thread gives them.

        :raises AccessError: the caller may not read these complaints.
        """
        access.check_readable(self)
        recipients = super(CrmComplaint, self).message_get_suggested_recipients()
        for complaint in self.filtered("partner_id"):
            complaint._message_add_suggested_recipient(
                recipients, partner=complaint.contact_id or complaint.partner_id,
                reason=_("Customer"))
        return recipients
