"""Fixtures of the churn tests: the scoring on a frozen day, and a company
history simulated from a BG/NBD process (posted invoices written with SQL,
copies of one the ORM validated).  No test here."""
import random
from datetime import timedelta

from odoo import fields

from ..tools import clock
from .common import InsightCase


class ChurnCase(InsightCase):
    """Customers of the main company scored on ``TODAY``."""

    NOW = InsightCase.TODAY + " 12:00:00"

    def _score(self):
        """Recompute the insight and score the churn risk on TODAY."""
        self._recompute()
        with clock.frozen(self.env, self.NOW):
            self.insight_model._score_churn(self.company)

    @classmethod
    def _fit(cls):
        with clock.frozen(cls.env, cls.NOW):
            return cls.env["crm.churn.model"]._fit_company(cls.company)

    @classmethod
    def _simulate(cls, customers, seed=14, days=730):
        """``customers`` new customers with purchases over the ``days``
        before TODAY, drawn from a BG/NBD process (Fader, Hardie & Lee
        2005: rates gamma(0.6, 1/4 per week), dropout beta(0.8, 2.5));
        returns the partners."""
        rng = random.Random(seed)
        today = fields.Date.from_string(cls.TODAY)
        template_partner = cls._customer("Churn Template")
        template = cls._invoice(template_partner, cls.TODAY, price=50.0)
        cr = cls.env.cr
        cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'res_partner'""")
        partner_cols = [name for (name,) in cr.fetchall()
                        if name not in ("id", "name", "display_name", "commercial_partner_id")]
        cr.execute("""
            INSERT INTO res_partner (name, display_name, {cols})
            SELECT 'Simulated ' || n, 'Simulated ' || n, {cols}
              FROM res_partner, generate_series(1, %s) n WHERE id = %s
            RETURNING id
        """.format(cols=", ".join(partner_cols)), (customers, template_partner.id))
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
                   (partner_ids,))
        rows = []
        for partner_id in partner_ids:
            rate = rng.gammavariate(0.6, 1 / 4.0)
            dropout = rng.betavariate(0.8, 2.5)
            day = rng.uniform(0, days / 2.0)
            while day <= days:
                amount = round(rng.gammavariate(4.0, 15.0), 2) + 1
                rows.append((partner_id, today - timedelta(days=days - int(day)), amount))
                if rng.random() < dropout or rate <= 0:
                    break
                day += rng.expovariate(rate) * 7
        cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'account_invoice'""")
        skipped = {"id", "number", "move_name", "move_id", "partner_id",
                   "commercial_partner_id", "date_invoice", "date_due", "date",
                   "amount_untaxed_signed", "insight_net_signed", "reference"}
        copied = [name for (name,) in cr.fetchall() if name not in skipped]
        cr.execute("""
            INSERT INTO account_invoice (number, partner_id, commercial_partner_id,
                                         date_invoice, date_due, amount_untaxed_signed,
                                         insight_net_signed, {cols})
            SELECT 'SIM/' || source.n, source.partner_id, source.partner_id, source.day,
                   source.day, source.amount, source.amount, {template_cols}
              FROM account_invoice template,
                   unnest(%s::int[], %s::date[], %s::float[])
                       WITH ORDINALITY AS source(partner_id, day, amount, n)
             WHERE template.id = %s
        """.format(cols=", ".join(copied),
                   template_cols=", ".join("template.%s" % name for name in copied)),
            ([row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows],
             template.id))
        return cls.env["res.partner"].browse(partner_ids)
