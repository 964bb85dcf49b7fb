# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily run of crm.loyalty.program: expiry, birthday bonus, tier review, reminders."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from ..tools import session


class CrmLoyaltyProgram(models.Model):
    """Once a day, every program expires the points whose day has come,
    awards the birthday bonuses, reviews the tiers and reminds members of
    points about to expire; each step can run again the same day without
    effect."""

    # one concern of the model per file
    _inherit = "crm.loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_run_daily(self):
        """Entry point of the daily cron (``ir_cron_loyalty_daily``)."""
        return self._run_daily()

    @api.model
    def _run_daily(self, today=None):
        """The daily run over every program: expire points, award birthday
        bonuses, review tiers, remind members of points about to expire.
        ``today``: a ``'YYYY-MM-DD'`` string, the user's today by default.
        Running it twice the same day changes nothing the second time."""
        today = today or fields.Date.context_today(self)
        # a database has a handful of programs
        for program in self.sudo().search([]):  # pylint: disable=no-search-all
            program._expire_points(today)
            program._award_birthday_bonuses(today)
            program._review_tiers(today)
            program._send_expiry_reminders(today)
        return True

    def _expire_points(self, today):
        """Expire, in a few statements whatever their number, the points of
        every earning whose expiry date has come: one expiry entry per
        member, and their value booked as income in one journal entry."""
        self.ensure_one()
        cr = self.env.cr
        # the members first, like any other movement of their points; the
        # points due, to book them before the entries that point to the move
        with session.tuned(cr):
            cr.execute("""
                WITH locked AS (
                    SELECT id FROM crm_loyalty_member
                     WHERE id IN (SELECT member_id FROM crm_loyalty_entry
                                   WHERE program_id = %s AND remaining_points > 0
                                     AND expiry_date <= %s)
                     ORDER BY id FOR UPDATE
                )
                SELECT COUNT(*) FROM locked
            """, (self.id, today))
            if not cr.fetchone()[0]:
                return 0
            cr.execute("""
                SELECT SUM(remaining_points) FROM crm_loyalty_entry
                 WHERE program_id = %s AND remaining_points > 0 AND expiry_date <= %s
            """, (self.id, today))
            points = cr.fetchone()[0]
            # one journal entry for every member's points
            move = self.env["crm.loyalty.entry"]._book(self, self.env["crm.loyalty.member"], {
                "points": -points, "entry_type": "expire", "date": today,
                "origin": self.name}) if self.journal_id else None
            cr.execute("""
                WITH due AS (
                    SELECT id, member_id, partner_id, company_id, remaining_points
                      FROM crm_loyalty_entry
                     WHERE program_id = %(program)s AND remaining_points > 0
                       AND expiry_date <= %(today)s
                ),
                used_up AS (
                    UPDATE crm_loyalty_entry entry
                       SET remaining_points = 0,
                           expired_points = COALESCE(entry.expired_points, 0) + due.remaining_points
                      FROM due WHERE entry.id = due.id
                )
                INSERT INTO crm_loyalty_entry
                       (member_id, partner_id, program_id, company_id, date, entry_type, points,
                        remaining_points, earn_multiplier, origin, move_id, user_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT member_id, partner_id, %(program)s, company_id, %(today)s, 'expire',
                       -SUM(remaining_points), 0, 1, %(origin)s, %(move)s, %(uid)s,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM due
                 GROUP BY member_id, partner_id, company_id
            """, {"program": self.id, "today": today, "uid": self.env.uid,
                  "origin": _("Expiry"), "move": move.id if move else None})
            expired = cr.rowcount
        self.env["crm.loyalty.entry"].invalidate_cache()
        return expired  # members whose points expired

    def _award_birthday_bonuses(self, today):
        """The birthday bonus, once a year, to members born on this day (on
        28 February for those born on 29 February, in other years)."""
        self.ensure_one()
        if not self.birthday_bonus:
            return
        day = fields.Date.from_string(today)
        days = [(day.month, day.day)]
        if (day.month, day.day) == (2, 28) and (day.replace(day=1) + timedelta(days=28)).day != 29:
            days.append((2, 29))
        self.env.cr.execute("""
            SELECT member.id
              FROM crm_loyalty_member member
              JOIN res_partner partner ON partner.id = member.partner_id
             WHERE member.program_id = %s AND partner.active
               AND (EXTRACT(MONTH FROM partner.birthdate), EXTRACT(DAY FROM partner.birthdate))
                   IN %s
               AND NOT EXISTS (
                   SELECT 1 FROM crm_loyalty_entry entry
                    WHERE entry.member_id = member.id AND entry.bonus_reason = 'birthday'
                      AND EXTRACT(YEAR FROM entry.date) = %s)
        """, (self.id, tuple(days), day.year))
        member_ids = [row[0] for row in self.env.cr.fetchall()]
        if member_ids:
            self.env["crm.loyalty.entry"]._record([{
                "member_id": member_id, "entry_type": "bonus", "bonus_reason": "birthday",
                "points": self.birthday_bonus, "date": today, "origin": _("Birthday"),
            } for member_id in member_ids])

    def _review_tiers(self, today):
        """The yearly review starts the grace period of members who no
        longer reach their tier; members whose grace has ended move down."""
        self.ensure_one()
        members = self.env["crm.loyalty.member"]
        if self.tier_review_date and self.tier_review_date <= today:
            members.search([("program_id", "=", self.id), ("tier_id", "!=", False)])._update_tiers(
                upgrade_only=False, day=today)
            self.write({"tier_review_date": fields.Date.to_string(
                fields.Date.from_string(self.tier_review_date) + relativedelta(years=1))})
        members.search([("program_id", "=", self.id),
                        ("tier_grace_until", "!=", False),
                        ("tier_grace_until", "<=", today)])._update_tiers(
            upgrade_only=False, day=today)

    def _send_expiry_reminders(self, today):
        """Email members with points expiring in the next 30 days, at most
        once every 30 days."""
        self.ensure_one()
        template = self.env.ref("crm_ext.crm_loyalty_member_mail_template_expiring",
                                raise_if_not_found=False)
        if not template:
            return
        day = fields.Date.from_string(today)
        self.env.cr.execute("""
            SELECT DISTINCT entry.member_id
              FROM crm_loyalty_entry entry
              JOIN crm_loyalty_member member ON member.id = entry.member_id
             WHERE entry.program_id = %s AND entry.remaining_points > 0
               AND entry.expiry_date > %s AND entry.expiry_date <= %s
               AND (member.expiry_reminder_date IS NULL OR member.expiry_reminder_date <= %s)
        """, (self.id, today, day + timedelta(days=30), day - timedelta(days=30)))
        members = self.env["crm.loyalty.member"].browse([row[0] for row in self.env.cr.fetchall()])
        for member in members.filtered(lambda member: member.partner_id.email):
            template.send_mail(member.id)
        members.write({"expiry_reminder_date": today})
