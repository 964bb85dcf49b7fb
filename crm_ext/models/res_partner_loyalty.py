# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The loyalty of res.partner: birthday, referrer, loyalty cards, points and ledger."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import access

# personal data of the customer, for those who need it (readme/CONFIGURE.rst)
BIRTHDATE_READERS = "crm_ext.crm_loyalty_program_group_manager"


class ResPartner(models.Model):
    # one file per concern of the partner (STYLE.md), not one class
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    birthdate = fields.Date(
        "Birthday", groups=BIRTHDATE_READERS, copy=False,
        help="The loyalty program's birthday bonus is awarded on this day.")
    referred_by_id = fields.Many2one(
        "res.partner", index=True,
        help="The customer who brought this one: it earns the referral bonus of the "
             "loyalty program when this customer's first invoice is paid.")
    # the loyalty page of the customer form: only for the users who see the
    # loyalty program (the form holds the page for every user)
    loyalty_card_ids = fields.Many2many(
        "crm.loyalty.member", string="Loyalty Cards", compute="_compute_loyalty_card_ids",
        groups=access.LOYALTY_READERS,
        help="The loyalty cards of this customer (or of its company) in your companies.")
    loyalty_balance = fields.Float(
        "Loyalty Points", compute="_compute_loyalty_balance", groups=access.LOYALTY_READERS,
        help="Points of the loyalty cards of this customer (or of its company) in your "
             "companies.")
    loyalty_entry_ids = fields.Many2many(
        "crm.loyalty.entry", string="Points Ledger", compute="_compute_loyalty_entry_ids",
        groups=access.LOYALTY_READERS,
        help="The loyalty points moved for this customer (or its company).")

    def _compute_loyalty_card_ids(self):
        by_partner = self._loyalty_records_by_partner("crm.loyalty.member")
        for partner in self:
            partner.loyalty_card_ids = [
                (6, 0, by_partner.get(partner.commercial_partner_id.id, []))]

    def _compute_loyalty_balance(self):
        entries = self.env["crm.loyalty.entry"]
        partner_ids = self._commercial_partner_ids()
        balances = {}
        if partner_ids:
            groups = entries.read_group(
                [("partner_id", "in", partner_ids)], ["partner_id", "points"], ["partner_id"])
            balances = {group["partner_id"][0]: group["points"] for group in groups}
        for partner in self:
            partner.loyalty_balance = balances.get(partner.commercial_partner_id.id, 0.0)

    def _compute_loyalty_entry_ids(self):
        by_partner = self._loyalty_records_by_partner("crm.loyalty.entry")
        for partner in self:
            partner.loyalty_entry_ids = [
                (6, 0, by_partner.get(partner.commercial_partner_id.id, []))]

    @api.constrains("referred_by_id", "parent_id")
    def _check_referred_by(self):
        for partner in self.filtered("referred_by_id"):
            if partner.referred_by_id.commercial_partner_id == partner.commercial_partner_id:
                raise ValidationError(_(
                    "%s cannot be referred by itself or by a contact of its own company: "
                    "the referral bonus rewards bringing in another customer.")
                    % partner.display_name)

    @api.multi
    def action_view_loyalty_members(self):
        """The loyalty card of one customer's commercial entity (the list
        when it is a member of several programs).

        :returns: the window action (a dict): the card's form, or the list.
        :raises AccessError: the user may not read this partner or its
            loyalty cards.
        :raises ValueError: called on several partners.
        """
        return self._commercial_entity_action(
            "crm_ext.crm_loyalty_member_action",
            context={"default_partner_id": self.commercial_partner_id.id},
            single=self.loyalty_card_ids)

    def _loyalty_records_by_partner(self, model):
        """{commercial partner id: ids of its ``model`` records} (members or
        ledger entries), in one search."""
        records = self.env[model]
        partner_ids = self._commercial_partner_ids()
        if partner_ids:
            records = records.search([("partner_id", "in", partner_ids)])
        by_partner = {}
        for record in records:
            by_partner.setdefault(record.partner_id.id, []).append(record.id)
        return by_partner
