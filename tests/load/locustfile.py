"""make load: salespeople and accountants on both Odoo servers, over JSON-RPC.

Runs in locust's own virtualenv (.local/locust-venv: locust needs a newer
Werkzeug and Flask than Odoo 11), started by tests/load/driver.py, which
writes the plan this file reads (``LOAD_PLAN``, a JSON file: the servers, the
users and their passwords, the customers, the product, journal and stages).

Every call is the one the web client makes (``/web/session/authenticate``,
``/web/dataset/call_kw/<model>/<method>``).  A request fails when the HTTP
status is not 200 or the answer is a JSON-RPC error: the scenario never asks
for what the server must refuse (each salesperson redeems only on its own
share of the customers, within what the redemption wizard says the order
takes; each accountant pays only the invoices of its own share).  Each user
sends its requests to the servers in turn, as a load balancer without
sticky sessions would: the session lives in the shared filestore.
"""
import itertools
import json
import math
import os
import random

from locust import HttpUser, between, task
from locust.exception import RescheduleTask

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as _handle:
    PLAN = json.load(_handle)


def _share(items, index, count):
    """The items of user ``index`` out of ``count``: disjoint shares."""
    return items[index::count] or items


class OdooUser(HttpUser):
    """A person working in Odoo's web client; subclasses say who."""

    abstract = True
    wait_time = between(1, 3)
    host = PLAN["servers"][0]
    role = None
    counter = None

    def on_start(self):
        self.index = next(self.counter)
        users = PLAN["users"][self.role]
        self.login = users[self.index % len(users)]
        self.customers = _share(PLAN["customers"], self.index, len(users))
        self.servers = itertools.cycle(PLAN["servers"][self.index % 2:] + PLAN["servers"][:self.index % 2])
        self.request_id = itertools.count(1)
        self.user_context = {}
        result = self._post("/web/session/authenticate", {
            "db": PLAN["db"], "login": self.login, "password": self.login}, "authenticate")
        self.user_context = result["user_context"]
        self.form_fields = {}

    def _post(self, path, params, name):
        url = next(self.servers) + path
        payload = {"jsonrpc": "2.0", "method": "call", "params": params,
                   "id": next(self.request_id)}
        with self.client.post(url, json=payload, name=name, catch_response=True) as response:
            error = None
            if response.status_code != 200:
                error = "HTTP %s" % response.status_code
            else:
                body = response.json()
                if "error" in body:
                    data = body["error"].get("data") or {}
                    error = "%s: %s" % (data.get("name"), data.get("message") or body["error"])
            if error:
                response.failure(error)
            else:
                response.success()
        if error:
            raise RescheduleTask(error)
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        """One ``call_kw``, with the user's context as the web client sends it."""
        kwargs["context"] = dict(self.user_context, **kwargs.get("context", {}))
        return self._post("/web/dataset/call_kw/%s/%s" % (model, method), {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs},
            "%s.%s" % (model, method))

    def _form_fields(self, model):
        """The fields of the model's form view, loaded once as the web client does."""
        if model not in self.form_fields:
            views = self.call(model, "load_views", views=[[False, "form"]], options={})
            self.form_fields[model] = sorted(views["fields_views"]["form"]["fields"])
        return self.form_fields[model]

    def open_customer(self, partner_id):
        """The customer's form, then its insight page (the "All figures" link)."""
        self.call("res.partner", "read", [partner_id], self._form_fields("res.partner"))
        action = self.call("res.partner", "action_view_customer_insight", [partner_id])
        if action.get("res_id"):
            self.call("crm.customer.insight", "read", [action["res_id"]],
                      self._form_fields("crm.customer.insight"))
        else:
            self.call("crm.customer.insight", "search_read", action.get("domain") or [],
                      ["display_name"], limit=80)

    def browse_customers(self):
        """The customers' kanban, a search, then one customer and its insight."""
        self.call("res.partner", "search_read", [["customer", "=", True]],
                  ["display_name", "email", "phone", "city"], limit=40)
        self.open_customer(random.choice(self.customers))


