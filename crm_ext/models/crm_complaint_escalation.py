# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Escalation of crm.complaint: the job that escalates complaints at risk or breached."""
import logging

from odoo import _, api, fields, models, tools
from odoo.tools.misc import split_every

from ..tools import bulk_mail
from ..tools.chunked_cron import ChunkedRun, is_concurrency_error
from ..tools.sla_status import DUE_SQL, SlaValues, sla_status, sla_stopped_since, sla_values

_logger = logging.getLogger(__name__)

# complaints escalated per chunk by the cron: each chunk is one transaction
# (its status refresh, flags, chatter and emails); 1,000 keeps the set-based
# statements worth their cost while a chunk holds its rows' locks for well
# under a second and a failing one gives back little
ESCALATION_BATCH = 1000
# the advisory lock two runs of the escalation share
ESCALATION_LOCK = "crm_ext.complaint_escalation"


class CrmComplaint(models.Model):
    """Escalation of the complaints: see :meth:`_cron_escalate` (the
    chatter rows it writes, set-based: tools/bulk_mail.py)."""

    # a concern of its own (one concern per file)
    _inherit = "crm.complaint"  # pylint: disable=consider-merging-classes-inherited

    # the escalation job's own flags (which thresholds are done): kept out
    # of the views, users see whom it went to and when
    escalated_at_risk = fields.Boolean(readonly=True, copy=False)
    escalated_breached = fields.Boolean(readonly=True, copy=False)
    escalation_user_id = fields.Many2one(
        "res.users", "Escalated To", readonly=True, copy=False,
        help="Who the last escalation went to: see the activity and the note in the chatter.")
    date_escalated = fields.Datetime(
        "Escalated On", readonly=True, copy=False,
        help="When the complaint was last escalated (at risk, then breached).")

    @api.multi
    def _rearm_escalations(self):
        """After a reopening, the escalations of the earlier cycle neither
        block nor force those of the next one: a threshold the resumed clock
        has not reached is escalated when it is; one it had passed already
        keeps its escalation (made or still due), not made twice."""
        status = self._sla_status_at(self._now())
        values = {}
        if status not in ("at_risk", "breached") and self.escalated_at_risk:
            values["escalated_at_risk"] = False
        if status != "breached" and self.escalated_breached:
            values["escalated_breached"] = False
        if values:
            self.write(values)

    @api.model
    def _refresh_sla_status(self, now, ids=None):
        """Bring the stored SLA status up to ``now`` (a naive UTC datetime)
        where time may have moved it (see DUE_SQL), by the rule of
        :func:`sla_status`; with ``ids`` (a list of complaint ids), of those
        complaints only (one chunk of the cron).  Returns the complaints due
        for an escalation, by threshold: {"breached": ids, "at_risk": ids}."""
        cr = self.env.cr
        cr.execute("""
            SELECT complaint.id, complaint.sla_status, complaint.escalated_at_risk,
                   complaint.escalated_breached, {columns}
              FROM crm_complaint complaint
             WHERE {due}
               AND (%(ids)s::int[] IS NULL OR complaint.id = ANY(%(ids)s::int[]))
             ORDER BY complaint.id
        """.format(columns=", ".join("complaint.%s" % name for name in SlaValues._fields),
                   due=DUE_SQL), {"now": now, "ids": ids})
        changed = {}
        due = {"breached": [], "at_risk": []}
        for row in cr.fetchall():
            complaint_id, stored, escalated_at_risk, escalated_breached = row[:4]
            values = sla_values(row[4:])
            status = sla_status(values, now)
            if status != stored:
                changed.setdefault(status, []).append(complaint_id)
            if sla_stopped_since(values) or escalated_breached:
                continue
            if status == "breached":
                due["breached"].append(complaint_id)
            elif status == "at_risk" and not escalated_at_risk:
                due["at_risk"].append(complaint_id)
        for status, status_ids in sorted(changed.items()):
            cr.execute("UPDATE crm_complaint SET sla_status = %s WHERE id IN %s",
                       (status or None, tuple(status_ids)))
            self.invalidate_cache(["sla_status"], status_ids)
        return due

    @api.model
    def _cron_escalate(self, now=None, batch_size=ESCALATION_BATCH, use_new_cursor=True):
        """Escalate the open complaints whose at-risk or breach moment has
        passed and that were not yet escalated for it, ``batch_size`` at a
        time; a complaint past both is escalated once, as breached.

        A chunked run (``tools/chunked_cron.py``, lock
        ``crm_ext.complaint_escalation``): the complaints whose status time
        may have moved are read once, then each batch of them is one chunk,
        committed on a cursor of its own (``use_new_cursor=False``: in a
        savepoint of this cursor, as the tests run it) with all that its
        escalation writes (status, flags, tracking, activities, notes,
        emails); a failing chunk is rolled back alone and taken again by the
        next run.  A run that meets another is skipped.  Re-running does
        nothing more: each chunk reads its complaints' flags again (see
        :meth:`_escalate`).

        :param now: the moment (naive UTC datetime) of the whole run, the
            clock's by default; every chunk escalates as of it.
        :returns: the number of escalations (0 when skipped).
        """
        now = now or self._now()
        escalated = 0
        with ChunkedRun(self.env, ESCALATION_LOCK, use_new_cursor=use_new_cursor) as run:
            if not run.acquired:
                return 0
            self.env.cr.execute(
                "SELECT complaint.id FROM crm_complaint complaint WHERE %s ORDER BY complaint.id"
                % DUE_SQL, {"now": now})  # pylint: disable=sql-injection
            ids = [row[0] for row in self.env.cr.fetchall()]
            for batch in split_every(batch_size, ids, list):
                escalated += run.chunk(
                    lambda env, batch=batch: env[self._name]._escalate_chunk(batch, now),
                    "%d-%d" % (batch[0], batch[-1])) or 0
        _logger.info("Complaints: %d escalations", escalated)
        return escalated

    @api.model
    def _escalate_chunk(self, ids, now):
        """One chunk of :meth:`_cron_escalate`: refresh the SLA status of the
        complaints ``ids`` (a list) as of ``now`` and escalate those due.
        Returns the number of escalations."""
        due = self._refresh_sla_status(now, ids)
        return sum(len(self.browse(due[threshold])._escalate(threshold, now))
                   for threshold in ("breached", "at_risk"))

    @api.multi
    def _escalate(self, threshold, now):
        """Escalate these complaints for ``threshold`` (at_risk, breached):
        claim them (flag and priority bump in one UPDATE that skips those
        already escalated for it), then write for the claimed ones, set-based,
        what the ORM writes when it escalates them one at a time (see
        test_12_7_escalation_writes_what_the_orm_writes): the priority's
        tracking, an activity for the team leader, who follows the complaint
        from then on, a chatter note and the email to the responsible from
        its template.  Returns the claimed complaints."""
        if not self:
            return self
        breached = threshold == "breached"
        cr, uid = self.env.cr, self.env.uid
        cr.execute("""
            UPDATE crm_complaint complaint
               SET escalated_at_risk = TRUE,
                   escalated_breached = COALESCE(complaint.escalated_breached, FALSE)
                                        OR %(breached)s,
                   priority = LEAST(COALESCE(NULLIF(complaint.priority, ''), '0')::int + 1,
                                    3)::text,
                   write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT id, priority FROM crm_complaint WHERE id IN %(ids)s) before
             WHERE complaint.id = before.id
               AND NOT COALESCE(complaint.escalated_breached, FALSE)
               AND (%(breached)s OR NOT COALESCE(complaint.escalated_at_risk, FALSE))
         RETURNING complaint.id, before.priority, complaint.priority
        """, {"breached": breached, "uid": uid, "now": now, "ids": tuple(self.ids)})
        priorities = {row[0]: row[1:] for row in cr.fetchall()}
        claimed = self.browse(sorted(priorities))
        self.invalidate_cache(["escalated_at_risk", "escalated_breached", "priority"], self.ids)
        if not claimed:
            return claimed
        if breached:
            label = _("SLA breached")
        else:
            label = _("SLA at risk")
        leaders = claimed._escalation_leaders()
        claimed._escalation_recipients(leaders, now)
        claimed._escalation_tracking(priorities, now)
        claimed._escalation_activities(label, now, leaders)
        claimed._escalation_notes(label, now)
        claimed._escalation_emails(label, now)
        return claimed

    @api.multi
    def _escalation_leaders(self):
        """[(complaint id, user id)] of the users to escalate these
        complaints to: the leader of the complaint's team, else of the
        responsible's team, else the responsible, else the creator
        (complaints without any left out), in one query.

        Meant to be overridden by a module that escalates to other people:
        they get the activity and follow the complaint from then on."""
        self.env.cr.execute("""
            SELECT complaint.id,
                   COALESCE(team.user_id, user_team.user_id, complaint.user_id,
                            complaint.create_uid)
              FROM crm_complaint complaint
              LEFT JOIN crm_team team ON team.id = complaint.team_id
              LEFT JOIN res_users responsible ON responsible.id = complaint.user_id
              LEFT JOIN crm_team user_team ON user_team.id = responsible.sale_team_id
             WHERE complaint.id IN %s
             ORDER BY complaint.id
        """, (tuple(self.ids),))
        return [row for row in self.env.cr.fetchall() if row[1]]

    @api.multi
    def _escalation_recipients(self, leaders, now):
        """Record whom each complaint was escalated to and when, in one
        UPDATE; ``leaders``: [(complaint id, user id)] (see
        :meth:`_escalation_leaders`)."""
        if not leaders:
            return
        self.env.cr.execute("""
            UPDATE crm_complaint complaint
               SET escalation_user_id = leader.user_id, date_escalated = %s
              FROM (SELECT unnest(%s) AS complaint_id, unnest(%s) AS user_id) leader
             WHERE complaint.id = leader.complaint_id
        """, (now, [row[0] for row in leaders], [row[1] for row in leaders]))
        self.invalidate_cache(["escalation_user_id", "date_escalated"], self.ids)

    @api.multi
    def _escalation_tracking(self, priorities, now):
        """The tracking message of the raised priorities, as write() posts
        it; ``priorities``: {complaint id: (before, after)}."""
        bulk_mail.insert_tracking(self, "priority", [
            (complaint_id, before, after)
            for complaint_id, (before, after) in sorted(priorities.items())], now)

    @api.multi
    def _escalation_activities(self, label, now, leaders):
        """An activity per complaint for its leader (``leaders``: see
        :meth:`_escalation_leaders`), who then follows the complaint."""
        bulk_mail.schedule_activities(
            self, leaders,
            self.env.ref("crm_ext.mail_activity_data_complaint_escalation"),
            lambda name: "%s: %s" % (label, name), now)

    @api.multi
    def _escalation_notes(self, label, now):
        """A chatter note per complaint saying it was escalated."""
        body = "<p>%s</p>" % tools.html_escape(_(
            "%s: escalated to the team leader, priority raised.") % label)
        bulk_mail.insert_messages(self, [{"res_id": complaint_id, "body": body}
                                         for complaint_id in self.ids], now)

    @api.multi
    def _escalation_emails(self, label, now):
        """The escalation email to the responsible of each complaint, from
        its template, queued (see :func:`bulk_mail.queue_template_emails`;
        Odoo's own mail cron sends them, so a mail server's error never
        reaches the escalation).  An email that cannot be rendered or queued
        (a broken template, a bad address) is logged and left out: the
        escalation, its activity and note stay; the batch is queued in one
        savepoint, else each complaint's email in its own, so one bad email
        costs no other.  The template reads ``escalation_label`` from its
        context: a text it shows, that steers nothing (a caller who renders
        the template with another label only changes the text of its own
        rendering)."""
        template = self.env.ref("crm_ext.crm_complaint_mail_template_escalation",
                                raise_if_not_found=False)
        if not template:
            return
        template = template.with_context(escalation_label=label)
        if self._queue_escalation_emails(template, now):
            return
        for complaint in self:
            complaint._queue_escalation_emails(template, now)

    @api.multi
    def _queue_escalation_emails(self, template, now):
        """Queue ``template``'s emails to these complaints in a savepoint.
        Returns False (nothing queued, logged) when that failed on anything
        but a concurrency error, which the chunk retries whole."""
        try:
            with self.env.cr.savepoint():
                bulk_mail.queue_template_emails(self, template, now)
        except Exception as error:  # pylint: disable=broad-except
            if is_concurrency_error(error):
                raise
            _logger.warning("Complaints %s: escalation email not queued, escalated without it",
                            self.ids, exc_info=True)
            return False
        return True
