# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The daily run of crm.loyalty.program: expiry, birthday bonus, tier review, reminders."""
import collections
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools.misc import split_every

from ..tools import clock, session
from ..tools.chunked_cron import ChunkedRun

# members per chunk of each step of the daily run: a chunk is one
# transaction (an expiry chunk holds the locks of its members and writes
# their expiry entries and journal entry together); 2,000 members (about
# 20,000 earnings at ten each) keep a chunk's statements set-based and its
# locks short, and a million earnings in some fifty journal entries
DAILY_CHUNK = 2000
# members per chunk of the expiry: its statements are set-based and cost
# the same few milliseconds whatever the chunk holds, plus one journal entry
# posted through the ORM; 20,000 members (some 200,000 earnings, a couple of
# seconds of locks) keep a million earnings to five chunks (at 2,000, fifty
# chunks took 2.5 times the one statement of before)
EXPIRY_CHUNK = 20000
# the advisory lock two runs of the daily cron share
DAILY_LOCK = "crm_ext.loyalty_daily"
# the steps of the daily run, in order: name -> (the program's method that
# lists the members to do, the one that does a chunk of them)
DAILY_STEPS = collections.OrderedDict([
    ("expiry", ("_expiring_members", "_expire_points")),
    ("birthday", ("_birthday_members", "_award_birthday_bonuses")),
    ("tier review", ("_tier_review_members", "_review_tiers")),
    ("reminder", ("_reminder_members", "_send_expiry_reminders")),
])


