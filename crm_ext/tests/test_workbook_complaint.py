"""The Complaints register workbook (report_xlsx): sheets, headers, number
formats, frozen header, autofilter, the SUBTOTAL of the cost against the
database, the Parameters sheet, the charts (by category, SLA met % per
month); moments in the user's time zone; who may make it and which
complaints they find; the wizard's filters."""
import datetime

from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools.safe_eval import safe_eval

from ..tools import clock
from .test_complaint_resolution_common import ComplaintResolutionCase
from .test_workbook_insight import headers, load
from .test_workbook_loyalty import rows

REPORT = "crm_ext.crm_complaint_workbook_report"
COMPLAINTS, CHARTS, PARAMETERS = "Complaints", "Charts", "Parameters"


@common.at_install(False)
@common.post_install(True)
class TestWorkbookComplaint(ComplaintResolutionCase):

    @classmethod
    def setUpClass(cls):
        super(TestWorkbookComplaint, cls).setUpClass()
        cls.officer.tz = "Europe/Brussels"
        cls.employee = cls._user("complaint_wb_employee", "base.group_user")
        cls.own_salesman = cls._user("complaint_wb_salesman", "sales_team.group_sale_salesman")
        cls.followed = cls._customer("Complaint WB Followed", user_id=cls.own_salesman.id)
        cls.other_salesman = cls._user("complaint_wb_salesman2", "sales_team.group_sale_salesman")
        cls.unfollowed = cls._customer("Complaint WB Other", user_id=cls.other_salesman.id)
        # (customer, category, received (UTC), SLA status, cost)
        cls.complaints = cls.complaint_model
        for partner, category, received, status, cost in (
                (cls.followed, cls.category_defect, "2019-03-02 10:00:00", "met", 100.0),
                (cls.followed, cls.category_defect, "2019-03-09 10:00:00", "breached", 50.0),
                (cls.unfollowed, cls.category_billing, "2019-04-06 23:30:00", "met", 10.0),
                (cls.unfollowed, cls.category_defect, "2019-04-07 10:00:00", "on_track", 0.0)):
            complaint = cls._complaint(partner, category_id=category.id, date_received=received,
                                       subject="About %s" % received[:10])
            cls.env.cr.execute("UPDATE crm_complaint SET sla_status = %s, cost_amount = %s "
                               "WHERE id = %s", (status, cost, complaint.id))
            cls.complaints |= complaint
        cls.complaints.invalidate_cache()
        cls.period = {"wizard": True, "date_from": "2019-03-01", "date_to": "2019-04-30"}

    def _render(self, data=None, user=None, complaints=None):
        report = self.env.ref(REPORT).sudo(user or self.officer)
        if complaints:
            report = report.with_context(active_ids=complaints.ids)
        with clock.frozen(self.env, "2026-06-30 12:00:00"):
            if complaints:
                return report.render_xlsx(complaints.ids, data)[0]
            return report.render_xlsx(None, self.period if data is None else data)[0]

    def test_sheets(self):
        self.assertEqual(load(self._render()).sheetnames, [COMPLAINTS, CHARTS, PARAMETERS])

    def test_headers(self):
        self.assertEqual(headers(load(self._render())[COMPLAINTS]), [
            "Reference", "Subject", "Customer", "Category", "Severity", "Stage", "Officer",
            "Received", "First Response Due", "First Response At", "Resolution Due",
            "Resolution At", "SLA", "Cost", "Rating"])

    def test_rows_of_the_period(self):
        found = rows(load(self._render())[COMPLAINTS])
        self.assertEqual([row[0] for row in found], self.complaints.mapped("name"))
        self.assertEqual(found[0][1:5], ("About 2019-03-02", "Complaint WB Followed",
                                         "Product (test) / Defect (test)", "Normal"))
        self.assertEqual([row[12] for row in found], ["Met", "Breached", "Met", "On Track"])

    def test_moments_in_the_users_time_zone(self):
        found = rows(load(self._render())[COMPLAINTS])
        # 23:30 UTC on 6 April is 01:30 on 7 April in Brussels (summer time)
        self.assertEqual(found[2][7], datetime.datetime(2019, 4, 7, 1, 30))

    def test_number_formats(self):
        sheet = load(self._render())[COMPLAINTS]
        self.assertEqual(sheet.cell(2, 8).number_format, "yyyy-mm-dd hh:mm")
        money = sheet.cell(2, 14).number_format
        self.assertIn('"%s"' % self.company.currency_id.symbol, money)
        self.assertIn("[Red]-", money)

    def test_frozen_header_and_autofilter(self):
        sheet = load(self._render())[COMPLAINTS]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:O5")

    def test_cost_total_is_the_subtotal_of_the_database_sum(self):
        content = self._render()
        sheet, cached = load(content)[COMPLAINTS], load(content, data_only=True)[COMPLAINTS]
        last = sheet.max_row
        self.assertEqual(sheet.cell(last, 14).value, "=SUBTOTAL(109,N2:N%d)" % (last - 1))
        self.env.cr.execute("SELECT SUM(cost_amount) FROM crm_complaint WHERE id = ANY(%s)",
                            (self.complaints.ids,))
        self.assertAlmostEqual(cached.cell(last, 14).value, self.env.cr.fetchone()[0])

    def test_charts(self):
        sheet = load(self._render())[CHARTS]
        self.assertEqual(sorted(type(chart).__name__ for chart in sheet._charts),
                         ["BarChart", "LineChart"])
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
        self.assertEqual(values["Product (test) / Defect (test)"], 3)
        self.assertEqual(values[self.category_billing.complete_name], 1)
        # March: 1 met of 2 decided; April: 1 of 1 (the one on track is not decided)
        self.assertEqual((values["2019-03"], values["2019-04"]), (0.5, 1.0))

    def test_parameters(self):
        sheet = load(self._render(dict(self.period, user_ids=[self.own_salesman.id])))[
            PARAMETERS]
        values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
        self.assertEqual(values["Company"], self.company.name)
        self.assertEqual(values["Salespeople"], self.own_salesman.name)
        self.assertIn("2019-03-01", values["Period"])
        self.assertEqual(values["Generated at"], "2026-06-30 14:00:00 (Europe/Brussels)")

    def test_salesperson_filter_changes_the_rows(self):
        found = rows(load(self._render(dict(self.period, user_ids=[self.own_salesman.id])))[
            COMPLAINTS])
        self.assertEqual([row[2] for row in found], ["Complaint WB Followed"] * 2)

    def test_own_documents_salesperson_finds_their_customers_only(self):
        found = rows(load(self._render(user=self.own_salesman))[COMPLAINTS])
        self.assertEqual({row[2] for row in found}, {"Complaint WB Followed"})

    def test_print_menu_selection(self):
        found = rows(load(self._render(complaints=self.complaints[2]))[COMPLAINTS])
        self.assertEqual([row[0] for row in found], [self.complaints[2].name])

    def test_refused_without_complaint_rights(self):
        with self.assertRaises(AccessError):
            self._render(user=self.employee)

    def test_register_menu_opens_the_wizard_on_the_register(self):
        action = self.env.ref("crm_ext.crm_complaint_register_wizard_action")
        self.assertEqual(action.res_model, "crm.workbook.wizard")
        self.assertFalse(action.binding_model_id, "the list's Print menu prints the selection")
        wizard = self.env["crm.workbook.wizard"].sudo(self.officer).with_context(
            **safe_eval(action.context)).create({})
        self.assertEqual(wizard.workbook, REPORT)

    def test_in_the_complaint_lists_print_menu(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.binding_model_id.model, "crm.complaint")
