"""make load's driver: prepares the users, runs locust, keeps the crons due,
checks the ledger and prints the one line of the result.

    driver.py --db DB --conf ODOO_CONF --servers URL,URL --users N --time 5m
              --logs LOG,LOG --locust PATH --out DIR

Runs in Odoo's virtualenv (psycopg2 for the checks; the servers over
XML-RPC as admin).  Prints

    load: requests=… errors=… p95_ms=… throughput_rps=… ledger=consistent|INCONSISTENT

and exits 1 when errors > 0 or the ledger is inconsistent.
"""
import argparse
import configparser
import csv
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time
import xmlrpc.client

import psycopg2

HERE = pathlib.Path(__file__).resolve().parent
# the retries of odoo.service.model.check (a concurrency error, retried by Odoo)
RETRY_LINE = re.compile(r"(SERIALIZATION_FAILURE|LOCK_NOT_AVAILABLE|DEADLOCK_DETECTED), retry ")
PROBLEM_LINE = re.compile(r" (ERROR|CRITICAL) ")
CONCURRENCY_ERROR = re.compile(
    r"ERROR: +(could not serialize access|could not obtain lock|deadlock detected)")


def log(message):
    sys.stderr.write(">>> %s\n" % message)
    sys.stderr.flush()


class Admin(object):
    """The admin over XML-RPC on one server."""

    def __init__(self, url, db):
        self.db = db
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, "admin", "admin", {})
        self.models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, "admin", model, method,
                                      list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        return self("ir.model.data", "xmlid_to_res_id", xmlid) or \
            sys.exit("no record %s.%s" % (module, name))


def connect(conf, db):
    """A psycopg2 connection to the database, from odoo.conf's settings."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    options = parser["options"]
    kwargs = {"dbname": db}
    for key in ("host", "port", "user", "password"):
        value = options.get("db_" + key)
        if value and value != "False":
            kwargs[key] = value
    connection = psycopg2.connect(**kwargs)
    connection.autocommit = True
    return connection


def ensure_users(admin, company_id, salespeople, accountants):
    """The load's users in the demo company, made once: load_sales_N
    (Sales: own documents) and load_accounting_N (Billing); the password is
    the login.  Returns {role: [logins]} and the salespeople's ids."""
    groups = {
        "salesperson": [admin.ref("sales_team.group_sale_salesman")],
        "accountant": [admin.ref("account.group_account_invoice"),
                       admin.ref("base.group_user")],
    }
    logins = {"salesperson": ["load_sales_%d" % n for n in range(1, salespeople + 1)],
              "accountant": ["load_accounting_%d" % n for n in range(1, accountants + 1)]}
    salesperson_ids = []
    for role, names in logins.items():
        for login in names:
            found = admin("res.users", "search", [("login", "=", login)],
                          context={"active_test": False})
            values = {"name": login.replace("_", " ").title(), "login": login,
                      "password": login, "active": True,
                      # the sender of the chatter's notifications
                      "email": "%s@example.com" % login, "company_id": company_id,
                      "company_ids": [(6, 0, [company_id])],
                      "groups_id": [(4, group_id) for group_id in groups[role]]}
            if found:
                admin("res.users", "write", found, values)
                user_id = found[0]
            else:
                user_id = admin("res.users", "create", values)
            if role == "salesperson":
                salesperson_ids.append(user_id)
    return logins, salesperson_ids


