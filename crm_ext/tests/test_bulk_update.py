from odoo.tests import common

from ..tools import bulk_update


@common.at_install(False)
@common.post_install(True)
class TestBulkUpdate(common.SavepointCase):
    """tools/bulk_update.update_rows writes what it is given, value for value:
    texts with COPY's special characters, NULLs, exact floats, integers."""

    @classmethod
    def setUpClass(cls):
        super(TestBulkUpdate, cls).setUpClass()
        partners = cls.env["res.partner"]
        for index in range(3):
            partners |= cls.env["res.partner"].create({"name": "Bulk %s" % index})
        cls.insights = cls.env["crm.customer.insight"]
        for partner in partners:
            cls.insights |= cls.insights.create({"partner_id": partner.id,
                                                 "company_id": cls.env.user.company_id.id})

    def _row(self, insight):
        self.env.cr.execute(
            "SELECT churn_figures, p_alive, churn_risk, churn_reason_codes, churn_scored_at "
            "FROM crm_customer_insight WHERE id = %s", (insight.id,))
        return self.env.cr.fetchone()

    def test_values_written_exactly(self):
        texts = ['{"a": "tab\there"}', "line\nbreak \\ back\\slash\r", None]
        floats = [0.1 + 0.2, None, 1e-300]
        updated = bulk_update.update_rows(
            self.env.cr, "crm_customer_insight", self.insights.ids,
            {"churn_figures": texts, "p_alive": floats, "churn_risk": [7, None, 100],
             "churn_reason_codes": ["rhythm,spend", "", None]},
            constants={"churn_scored_at": "2026-06-30 01:02:03"})
        self.assertEqual(updated, 3)
        rows = [self._row(insight) for insight in self.insights]
        self.assertEqual([row[0] for row in rows], texts)
        self.assertEqual([row[1] for row in rows], floats)
        self.assertEqual([row[2] for row in rows], [7, None, 100])
        self.assertEqual([row[3] for row in rows], ["rhythm,spend", "", None])
        self.assertEqual({str(row[4]) for row in rows}, {"2026-06-30 01:02:03"})

    def test_other_rows_untouched_and_twice_in_a_transaction(self):
        first, second = self.insights[0], self.insights[1]
        bulk_update.update_rows(self.env.cr, "crm_customer_insight", second.ids,
                                {"churn_risk": [55]})
        bulk_update.update_rows(self.env.cr, "crm_customer_insight", first.ids,
                                {"churn_risk": [12]})
        self.assertEqual(self._row(first)[2], 12)
        self.assertEqual(self._row(second)[2], 55)
        self.assertIsNone(self._row(self.insights[2])[2])

    def test_no_rows(self):
        self.assertEqual(bulk_update.update_rows(
            self.env.cr, "crm_customer_insight", [], {"churn_risk": []}), 0)
