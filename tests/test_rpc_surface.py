"""Nobody acts beyond their role over RPC (issue 11), proven against a running
server.

Odoo 11 lets any logged-in user, portal users included, call any model
method whose name does not start with "_" over XML-RPC/JSON-RPC, and checks
no right before the call.  This file finds every public method crm_ext
defines or overrides by introspection (a method added later is picked up
without editing this file) and calls each over XML-RPC as three users who
must not be able to act on the main company's records with it:

- the demo portal user;
- a salesperson of another company with the strongest sales-side groups
  (sales manager, complaint manager, loyalty manager);
- an accountant of the main company ("Billing" only).

Each call must either answer (the result travelled, so it is XML-RPC-safe)
or be refused cleanly (AccessError, UserError, ValidationError,
MissingError), a call that answers must concern only records the caller may
read, and crm_ext's data must be unchanged afterwards: a checksum of every
table crm_ext's models and methods write is taken after each call.  All the
failures are reported together, one line per call.

A second test checks that sale.order.apply_loyalty_points answers over
XML-RPC and can be retried without redeeming twice.
"""
import collections
import configparser
import datetime
import inspect
import os
import re
import time
import uuid
import xmlrpc.client

import psycopg2
import pytest
from psycopg2 import sql

MODULE = "crm_ext"
PASSWORD = "rpc-surface"
CALL_TIMEOUT = 180

# Sample arguments by parameter name.  A callable receives the Samples of the
# database.  A required parameter that is not here gets None: a guard must
# refuse before it looks at its arguments.
SAMPLE_ARGS = {
    # what the main company's program accepts: a guard, not the rules of
    # the program, must stop the call
    "points": lambda samples: samples.points,
    "vals": {},
    "domain": [],
    "fields": ["name"],
    "groupby": ["customer_segment_id"],
    "rate": 5,
    "token": "rpc-surface-token",
    "feedback": "Sent over XML-RPC.",
    "msg_dict": {
        "message_id": "<rpc-surface@example.com>",
        "subject": "Broken parcel",
        "from": "RPC Surface <rpc.surface@example.com>",
        "email_from": "RPC Surface <rpc.surface@example.com>",
        "to": "complaints@example.com",
        "cc": "",
        "body": "<p>The parcel arrived broken.</p>",
        "date": "2026-01-05 10:00:00",
        "attachments": [],
    },
    "company": lambda samples: samples.company_id,
    "partners": lambda samples: samples.ids("res.partner"),
    "documents": lambda samples: samples.ids("account.invoice"),
    "partner_field": "commercial_partner_id",
    "xmlids": ["crm_ext.crm_complaint_new_at_risk_demo",
               "crm_ext.crm_complaint_acknowledged_at_risk_demo"],
}
# Optional parameters that are passed all the same: no public method may
# take a date, a "now" or a user that changes what it does to other
# people's records (a date years ahead expires every point, for instance).
FUTURE = datetime.date.today() + datetime.timedelta(days=3 * 366)
ADVERSARIAL_ARGS = {
    "today": FUTURE.isoformat(),
    "day": FUTURE.isoformat(),
    "date": FUTURE.isoformat(),
    "now": "%s 12:00:00" % FUTURE.isoformat(),
    "user_id": 1,
    "uid": 1,
}
# Values of the fields of a wizard a caller creates, by field name.
SAMPLE_WIZARD_FIELDS = {
    "points": lambda samples: samples.points,
    "reason": "Adjusted over XML-RPC.",
    "note": "Given over XML-RPC.",
    "description": "Credited over XML-RPC.",
}

# Core tables crm_ext's methods write, besides those of the models crm_ext
# defines or extends (found by introspection).
CORE_TABLES = (
    "account_full_reconcile", "account_invoice_line", "account_move", "account_move_line",
    "account_partial_reconcile", "mail_activity", "mail_followers", "mail_mail",
    "mail_message", "rating_rating", "res_partner", "sale_order", "sale_order_line",
    "stock_move", "stock_picking",
)
# Columns that change without the data changing (Odoo's write() of no
# values).
VOLATILE_COLUMNS = ("write_date", "write_uid")
LOG_ACCESS_FIELDS = ("create_uid", "create_date", "write_uid", "write_date")

