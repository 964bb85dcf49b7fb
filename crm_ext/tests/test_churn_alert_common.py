"""Fixtures of the churn alert tests: the main company's alert settings,
salespeople, a sales team and customers whose churn figures the tests set
on their insight rows (not computed by the scoring: the alerts act on the
figures, whatever computes them).  No test here."""
import json

from odoo import fields

from ..tools import clock
from .test_loyalty_common import LoyaltyCase


class ChurnCase(LoyaltyCase):
    """Alerts from a churn risk of 70 or a P(alive) below 0.3, lost after
    90 days of silence, none held out (the hold-out tests set a share), a
    crisis from 3 customers within 14 days.  The company's other figures
    (demo data) are cleared: the detection sees the tests' customers only."""

    @classmethod
    def setUpClass(cls):
        super(ChurnCase, cls).setUpClass()
        cls.alert_model = cls.env["crm.churn.alert"]
        cls.crisis_model = cls.env["crm.churn.crisis"]
        cls.company.write({
            "churn_alert_risk_threshold": 70, "churn_alert_p_alive_threshold": 0.3,
            "churn_alert_lost_days": 90, "churn_alert_holdout_pct": 0.0,
            "churn_crisis_window_days": 14, "churn_crisis_count": 3})
        cls.env.cr.execute("""
            UPDATE crm_customer_insight SET churn_risk = NULL, p_alive = NULL
             WHERE company_id = %s
        """, (cls.company.id,))
        cls.env.cr.execute("""
            DELETE FROM mail_activity WHERE res_model IN ('crm.churn.alert', 'crm.churn.crisis')
        """)
        cls.env.cr.execute("DELETE FROM crm_churn_crisis")
        cls.env.cr.execute("DELETE FROM crm_churn_alert")
        cls.env.cache.invalidate()
        cls.all_documents = cls._user("churn_all_documents",
                                      "sales_team.group_sale_salesman_all_leads")
        cls.sales_manager = cls._user("churn_sales_manager", "sales_team.group_sale_manager")
        cls.leader = cls._user("churn_leader", "sales_team.group_sale_salesman")
        cls.team = cls.env["crm.team"].create({
            "name": "Churn Team", "user_id": cls.leader.id, "company_id": cls.company.id})
        cls.now = "%s 03:00:00" % cls.today

    @classmethod
    def _at_risk(cls, name, risk=80, p_alive=0.6, last_purchase=None, reasons=None,
                 **partner_values):
        """A customer (of ``partner_values``: user_id, team_id, email...)
        whose insight row says ``risk``, ``p_alive``, a last purchase on
        ``last_purchase`` (120 days ago by default) and ``reasons`` ({factor
        code: its figures}, as the scoring stores them)."""
        partner_values.setdefault("email", "%s@example.com" % name.lower().replace(" ", "."))
        partner = cls._customer(name, **partner_values)
        cls._score(partner, risk, p_alive, last_purchase or cls._date(days=-120),
                   reasons or {"rhythm": {"days": 120, "usual": 30}})
        return partner

    @classmethod
    def _score(cls, partner, risk, p_alive, last_purchase=None, reasons=None):
        """Write the churn figures of ``partner``'s insight row (created
        when missing), as the scoring would."""
        insight = cls.env["crm.customer.insight"].search([
            ("partner_id", "=", partner.id), ("company_id", "=", cls.company.id)])
        values = {"churn_risk": risk, "p_alive": p_alive,
                  "churn_reason_codes": ",".join(sorted(reasons)) if reasons else False,
                  "churn_figures": json.dumps(reasons) if reasons else False}
        if last_purchase:
            values["last_invoice_date"] = last_purchase
        if insight:
            insight.write(values)
        else:
            insight = insight.create(dict(values, partner_id=partner.id,
                                          company_id=cls.company.id))
        return insight

    def _detect(self, now=None):
        """The detection's work on the scores, at ``now`` (the tests' day
        by default).  Returns the new alerts."""
        with clock.frozen(self.env, now or self.now) as moment:
            return self.alert_model._detect_alerts(self.company, moment)

    def _alert(self, partner):
        """The alerts of ``partner`` in the main company, latest first."""
        return self.alert_model.search([("partner_id", "=", partner.id),
                                        ("company_id", "=", self.company.id)])

    def _later(self, days):
        """The tests' moment ``days`` later, as a string."""
        return "%s 03:00:00" % self._date(days=days)

    @staticmethod
    def _day(moment):
        return fields.Date.to_string(fields.Datetime.from_string(moment).date())
