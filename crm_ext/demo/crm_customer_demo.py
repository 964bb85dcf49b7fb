# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import os
import random
from datetime import timedelta

from odoo import api, fields, models

from ..tools import in_progress
from ..models.crm_customer_insight import INSIGHT_REFRESH_DEFERRED

_logger = logging.getLogger(__name__)

# profile: (name, customers, first purchase (days ago), last purchase (days ago),
#           purchases, invoice size, size trend from first to last purchase,
#           comeback purchase after a long break (days ago))
# RFM scores rank the customers against each other.  Few customers go without
# any invoice in the analysis window, so that those with a single one still
# get the lowest frequency score (segments New, Promising, About to sleep);
# "cant_lose" orders big and often within the window, then stops; "won_back"
# is lost at the month-end recomputes, then buys again: reactivated.
PROFILES = [
    ("champion", 15, (500, 720), (0, 15), (4, 6), (2000, 6000), 1.0, None),
    ("loyal", 20, (300, 500), (5, 40), (3, 4), (800, 2500), 1.0, None),
    ("growing", 12, (450, 700), (0, 30), (3, 5), (300, 900), 2.5, None),
    ("declining", 12, (450, 720), (60, 150), (3, 5), (1000, 3000), 0.3, None),
    ("new", 15, (3, 25), None, (1, 1), (200, 1500), 1.0, None),
    ("promising", 10, (30, 60), None, (1, 1), (100, 400), 1.0, None),
    ("sleeping", 15, (300, 600), (120, 170), (2, 3), (200, 800), 1.0, None),
    ("cant_lose", 8, (300, 360), (180, 220), (4, 5), (3000, 8000), 1.0, None),
    ("lost", 15, (600, 720), (400, 550), (1, 3), (300, 2000), 1.0, None),
    ("won_back", 5, (600, 700), (500, 560), (2, 3), (300, 2000), 1.0, (10, 45)),
    ("one_timer", 13, (150, 450), None, (1, 1), (100, 600), 1.0, None),
]
PROSPECTS = 15
COMPANY_NAMES = [
    "Aurora", "Beacon", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor",
    "Iris", "Juniper", "Keystone", "Lumen", "Meridian", "Northwind", "Orchid", "Pioneer",
    "Quartz", "Redwood", "Summit", "Tidewater", "Unity", "Vertex", "Willow", "Zenith",
]
COMPANY_KINDS = ["Trading", "Industries", "Retail", "Logistics", "Foods", "Systems",
                 "Partners", "Labs"]