# Odoo 11's XML-RPC fault codes (odoo/service/wsgi_server.py): UserError,
# RedirectWarning and MissingError answer 2, AccessDenied 3, AccessError 4,
# everything else 1 with the traceback as the fault string.
FAULT_WARNING, FAULT_ACCESS_DENIED, FAULT_ACCESS_ERROR = 2, 3, 4
# Exceptions of fault code 1 that are clean refusals: a constraint, or an
# IntegrityError that odoo.service.model.check() turned into a
# ValidationError (a required field missing, a record still referenced).
CLEAN_FAULT_EXCEPTIONS = ("odoo.exceptions.ValidationError", "odoo.exceptions.except_orm")


# ---------------------------------------------------------------------------
# The public methods of crm_ext, by introspection
# ---------------------------------------------------------------------------

PublicMethod = collections.namedtuple(
    "PublicMethod", "model name api transient abstract params")


def _crm_ext_model_classes():
    """The model classes crm_ext defines (its own models and its extensions
    of others), as Odoo registers them when the add-on is imported."""
    import odoo
    from odoo.models import MetaModel
    try:
        import odoo.addons.crm_ext  # noqa: F401 (registers the classes)
    except ImportError:
        # without pytest-odoo: the add-ons path of the test configuration
        odoo.tools.config.parse_config(["-c", os.environ["ODOO_TEST_CONF"]])
        import odoo.addons.crm_ext  # noqa: F401
    return list(MetaModel.module_to_models[MODULE])


def _model_name(cls):
    """The model a class defines or extends, as Odoo's _build_model names it."""
    parents = cls._inherit
    parents = [parents] if isinstance(parents, str) else list(parents or ())
    return cls._name or (len(parents) == 1 and parents[0]) or cls.__name__


def public_methods():
    """Every function in the own namespace of crm_ext's model classes that
    RPC may call (not private by Odoo's rule: a leading underscore, or
    init), once per model and name; fields, constants and nested helpers
    are not functions there.  The methods of records come first, those
    without records (@api.model: crons, generators) last, as they act on
    everything and would change what the others find."""
    from odoo.models import regex_private
    found = {}
    for cls in _crm_ext_model_classes():
        model = _model_name(cls)
        for name, value in sorted(vars(cls).items()):
            if regex_private.match(name):
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            if not inspect.isfunction(value):
                continue
            params = list(inspect.signature(inspect.unwrap(value)).parameters.values())[1:]
            found.setdefault((model, name), PublicMethod(
                model, name, getattr(value, "_api", None), bool(cls._transient),
                bool(cls._abstract), params))
    return sorted(found.values(),
                  key=lambda method: (method.api == "model", method.model, method.name))


def persistent_tables():
    """Tables of the persistent models crm_ext defines or extends (not the
    transient wizards: a caller's own wizard rows are its own)."""
    tables = set()
    for cls in _crm_ext_model_classes():
        if cls._transient or cls._abstract or not cls._auto:
            continue
        tables.add(getattr(cls, "_table", None) or _model_name(cls).replace(".", "_"))
    return tables


# ---------------------------------------------------------------------------
# XML-RPC callers and outcomes
# ---------------------------------------------------------------------------

class _Transport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super(_Transport, self).make_connection(host)
        connection.timeout = CALL_TIMEOUT
        return connection


class Caller(object):
    """A user logged in over XML-RPC."""

    def __init__(self, server, label, login, password):
        self.label = label
        self.login = login
        self.db = server.db
        self.password = password
        common = xmlrpc.client.ServerProxy(server.url + "/xmlrpc/2/common")
        self.uid = common.authenticate(server.db, login, password, {})
        assert self.uid, "login %s refused" % login
        self.proxy = xmlrpc.client.ServerProxy(
            server.url + "/xmlrpc/2/object", allow_none=True, transport=_Transport())

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs)

    def attempt(self, model, method, args, kwargs):
        """(result, None) or (None, Outcome of the fault)."""
        try:
            return self.proxy.execute_kw(
                self.db, self.uid, self.password, model, method, list(args), kwargs), None
        except xmlrpc.client.Fault as fault:
            return None, Outcome.of_fault(fault)
        except (OSError, xmlrpc.client.ProtocolError) as error:
            return None, Outcome("no answer", "%s: %s" % (type(error).__name__, error), False)


