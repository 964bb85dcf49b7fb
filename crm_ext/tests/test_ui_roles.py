# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every screen crm_ext offers, opened as each role would in the web client:
its menus and actions with each of their views, every filter and group-by
of its search views, the buttons of its forms and the wizards they open.

Nothing is listed by hand: the menus, actions, views, filters and buttons
are read from crm_ext's records and archs, and this test calls the server
the way Odoo 11's web client does (load_views, search_read, read_group,
read, default_get, onchange, button methods).  A role may be refused
cleanly (AccessError, UserError: a warning dialog) where the screen is not
for it, never with any other error (a traceback dialog); what its menus
open must work without any refusal."""
import contextlib
import itertools
import json
import time
from datetime import datetime

from dateutil.relativedelta import relativedelta
from lxml import etree
from psycopg2.extensions import AsIs

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import common
from odoo.tools.safe_eval import safe_eval

from .test_complaint_resolution_common import ComplaintResolutionCase

CLEAN_REFUSALS = (AccessError, UserError)
REFUSED = object()
# the read-only views an action may open, and how the web client fills them
DATA_VIEWS = ("list", "tree", "kanban", "pivot", "graph", "calendar")


def _failed(result):
    return result is None or result is REFUSED


def _domain_holds(domain, values):
    """Whether ``values`` (a record as the web client holds it: ids for
    many2one, lists of ids for x2many) match a modifier's domain."""
    def leaf(term):
        if term is True or term is False:
            return term
        name, operator, value = term
        current = values.get(name, False)
        if isinstance(value, tuple):
            value = list(value)
        return {
            "=": lambda: current == value, "!=": lambda: current != value,
            "in": lambda: current in value, "not in": lambda: current not in value,
            "<": lambda: current < value, ">": lambda: current > value,
            "<=": lambda: current <= value, ">=": lambda: current >= value,
        }[operator]()

    stack = []
    for term in reversed(domain):
        if term == "!":
            stack.append(not stack.pop())
        elif term in ("&", "|"):
            first, second = stack.pop(), stack.pop()
            stack.append(first and second if term == "&" else first or second)
        else:
            stack.append(leaf(term))
    return all(stack)


def _invisible(node, values=None):
    """Whether the web client hides ``node`` (for the user's groups, or by
    its attrs on ``values``)."""
    invisible = json.loads(node.get("modifiers") or "{}").get("invisible", False)
    if isinstance(invisible, list):
        return values is not None and _domain_holds(invisible, values)
    return bool(invisible)


def _group_by_names(context):
    group_by = context.get("group_by") or []
    return [group_by] if isinstance(group_by, str) else list(group_by)


class _Values(dict):
    """Record values as a view's expressions read them (parent.id)."""

    def __getattr__(self, name):
        return self.get(name)


