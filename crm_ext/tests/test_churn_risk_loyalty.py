from odoo.tests import common

from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestChurnRiskLoyalty(LoyaltyCase):
    """The loyalty factors of the churn risk, scored today."""

    @classmethod
    def setUpClass(cls):
        super(TestChurnRiskLoyalty, cls).setUpClass()
        cls.member_partner = cls._customer("Tier Lost")
        cls._pay(cls._sell(cls.member_partner, 100.0, date=cls._date(days=-20)))
        cls.member = cls._enrol(cls.member_partner)
        cls.env["crm.loyalty.tier.history"].create({
            "member_id": cls.member.id, "date": cls._date(days=-10),
            "old_tier_id": cls.tier_gold.id, "new_tier_id": cls.tier_silver.id,
            "reason": "review"})
        cls._give(cls.member, 1200.0, expiry_date=cls._date(days=10))

    def setUp(self):
        super(TestChurnRiskLoyalty, self).setUp()
        self.insight_model._recompute_company(self.company, today=self.today)
        self.insight_model._score_churn(self.company)

    def test_tier_downgrade(self):
        insight = self._insight(self.member_partner)
        self.assertAlmostEqual(insight.churn_factor_tier, 5.0)
        self.assertIn("tier lost (Gold → Silver)", insight.churn_reasons)

    def test_points_expiring_unused(self):
        insight = self._insight(self.member_partner)
        self.assertAlmostEqual(insight.churn_factor_points, 5.0)
        self.assertIn("1,200 points expiring unused", insight.churn_reasons)