class Outcome(collections.namedtuple("Outcome", "kind detail clean")):
    """What a call came back with; ``clean``: an answer or a clean refusal."""

    @classmethod
    def of_fault(cls, fault):
        text = fault.faultString or ""
        if fault.faultCode == FAULT_ACCESS_ERROR:
            return cls("AccessError", _first_line(_unwrap_args(text)), True)
        if fault.faultCode == FAULT_WARNING:
            # UserError (Warning) answers its message, MissingError and
            # RedirectWarning their arguments
            kind = "MissingError" if "does not exist" in text else "UserError"
            return cls(kind, _first_line(_unwrap_args(text)), True)
        if fault.faultCode == FAULT_ACCESS_DENIED:
            return cls("AccessDenied", _first_line(text), True)
        exception, message = _exception_of_traceback(text)
        if exception in CLEAN_FAULT_EXCEPTIONS:
            kind = exception.rsplit(".", 1)[-1]
            if "psycopg2" in text:
                kind += " (from a database constraint)"
            return cls(kind, _first_line(_unwrap_args(message)), True)
        if "cannot marshal" in message:
            # the method ran and its transaction committed, then its result
            # could not be sent: the client sees a fault after the fact
            # (XML-RPC walks the __dict__ of an object: a recordset ends on
            # the lock of its cursor)
            what = ("a recordset" if "_thread.lock" in message or "odoo.api." in message
                    else "None" if "None" in message else _first_line(message))
            return cls("unmarshalable result", "%s, after the commit" % what, False)
        return cls(exception, _first_line(message), False)


def _exception_of_traceback(text):
    """(exception class, message) of the last traceback in ``text``."""
    block = text.rsplit("Traceback (most recent call last):", 1)[-1]
    lines = block.splitlines()
    for index, line in enumerate(lines):
        if line and not line[0].isspace():
            match = re.match(r"([A-Za-z_][\w.]*)(?::\s?(.*))?$", line)
            if match:
                message = "\n".join([match.group(2) or ""] + lines[index + 1:])
                return match.group(1), message
    return "unknown fault", text


def _unwrap_args(text):
    """('message', None) -> message (except_orm's str() is its args)."""
    match = re.match(r"^\(['\"](.*?)['\"], (None|'.*')\)\s*$", text.strip(), re.S)
    return match.group(1).replace("\\n", "\n") if match else text


def _first_line(text):
    line = (text or "").strip().splitlines()[:1]
    line = line[0] if line else ""
    return line if len(line) <= 110 else line[:107] + "..."


# ---------------------------------------------------------------------------
# The checksum of crm_ext's data
# ---------------------------------------------------------------------------

def _connect():
    """A connection to the test database with the parameters of the Odoo
    configuration; autocommit, so each checksum sees the last commit."""
    parser = configparser.ConfigParser()
    parser.read(os.environ["ODOO_TEST_CONF"])
    options = parser["options"]

    def option(name):
        value = options.get(name)
        return None if value in (None, "", "False") else value
    connection = psycopg2.connect(
        dbname=os.environ["ODOO_TEST_DB"], host=option("db_host"), port=option("db_port"),
        user=option("db_user"), password=option("db_password"))
    connection.autocommit = True
    return connection


class Checksum(object):
    """md5 per table of every row (ordered by id) of the tables crm_ext's
    models and methods write, in one statement."""

    def __init__(self, connection, tables):
        self.connection = connection
        with connection.cursor() as cr:
            # the m2m tables of crm_ext's persistent models
            cr.execute("""
                SELECT relation.name FROM ir_model_relation relation
                  JOIN ir_module_module module ON module.id = relation.module
                  JOIN ir_model model ON model.id = relation.model
                 WHERE module.name = %s AND NOT COALESCE(model.transient, FALSE)
            """, (MODULE,))
            tables = set(tables) | {row[0] for row in cr.fetchall()}
            cr.execute("""
                SELECT col.table_name, col.column_name
                  FROM information_schema.columns col
                  JOIN information_schema.tables tab
                    ON tab.table_schema = col.table_schema AND tab.table_name = col.table_name
                 WHERE col.table_schema = 'public' AND tab.table_type = 'BASE TABLE'
                   AND col.table_name = ANY(%s)
                 ORDER BY col.table_name, col.ordinal_position
            """, (sorted(tables),))
            columns = collections.OrderedDict()
            for table, column in cr.fetchall():
                columns.setdefault(table, []).append(column)
        self.tables = list(columns)
        parts = []
        for table, names in columns.items():
            kept = [name for name in names if name not in VOLATILE_COLUMNS]
            row = sql.SQL("ROW({})::text").format(
                sql.SQL(", ").join(sql.Identifier(name) for name in kept))
            order = sql.Identifier("id") if "id" in names else row
            parts.append(sql.SQL(
                "(SELECT md5(COALESCE(string_agg(md5({row}), '' ORDER BY {order}), '')) "
                "FROM {table})").format(row=row, order=order, table=sql.Identifier(table)))
        self.statement = sql.SQL("SELECT ARRAY[{}]").format(sql.SQL(", ").join(parts))

    def take(self):
        with self.connection.cursor() as cr:
            cr.execute(self.statement)
            return dict(zip(self.tables, cr.fetchone()[0]))


