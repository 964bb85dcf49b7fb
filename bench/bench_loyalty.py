"""Loyalty benchmarks.

1. Invoice validation with and without crm_ext, in the same run: sale
   orders are confirmed and invoiced in two databases of the same size (the
   Odoo crm_ext depends on, and a copy of it with crm_ext and a loyalty
   program that earns and books points on posting), then their invoices are
   validated one by one, one of each database in turn; three rounds.
   Prints ``bench loyalty: orders=… confirm_ms_with=… confirm_ms_without=…
   overhead=… rounds=…``: the median round's figures, then the overhead of
   each round.
2. Expiry: a million expired earnings (100,000 members x 10) expired by the
   daily cron's set-based step.  Prints ``bench loyalty expiry:
   entries=1000000 expire_s=…``.

Nothing is kept: both transactions are rolled back.
"""
import time
from datetime import timedelta

import odoo
from odoo import fields

import common

def sale_invoices(env, orders, tag):
    """``orders`` confirmed sale orders of three lines, invoiced (draft)."""
    company = env.user.company_id
    partners = env["res.partner"]
    for n in range(10):
        partners |= partners.create({"name": "Bench %s Customer %d" % (tag, n),
                                     "customer": True, "is_company": True})
    products = env["product.product"]
    for n in range(3):
        products |= products.create({
            "name": "Bench %s Product %d" % (tag, n), "type": "service",
            "invoice_policy": "order", "list_price": 40.0 + 25 * n, "standard_price": 20.0})
    invoices = env["account.invoice"]
    for n in range(orders):
        order = env["sale.order"].create({
            "partner_id": partners[n % len(partners)].id,
            "company_id": company.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1 + n % 4})
                           for product in products],
        })
        order.action_confirm()
        invoices |= invoices.browse(order.action_invoice_create())
    return invoices


def loyalty_program(env, code_prefix="BL", name="Bench Program", exclusive=True):
    company = env.user.company_id
    account = env["account.account"]
    accounts = {}
    for key, code, kind in (("expense", "6901", "account.data_account_type_expenses"),
                            ("liability", "2901",
                             "account.data_account_type_current_liabilities"),
                            ("income", "7901", "account.data_account_type_other_income")):
        accounts[key] = account.create({
            "code": code_prefix + code, "name": "Bench loyalty %s" % key, "company_id": company.id,
            "user_type_id": env.ref(kind).id})
    if exclusive:
        env["crm.loyalty.program"].search([]).write({"active": False})
    return env["crm.loyalty.program"].create({
        "name": name, "company_id": company.id, "earn_on": "posted",
        "points_per_unit": 1.0, "point_value": 0.01, "expiry_months": 12,
        "journal_id": env["account.journal"].search([
            ("type", "=", "general"), ("company_id", "=", company.id)], limit=1).id,
        "expense_account_id": accounts["expense"].id,
        "liability_account_id": accounts["liability"].id,
        "income_account_id": accounts["income"].id,
        "tier_ids": [(0, 0, {"name": "Bench Silver", "min_spend": 0.0}),
                     (0, 0, {"name": "Bench Gold", "min_spend": 5000.0,
                             "earn_multiplier": 2.0})],
    })


def validation_round(args):
    """One round: the invoices of each database validated one by one, one
    of each in turn; returns the milliseconds an invoice took on each side."""
    sides = {}
    for name, database in (("with", args.small_database), ("without", args.base_database)):
        registry = odoo.registry(database)
        cr = registry.cursor()
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if name == "with":
            loyalty_program(env)
        sides[name] = {"cr": cr, "env": env, "elapsed": 0.0,
                       "invoices": sale_invoices(env, args.orders, name)}
    try:
        # one invoice of each side in turn, the first side alternating: a
        # noisy moment of the machine weighs on both sides alike
        names = sorted(sides)
        for index in range(args.orders):
            for name in (names if index % 2 else names[::-1]):
                side = sides[name]
                begin = time.perf_counter()
                side["invoices"][index].action_invoice_open()
                side["elapsed"] += time.perf_counter() - begin
        with_env = sides["with"]["env"]
        earned = with_env["crm.loyalty.entry"].search_count([("entry_type", "=", "earn")])
        assert earned >= args.orders, "the invoices earned no points: %d" % earned
    finally:
        for side in sides.values():
            side["cr"].rollback()
            side["cr"].close()
    return {name: side["elapsed"] * 1000 / args.orders for name, side in sides.items()}


