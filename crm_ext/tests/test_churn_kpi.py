"""The churn KPIs (issue 14): churn and retention rate per month, alerts
by outcome, revenue retained, and the uplift of acting on the alerts
against the held-out ones, on constructed cases."""
from odoo.tests import common

from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnKpi(ChurnCase):
    """Alerts of last January: 10 acted on (6 retained, 4 lost) for 90.0,
    5 held out (1 retained, 4 lost), 2 open, 1 dismissed."""

    MONTH = "2020-01-01"

    @classmethod
    def setUpClass(cls):
        super(TestChurnKpi, cls).setUpClass()
        outcomes = ([("retained", False)] * 6 + [("lost", False)] * 4
                    + [("retained", True)] + [("lost", True)] * 4
                    + [("new", False)] * 2 + [("dismissed", False)])
        cls.alerts = cls.alert_model.browse()
        for number, (state, held_out) in enumerate(outcomes):
            customer = cls._customer("Churn KPI %d" % number)
            cls.alerts |= cls.alert_model.create({
                "partner_id": customer.id, "company_id": cls.company.id,
                "date": "2020-01-10", "churn_risk": 80, "state": state,
                "held_out": held_out,
                "date_closed": {"retained": "2020-02-05", "lost": "2020-04-10",
                                "dismissed": "2020-01-20"}.get(state)})
        cls.alerts[0].sudo().write({"action_ids": [(0, 0, {
            "action_type": "call", "cost": 90.0, "date": "2020-01-11 10:00:00"})]})

    def _month(self, month=None):
        return self.env["crm.churn.report"].search([
            ("company_id", "=", self.company.id), ("month", "=", month or self.MONTH)])

    def test_alerts_by_outcome(self):
        row = self._month()
        self.assertEqual(
            (row.alert_count, row.retained_count, row.lost_count, row.open_count,
             row.dismissed_count, row.held_out_count),
            (18, 7, 8, 2, 1, 5))

    def test_uplift_against_the_held_out_alerts(self):
        row = self._month()
        self.assertEqual((row.acted_decided_count, row.acted_retained_count,
                          row.held_out_decided_count, row.held_out_retained_count),
                         (10, 6, 5, 1))
        self.assertAlmostEqual(row.acted_retention_rate, 60.0)
        self.assertAlmostEqual(row.held_out_retention_rate, 20.0)
        self.assertAlmostEqual(row.uplift, 40.0)

    def test_cost_per_customer_retained(self):
        row = self._month()
        self.assertEqual(row.cost, 90.0)
        self.assertAlmostEqual(row.cost_per_retained, 15.0)

    def test_churn_rate_of_the_month(self):
        # ten customers bought in the year before April, four are lost then
        # (the eight lost of January close in April)
        for number in range(10):
            self._sell(self.alerts[number].partner_id, 100.0, date="2019-12-01")
        april = self._month("2020-04-01")
        self.assertEqual((april.customer_count, april.lost_customer_count), (10, 8))
        self.assertAlmostEqual(april.churn_rate, 80.0)
        self.assertAlmostEqual(april.retention_rate, 20.0)
        self.assertEqual(self._month().lost_customer_count, 0)

    def test_months_without_alerts_are_listed(self):
        months = self.env["crm.churn.report"].search(
            [("company_id", "=", self.company.id)]).mapped("month")
        self.assertEqual(sorted(months), ["2020-01-01", "2020-02-01", "2020-03-01",
                                          "2020-04-01"])

    def test_revenue_retained(self):
        retained = self.alerts[0].partner_id
        self._sell(retained, 400.0, date="2020-02-05")
        self._sell(retained, 100.0, date="2020-01-05")
        self._sell(self.alerts[6].partner_id, 700.0, date="2020-03-01")
        self.assertEqual(self._month().revenue_retained, 400.0)

    def test_grouped_by_month(self):
        groups = self.env["crm.churn.report"].read_group(
            [("company_id", "=", self.company.id)], ["month", "alert_count", "uplift"], ["month:month"])
        self.assertEqual(sum(group["alert_count"] for group in groups), 18)