# ---------------------------------------------------------------------------
# Callers and sample records
# ---------------------------------------------------------------------------

def _xmlid(admin, xmlid):
    return admin("ir.model.data", "xmlid_to_res_id", xmlid, True)


def _ensure_user(admin, login, values):
    """The user ``login`` with these values and the test password, created
    the first time (the test database outlives a run)."""
    values = dict(values, login=login, password=PASSWORD)
    ids = admin("res.users", "search", [("login", "=", login)],
                context={"active_test": False})
    if ids:
        admin("res.users", "write", ids, dict(values, active=True))
        return ids[0]
    return admin("res.users", "create", values)


def _ensure_company(admin, name):
    ids = admin("res.company", "search", [("name", "=", name)])
    return ids[0] if ids else admin("res.company", "create", {"name": name})


def _search(admin, model, domain, limit=1):
    return admin(model, "search", domain, limit=limit)


class Samples(object):
    """Representative records of the main company, picked as admin:
    {model: [(id, label)]}."""

    def __init__(self, admin, company_id):
        self.admin = admin
        self.company_id = company_id
        self._fields = {}
        self.refresh()

    def refresh(self):
        """Pick the records again: after a call that changed data, a
        cancelled quotation is no quotation for the next method."""
        self.records = collections.OrderedDict()
        self._pick()
        self.points = 10.0
        for program in self.admin("crm.loyalty.program", "read",
                                  self.ids("crm.loyalty.program"),
                                  ["min_redeem_points", "points_rounding"]):
            self.points = max(program["min_redeem_points"], program["points_rounding"], 1.0)

    def add(self, model, ids, label):
        for record_id in ids[:1]:
            known = self.records.setdefault(model, [])
            if record_id not in [known_id for known_id, _label in known]:
                known.append((record_id, "%s %s" % (label, record_id)))

    def ids(self, model):
        return [record_id for record_id, _label in self.records.get(model, [])]

    def fields(self, model):
        if model not in self._fields:
            self._fields[model] = self.admin(
                model, "fields_get", attributes=["type", "relation", "required", "readonly"])
        return self._fields[model]

    def of(self, model):
        """The sample records of ``model`` (the first two of the main
        company for a model without picked ones)."""
        if model not in self.records:
            domain = []
            if "company_id" in self.fields(model):
                domain = [("company_id", "=", self.company_id)]
            # the ids of some SQL views (a partner and a month) exceed
            # XML-RPC's integers: their methods get an empty recordset
            ids, _fault = self.admin.attempt(model, "search", [domain], {"limit": 2})
            self.records[model] = [(record_id, "record %s" % record_id)
                                   for record_id in ids or ()]
        return self.records[model]

    def _pick(self):
        admin, company = self.admin, [("company_id", "=", self.company_id)]
        members = admin("crm.loyalty.member", "search_read", company,
                        fields=["partner_id", "balance"])
        members.sort(key=lambda member: -member["balance"])
        member_partners = [member["partner_id"][0] for member in members]
        self.add("crm.loyalty.member", [member["id"] for member in members],
                 "member with points")
        self.add("crm.loyalty.program", _search(admin, "crm.loyalty.program", company),
                 "program")
        for entry_type in ("earn", "redeem"):
            self.add("crm.loyalty.entry", _search(
                admin, "crm.loyalty.entry", company + [("entry_type", "=", entry_type)]),
                entry_type)
        # customers: a member, a customer with figures but no card
        self.add("res.partner", member_partners, "member")
        self.add("res.partner", [row["partner_id"][0] for row in admin(
            "crm.customer.insight", "search_read",
            company + [("partner_id", "not in", member_partners)],
            fields=["partner_id"], limit=1)], "customer")
        # a quotation of a member (with points redeemed on it if any) and a
        # confirmed order
        quotation = company + [("state", "in", ["draft", "sent"]),
                               ("partner_id.commercial_partner_id", "in", member_partners)]
        self.add("sale.order", _search(admin, "sale.order", quotation + [
            ("order_line.loyalty_points", ">", 0)]) or _search(
                admin, "sale.order", quotation), "member quotation")
        confirmed = company + [("state", "=", "sale")]
        self.add("sale.order", _search(admin, "sale.order", confirmed + [
            ("order_line.loyalty_points", ">", 0)]) or _search(
                admin, "sale.order", confirmed), "confirmed order")
        orders = self.ids("sale.order")
        self.add("sale.order.line", _search(admin, "sale.order.line", [
            ("order_id", "in", orders[:1]), ("loyalty_points", ">", 0)]), "loyalty line")
        self.add("sale.order.line", _search(admin, "sale.order.line", [
            ("order_id", "in", orders[-1:]), ("loyalty_entry_id", "=", False)]),
            "product line")
        # posted customer invoices (validating a draft is the accountant's job)
        customer_invoices = company + [("type", "=", "out_invoice")]
        for state in ("open", "paid"):
            self.add("account.invoice", _search(admin, "account.invoice", customer_invoices + [
                ("state", "=", state), ("loyalty_entry_ids", "!=", False)]) or _search(
                    admin, "account.invoice", customer_invoices + [("state", "=", state)]),
                state + " invoice")
        invoice_moves = [invoice["move_id"][0] for invoice in admin(
            "account.invoice", "read", self.ids("account.invoice")[:1], ["move_id"])]
        self.add("account.move", invoice_moves, "invoice entry")
        self.add("account.move", [row["move_id"][0] for row in admin(
            "crm.loyalty.entry", "search_read", company + [
                ("move_id", "!=", False), ("invoice_id", "=", False)],
            fields=["move_id"], limit=1)], "loyalty entry")
        self.add("account.move.line", _search(admin, "account.move.line", [
            ("move_id", "in", invoice_moves),
            ("account_id.internal_type", "=", "receivable")]), "receivable item")
        self.add("account.payment", _search(admin, "account.payment", company + [
            ("partner_type", "=", "customer"), ("state", "in", ["posted", "reconciled"])]),
            "customer payment")
        # complaints in several stages, the closed one with an invoice
        for kind, extra in (("new", []), ("in_progress", []), ("resolved", []),
                            ("closed", [("invoice_id", "!=", False)])):
            self.add("crm.complaint", _search(admin, "crm.complaint", company + extra + [
                ("stage_id.stage_kind", "=", kind)]), kind + " complaint")
        self.add("crm.complaint.solution", _search(
            admin, "crm.complaint.solution", company), "solution")


