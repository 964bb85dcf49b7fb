import datetime

from odoo.exceptions import ValidationError

from .test_complaint_resolution_common import ComplaintResolutionCase
from .test_workbook_insight import load


class TestComplaintReport(ComplaintResolutionCase):
    """The analysis report against figures computed here from the
    complaints, and the register (the Complaints register workbook)."""

    @classmethod
    def setUpClass(cls):
        super(TestComplaintReport, cls).setUpClass()
        cls.report_model = cls.env["crm.complaint.report"]
        # (category, SLA status, resolution hours, rating, cost)
        cls.figures = [
            (cls.category_defect, "met", 10.0, 5, 100.0),
            (cls.category_defect, "breached", 30.0, 2, 50.0),
            (cls.category_defect, "on_track", None, 0, 0.0),
            (cls.category_billing, "breached", 20.0, 4, 10.0),
        ]
        cls.complaints = cls.complaint_model
        for category, status, hours, rating, cost in cls.figures:
            complaint = cls._complaint(category_id=category.id)
            complaint.write({"customer_rating": rating})
            cls.env.cr.execute("""
                UPDATE crm_complaint
                   SET sla_status = %s, resolution_hours = COALESCE(%s, 0),
                       date_resolved = CASE WHEN %s IS NULL THEN NULL ELSE date_received END,
                       cost_amount = %s
                 WHERE id = %s
            """, (status, hours, hours, cost, complaint.id))
            cls.complaints |= complaint
        cls.complaints.invalidate_cache()

    def _expected(self, complaints):
        """The figures of ``complaints``, computed from the complaints."""
        resolved = complaints.filtered("date_resolved")
        decided = complaints.filtered(lambda c: c.sla_status in ("met", "breached"))
        rated = complaints.filtered("customer_rating")
        return {
            "complaint_count": len(complaints),
            "resolution_hours": (sum(resolved.mapped("resolution_hours")) / len(resolved)
                                 if resolved else False),
            "sla_met_percent": (100.0 * len(decided.filtered(lambda c: c.sla_status == "met"))
                                / len(decided) if decided else False),
            "customer_rating": (sum(rated.mapped("customer_rating")) / float(len(rated))
                                if rated else False),
            "cost_amount": sum(complaints.mapped("cost_amount")),
        }

    def _groups(self, groupby):
        measures = ["complaint_count", "resolution_hours", "sla_met_percent",
                    "customer_rating", "cost_amount"]
        return self.report_model.sudo(self.officer).read_group(
            [("id", "in", self.complaints.ids)],
            measures + [name.split(":")[0] for name in groupby], groupby, lazy=False)

    def assertFigures(self, group, expected):
        for name, value in expected.items():
            if value is False:
                self.assertFalse(group[name], name)
            else:
                self.assertAlmostEqual(group[name], value, places=6, msg=name)

    def test_figures_by_category(self):
        groups = self._groups(["category_id"])
        self.assertEqual(len(groups), 2)
        for group in groups:
            category_id = group["category_id"][0]
            self.assertFigures(group, self._expected(self.complaints.filtered(
                lambda c: c.category_id.id == category_id)))

    def test_totals_average_the_complaints_not_the_groups(self):
        total = self._groups([])[0]
        self.assertFigures(total, self._expected(self.complaints))
        # 1 met of 3 decided, not the average of 50 % and 0 %
        self.assertAlmostEqual(total["sla_met_percent"], 100.0 / 3)
        self.assertAlmostEqual(total["customer_rating"], 11.0 / 3)
        self.assertAlmostEqual(total["resolution_hours"], 20.0)

    def test_figures_by_customer_month_and_stage(self):
        for groupby in ("partner_id", "date_received:month", "stage_id", "severity"):
            groups = self._groups([groupby])
            self.assertEqual(len(groups), 1, groupby)
            self.assertFigures(groups[0], self._expected(self.complaints))
        self.assertEqual(self._groups(["partner_id"])[0]["partner_id"][0], self.customer.id)

    # the register: the Complaints register workbook (report_xlsx)

    def _register(self, complaints=None, **filters):
        """The rows of the register (header first) of ``complaints`` (the
        Print menu's selection) or of the Workbooks wizard's ``filters``."""
        report = self.env.ref("crm_ext.crm_complaint_workbook_report").sudo(self.officer)
        if complaints:
            content = report.with_context(active_ids=complaints.ids).render_xlsx(
                complaints.ids, None)[0]
        else:
            wizard = self.env["crm.workbook.wizard"].sudo(self.officer).create(
                dict(filters, workbook="crm_ext.crm_complaint_workbook_report"))
            action = wizard.action_print()
            self.assertEqual(action["report_name"], "crm_ext.complaint_workbook")
            content = report.render_xlsx(None, action["data"])[0]
        sheet = load(content)["Complaints"]
        return [list(row) for row in sheet.iter_rows(values_only=True) if row[0] != "Total"]

    def test_register_of_selected_complaints(self):
        rated = self.complaints[0]
        rows = self._register(rated)
        header, line = rows
        self.assertEqual(header[:3], ["Reference", "Subject", "Customer"])
        self.assertEqual(len(header), 15)
        self.assertEqual(line[header.index("Reference")], rated.name)
        self.assertEqual(line[header.index("Customer")], self.customer.name)
        self.assertEqual(line[header.index("Category")], "Product (test) / Defect (test)")
        self.assertEqual(line[header.index("SLA")], "Met")
        self.assertEqual(line[header.index("Stage")], rated.stage_id.name)
        self.assertEqual(line[header.index("Rating")], 5)
        self.assertEqual(line[header.index("Cost")], 100.0)
        self.assertIsInstance(line[header.index("Received")], datetime.datetime, "a date cell")

    def test_register_of_a_date_range(self):
        old = self._complaint(date_received="2020-03-10 10:00:00")
        self._complaint(date_received="2020-05-10 10:00:00")
        rows = self._register(date_from="2020-03-01", date_to="2020-03-31")
        self.assertEqual([row[0] for row in rows[1:]], [old.name])

    def test_register_bad_range_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["crm.workbook.wizard"].sudo(self.officer).create(
                {"workbook": "crm_ext.crm_complaint_workbook_report",
                 "date_from": "2020-04-01", "date_to": "2020-03-01"})