def bench_validation(args):
    """``args.rounds`` rounds (see :func:`validation_round`); prints the
    median round's figures and each round's overhead."""
    rounds = []
    for _round in range(args.rounds):
        figures = validation_round(args)
        figures["overhead"] = (figures["with"] / figures["without"] - 1) * 100
        rounds.append(figures)
    median = sorted(rounds, key=lambda figures: figures["overhead"])[len(rounds) // 2]
    print("bench loyalty: orders=%d confirm_ms_with=%.1f confirm_ms_without=%.1f "
          "overhead=%.1f%% rounds=%s" % (
              args.orders, median["with"], median["without"], median["overhead"],
              ",".join("%.1f%%" % figures["overhead"] for figures in rounds)), flush=True)


def expiry_data(env, entries):
    """The expiry benchmark's program, members and earnings, generated once
    and committed (the earnings of a real ledger were written by earlier
    transactions); an archived program, so nothing else sees it."""
    cr = env.cr
    programs = env["crm.loyalty.program"].with_context(active_test=False)
    program = programs.search([("name", "=", "Bench Expiry Program")], limit=1)
    if program:
        cr.execute("SELECT COUNT(*) FROM crm_loyalty_entry WHERE program_id = %s",
                   (program.id,))
        if cr.fetchone()[0] == entries:
            return program
        raise SystemExit("bench loyalty expiry: Bench Expiry Program has other data; "
                         "drop the benchmark database")
    program = loyalty_program(env, code_prefix="BX", name="Bench Expiry Program",
                              exclusive=False)
    program.active = False
    members = entries // 10
    cr.execute("SELECT id FROM res_partner WHERE parent_id IS NULL AND active "
               "ORDER BY id LIMIT %s", (members,))
    partner_ids = [row[0] for row in cr.fetchall()]
    if len(partner_ids) < members:
        # its own customers, whichever benchmark runs first
        template = env["res.partner"].create({"name": "Bench Loyalty Template",
                                              "customer": True, "is_company": True})
        common.copy_partners(env, template, members - len(partner_ids),
                             "Bench Loyalty Customer ")
        cr.execute("SELECT id FROM res_partner WHERE parent_id IS NULL AND active "
                   "ORDER BY id LIMIT %s", (members,))
        partner_ids = [row[0] for row in cr.fetchall()]
    today = fields.Date.from_string(fields.Date.context_today(program))
    cr.execute("""
        INSERT INTO crm_loyalty_member (program_id, company_id, partner_id, card_number,
                                        enrol_date, create_uid, write_uid)
        SELECT %(program)s, %(company)s, partner_id, 'BENCH' || partner_id, %(day)s, 1, 1
          FROM unnest(%(partners)s::int[]) partner_id
    """, {"program": program.id, "company": program.company_id.id,
          "partners": partner_ids, "day": today - timedelta(days=800)})
    # ten earnings a member, all expired a month ago or more
    cr.execute("""
        INSERT INTO crm_loyalty_entry (member_id, partner_id, program_id, company_id, date,
                                       entry_type, points, remaining_points, expiry_date,
                                       earn_multiplier, user_id, create_uid, write_uid)
        SELECT member.id, member.partner_id, member.program_id, member.company_id,
               %(day)s::date - n, 'earn', 10 * n, 10 * n, %(day)s::date - n + 365,
               1, 1, 1, 1
          FROM crm_loyalty_member member, generate_series(1, 10) n
         WHERE member.program_id = %(program)s
    """, {"program": program.id, "day": today - timedelta(days=400)})
    # the points booked as they were earned, as the program would have
    cr.execute("SELECT SUM(points) FROM crm_loyalty_entry WHERE program_id = %s",
               (program.id,))
    points = cr.fetchone()[0]
    env["crm.loyalty.entry"]._book(program, program.member_ids[:1], {
        "points": points, "entry_type": "earn", "date": fields.Date.to_string(today)})
    cr.commit()
    cr.execute("ANALYZE crm_loyalty_entry")
    return program


def bench_expiry(args):
    # imported once odoo's add-ons path is set up
    from odoo.addons.crm_ext.models.crm_loyalty_program_daily import DAILY_LOCK
    from odoo.addons.crm_ext.tools.chunked_cron import ChunkedRun
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        program = expiry_data(env, args.entries)
        today = fields.Date.context_today(program)
        cr.autocommit(True)
        cr.execute("VACUUM ANALYZE crm_loyalty_entry")  # as autovacuum would by then
        cr.autocommit(False)
        begin = time.perf_counter()
        # the cron's chunked step, its chunks in savepoints (the run is
        # rolled back below, so that the next benchmark finds its data)
        with ChunkedRun(env, DAILY_LOCK, use_new_cursor=False) as run:
            expired = program._run_daily_step(run, today, "expiry")
        expire_s = time.perf_counter() - begin
        cr.execute("SELECT COUNT(*) FILTER (WHERE remaining_points > 0), "
                   "COUNT(*) FILTER (WHERE entry_type = 'earn') "
                   "FROM crm_loyalty_entry WHERE program_id = %s", (program.id,))
        left, entries = cr.fetchone()
        assert expired == entries // 10 and not left, (expired, left)
        assert program.check_liability()["balanced"]
        cr.rollback()
    print("bench loyalty expiry: entries=%d expire_s=%.2f" % (entries, expire_s))


def main():
    parser = common.argument_parser(
        base_help="the same Odoo without crm_ext",
        small_help="a copy of the base database with crm_ext installed", required=True)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3,
                        help="validation rounds: the median round is printed")
    parser.add_argument("--only", choices=["validation", "expiry"])
    parser.add_argument("--entries", type=int, default=1000000)
    args = parser.parse_args()
    common.configure(args)
    if args.only in (None, "validation"):
        with odoo.api.Environment.manage():
            bench_validation(args)
    if args.only in (None, "expiry"):
        bench_expiry(args)


if __name__ == "__main__":
    main()