class WebClient(object):
    """The calls Odoo 11's web client makes for one user, each in a
    savepoint of its own; what goes wrong is collected, not raised, so that
    one broken screen does not hide the others."""

    def __init__(self, env, role):
        self.env = env
        self.role = role
        self.errors = []
        self._savepoints = itertools.count()

    # running the calls

    @contextlib.contextmanager
    def _rolled_back(self):
        """What a call did is undone (and the locks it took released: the
        test runs in one transaction)."""
        name = AsIs("crm_ext_ui_%d" % next(self._savepoints))
        self.env.cr.execute("SAVEPOINT %s", (name,))
        try:
            yield
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT %s", (name,))
            self.env.cr.execute("RELEASE SAVEPOINT %s", (name,))
            self.env.clear()

    def call(self, what, function, *args, refusable=True, **kwargs):
        """``function(*args, **kwargs)``, undone; REFUSED on a clean refusal
        where ``refusable``, None on any other error (recorded)."""
        try:
            with self._rolled_back():
                return function(*args, **kwargs)
        except CLEAN_REFUSALS as error:
            if not refusable:
                self.errors.append("%s: %s refused: %s" % (self.role, what, error))
                return None
            return REFUSED
        except Exception as error:  # pylint: disable=broad-except
            self.errors.append("%s: %s failed: %s: %s" % (
                self.role, what, type(error).__name__, error))
            return None

    def eval_context(self, values=None, active=None):
        context = {
            "uid": self.env.uid, "time": time, "datetime": datetime,
            "relativedelta": relativedelta,
            "context_today": lambda: fields.Date.context_today(self.env.user),
            "current_date": time.strftime("%Y-%m-%d"),
            "active_id": active.id if active else False,
            "active_ids": active.ids if active else [],
            "active_model": active._name if active else False,
        }
        context.update(values or {})
        return context

    def evaluate(self, expression, values=None, active=None):
        if not expression:
            return {}
        if not isinstance(expression, str):
            return expression
        return safe_eval(expression, self.eval_context(values, active))

    # actions

    def run_action(self, what, action, active=None, context=None, refusable=True):
        """Do what the web client does with an action a button or menu
        returned: open a window, run a server action."""
        if not isinstance(action, dict):
            return
        kind = action.get("type")
        if kind == "ir.actions.act_window":
            self.open_window(what, action, active, context, refusable)
        elif kind == "ir.actions.server":
            server = self.env["ir.actions.server"].browse(action["id"])
            self.run_action(what, self.call(
                what, server.with_context(**self._active(context, active)).run,
                refusable=refusable), active, context, refusable)

    def load_action(self, action_id):
        """/web/action/load"""
        kind = self.env["ir.actions.actions"].browse(action_id).read(["type"])[0]["type"]
        return self.env[kind].browse(action_id).read()[0]

    @staticmethod
    def _active(context, active):
        context = dict(context or {})
        if active:
            context.update(active_id=active.id, active_ids=active.ids,
                           active_model=active._name)
        return context

    def open_window(self, what, action, active=None, context=None, refusable=True):
        context = dict(self._active(context, active),
                       **self.evaluate(action.get("context"), active=active))
        domain = self.evaluate(action.get("domain"), active=active) or []
        model = self.env[action["res_model"]].with_context(**context)
        view_id = action.get("view_id") or False
        if isinstance(view_id, (list, tuple)):
            view_id = view_id[0]
        views = action.get("views") or [
            [view_id, view_type]
            for view_type in (action.get("view_mode") or "tree,form").split(",")]
        search_view = action.get("search_view_id") or [False]
        loaded = self.call("%s: load_views" % what, model.load_views,
                           [list(view) for view in views] + [[search_view[0], "search"]],
                           {"action_id": action.get("id"), "load_filters": True,
                            "toolbar": True}, refusable=refusable)
        if _failed(loaded):
            return
        search = etree.fromstring(loaded["fields_views"]["search"]["arch"])
        domain, group_by = self._search_defaults(what, search, context, domain)
        records = model.browse()
        for view_type, fields_view in loaded["fields_views"].items():
            if view_type in DATA_VIEWS:
                found = self.call("%s: %s view" % (what, view_type), self.fill_view, model,
                                  view_type, fields_view, domain, group_by,
                                  refusable=refusable)
                if not _failed(found):
                    records |= found
        if "form" in loaded["fields_views"]:
            form = loaded["fields_views"]["form"]
            record = model.browse(action.get("res_id") or records[:1].ids)
            if record:
                self.open_form(what, record, form, refusable=refusable)
            self.new_record(what, model, form, refusable=refusable)

    def _search_defaults(self, what, search, context, domain):
        """The filters the action switches on (search_default_<name>)."""
        group_by = _group_by_names(context)
        names = {node.get("name") for node in search.iter("filter", "field")}
        for key, value in context.items():
            if not key.startswith("search_default_") or not value:
                continue
            name = key[len("search_default_"):]
            if name not in names:
                self.errors.append("%s: %s: %s names no filter of the search view" % (
                    self.role, what, key))
                continue
            for node in search.iter("filter"):
                if node.get("name") == name:
                    domain = domain + (self.evaluate(node.get("domain")) or [])
                    group_by += _group_by_names(self.evaluate(node.get("context")))
        return domain, group_by

    def fill_view(self, model, view_type, fields_view, domain, group_by):
        """The records of a list, kanban, calendar or the groups of a
        pivot, graph, as the web client reads them."""
        arch = etree.fromstring(fields_view["arch"])
        names = [name for name in fields_view["fields"] if name in model._fields]
        if view_type in ("pivot", "graph"):
            rows = [node.get("name") + (":" + node.get("interval") if node.get("interval")
                                        else "")
                    for node in arch.iter("field") if node.get("type") in ("row", "col", None)
                    and node.get("type") != "measure"]
            measures = [node.get("name") for node in arch.iter("field")
                        if node.get("type") == "measure"]
            group_by = group_by + rows
            model.read_group(domain, measures + [name.split(":")[0] for name in group_by],
                             group_by, lazy=False)
            model.read_group(domain, measures, [], lazy=False)
            return model.browse()
        if view_type == "kanban" and not group_by and arch.get("default_group_by"):
            group_by = [arch.get("default_group_by")]
        if view_type == "calendar":
            start = arch.get("date_start")
            domain = domain + [(start, ">=", fields.Date.to_string(
                datetime.now() - relativedelta(months=1)))]
        if group_by:
            for group in model.read_group(domain, names + [group_by[0].split(":")[0]],
                                          group_by[:1], lazy=True):
                model.search_read(group.get("__domain", domain), names, limit=80)
        rows = model.search_read(domain, names, limit=80)
        return model.browse([row["id"] for row in rows])

    # forms

    def open_form(self, what, record, form, refusable=True, buttons=()):
        """Read a record as its form shows it (the lines of its x2many
        fields too), then click the ``buttons`` (names) it shows."""
        names = [name for name in form["fields"] if name in record._fields]
        values = self.call("%s: read %s" % (what, record), self._read_form, record, form,
                           refusable=refusable)
        if _failed(values) or not buttons:
            return
        arch = etree.fromstring(form["arch"])
        self.click_buttons(what, record, arch, values, buttons)
        for name in names:
            for view in (form["fields"][name].get("views") or {}).values():
                line = record.env[form["fields"][name]["relation"]].browse(values[name][:1])
                line_values = line and self.call("%s: read %s" % (what, line), self._read_form,
                                                 line, view)
                if line and not _failed(line_values):
                    self.click_buttons("%s: %s" % (what, name), line,
                                       etree.fromstring(view["arch"]),
                                       dict(line_values, parent=_Values(values)), buttons)

    @staticmethod
    def _read_form(record, form):
        names = [name for name in form["fields"] if name in record._fields]
        values = record.read(names)[0]
        for name in names:
            for view in (form["fields"][name].get("views") or {}).values():
                lines = record.env[form["fields"][name]["relation"]].browse(values[name])
                lines.read([sub for sub in view["fields"] if sub in lines._fields])
        return {name: (value[0] if isinstance(value, tuple) else value)
                for name, value in values.items()}

    def new_record(self, what, model, form, refusable=True):
        """A new record of the form: default_get, then the onchange the web
        client sends for all of its fields."""
        if not (model.is_transient() or model.check_access_rights("create",
                                                                 raise_exception=False)):
            return
        if etree.fromstring(form["arch"]).get("create") in ("false", "0"):
            return
        self.call("%s: new %s" % (what, model._name), self._default_and_onchange, model, form,
                  refusable=refusable)

    @staticmethod
    def _onchange_spec(form, prefix=""):
        arch = etree.fromstring(form["arch"])
        spec = {}
        for node in arch.iter("field"):
            if any(parent.tag == "field" for parent in node.iterancestors()):
                continue
            name = node.get("name")
            spec[prefix + name] = node.get("on_change") or ""
            for view in (form["fields"].get(name, {}).get("views") or {}).values():
                spec.update(WebClient._onchange_spec(view, prefix + name + "."))
        return spec

    def _default_and_onchange(self, model, form):
        names = [name for name in form["fields"] if name in model._fields]
        defaults = model.default_get(names)
        values = {name: defaults.get(name, False) for name in names}
        for name in names:
            if model._fields[name].type in ("one2many", "many2many") and not values[name]:
                values[name] = []
        return model.onchange(values, names, self._onchange_spec(form))

    def click_buttons(self, what, record, arch, values, buttons):
        """Click the buttons named in ``buttons``: an object button calls
        its method, an action button loads its action; what they return
        is opened (not clicked further).  A click may be refused."""
        for button in arch.iter("button"):
            kind, name = button.get("type"), button.get("name")
            if kind not in ("object", "action") or name not in buttons or _invisible(
                    button, values):
                continue
            context = self.evaluate(button.get("context"), dict(values, id=record.id))
            label = "%s: button %s (%s) of %s" % (what, name, button.get("string") or "",
                                                  record)
            self.call(label, self._click, label, record, kind, name, context)

    def _click(self, label, record, kind, name, context):
        if kind == "object":
            action = getattr(record.with_context(**context), name)()
        else:
            action = self.load_action(int(name))
        # what the click did stays until its action is opened
        self.run_action(label, action, record, context)