class CrmCustomerDemo(models.AbstractModel):
    """Builds the demo customer base: about 150 customers with two years of
    orders, invoices, payments and refunds, the same on every install (a
    fixed random seed, dates relative to the day of installation)."""

    _name = "crm.customer.demo"
    _description = "Customer Insight Demo Data"

    @api.model
    def _generate(self, seed=20261122):
        """``CRM_EXT_DEMO_CUSTOMERS`` (environment) scales the customer base
        down, for test databases: posting an invoice takes Odoo 11 about a
        third of a second."""
        rng = random.Random(seed)
        scale = min(1.0, float(os.environ.get("CRM_EXT_DEMO_CUSTOMERS") or 150) / 150)
        today = fields.Date.from_string(fields.Date.context_today(self))
        env = self.with_context(tracking_disable=True, mail_create_nolog=True,
                                mail_notrack=True, mail_create_nosubscribe=True).env
        company = env.user.company_id
        self._demo_cost_odoo_invoices(env, company)
        # the figures are computed once at the end, not after every invoice
        with in_progress.running(env.cr, INSIGHT_REFRESH_DEFERRED, company.ids):
            if not self._demo_customers(env, company, rng, scale, today):
                return False
        self._demo_classification_history(env, company, today)
        return True

    @api.model
    def _demo_customers(self, env, company, rng, scale, today):
        """The customers of the profiles and the prospects, with their
        documents; False when accounting is not configured yet."""
        products = self._demo_products(env)
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
        bank = env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        if not journal or not bank:
            # the chart of accounts (l10n_*) installs after the modules that
            # pulled it in: install crm_ext once accounting is configured
            _logger.info("No sales or bank journal in %s yet: no demo customer base.",
                         company.name)
            return False
        salespeople = env.ref("base.user_admin", raise_if_not_found=False) \
            or env.ref("base.user_root")
        salespeople |= env.ref("base.user_demo", raise_if_not_found=False) or salespeople
        names = iter("%s %s" % (name, kind) for kind in COMPANY_KINDS for name in COMPANY_NAMES)
        for profile in PROFILES:
            for _index in range(max(1, int(round(profile[1] * scale)))):
                partner = self._demo_partner(env, next(names), rng, salespeople)
                self._demo_history(env, partner, profile, rng, today, products, journal, bank)
        for _index in range(max(1, int(round(PROSPECTS * scale)))):
            partner = self._demo_partner(env, next(names), rng, salespeople)
            env["crm.lead"].create({
                "name": "Opportunity %s" % partner.name,
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "planned_revenue": rng.randrange(1000, 20000, 500),
            })
        return True

    @api.model
    def _demo_cost_odoo_invoices(self, env, company):
        """Odoo's own demo invoices sell its demo servers and computers (cost
        25,000 to 65,000) at 15 to 642: their customers would show millions
        of losses on a few thousand sold.  Their cost of goods sold is set to
        60% of their net sales, the margin of crm_ext's demo products.
        Their figures are stored first: the install hook's backfill runs
        after the demo, when it would store their real cost."""
        env["account.invoice"]._backfill_insight_figures()
        env.cr.execute("""
            UPDATE account_invoice SET insight_cost_signed = ROUND(0.6 * insight_net_signed)
             WHERE company_id = %s AND type IN ('out_invoice', 'out_refund')
               AND state IN ('open', 'paid')
               AND ABS(insight_cost_signed) > ABS(insight_net_signed)
        """, (company.id,))
        env["account.invoice"].invalidate_cache(["insight_cost_signed"])

    @api.model
    def _demo_products(self, env):
        products = env["product.product"]
        for name, price, cost in (("Office Chair Pro", 320.0, 190.0),
                                  ("Standing Desk", 650.0, 420.0),
                                  ("Desk Lamp LED", 45.0, 21.0),
                                  ("Ergonomic Keyboard", 120.0, 64.0),
                                  ("Installation Service", 90.0, 40.0)):
            products |= env["product.product"].create({
                "name": name, "type": "consu", "list_price": price, "standard_price": cost,
                "invoice_policy": "order",
            })
        return products

    @api.model
    def _demo_partner(self, env, name, rng, salespeople):
        return env["res.partner"].create({
            "name": name,
            "is_company": True,
            "customer": True,
            "user_id": rng.choice(salespeople).id,
            "industry_rating": str(rng.randint(0, 5)),
            "customer_satisfaction": rng.choice([0, 2, 3, 4, 4, 5]),
            "email": "%s@example.com" % name.lower().replace(" ", "."),
        })

    @api.model
    def _demo_history(self, env, partner, profile, rng, today, products, journal, bank):
        name, _count, first_range, last_range, purchases, sizes, trend, comeback = profile
        first = rng.randint(*first_range)
        last = rng.randint(*last_range) if last_range else first
        count = rng.randint(*purchases)
        sales = []  # (days ago, amount)
        for number in range(count):
            position = number / float(count - 1) if count > 1 else 0.0
            sales.append((int(round(first - (first - last) * position)),
                          rng.uniform(*sizes) * (1 + (trend - 1) * position)))
        if comeback:
            sales.append((rng.randint(*comeback), rng.uniform(*sizes)))
        to_pay = env["account.invoice"]
        for days_ago, amount in sales:
            day = today - timedelta(days=days_ago)
            invoice = self._demo_invoice(env, partner, day, products, amount, rng, journal)
            if rng.random() < 0.06:
                refund = invoice.refund(
                    date_invoice=fields.Date.to_string(min(day + timedelta(days=5), today)),
                    description="Returned goods")
                refund.action_invoice_open()
            elif days_ago > 45 and rng.random() < 0.9:
                to_pay |= invoice
        if to_pay:
            # one payment a customer settles its older invoices; the rest stay
            # open, some of them overdue
            self._demo_payment(env, to_pay, bank, today)
        if name in ("champion", "loyal", "new"):
            order = env["sale.order"].create({
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "order_line": [(0, 0, {"product_id": rng.choice(products).id,
                                       "product_uom_qty": rng.randint(1, 5)})],
            })
            if rng.random() < 0.5:
                order.action_confirm()

    @api.model
    def _demo_invoice(self, env, partner, day, products, amount, rng, journal):
        product = rng.choice(products)
        quantity = max(1, int(round(amount / product.lst_price)))
        account = product.property_account_income_id \
            or product.categ_id.property_account_income_categ_id
        invoice = env["account.invoice"].create({
            "partner_id": partner.id,
            "user_id": partner.user_id.id,
            "type": "out_invoice",
            "journal_id": journal.id,
            "date_invoice": fields.Date.to_string(day),
            "invoice_line_ids": [(0, 0, {
                "product_id": product.id,
                "name": product.name,
                "quantity": quantity,
                "uom_id": product.uom_id.id,
                "price_unit": product.lst_price,
                "discount": rng.choice([0, 0, 0, 5, 10]),
                "account_id": account.id,
            })],
        })
        invoice.action_invoice_open()
        return invoice

    @api.model
    def _demo_payment(self, env, invoices, bank, today):
        env["account.payment"].create({
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": invoices[0].commercial_partner_id.id,
            "amount": sum(invoices.mapped("residual")),
            "journal_id": bank.id,
            "payment_method_id": env.ref("account.account_payment_method_manual_in").id,
            "payment_date": fields.Date.to_string(today - timedelta(days=15)),
            "invoice_ids": [(6, 0, invoices.ids)],
        }).post()

    @api.model
    def _demo_classification_history(self, env, company, today):
        # month-end recomputes over the two years give the history and the
        # analysis over time something to show
        month_ends = []
        first_of_month = today.replace(day=1)
        for _month in range(24):
            month_end = first_of_month - timedelta(days=1)
            month_ends.insert(0, month_end)
            first_of_month = month_end.replace(day=1)
        insight = env["crm.customer.insight"]
        for month_end in month_ends:
            insight._recompute_company(company, today=fields.Date.to_string(month_end))
        insight._recompute_company(company)
