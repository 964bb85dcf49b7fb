"""Segmentation benchmark: a full customer-insight recompute over 100,000
customers and 1,000,000 invoices, against a floor of one bare SQL statement
computing the same RFM scores, in the same run (each measured three times in
turns, the best time of each kept).

Prints ``bench segmentation: customers=… invoices=… recompute_s=… floor_s=…
ratio=… rss_growth_mb=… refresh_ms=…``.  The data is generated once into the
benchmark database by copying a real posted invoice (and its line) with SQL,
so every NOT NULL column holds what Odoo itself wrote.
"""
import resource
import time
from datetime import timedelta

import odoo
from odoo import fields

import common

ROUNDS = 3

FLOOR_RFM = """
SELECT partner_id,
       LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY recency DESC) * 5))::int,
       LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY frequency) * 5))::int,
       LEAST(5, 1 + FLOOR(PERCENT_RANK() OVER (ORDER BY monetary) * 5))::int
  FROM (SELECT commercial_partner_id AS partner_id,
               %(today)s::date - MAX(date_invoice) FILTER (WHERE amount_untaxed_signed > 0)
                   AS recency,
               COUNT(*) FILTER (WHERE amount_untaxed_signed > 0
                                  AND date_invoice >= %(window_start)s) AS frequency,
               COALESCE(SUM(amount_untaxed_signed)
                        FILTER (WHERE date_invoice >= %(window_start)s), 0) AS monetary
          FROM account_invoice
         WHERE company_id = %(company_id)s AND state IN ('open', 'paid')
           AND type IN ('out_invoice', 'out_refund') AND date_invoice <= %(today)s
         GROUP BY commercial_partner_id
        HAVING COUNT(*) FILTER (WHERE amount_untaxed_signed > 0) > 0) rfm
"""


def generate(env, customers, invoices):
    cr = env.cr
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
    if cr.fetchone()[0] >= customers:
        return
    company = env.user.company_id
    product = env["product.product"].create({
        "name": "Bench Product", "type": "consu", "list_price": 100.0, "standard_price": 55.0})
    template_partner = env["res.partner"].create({"name": "Bench Template", "customer": True,
                                                  "is_company": True})
    journal = env["account.journal"].search([("type", "=", "sale")], limit=1)
    account = product.categ_id.property_account_income_categ_id
    invoice = env["account.invoice"].create({
        "partner_id": template_partner.id, "journal_id": journal.id,
        "invoice_line_ids": [(0, 0, {"product_id": product.id, "name": "Bench", "quantity": 1,
                                     "price_unit": 100.0, "account_id": account.id,
                                     "uom_id": product.uom_id.id})]})
    invoice.action_invoice_open()
    common.copy_partners(env, template_partner, customers, "Bench Customer ")
    cr.execute("SELECT MIN(id) FROM res_partner WHERE name LIKE 'Bench Customer %%'")
    first_partner = cr.fetchone()[0]
    invoice_cols = common.table_columns(cr, "account_invoice", {
        "id", "partner_id", "commercial_partner_id", "date_invoice", "amount_untaxed",
        "amount_untaxed_signed", "number", "move_name", "move_id", "reference",
        "insight_net_signed"})
    # customers buy with different rhythms and sizes: invoice k goes to a
    # customer drawn with a skew, on a date spread over two years
    cr.execute("""
        INSERT INTO account_invoice (partner_id, commercial_partner_id, date_invoice,
                                     amount_untaxed, amount_untaxed_signed, insight_net_signed,
                                     {cols})
        SELECT p, p, CURRENT_DATE - ((k::bigint * 7919) %% 730)::int,
               amt, amt, amt, {cols}
          FROM account_invoice,
               LATERAL (SELECT k, %(first)s + (((k::bigint * k) %% 1000003) %% %(customers)s)::int
                               AS p,
                               (50 + (k::bigint * 31) %% 950)::numeric AS amt
                          FROM generate_series(1, %(invoices)s) k) gen
         WHERE account_invoice.id = %(template)s
    """.format(cols=", ".join(invoice_cols)),
        {"first": first_partner, "customers": customers, "invoices": invoices,
         "template": invoice.id})
    cr.execute("ANALYZE account_invoice")
    # the copied line points at rows that exist (the template's); skip the
    # per-row foreign key checks of a million inserts (needs a superuser,
    # which the private cluster's role is)
    cr.execute("SET LOCAL session_replication_role = replica")
    line_cols = common.table_columns(cr, "account_invoice_line", {
        "id", "invoice_id", "partner_id", "price_subtotal", "price_subtotal_signed",
        "price_unit", "price_total"})
    cr.execute("""
        INSERT INTO account_invoice_line (invoice_id, partner_id, price_subtotal,
                                          price_subtotal_signed, price_unit, price_total,
                                          {cols})
        SELECT inv.id, inv.partner_id, inv.amount_untaxed, inv.amount_untaxed_signed,
               inv.amount_untaxed, inv.amount_untaxed, {line_cols}
          FROM account_invoice inv, account_invoice_line template
         WHERE template.invoice_id = %(template)s
           AND inv.commercial_partner_id >= %(first)s AND inv.id <> %(template)s
    """.format(cols=", ".join(line_cols),
               line_cols=", ".join("template.%s" % c for c in line_cols)),
        {"template": invoice.id, "first": first_partner})
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    cr.execute("ANALYZE")
    cr.commit()