@common.at_install(False)
@common.post_install(True)
class TestUiRoles(ComplaintResolutionCase):
    """Each role opens everything crm_ext offers in the web client."""

    @classmethod
    def setUpClass(cls):
        super(TestUiRoles, cls).setUpClass()
        cls.sales_manager = cls._user("ui_sales_manager", "sales_team.group_sale_manager")
        cls.roles = {
            "salesperson": cls.salesman,
            "complaint officer": cls.officer,
            "sales manager": cls.sales_manager,
            "accountant": cls.accountant,
            "admin": cls.env.ref("base.user_root"),
        }
        cls.customer.write({"user_id": cls.salesman.id})
        # what the forms open on: a resolved complaint with an invoice and a
        # delivery (every button of its form shows), a solution it may
        # apply, the customer's card with points, a quotation
        cls.complaint = cls._resolve(cls._complaint(
            invoice_id=cls.invoice.id, picking_id=cls.delivery.id, user_id=cls.officer.id,
            description="The widget broke."))
        cls.solution = cls.env["crm.complaint.solution"].create({
            "name": "Replace the widget", "answer": "We replace it.",
            "category_id": cls.category_defect.id, "company_id": cls.company.id})
        cls.member = cls._enrol(cls.customer)
        cls._give(cls.member, 500.0)
        cls.quotation = cls._quotation(cls.customer, user=cls.salesman)
        cls.records = {record._name: record for record in (
            cls.complaint, cls.solution, cls.member, cls.program, cls.customer,
            cls.quotation)}

    def _xmlids(self, model):
        return self.env["ir.model.data"].search(
            [("module", "=", "crm_ext"), ("model", "=", model)]).mapped("res_id")

    def _reachable_menus(self, user):
        """crm_ext's menus the user sees: visible, under visible menus."""
        visible = set(self.env["ir.ui.menu"].sudo(user)._visible_menu_ids())
        menus = self.env["ir.ui.menu"].browse(self._xmlids("ir.ui.menu"))
        return menus.filtered(lambda menu: all(
            ancestor.id in visible for ancestor in self._ancestors(menu)))

    @staticmethod
    def _ancestors(menu):
        while menu:
            yield menu
            menu = menu.parent_id

    def _forms(self):
        """The form views crm_ext writes or extends, as their model loads
        them (the root view, with crm_ext's extensions)."""
        views = self.env["ir.ui.view"].browse(self._xmlids("ir.ui.view")).filtered(
            lambda view: view.type == "form")
        roots = self.env["ir.ui.view"]
        for view in views:
            while view.inherit_id:
                view = view.inherit_id
            roots |= view
        return roots

    def _buttons(self, root):
        """The buttons crm_ext puts on the form ``root`` (its own, or
        those its extensions add)."""
        views = root
        for view in self.env["ir.ui.view"].browse(self._xmlids("ir.ui.view")):
            chain = view
            while chain.inherit_id:
                chain = chain.inherit_id
            if chain == root:
                views |= view
        return {node.get("name") for view in views.filtered(
            lambda view: view.xml_id.startswith("crm_ext."))
            for node in etree.fromstring(view.arch_db).iter("button")}

    def _settings_actions(self):
        """The actions opening the settings crm_ext extends."""
        views = self.env["ir.ui.view"].browse(self._xmlids("ir.ui.view")).filtered(
            lambda view: view.inherit_id and self.env[view.model].is_transient())
        chain = self.env["ir.ui.view"]
        for view in views:
            while view.inherit_id:
                view = view.inherit_id
                chain |= view
        return self.env["ir.actions.act_window"].search([("view_id", "in", chain.ids)])

    def _search_views(self):
        """crm_ext's search views: {root view: names of the filters and
        fields crm_ext adds to it}."""
        result = {}
        views = self.env["ir.ui.view"].browse(self._xmlids("ir.ui.view")).filtered(
            lambda view: view.type == "search")
        for view in views:
            root = view
            while root.inherit_id:
                root = root.inherit_id
            arch = etree.fromstring(view.arch_db)
            result.setdefault(root, set()).update(
                node.get("name") for node in arch.iter("filter", "field")
                if node.getparent() is not None and node.get("name"))
        return result

    def _walk(self, role):
        """Everything crm_ext offers, opened as ``role``; the errors."""
        user = self.roles[role]
        client = WebClient(self.env(user=user.id), role)
        menus = self._reachable_menus(user)
        for menu in menus.filtered("action"):
            action = client.call("menu %s" % menu.complete_name, client.load_action,
                                 menu.action.id, refusable=False)
            if action:
                client.run_action("menu %s" % menu.complete_name, action, refusable=False)
        menu_actions = {(menu.action._name, menu.action.id) for menu in menus if menu.action}
        for action in self.env["ir.actions.act_window"].browse(
                self._xmlids("ir.actions.act_window")) | self._settings_actions():
            # wizards are opened by their buttons, with what they act on
            if (action._name, action.id) in menu_actions or action.target == "new":
                continue
            loaded = client.call("action %s" % action.name, client.load_action, action.id)
            if not _failed(loaded):
                client.run_action("action %s" % action.name, loaded)
        self._open_forms(client)
        self._search(client)
        return client.errors

    def _open_forms(self, client):
        for view in self._forms():
            model = client.env[view.model]
            what = "form %s" % view.xml_id
            form = client.call(what, model.fields_view_get, view.id, "form")
            if _failed(form):
                continue
            if model.is_transient() or model._abstract:
                # settings and wizards are opened by their actions, and so
                # is a board (the dashboard): its model has no records
                continue
            record = self.records.get(view.model) or client.call(
                what, model.search, [], limit=1)
            if _failed(record) or not record:
                continue
            readable = client.call(what, lambda: bool(model.search([("id", "=", record.id)])))
            client.open_form(what, record.with_env(client.env), form,
                             refusable=readable is not True, buttons=self._buttons(view))
            client.new_record(what, model, form)

    def _search(self, client):
        """Each filter and group-by crm_ext's search views offer the user,
        and each of their search fields."""
        for root, names in self._search_views().items():
            model = client.env[root.model]
            what = "search view %s" % root.xml_id
            loaded = client.call(what, model.fields_view_get, root.id, "search")
            if _failed(loaded):
                continue
            readable = model.check_access_rights("read", raise_exception=False)
            arch = etree.fromstring(loaded["arch"])
            for node in arch.iter("filter"):
                if node.get("name") not in names or _invisible(node):
                    continue
                label = "%s: filter %s" % (what, node.get("name"))
                domain = client.evaluate(node.get("domain")) or []
                group_by = _group_by_names(client.evaluate(node.get("context")))
                client.call(label, model.search_read, domain, ["display_name"], limit=80,
                            refusable=not readable)
                for name in group_by:
                    client.call(label, model.read_group, [], [name.split(":")[0]], [name],
                                lazy=True, refusable=not readable)
            for node in arch.iter("field"):
                if node.get("name") in names and not _invisible(node):
                    client.call("%s: search field %s" % (what, node.get("name")),
                                model.search, self._field_domain(client, model, node),
                                limit=80, refusable=not readable)

    @staticmethod
    def _field_domain(client, model, node):
        """What the web client searches when the user types in a search
        field (and picks the first suggestion of a relational one)."""
        name = node.get("name")
        if node.get("filter_domain"):
            return client.evaluate(node.get("filter_domain"), {"self": "a"})
        field = model._fields[name]
        operator = node.get("operator")
        if field.type in ("many2one", "many2many", "one2many"):
            found = model.env[field.comodel_name].name_search("", limit=1)
            value = found[0][0] if found else 0
            return [(name, operator or "=", value)]
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(model.env)]
            return [(name, operator or "=", keys[0])]
        if field.type in ("integer", "float", "monetary"):
            return [(name, operator or "=", 1)]
        if field.type in ("date", "datetime"):
            return [(name, operator or "=", fields.Date.today())]
        return [(name, operator or "ilike", "a")]

    def assertWalks(self, role):
        errors = self._walk(role)
        if errors:
            self.fail("%d errors:\n%s" % (len(errors), "\n".join(errors)))

    def test_salesperson(self):
        self.assertWalks("salesperson")

    def test_complaint_officer(self):
        self.assertWalks("complaint officer")

    def test_sales_manager(self):
        self.assertWalks("sales manager")

    def test_accountant(self):
        self.assertWalks("accountant")

    def test_admin(self):
        self.assertWalks("admin")

    def test_every_crm_ext_screen_is_reached(self):
        """The walk is not vacuous: crm_ext's menus, forms and search views
        are found, and a role sees its own menus."""
        self.assertGreater(len(self._xmlids("ir.ui.menu")), 10)
        self.assertIn("crm.complaint", self._forms().mapped("model"))
        self.assertIn("res.partner", self._forms().mapped("model"))
        self.assertIn("res.partner", [view.model for view in self._search_views()])
        officer_menus = self._reachable_menus(self.officer)
        self.assertIn(self.env.ref("crm_ext.crm_complaint_menu"), officer_menus)
        self.assertNotIn(self.env.ref("crm_ext.crm_complaint_menu"),
                         self._reachable_menus(self.accountant))