class Surface(object):
    """The callers, the sample records and the checksum of one run."""

    def __init__(self, server):
        self.server = server
        admin = self.admin = Caller(server, "admin", "admin", "admin")
        admin_user = admin("res.users", "read", [admin.uid], ["company_id"])[0]
        self.company_id = admin_user["company_id"][0]
        group = lambda xmlid: _xmlid(admin, xmlid)  # noqa: E731
        other_company = _ensure_company(admin, "RPC Surface Other Company")
        # with email addresses: without one a user cannot post in a chatter,
        # which would stop some calls before they show what they do
        _ensure_user(admin, "rpc.other.company.sales", {
            "name": "RPC Other Company Sales Manager",
            "email": "rpc.other.company.sales@example.com",
            "company_id": other_company, "company_ids": [(6, 0, [other_company])],
            "groups_id": [(6, 0, [group(xmlid) for xmlid in (
                "base.group_user", "sales_team.group_sale_manager",
                "crm_ext.crm_complaint_group_manager",
                "crm_ext.crm_loyalty_program_group_manager")])],
        })
        _ensure_user(admin, "rpc.accountant", {
            "name": "RPC Accountant", "email": "rpc.accountant@example.com",
            "company_id": self.company_id, "company_ids": [(6, 0, [self.company_id])],
            "groups_id": [(6, 0, [group("base.group_user"),
                                  group("account.group_account_invoice")])],
        })
        self.callers = [
            Caller(server, "portal", "portal", "portal"),
            Caller(server, "other company sales", "rpc.other.company.sales", PASSWORD),
            Caller(server, "accountant", "rpc.accountant", PASSWORD),
        ]
        self.samples = Samples(admin, self.company_id)
        self.methods = public_methods()
        self.connection = _connect()
        self.checksum = Checksum(self.connection, persistent_tables() | set(CORE_TABLES))
        self._transient = {}

    # -- arguments ---------------------------------------------------------

    def arguments(self, method, wizard_values=None):
        """(positional arguments, keyword arguments) of a call."""
        args, kwargs = [], {}
        for param in method.params:
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if param.name == "vals" and wizard_values is not None:
                value = wizard_values
            elif param.default is param.empty:
                value = SAMPLE_ARGS.get(param.name)
            elif param.name in ADVERSARIAL_ARGS:
                kwargs[param.name] = ADVERSARIAL_ARGS[param.name]
                continue
            else:
                continue
            args.append(value(self.samples) if callable(value) else value)
        return args, kwargs

    def context(self):
        """The context of every call: what the buttons of the complaint
        form give (a suggested solution applied to a complaint)."""
        complaints = self.samples.ids("crm.complaint")
        return {"lang": "en_US", "apply_complaint_id": complaints[0] if complaints else False}

    def wizard_plans(self, model):
        """[(label, values, context)] to create the wizard ``model`` as its
        button would: from each sample record of the model of its first
        required many2one (else many2one, else many2many) field."""
        fields = self.samples.fields(model)
        relational = [
            (not field.get("required"), field["type"] != "many2one", name)
            for name, field in fields.items()
            if field["type"] in ("many2one", "many2many") and name not in LOG_ACCESS_FIELDS
            and not (field.get("readonly") and not field.get("required"))
            and field.get("relation") and not self.is_transient(field["relation"])]
        values = {name: value(self.samples) if callable(value) else value
                  for name, value in SAMPLE_WIZARD_FIELDS.items()
                  if name in fields and not fields[name].get("readonly")}
        if not relational:
            return [("new wizard", values, dict(self.context()))]
        anchor = sorted(relational)[0][2]
        comodel = fields[anchor]["relation"]
        plans = []
        for record_id, label in self.samples.of(comodel):
            context = dict(self.context(), active_model=comodel, active_id=record_id,
                           active_ids=[record_id])
            context["default_" + anchor] = record_id
            record_values = dict(values)
            record_values[anchor] = (record_id if fields[anchor]["type"] == "many2one"
                                     else [(6, 0, [record_id])])
            plans.append(("%s from %s" % (model.rsplit(".", 1)[-1], label),
                          record_values, context))
        return plans

    def is_transient(self, model):
        if model not in self._transient:
            self._transient[model] = bool(self.admin("ir.model", "search_count", [
                ("model", "=", model), ("transient", "=", True)]))
        return self._transient[model]

    # -- calls -------------------------------------------------------------

    def plans(self, method):
        """[(label, create wizard (values, context) or None, ids or None,
        args, kwargs)]: the calls of ``method`` for one caller."""
        context = self.context()
        if method.transient:
            plans = []
            for label, values, wizard_context in self.wizard_plans(method.model):
                args, kwargs = self.arguments(method, wizard_values=values)
                if method.api == "model":
                    plans.append((label, None, None, args,
                                  dict(kwargs, context=wizard_context)))
                else:
                    plans.append((label, (values, wizard_context), None, args,
                                  dict(kwargs, context=context)))
            return plans
        args, kwargs = self.arguments(method)
        kwargs["context"] = context
        if method.api == "model":
            return [("-", None, None, args, kwargs)]
        records = [] if method.abstract else self.samples.of(method.model)
        return [(label, None, [record_id], args, kwargs)
                for record_id, label in records] or [("no record", None, [], args, kwargs)]

    def call(self, caller, method, plan):
        """(Outcome, ids the method acted on) of one call."""
        _label, wizard, ids, args, kwargs = plan
        if wizard is not None:
            values, wizard_context = wizard
            wizard_id, refused = caller.attempt(
                method.model, "create", [values], {"context": wizard_context})
            if refused:
                return refused._replace(kind="wizard create: " + refused.kind), None
            ids = [wizard_id]
        call_args = ([ids] if ids is not None else []) + args
        result, refused = caller.attempt(method.model, method.name, call_args, kwargs)
        if refused:
            return refused, None
        return Outcome("answered", _first_line(repr(result)), True), ids

    def readable(self, caller, model, ids):
        """Whether ``caller`` may read all of ``ids``."""
        count, refused = caller.attempt(model, "search_count", [[("id", "in", ids)]], {})
        return not refused and count == len(set(ids))