class CrmLoyaltyProgram(models.Model):
    """Once a day, every program expires the points whose day has come,
    awards the birthday bonuses, reviews the tiers and reminds members of
    points about to expire; each step can run again the same day without
    effect."""

    # one concern of the model per file
    _inherit = "crm.loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_run_daily(self, use_new_cursor=True):
        """Entry point of the daily cron (``ir_cron_loyalty_daily``): see
        :meth:`_run_daily`, each chunk committed on a cursor of its own."""
        return self._run_daily(use_new_cursor=use_new_cursor)

    @api.model
    def _run_daily(self, today=None, use_new_cursor=False):
        """The daily run over every program: expire points, award birthday
        bonuses, review tiers, remind members of points about to expire.

        A chunked run (``tools/chunked_cron.py``, lock
        ``crm_ext.loyalty_daily``; a run that meets another is skipped): each
        step of each program works through its members in chunks of
        :data:`DAILY_CHUNK`, each chunk committed whole on a cursor of its
        own (``use_new_cursor``, the cron) or in a savepoint of this cursor
        (the default: the tests and the demo).  Each chunk reads again what
        is left to do (points not yet expired, bonuses not yet given,
        reminders not yet sent), so a run killed half-way is completed by the
        next and running it twice the same day changes nothing the second
        time.

        :param today: the day, a ``'YYYY-MM-DD'`` string; by default the
            clock's (``tools/clock.py``) in the user's time zone.
        :returns: True (also when skipped).
        """
        today = today or fields.Date.to_string(clock.today(self))
        with ChunkedRun(self.env, DAILY_LOCK, use_new_cursor=use_new_cursor) as run:
            if not run.acquired:
                return True
            # a database has a handful of programs
            for program in self.sudo().search([]):  # pylint: disable=no-search-all
                program._run_daily_steps(run, today)
        return True

    def _run_daily_steps(self, run, today):
        """The steps of the daily run of this program, in chunks of ``run``
        (a ChunkedRun), as of ``today`` ('YYYY-MM-DD')."""
        self.ensure_one()
        for step in DAILY_STEPS:
            self._run_daily_step(run, today, step)
        if self.tier_review_date and self.tier_review_date <= today:
            # the yearly review is done once every chunk of it is: until
            # then the next run reviews the (same) members again
            run.chunk(lambda env: env[self._name].sudo().browse(self.id)._next_tier_review(today),
                      "%d tier review date" % self.id)

    def _run_daily_step(self, run, today, step):
        """One step of :data:`DAILY_STEPS` (its name, a str) of this
        program, as of ``today`` ('YYYY-MM-DD'): its members to do, read
        now, in chunks of :data:`DAILY_CHUNK` (:data:`EXPIRY_CHUNK` for the
        expiry) of ``run`` (a ChunkedRun).
        Returns the sum of the chunks' results (members whose points
        expired, for the expiry)."""
        self.ensure_one()
        finder, worker = DAILY_STEPS[step]
        done = 0
        size = EXPIRY_CHUNK if step == "expiry" else DAILY_CHUNK
        for batch in split_every(size, getattr(self, finder)(today), list):
            done += run.chunk(
                lambda env, batch=batch: getattr(
                    env[self._name].sudo().browse(self.id), worker)(today, batch),
                "%d %s %d-%d" % (self.id, step, batch[0], batch[-1])) or 0
        return done

    def _expiring_members(self, today):
        """Ids of this program's members with points expiring on or before
        ``today`` ('YYYY-MM-DD'), in order."""
        self.env.cr.execute("""
            SELECT DISTINCT member_id FROM crm_loyalty_entry
             WHERE program_id = %s AND remaining_points > 0 AND expiry_date <= %s
             ORDER BY member_id
        """, (self.id, today))
        return [row[0] for row in self.env.cr.fetchall()]

    def _expire_points(self, today, member_ids=None):
        """Expire, in a few statements whatever their number, the points of
        every earning whose expiry date has come (of the members
        ``member_ids``, a list, or of all): one expiry entry per member, and
        their value booked as income in one journal entry, in the same
        transaction (never entries without their booking, nor the reverse).
        Points already expired are not found again: a re-run expires
        nothing twice."""
        self.ensure_one()
        cr = self.env.cr
        due = """program_id = %(program)s AND remaining_points > 0
                 AND expiry_date <= %(today)s
                 AND (%(members)s::int[] IS NULL OR member_id = ANY(%(members)s::int[]))"""
        params = {"program": self.id, "today": today, "members": member_ids,
                  "uid": self.env.uid, "origin": _("Expiry")}
        # the members first, like any other movement of their points; the
        # points due, to book them before the entries that point to the move
        with session.tuned(cr):
            cr.execute("""
                WITH locked AS (
                    SELECT id FROM crm_loyalty_member
                     WHERE id IN (SELECT member_id FROM crm_loyalty_entry WHERE {due})
                     ORDER BY id FOR UPDATE
                )
                SELECT COUNT(*) FROM locked
            """.format(due=due), params)  # pylint: disable=sql-injection
            if not cr.fetchone()[0]:
                return 0
            cr.execute("SELECT SUM(remaining_points) FROM crm_loyalty_entry WHERE {due}".format(
                due=due), params)  # pylint: disable=sql-injection
            points = cr.fetchone()[0]
            # one journal entry for every member's points
            move = self.env["crm.loyalty.entry"]._book(self, self.env["crm.loyalty.member"], {
                "points": -points, "entry_type": "expire", "date": today,
                "origin": self.name}) if self.journal_id else None
            params["move"] = move.id if move else None
            cr.execute("""
                WITH due AS (
                    SELECT id, member_id, partner_id, company_id, remaining_points
                      FROM crm_loyalty_entry
                     WHERE {due}
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
            """.format(due=due), params)  # pylint: disable=sql-injection
            expired = cr.rowcount
        self.env["crm.loyalty.entry"].invalidate_cache()
        return expired  # members whose points expired

    def _birthday_members(self, today, member_ids=None):
        """Ids of this program's members born on ``today`` ('YYYY-MM-DD'; on
        28 February also those born on 29 February, in other years) who
        have not had their bonus this year (of ``member_ids``, a list, or of
        all), in order."""
        self.ensure_one()
        if not self.birthday_bonus:
            return []
        day = fields.Date.from_string(today)
        days = [(day.month, day.day)]
        if (day.month, day.day) == (2, 28) and (day.replace(day=1) + timedelta(days=28)).day != 29:
            days.append((2, 29))
        self.env.cr.execute("""
            SELECT member.id
              FROM crm_loyalty_member member
              JOIN res_partner partner ON partner.id = member.partner_id
             WHERE member.program_id = %s AND partner.active
               AND (%s::int[] IS NULL OR member.id = ANY(%s::int[]))
               AND (EXTRACT(MONTH FROM partner.birthdate), EXTRACT(DAY FROM partner.birthdate))
                   IN %s
               AND NOT EXISTS (
                   SELECT 1 FROM crm_loyalty_entry entry
                    WHERE entry.member_id = member.id AND entry.bonus_reason = 'birthday'
                      AND EXTRACT(YEAR FROM entry.date) = %s)
             ORDER BY member.id
        """, (self.id, member_ids, member_ids, tuple(days), day.year))
        return [row[0] for row in self.env.cr.fetchall()]

    def _award_birthday_bonuses(self, today, member_ids=None):
        """The birthday bonus, once a year, to members born on this day (see
        :meth:`_birthday_members`; of ``member_ids``, a list, or of all)."""
        self.ensure_one()
        member_ids = self._birthday_members(today, member_ids)
        if member_ids:
            self.env["crm.loyalty.entry"]._record([{
                "member_id": member_id, "entry_type": "bonus", "bonus_reason": "birthday",
                "points": self.birthday_bonus, "date": today, "origin": _("Birthday"),
            } for member_id in member_ids])

    def _tier_review_members(self, today, member_ids=None):
        """Ids of this program's members whose tier is reviewed on ``today``
        ('YYYY-MM-DD'): every member with a tier on or after the yearly
        review date, and those whose grace period has ended (of
        ``member_ids``, a list, or of all), in order."""
        self.ensure_one()
        self.env.cr.execute("""
            SELECT id FROM crm_loyalty_member
             WHERE program_id = %(program)s
               AND (%(members)s::int[] IS NULL OR id = ANY(%(members)s::int[]))
               AND ((%(review)s AND tier_id IS NOT NULL) OR tier_grace_until <= %(today)s)
             ORDER BY id
        """, {"program": self.id, "members": member_ids, "today": today,
              "review": bool(self.tier_review_date and self.tier_review_date <= today)})
        return [row[0] for row in self.env.cr.fetchall()]

    def _review_tiers(self, today, member_ids=None):
        """The yearly review starts the grace period of members who no
        longer reach their tier; members whose grace has ended move down (see
        :meth:`_tier_review_members`; of ``member_ids``, a list, or of all).
        Reviewing a member again the same day changes nothing.  The review
        date moves on a year with :meth:`_next_tier_review`."""
        self.ensure_one()
        self.env["crm.loyalty.member"].browse(
            self._tier_review_members(today, member_ids))._update_tiers(
                upgrade_only=False, day=today)

    def _next_tier_review(self, today):
        """Move the yearly review date on a year once the review of
        ``today`` ('YYYY-MM-DD') is done (not again: the date has moved)."""
        self.ensure_one()
        if self.tier_review_date and self.tier_review_date <= today:
            self.write({"tier_review_date": fields.Date.to_string(
                fields.Date.from_string(self.tier_review_date) + relativedelta(years=1))})

    def _reminder_members(self, today, member_ids=None):
        """Ids of this program's members with points expiring in the 30 days
        after ``today`` ('YYYY-MM-DD') not reminded in the last 30 days (of
        ``member_ids``, a list, or of all), in order."""
        self.ensure_one()
        day = fields.Date.from_string(today)
        self.env.cr.execute("""
            SELECT DISTINCT entry.member_id
              FROM crm_loyalty_entry entry
              JOIN crm_loyalty_member member ON member.id = entry.member_id
             WHERE entry.program_id = %s AND entry.remaining_points > 0
               AND (%s::int[] IS NULL OR entry.member_id = ANY(%s::int[]))
               AND entry.expiry_date > %s AND entry.expiry_date <= %s
               AND (member.expiry_reminder_date IS NULL OR member.expiry_reminder_date <= %s)
             ORDER BY entry.member_id
        """, (self.id, member_ids, member_ids, today, day + timedelta(days=30),
              day - timedelta(days=30)))
        return [row[0] for row in self.env.cr.fetchall()]

    def _send_expiry_reminders(self, today, member_ids=None):
        """Email members with points expiring in the next 30 days, at most
        once every 30 days (see :meth:`_reminder_members`; of
        ``member_ids``, a list, or of all): queued with their reminder date
        in one transaction, so none is emailed twice."""
        self.ensure_one()
        template = self.env.ref("crm_ext.crm_loyalty_member_mail_template_expiring",
                                raise_if_not_found=False)
        if not template:
            return
        members = self.env["crm.loyalty.member"].browse(self._reminder_members(today, member_ids))
        for member in members.filtered(lambda member: member.partner_id.email):
            template.send_mail(member.id)
        members.write({"expiry_reminder_date": today})
