# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ledger consistency check of crm.loyalty.program: cards, lots and liability."""
from odoo import api, models

#: points are whole numbers; a float sum of them may differ by rounding only
POINTS_TOLERANCE = 0.001
#: members read per batch for their cards' figures
MEMBER_BATCH = 5000


class CrmLoyaltyProgram(models.Model):
    """What an auditor (and ``make load``, and the restore test) checks of
    the points ledger after any number of concurrent movements, crashes,
    upgrades or restores."""

    # one concern of the model per file
    _inherit = "crm.loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _ledger_consistency(self):
        """The points ledger of every program, checked three ways:

        - each member's card adds up: its balance (the sum of its entries)
          equals earned - redeemed - expired + adjusted;
        - each member's remaining points (what its earnings still hold) are
          its balance when positive, none when it owes points (a debt,
          settled by later earnings): no point lost or made up;
        - each entry's remaining points lie between 0 and its points (none
          on a movement that takes points);
        - each program that books its points has its liability account's
          balance equal to the value of its points outstanding
          (:meth:`_liability_check`).

        Reads only, as superuser (a maintenance entry point: private).

        :returns: a dict: ``members`` (int, checked), ``inconsistent_members``
            and ``inconsistent_entries`` (lists of ids), ``unbalanced_programs``
            (list of ids) and ``consistent`` (bool: all three lists empty).
        """
        cr = self.env.cr
        # every program and member, archived ones too: the ledger is whole
        cr.execute("SELECT id FROM crm_loyalty_program ORDER BY id")
        programs = self.sudo().browse([row[0] for row in cr.fetchall()])
        cr.execute("""
            SELECT id FROM crm_loyalty_entry
             WHERE points > 0 AND (remaining_points < -%(tol)s
                                   OR remaining_points > points + %(tol)s)
                OR points <= 0 AND ABS(COALESCE(remaining_points, 0)) > %(tol)s
             ORDER BY id
        """, {"tol": POINTS_TOLERANCE})
        inconsistent_entries = [row[0] for row in cr.fetchall()]
        cr.execute("""
            SELECT member_id FROM crm_loyalty_entry GROUP BY member_id
            HAVING ABS(SUM(remaining_points) - GREATEST(SUM(points), 0)) > %s
        """, (POINTS_TOLERANCE,))
        inconsistent_members = {row[0] for row in cr.fetchall()}
        members = self.env["crm.loyalty.member"].sudo()
        cr.execute("SELECT id FROM crm_loyalty_member ORDER BY id")
        member_ids = [row[0] for row in cr.fetchall()]
        for start in range(0, len(member_ids), MEMBER_BATCH):
            batch = members.browse(member_ids[start:start + MEMBER_BATCH])
            for member in batch:
                card = (member.lifetime_earned - member.lifetime_redeemed
                        - member.lifetime_expired + member.lifetime_adjusted)
                if abs(member.balance - card) > POINTS_TOLERANCE:
                    inconsistent_members.add(member.id)
            batch.invalidate_cache()
        unbalanced_programs = [program.id for program in programs
                               if program.liability_account_id
                               and not program._liability_check()["balanced"]]
        return {
            "members": len(member_ids),
            "inconsistent_members": sorted(inconsistent_members),
            "inconsistent_entries": inconsistent_entries,
            "unbalanced_programs": unbalanced_programs,
            "consistent": not (inconsistent_members or inconsistent_entries
                               or unbalanced_programs),
        }