@pytest.fixture(scope="module")
def surface(odoo_server):
    surface = Surface(odoo_server)
    yield surface
    surface.connection.close()


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------

Failure = collections.namedtuple("Failure", "method caller record outcome changed seconds")


def _report(title, failures):
    rows = [("method", "caller", "record", "outcome", "tables changed")]
    for failure in failures:
        rows.append((failure.method, failure.caller, failure.record,
                     "%s: %s" % (failure.outcome.kind, failure.outcome.detail)
                     if failure.outcome.detail else failure.outcome.kind,
                     ", ".join(failure.changed) or "-"))
    widths = [max(len(row[col]) for row in rows) for col in range(4)]
    lines = ["  ".join(value.ljust(width) for value, width in zip(row[:4], widths))
             + "  " + row[4] for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join([title, ""] + lines)


def test_no_caller_acts_beyond_its_role_over_xmlrpc(surface, artifacts_dir):
    """Every public method of crm_ext, called over XML-RPC by the portal
    user, a salesperson of another company and an accountant of the main
    company on the main company's records, answers or refuses cleanly and
    changes none of crm_ext's data."""
    assert surface.methods, "introspection finds crm_ext's public methods"
    started = time.time()
    failures, journal, calls = [], [], 0
    before = surface.checksum.take()
    for method in surface.methods:
        for caller in surface.callers:
            for plan in surface.plans(method):
                calls += 1
                call_started = time.time()
                outcome, ids = surface.call(caller, method, plan)
                after = surface.checksum.take()
                changed = sorted(table for table in after if after[table] != before[table])
                before = after
                if changed:
                    surface.samples.refresh()
                if outcome.clean and ids and not surface.readable(caller, method.model, ids):
                    outcome = outcome._replace(
                        kind="answered on records the caller may not read", clean=False)
                record = Failure(
                    "%s.%s" % (method.model, method.name), caller.label, plan[0], outcome,
                    changed, time.time() - call_started)
                journal.append(record)
                if not outcome.clean or changed:
                    failures.append(record)
    seconds = time.time() - started
    # every call and its outcome, failed or not, for whoever fixes them
    (artifacts_dir / "rpc-surface.txt").write_text("\n\n".join([
        "Public methods (%d):\n%s" % (len(surface.methods), "\n".join(
            "  %s.%s(%s) [api %s]" % (method.model, method.name,
                                      ", ".join(map(str, method.params)), method.api)
            for method in surface.methods)),
        "Checksum of %d tables: %s" % (len(surface.checksum.tables),
                                       ", ".join(surface.checksum.tables)),
        _report("%d calls in %.0fs:" % (calls, seconds), journal)]) + "\n")
    assert not failures, _report(
        "%d of %d calls act beyond the caller's role (%d of %d public methods), in %.0fs "
        "(every call: %s):" % (
            len(failures), calls, len({failure.method for failure in failures}),
            len(surface.methods), seconds, artifacts_dir / "rpc-surface.txt"), failures)


_TRACEBACK = """Traceback (most recent call last):
  File "/odoo/service/model.py", line 97, in wrapper
    return f(dbname, *args, **kwargs)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^
%s
"""


@pytest.mark.parametrize("code, text, kind, clean", [
    (4, "('Sorry, you are not allowed to access this document.', None)",
     "AccessError", True),
    (2, "Points can only be redeemed on a quotation.", "UserError", True),
    (2, "('Record does not exist or has been deleted.', None)", "MissingError", True),
    (1, _TRACEBACK % "odoo.exceptions.ValidationError: ('From 1 to 5 stars.', None)",
     "ValidationError", True),
    (1, _TRACEBACK % (
        'psycopg2.errors.NotNullViolation: null value in column "partner_id"\n\n'
        "During handling of the above exception, another exception occurred:\n\n"
        + _TRACEBACK % (
            "odoo.exceptions.ValidationError: ('The operation cannot be completed, "
            "probably due to the following:\n- deletion: ...', None)")),
     "ValidationError (from a database constraint)", True),
    (1, _TRACEBACK % "TypeError: cannot marshal None unless allow_none is enabled",
     "unmarshalable result", False),
    (1, _TRACEBACK % "TypeError: cannot marshal <class '_thread.lock'> objects",
     "unmarshalable result", False),
    (1, _TRACEBACK % "AttributeError: 'int' object has no attribute 'id'",
     "AttributeError", False),
    (1, _TRACEBACK % 'psycopg2.errors.UndefinedColumn: column "x" does not exist',
     "psycopg2.errors.UndefinedColumn", False),
])
def test_the_harness_tells_clean_refusals_from_errors(code, text, kind, clean):
    """The faults of Odoo 11's XML-RPC as the harness reads them."""
    outcome = Outcome.of_fault(xmlrpc.client.Fault(code, text))
    assert (outcome.kind, outcome.clean) == (kind, clean)


# -- apply_loyalty_points over XML-RPC ---------------------------------------

@pytest.fixture(scope="module")
def redemption(surface):
    """A main-company salesperson, a loyalty member with points and a way to
    make a fresh quotation for it through XML-RPC."""
    admin = surface.admin
    company = surface.company_id
    _ensure_user(admin, "rpc.main.sales", {
        "name": "RPC Main Company Salesperson", "email": "rpc.main.sales@example.com",
        "company_id": company, "company_ids": [(6, 0, [company])],
        "groups_id": [(6, 0, [_xmlid(admin, "base.group_user"),
                              _xmlid(admin, "sales_team.group_sale_salesman")])],
    })
    salesperson = Caller(surface.server, "salesperson", "rpc.main.sales", PASSWORD)
    program = admin("crm.loyalty.program", "search_read", [("company_id", "=", company)],
                    fields=["point_value", "points_rounding", "min_redeem_points",
                            "max_redeem_share", "discount_product_id"], limit=1)[0]
    step = program["points_rounding"] or 1.0
    points = max(program["min_redeem_points"], step)
    points = step * -(-points // step)
    suffix = uuid.uuid4().hex[:8]
    partner = admin("res.partner", "create", {
        "name": "RPC Redemption Customer %s" % suffix, "customer": True, "is_company": True,
        "email": "rpc.redemption.%s@example.com" % suffix})
    member = admin("crm.loyalty.member", "create", {
        "program_id": program["id"], "partner_id": partner})
    wizard = admin("crm.loyalty.adjust.wizard", "create", {
        "member_id": member, "points": points * 5, "reason": "Points to redeem over XML-RPC."})
    admin("crm.loyalty.adjust.wizard", "action_apply", [wizard])
    product = admin("product.product", "search", [
        ("sale_ok", "=", True), ("type", "in", ["consu", "service"]),
        ("id", "!=", program["discount_product_id"][0])], limit=1)[0]
    # points may pay max_redeem_share % of the order: room for twice the points
    price = 4 * points * program["point_value"] * 100.0 / (program["max_redeem_share"] or 100.0)

    def quotation():
        return salesperson("sale.order", "create", {
            "partner_id": partner, "user_id": salesperson.uid,
            "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1,
                                   "price_unit": max(price, 100.0)})]})
    return salesperson, member, points, quotation