def make_plan(admin, args, company_id):
    """What the locust users need to know (see locustfile.py)."""
    accountants = max(1, args.users // 3)
    salespeople = max(1, args.users - accountants)
    logins, salesperson_ids = ensure_users(admin, company_id, salespeople, accountants)
    programs = admin("crm.loyalty.program", "search_read",
                     [("company_id", "=", company_id)], ["points_rounding"])
    members = admin("crm.loyalty.member", "search_read",
                    [("program_id", "in", [p["id"] for p in programs])], ["partner_id"])
    member_partners = sorted({member["partner_id"][0] for member in members})
    others = admin("res.partner", "search", [
        ("customer", "=", True), ("parent_id", "=", False), ("id", "not in", member_partners),
        ("company_id", "in", [company_id, False])], limit=100, order="id")
    product = admin("product.product", "search_read", [
        ("sale_ok", "=", True), ("invoice_policy", "=", "order"), ("type", "=", "consu"),
        ("list_price", ">", 20), ("company_id", "in", [company_id, False])],
        ["id"], limit=1, order="id")
    journal = admin("account.journal", "search_read", [
        ("type", "=", "bank"), ("company_id", "=", company_id)],
        ["inbound_payment_method_ids"], limit=1, order="id")
    stage = admin("crm.complaint.stage", "search", [("stage_kind", "=", "resolved")],
                  limit=1, order="sequence")
    if not (product and journal and stage and member_partners):
        sys.exit("the database lacks a product, a bank journal, a resolved stage or "
                 "loyalty members: is it the demo database?")
    customers = member_partners + others
    # each salesperson's share of the customers (locustfile._share) is its
    # own: salespeople see their own customers' cards and insight
    for index, user_id in enumerate(salesperson_ids):
        admin("res.partner", "write", customers[index::len(salesperson_ids)],
              {"user_id": user_id})
    return {
        "db": args.db, "servers": args.servers,
        "users": logins, "salesperson_ids": salesperson_ids,
        "customers": customers,
        "product_id": product[0]["id"],
        "bank_journal_id": journal[0]["id"],
        "payment_method_id": journal[0]["inbound_payment_method_ids"][0],
        "resolved_stage_id": stage[0], "resolution_type": "explanation",
        "program_ids": [program["id"] for program in programs],
        "points_rounding": {str(p["id"]): p["points_rounding"] or 1.0 for p in programs},
    }


class CronNudger(threading.Thread):
    """Every ``interval`` seconds, makes every active crm_ext cron due, so
    that both servers' cron workers run them during the load, and counts the
    runs (a cron made due whose next call moved on has run).  Crons running
    now (their row locked by a cron worker) are left alone.  Once stopped,
    the crons get their next calls of before the load back."""

    CRONS = """
        SELECT cron.id FROM ir_cron cron
          JOIN ir_model_data imd ON imd.model = 'ir.cron' AND imd.res_id = cron.id
         WHERE imd.module = 'crm_ext' AND cron.active
    """

    def __init__(self, connection, interval):
        super(CronNudger, self).__init__(daemon=True)
        self.connection = connection
        self.interval = interval
        self.runs = 0
        self.nudged = False
        self.stopping = threading.Event()
        with connection.cursor() as cr:
            cr.execute("SELECT id, nextcall FROM ir_cron WHERE id IN (%s)" % self.CRONS)
            self.schedule = cr.fetchall()

    def _nudge(self):
        with self.connection.cursor() as cr:
            cr.execute("""
                SELECT count(*) FROM ir_cron
                 WHERE id IN (%s)
                   AND nextcall > (NOW() AT TIME ZONE 'UTC') + interval '1 minute'
            """ % self.CRONS)
            ran = cr.fetchone()[0]
            # before the first nudge, a cron's next call is its own
            self.runs += ran if self.nudged else 0
            self.nudged = True
            cr.execute("""
                UPDATE ir_cron SET nextcall = NOW() AT TIME ZONE 'UTC'
                 WHERE id IN (%s FOR UPDATE OF cron SKIP LOCKED)
            """ % self.CRONS)

    def run(self):
        while True:
            self._nudge()
            if self.stopping.wait(self.interval):
                return

    def stop(self):
        self.stopping.set()
        self.join()
        self._nudge()
        with self.connection.cursor() as cr:
            # a cron running now sets its own next call when it ends
            cr.execute("""
                UPDATE ir_cron cron SET nextcall = schedule.nextcall
                  FROM unnest(%s::int[], %s::timestamp[]) AS schedule(id, nextcall)
                 WHERE cron.id = schedule.id
                   AND cron.id IN (SELECT id FROM ir_cron WHERE id = ANY(%s)
                                     FOR UPDATE SKIP LOCKED)
            """, ([row[0] for row in self.schedule], [row[1] for row in self.schedule],
                  [row[0] for row in self.schedule]))


# crm_ext's own ledger check (crm.loyalty.program._ledger_consistency), run
# by Odoo on the database: every card adds up, the points left on the
# entries are the balances, each liability account holds the points
# outstanding
LEDGER_CHECK = """
import json, sys
import odoo
odoo.tools.config.parse_config(["-c", sys.argv[1]])
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    print(json.dumps(env["crm.loyalty.program"]._ledger_consistency()))
"""


def ledger_problems(conf, db):
    """What does not reconcile in the points ledger, in words (a list)."""
    result = subprocess.run([sys.executable, "-c", LEDGER_CHECK, conf, db],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, check=True)
    check = json.loads(result.stdout.strip().splitlines()[-1])
    problems = ["member %d: its entries do not reconcile with its balance" % member_id
                for member_id in check["inconsistent_members"]]
    problems += ["entry %d: remaining points outside 0..its points" % entry_id
                 for entry_id in check["inconsistent_entries"]]
    problems += ["program %d: liability account not the value of its points outstanding"
                 % program_id for program_id in check["unbalanced_programs"]]
    return problems


def locust_figures(prefix):
    """requests, failures + task exceptions, p95 (ms), requests/s of the run."""
    with open(prefix + "_stats.csv", encoding="utf-8") as handle:
        total = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"][0]
    exceptions = 0
    if os.path.exists(prefix + "_exceptions.csv"):
        with open(prefix + "_exceptions.csv", encoding="utf-8") as handle:
            exceptions = sum(int(row["Count"]) for row in csv.DictReader(handle))
    p95 = total["95%"]
    return (int(total["Request Count"]), int(total["Failure Count"]) + exceptions,
            0 if p95 in ("N/A", "") else int(float(p95)), float(total["Requests/s"]))


def log_lines(paths, offsets):
    """The lines the servers logged since ``offsets``."""
    for path, offset in zip(paths, offsets):
        with open(path, encoding="utf-8", errors="replace") as handle:
            handle.seek(offset)
            for line in handle:
                yield line


def logged_errors(lines):
    """The errors among ``lines``, but for the queries that failed on a
    concurrency error (Odoo logs them as "bad query", then retries)."""
    errors = []
    for line, following in zip(lines, lines[1:] + [""]):
        if " odoo.sql_db: bad query: " in line and CONCURRENCY_ERROR.match(following):
            continue
        if PROBLEM_LINE.search(line):
            errors.append(line.rstrip())
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--conf", required=True)
    parser.add_argument("--servers", required=True, type=lambda text: text.split(","))
    parser.add_argument("--logs", required=True, type=lambda text: text.split(","))
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--time", default="5m")
    parser.add_argument("--locust", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cron-interval", type=float, default=60.0)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    admin = Admin(args.servers[0], args.db)
    company_id = admin.ref("base.main_company")
    plan = make_plan(admin, args, company_id)
    (out / "plan.json").write_text(json.dumps(plan, indent=1))
    connection = connect(args.conf, args.db)
    before = ledger_problems(args.conf, args.db)
    if before:
        log("the ledger did not reconcile before the load:\n  " + "\n  ".join(before))

    offsets = [os.path.getsize(path) for path in args.logs]
    nudger = CronNudger(connection, args.cron_interval)
    nudger.start()
    prefix = str(out / "locust")
    log("locust: %d users for %s on %s" % (args.users, args.time, " and ".join(args.servers)))
    env = dict(os.environ, LOAD_PLAN=str(out / "plan.json"), LOAD_USERS=str(args.users))
    subprocess.run([args.locust, "-f", str(HERE / "locustfile.py"), "--headless",
                    "--users", str(args.users), "--spawn-rate", str(max(1, args.users)),
                    "--run-time", args.time, "--stop-timeout", "60", "--csv", prefix,
                    "--only-summary", "--exit-code-on-error", "0",
                    "--logfile", str(out / "locust.log")],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    nudger.stop()

    requests, errors, p95, throughput = locust_figures(prefix)
    problems = ledger_problems(args.conf, args.db)
    for problem in problems:
        log("ledger: " + problem)
    lines = list(log_lines(args.logs, offsets))
    retries = sum(1 for line in lines if RETRY_LINE.search(line))
    logged = logged_errors(lines)
    log("crm_ext crons run during the load: %d; concurrency errors retried by Odoo: %d; "
        "errors logged by the servers: %d" % (nudger.runs, retries, len(logged)))
    for line in logged[:20]:
        log("server: " + line)
    if errors:
        log("failed requests: see %s_failures.csv and %s_exceptions.csv" % (prefix, prefix))
    print("load: requests=%d errors=%d p95_ms=%d throughput_rps=%.1f ledger=%s" % (
        requests, errors, p95, throughput, "INCONSISTENT" if problems else "consistent"))
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
