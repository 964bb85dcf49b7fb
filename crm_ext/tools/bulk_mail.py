# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Chatter rows of many records in a few statements.

The ORM posts a message, a tracking value, an activity or a follower one
record at a time, with several queries each: an escalation of thousands of
complaints would take minutes.  These functions write, set-based, the rows
the ORM writes (``test_12_7_escalation_writes_what_the_orm_writes`` checks
it), for the records of one model that inherits ``mail.thread`` (and
``mail.activity.mixin`` for :func:`schedule_activities`).  ``model``: that
model (any recordset of it: its environment is the one that writes); ``now``:
the moment written, a naive UTC ``datetime``.
"""
from psycopg2 import sql

from odoo import tools

# the fields of a mail template that generate_email renders
MAIL_TEMPLATE_FIELDS = ("subject", "body_html", "email_from", "email_to", "partner_to",
                        "email_cc", "reply_to", "scheduled_date")


def insert_rows(cr, table, rows, returning=None):
    """Insert ``rows`` (dicts with the same keys) into ``table`` in one
    statement; returns the ``returning`` columns of the new rows (a list of
    tuples), or None."""
    columns = sorted(rows[0])
    query = sql.SQL("INSERT INTO {table} ({columns}) VALUES ").format(
        table=sql.Identifier(table),
        columns=sql.SQL(", ").join(sql.Identifier(column) for column in columns))
    row_sql = "(%s)" % ", ".join(["%s"] * len(columns))
    tail = ""
    if returning:
        tail = sql.SQL(" RETURNING {}").format(sql.SQL(", ").join(
            sql.Identifier(column) for column in returning)).as_string(cr._obj)
    cr.execute(query.as_string(cr._obj) + ", ".join([row_sql] * len(rows)) + tail,
               [row[column] for row in rows for column in columns])
    return cr.fetchall() if returning else None


def stamp(env, now):
    """The columns the ORM writes on every row it creates."""
    return {"create_uid": env.uid, "create_date": now, "write_uid": env.uid, "write_date": now}


def subscribe_partners(model, pairs, now):
    """Make each partner of ``pairs`` (record id, partner id) a follower of
    the record with the default subtypes, as message_subscribe does (the
    partner's earlier subscription goes)."""
    env, cr = model.env, model.env.cr
    cr.execute("""
        DELETE FROM mail_followers
         WHERE res_model = %s
           AND (res_id, partner_id) IN (SELECT * FROM unnest(%s::int[], %s::int[]))
    """, (model._name, [pair[0] for pair in pairs], [pair[1] for pair in pairs]))
    followers = insert_rows(cr, "mail_followers", [
        {"res_model": model._name, "res_id": res_id, "partner_id": partner_id}
        for res_id, partner_id in pairs], returning=("id", "partner_id"))
    subtypes, _internal, external = env["mail.message.subtype"].default_subtypes(model._name)
    employees = env["res.users"].sudo().search([
        ("partner_id", "in", list(set(pair[1] for pair in pairs))),
        ("share", "=", False)]).mapped("partner_id").ids
    rows = [{"mail_followers_id": follower_id, "mail_message_subtype_id": subtype_id}
            for follower_id, partner_id in followers
            for subtype_id in (subtypes if partner_id in employees else external).ids]
    if rows:
        insert_rows(cr, "mail_followers_mail_message_subtype_rel", rows)
    model.invalidate_cache(["message_follower_ids", "message_partner_ids"],
                           [pair[0] for pair in pairs])


def insert_messages(model, values_list, now, notify=True):
    """Chatter messages in one INSERT, stored as message_post stores them (a
    note by default, answering the thread's first email else its first
    message, with the reply-to address of the record); ``values_list``:
    dicts of mail.message values with ``res_id`` and ``body``.  With
    ``notify``, the followers of their subtype are notified as message_post
    notifies them.  Returns {res_id: message id}."""
    env, cr = model.env, model.env.cr
    messages_model = env["mail.message"]
    author = env.user.partner_id
    email_from = messages_model._get_default_from()
    res_ids = [values["res_id"] for values in values_list]
    reply_to = model.message_get_reply_to(res_ids, default=email_from)
    names = dict(model.sudo().with_context(prefetch_fields=False).browse(res_ids).name_get())
    body_field = messages_model._fields["body"]
    note = env.ref("mail.mt_note")
    # message_post answers the first email of the thread, else its first
    # message (an email from the template answers nothing)
    cr.execute("""
        SELECT res_id, COALESCE(MIN(id) FILTER (WHERE message_type = 'email'), MIN(id))
          FROM mail_message WHERE model = %s AND res_id IN %s GROUP BY res_id
    """, (model._name, tuple(res_ids)))
    threads = dict(cr.fetchall())
    sanitized = {}
    rows = []
    for values in values_list:
        res_id = values["res_id"]
        if values["body"] not in sanitized:
            sanitized[values["body"]] = body_field.convert_to_column(
                values["body"], messages_model)
        row = {
            "model": model._name, "res_id": res_id, "record_name": names[res_id],
            "subject": None, "message_type": "notification", "subtype_id": note.id,
            "author_id": author.id, "email_from": email_from,
            "reply_to": reply_to[res_id], "date": now, "no_auto_thread": False,
            "mail_server_id": None, "mail_activity_type_id": None,
            "parent_id": threads.get(res_id),
            # what the rating module computes of a message nobody rated
            "rating_value": 0.0,
            "message_id": tools.generate_tracking_message_id("%s-%s" % (res_id, model._name)),
        }
        row.update(values, body=sanitized[values["body"]])
        if row["message_type"] == "email":
            row["parent_id"] = None
        rows.append(dict(row, **stamp(env, now)))
    messages = dict(insert_rows(cr, "mail_message", rows, returning=("res_id", "id")))
    if notify:
        notify_followers(env, list(messages.values()))
    model.invalidate_cache(["message_ids"], res_ids)
    return messages


def notify_followers(env, message_ids):
    """Notify the messages as mail.message.create does, for those that have
    someone to notify (followers of their subtype but the author): few or
    none of an escalation's notes.  The context keys read are those
    message_post reads (Odoo's own)."""
    env.cr.execute("""
        SELECT DISTINCT message.id
          FROM mail_message message
          JOIN mail_followers follower ON follower.res_model = message.model
                                      AND follower.res_id = message.res_id
          JOIN mail_followers_mail_message_subtype_rel subtype
               ON subtype.mail_followers_id = follower.id
              AND subtype.mail_message_subtype_id = message.subtype_id
         WHERE message.id IN %s
           AND (follower.channel_id IS NOT NULL
                OR follower.partner_id IS DISTINCT FROM message.author_id)
         ORDER BY message.id
    """, (tuple(message_ids),))
    context = env.context
    for message in env["mail.message"].browse([row[0] for row in env.cr.fetchall()]):
        message._notify(force_send=context.get("mail_notify_force_send", True),
                        user_signature=context.get("mail_notify_user_signature", True))


def insert_tracking(model, field_name, changes, now):
    """The tracking message of a field's changes, as write() posts it;
    ``changes``: [(record id, value before, value after)], those whose
    value did not change left out."""
    changed = [(res_id, before, after) for res_id, before, after in changes
               if (before or False) != (after or False)]
    if not changed:
        return
    field_info = model.fields_get([field_name])[field_name]
    tracking = model.env["mail.tracking.value"]
    messages = insert_messages(
        model, [{"res_id": res_id, "body": ""} for res_id, _before, _after in changed], now)
    insert_rows(model.env.cr, "mail_tracking_value", [dict(
        tracking.create_tracking_values(before, after, field_name, field_info),
        mail_message_id=messages[res_id], **stamp(model.env, now))
        for res_id, before, after in changed])


def schedule_activities(model, assignments, activity_type, summary, now):
    """An activity of ``activity_type`` due ``now`` per (record id, user id)
    of ``assignments``, whose user then follows the record, as
    mail.activity.create does one record at a time; each user is notified
    once.  ``summary``: a function of the record's name giving the
    activity's summary."""
    if not assignments:
        return
    env = model.env
    names = dict(model.sudo().with_context(prefetch_fields=False).browse(
        [row[0] for row in assignments]).name_get())
    model_id = env["ir.model"]._get_id(model._name)
    insert_rows(env.cr, "mail_activity", [dict(
        res_id=res_id, res_model_id=model_id, res_model=model._name, res_name=names[res_id],
        activity_type_id=activity_type.id, summary=summary(names[res_id]),
        date_deadline=now.date(), user_id=user_id, **stamp(env, now))
        for res_id, user_id in assignments])
    model.invalidate_cache(["activity_ids"], [row[0] for row in assignments])
    users = env["res.users"].browse(set(row[1] for row in assignments))
    subscribe_partners(model, [(res_id, users.browse(user_id).partner_id.id)
                               for res_id, user_id in assignments], now)
    for partner in users.mapped("partner_id"):
        env["bus.bus"].sendone(
            (env.cr.dbname, "res.partner", partner.id),
            {"type": "activity_updated", "activity_created": True})


def queue_template_emails(records, template, now):
    """The email of ``template`` to each of ``records``, as the template's
    send_mail() queues it (not sent), rendered for the whole batch (see
    :func:`render_mail_template`); a record without anyone to send it to
    gets none.  A template with files to attach or the default recipients
    goes through send_mail(), one record at a time."""
    if template.attachment_ids or template.report_template or template.use_default_to:
        for res_id in records.ids:
            template.send_mail(res_id)
        return
    env = records.env
    rendered = render_mail_template(records, template)
    res_ids = sorted(res_id for res_id, values in rendered.items() if values["partner_ids"])
    if not res_ids:
        return
    default_from = env["mail.message"]._get_default_from()
    messages = insert_messages(records, [{
        "res_id": res_id,
        "message_type": "email",
        "subtype_id": None,
        "subject": rendered[res_id]["subject"],
        "body": rendered[res_id]["body_html"],
        "email_from": rendered[res_id]["email_from"] or default_from,
        "reply_to": rendered[res_id]["reply_to"],
        "mail_server_id": rendered[res_id]["mail_server_id"] or None,
    } for res_id in res_ids], now, notify=False)
    mails = insert_rows(env.cr, "mail_mail", [dict(
        mail_message_id=messages[res_id],
        body_html=rendered[res_id]["body_html"],
        email_to=rendered[res_id]["email_to"],
        email_cc=rendered[res_id]["email_cc"],
        scheduled_date=rendered[res_id]["scheduled_date"],
        auto_delete=rendered[res_id]["auto_delete"],
        state="outgoing", notification=False, **stamp(env, now))
        for res_id in res_ids], returning=("mail_message_id", "id"))
    mail_of = dict(mails)
    insert_rows(env.cr, "mail_mail_res_partner_rel", [
        {"mail_mail_id": mail_of[messages[res_id]], "res_partner_id": partner_id}
        for res_id in res_ids
        for partner_id in rendered[res_id]["partner_ids"]])


def render_mail_template(records, template):
    """{record id: values} of ``template`` (without files or default
    recipients) for ``records``, as its generate_email() gives them to
    send_mail(): each field rendered for the records of each language, the
    recipients of partner_to that exist.  Unlike generate_email(), it reads
    only the fields the template reads, and checks the recipients in one
    query."""
    env = records.env
    template = template.with_context(prefetch_fields=False)
    results = {}
    by_language = {}
    for res_id, localized in template.get_email_template(records.ids).items():
        by_language.setdefault(localized, []).append(res_id)
    for localized, res_ids in by_language.items():
        renderer = template.browse()
        if localized.lang:
            renderer = renderer.with_context(lang=localized.env.context.get("lang"))
        for field in MAIL_TEMPLATE_FIELDS:
            text = localized[field]
            # an empty text renders as an empty string
            values = renderer.with_context(safe=field == "subject").render_template(
                text, localized.model, res_ids, post_process=field == "body_html",
            ) if text else dict.fromkeys(res_ids, "")
            for res_id, value in values.items():
                results.setdefault(res_id, {})[field] = value
        signature = localized.user_signature and env.user.signature
        for res_id in res_ids:
            if signature:
                results[res_id]["body_html"] = tools.append_content_to_html(
                    results[res_id]["body_html"], signature, plaintext=False)
            results[res_id].update(mail_server_id=localized.mail_server_id.id,
                                   auto_delete=localized.auto_delete)
    wanted = {res_id: [int(partner_id)
                       for partner_id in values.pop("partner_to").split(",") if partner_id]
              for res_id, values in results.items()}
    existing = set(env["res.partner"].sudo().browse(
        set().union(*wanted.values())).exists().ids)
    for res_id, partner_ids in wanted.items():
        results[res_id]["partner_ids"] = [partner_id for partner_id in partner_ids
                                          if partner_id in existing]
    return results