def _attempt(caller, model, method, *args):
    return caller.attempt(model, method, list(args), {})


@pytest.mark.parametrize("second", ["same points", "other points"])
def test_apply_loyalty_points_answers_an_id_and_a_retry_redeems_once(surface, redemption,
                                                                      second):
    """A quotation of a member with enough points: apply_loyalty_points
    answers over XML-RPC with the id of the order's points line, and a
    second call (an integrator's retry, or a new number of points) leaves
    that one line with the points of the last call, taken once."""
    salesperson, member, points, quotation = redemption
    admin = surface.admin
    order = quotation()
    balance = admin("crm.loyalty.member", "read", [member], ["balance"])[0]["balance"]
    final = points if second == "same points" else 2 * points
    first_result, first_fault = _attempt(
        salesperson, "sale.order", "apply_loyalty_points", [order], points)
    second_result, second_fault = _attempt(
        salesperson, "sale.order", "apply_loyalty_points", [order], final)
    lines = admin("sale.order.line", "search_read", [
        ("order_id", "=", order), ("loyalty_points", "!=", 0)], fields=["loyalty_points"])
    entries = admin("crm.loyalty.entry", "search_read", [("sale_order_id", "=", order)],
                    fields=["entry_type", "points"])
    taken = balance - admin("crm.loyalty.member", "read", [member], ["balance"])[0]["balance"]
    net = sum(entry["points"] for entry in entries)

    problems = []
    for number, (result, fault) in enumerate(((first_result, first_fault),
                                               (second_result, second_fault)), 1):
        if fault:
            problems.append("call %d faulted: %s: %s" % (number, fault.kind, fault.detail))
        elif not isinstance(result, int) or isinstance(result, bool):
            problems.append("call %d answered %r, not the id of the points line"
                            % (number, result))
        elif len(lines) == 1 and result != lines[0]["id"]:
            problems.append("call %d answered %r, not the id of the points line %d"
                            % (number, result, lines[0]["id"]))
    if [line["loyalty_points"] for line in lines] != [final]:
        problems.append("the order has points lines %s, not one of %g points" % (
            [(line["id"], line["loyalty_points"]) for line in lines], final))
    if abs(net + final) > 1e-6 or abs(taken - final) > 1e-6:
        problems.append("%g points were taken from the member (ledger of the order: %s), "
                        "not %g" % (taken, [(entry["entry_type"], entry["points"])
                                            for entry in entries], final))
    assert not problems, "apply_loyalty_points(%g) then (%g) on quotation %d:\n- %s" % (
        points, final, order, "\n- ".join(problems))