class Salesperson(OdooUser):
    """Sells with points, files and resolves complaints."""

    weight = 3
    role = "salesperson"
    counter = itertools.count()

    @task(3)
    def browse(self):
        self.browse_customers()

    @task(3)
    def order_with_points(self):
        partner_id = random.choice(self.customers)
        order_id = self.call("sale.order", "create", {
            "partner_id": partner_id,
            "order_line": [[0, 0, {"product_id": PLAN["product_id"],
                                   "product_uom_qty": random.randint(2, 6)}]]})
        self.redeem(order_id)
        self.call("sale.order", "action_confirm", [order_id])
        wizard_context = {"active_model": "sale.order", "active_ids": [order_id],
                          "active_id": order_id}
        wizard_id = self.call("sale.advance.payment.inv", "create",
                              {"advance_payment_method": "delivered"},
                              context=wizard_context)
        self.call("sale.advance.payment.inv", "create_invoices", [wizard_id],
                  context=wizard_context)

    def redeem(self, order_id):
        """The "Redeem Points" wizard: its figures, then some points within
        them (none when the customer has too few: no error asked for)."""
        context = {"active_model": "sale.order", "active_id": order_id}
        wizard_id = self.call("crm.loyalty.redeem.wizard", "create", {"order_id": order_id},
                              context=context)
        figures = self.call("crm.loyalty.redeem.wizard", "read", [wizard_id],
                            ["member_id", "balance", "max_points", "min_points", "program_id"],
                            context=context)[0]
        if not figures["member_id"]:
            return
        member = self.call("crm.loyalty.member", "read", [figures["member_id"][0]],
                           ["expiring_points"])[0]
        step = PLAN["points_rounding"].get(str(figures["program_id"][0]), 1.0)
        # points expiring soon may expire under the daily cron meanwhile
        room = min(figures["max_points"], figures["balance"] - member["expiring_points"])
        points = math.floor(room / step / 2) * step
        if points <= 0 or points < figures["min_points"]:
            return
        wizard_id = self.call("crm.loyalty.redeem.wizard", "create",
                              {"order_id": order_id, "points": points}, context=context)
        self.call("crm.loyalty.redeem.wizard", "action_apply", [wizard_id], context=context)

    @task(1)
    def complaint(self):
        complaint_id = self.call("crm.complaint", "create", {
            "partner_id": random.choice(self.customers),
            "subject": "Load: late delivery",
            "channel": "phone"})
        self.call("crm.complaint", "read", [complaint_id], self._form_fields("crm.complaint"))
        self.call("crm.complaint", "write", [complaint_id], {
            "stage_id": PLAN["resolved_stage_id"],
            "resolution_type": PLAN["resolution_type"],
            "resolution": "Delivered again, apologies sent."})


class Accountant(OdooUser):
    """Validates the salespeople's invoices and registers their payments."""

    fixed_count = max(1, int(os.environ.get("LOAD_USERS", "10")) // 3)
    role = "accountant"
    counter = itertools.count()

    @task(4)
    def validate_and_pay(self):
        invoices = self.call("account.invoice", "search_read", [
            ["state", "=", "draft"], ["type", "=", "out_invoice"],
            ["user_id", "in", PLAN["salesperson_ids"]],
            ["partner_id", "in", self.customers]], ["amount_total"], limit=1, order="id")
        if not invoices:
            return
        invoice_id = invoices[0]["id"]
        self.call("account.invoice", "action_invoice_open", [invoice_id])
        context = {"active_model": "account.invoice", "active_ids": [invoice_id]}
        values = self.call("account.register.payments", "default_get",
                           ["amount", "partner_id", "partner_type", "payment_type",
                            "payment_date", "communication", "currency_id", "invoice_ids"],
                           context=context)
        values.update(journal_id=PLAN["bank_journal_id"],
                      payment_method_id=PLAN["payment_method_id"])
        wizard_id = self.call("account.register.payments", "create", values, context=context)
        self.call("account.register.payments", "create_payments", [wizard_id], context=context)

    @task(1)
    def browse(self):
        self.browse_customers()

    @task(1)
    def liability(self):
        for program_id in PLAN["program_ids"]:
            self.call("crm.loyalty.program", "check_liability", [program_id])