def main():
    parser = common.argument_parser()
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--invoices", type=int, default=1000000)
    args = parser.parse_args()
    common.configure(args)
    # crm_ext is importable once the configuration has given Odoo its add-ons path
    from odoo.addons.crm_ext.tools import session
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        generate(env, args.customers, args.invoices)
        company = env.user.company_id
        insight = env["crm.customer.insight"]
        cr.execute("SELECT COUNT(*) FROM account_invoice WHERE company_id = %s", (company.id,))
        invoice_count = cr.fetchone()[0]
        cr.execute("SELECT COUNT(DISTINCT commercial_partner_id) FROM account_invoice "
                   "WHERE company_id = %s", (company.id,))
        customer_count = cr.fetchone()[0]

        # the measured run is the next night's: yesterday's figures are in
        # place, a day has passed (recency, windows and ranks move)
        today = fields.Date.context_today(insight)
        insight._recompute_company(company, today=today)
        cr.commit()
        cr.autocommit(True)
        cr.execute("VACUUM ANALYZE crm_customer_insight")  # as autovacuum would by then
        cr.autocommit(False)
        tomorrow = fields.Date.to_string(fields.Date.from_string(today) + timedelta(days=1))
        params = insight._query_parameters(company, today=tomorrow)

        # the machines are noisy: the recompute and the floor are measured in
        # turns, ROUNDS times, and each keeps its best time
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        recomputes, floors = [], []
        for _round in range(ROUNDS):
            start = time.perf_counter()
            insight._recompute_company(company, today=tomorrow)
            recomputes.append(time.perf_counter() - start)
            if not _round:
                # the floor fetches its rows: the high-water mark is the recompute's
                # only until then
                rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                 - rss_before) / 1024.0
            # back to last night's figures for the next round
            cr.rollback()
            # the floor at its best: with the server's settings and with the
            # recompute's own (each run once to warm up)
            for settings in ({}, session.WHOLE_COMPANY):
                with session.tuned(cr, settings):
                    cr.execute(FLOOR_RFM, params)
                    cr.fetchall()
                    start = time.perf_counter()
                    cr.execute(FLOOR_RFM, params)
                    cr.fetchall()
                    floors.append(time.perf_counter() - start)
        recompute_s = min(recomputes)
        floor_s = min(floors)

        cr.execute("SELECT commercial_partner_id FROM account_invoice "
                   "WHERE company_id = %s ORDER BY id DESC LIMIT 20", (company.id,))
        partners = env["res.partner"].browse([row[0] for row in cr.fetchall()])
        start = time.perf_counter()
        for partner in partners:
            insight._refresh_partners(partner, company)
        refresh_ms = (time.perf_counter() - start) * 1000 / len(partners)
        cr.rollback()
    print("bench segmentation: customers=%d invoices=%d recompute_s=%.2f floor_s=%.2f "
          "ratio=%.2f rss_growth_mb=%.1f refresh_ms=%.1f" % (
              customer_count, invoice_count, recompute_s, floor_s, recompute_s / floor_s,
              rss_growth_mb, refresh_ms))


if __name__ == "__main__":
    main()
