# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The complaints of res.partner: their count, the last rating, the list."""
from odoo import api, fields, models


class ResPartner(models.Model):
    # one file per concern of the partner (STYLE.md), not one class
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    complaint_count = fields.Integer(
        "Complaints", compute="_compute_complaint_count",
        help="Complaints of this customer (or of its company) that you can see.")
    last_complaint_rating = fields.Integer(
        compute="_compute_last_complaint_rating",
        help="Stars (1-5) the customer (or its company) gave to its latest rated complaint "
             "resolution that you can see; 0: none.")

    def _compute_complaint_count(self):
        complaints = self.env["crm.complaint"]
        groups = []
        partner_ids = self._commercial_partner_ids()
        if partner_ids and complaints.check_access_rights("read", raise_exception=False):
            groups = complaints.read_group(
                [("commercial_partner_id", "in", partner_ids)],
                ["commercial_partner_id"], ["commercial_partner_id"])
        counts = {group["commercial_partner_id"][0]: group["commercial_partner_id_count"]
                  for group in groups}
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id.id, 0)

    def _compute_last_complaint_rating(self):
        complaints = self.env["crm.complaint"]
        ratings = {}
        partner_ids = self._commercial_partner_ids()
        if partner_ids and complaints.check_access_rights("read", raise_exception=False):
            query = complaints._where_calc([
                ("commercial_partner_id", "in", partner_ids), ("customer_rating", ">", 0)])
            complaints._apply_ir_rules(query, "read")
            from_clause, where_clause, params = query.get_sql()
            self.env.cr.execute("""
                SELECT DISTINCT ON (crm_complaint.commercial_partner_id)
                       crm_complaint.commercial_partner_id, crm_complaint.customer_rating
                  FROM {from_clause} WHERE {where}
                 ORDER BY crm_complaint.commercial_partner_id,
                          COALESCE(crm_complaint.date_closed, crm_complaint.date_resolved,
                                   crm_complaint.date_received) DESC,
                          crm_complaint.id DESC
            """.format(from_clause=from_clause, where=where_clause), params)
            ratings = dict(self.env.cr.fetchall())
        for partner in self:
            partner.last_complaint_rating = ratings.get(partner.commercial_partner_id.id, 0)

    @api.multi
    def action_view_complaints(self):
        """The complaints of one customer's commercial entity.

        :returns: the window action (a dict) of its complaints, which makes
            new ones for it.
        :raises AccessError: the user may not read this partner.
        :raises ValueError: called on several partners.
        """
        return self._commercial_entity_action(
            "crm_ext.crm_complaint_action_partner", "commercial_partner_id",
            {"default_partner_id": self.commercial_partner_id.id})
