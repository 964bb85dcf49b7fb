import json

from lxml import etree

from odoo.tests import common

from .test_churn_alert_common import ChurnCase


@common.at_install(False)
@common.post_install(True)
class TestChurnAtRisk(ChurnCase):
    """The "High Churn Risk" filters of the customer and insight lists: a
    customer is at risk from its company's alert threshold (70 in these
    tests), not from a fixed figure."""

    @classmethod
    def setUpClass(cls):
        super(TestChurnAtRisk, cls).setUpClass()
        cls.high = cls._at_risk("Risk Eighty", risk=80, user_id=cls.salesman.id)
        cls.middle = cls._at_risk("Risk Sixty Five", risk=65, user_id=cls.salesman.id)
        cls.low = cls._at_risk("Risk Ten", risk=10, user_id=cls.salesman.id)
        cls.unscored = cls._customer("Never Scored", user_id=cls.salesman.id)
        cls.ours = cls.high | cls.middle | cls.low | cls.unscored

    def _partners(self, value, user=None):
        partners = self.env["res.partner"].sudo(user or self.salesman)
        return partners.search([("churn_at_risk", "=", value), ("id", "in", self.ours.ids)])

    def _insights(self, value):
        return self.insight_model.sudo(self.salesman).search([
            ("churn_at_risk", "=", value), ("partner_id", "in", self.ours.ids)])

    def test_partner_at_risk_from_the_company_threshold(self):
        self.assertEqual(self._partners(True), self.high)

    def test_partner_threshold_lowered_widens_the_filter(self):
        self.company.churn_alert_risk_threshold = 60
        self.assertEqual(self._partners(True), self.high | self.middle)

    def test_partner_not_at_risk_includes_the_unscored(self):
        self.assertEqual(self._partners(False), self.middle | self.low | self.unscored)

    def test_partner_flag_read_as_filtered(self):
        partners = self.ours.sudo(self.salesman)
        self.assertEqual(partners.filtered("churn_at_risk"), self.high)

    def test_insight_at_risk_from_the_company_threshold(self):
        self.assertEqual(self._insights(True).mapped("partner_id"), self.high)
        self.assertEqual(self._insights(False).mapped("partner_id"), self.middle | self.low)

    def test_insight_row_of_another_company_follows_its_own_threshold(self):
        other = self.env["res.company"].create({
            "name": "Churn UI Other", "churn_alert_risk_threshold": 50})
        insight = self.insight_model.create({
            "partner_id": self.middle.id, "company_id": other.id, "churn_risk": 55})
        found = self.insight_model.search([("churn_at_risk", "=", True),
                                           ("partner_id", "=", self.middle.id)])
        self.assertEqual(found, insight)
        self.assertTrue(insight.churn_at_risk)

    def test_high_risk_filters_use_the_flag(self):
        for xmlid in ("crm_ext.crm_customer_insight_view_search",
                      "crm_ext.res_partner_view_search"):
            arch = etree.fromstring(self.env.ref(xmlid).arch)
            domain = arch.xpath("//filter[@name='churn_high']/@domain")
            self.assertEqual(domain, ["[('churn_at_risk', '=', True)]"], xmlid)


@common.at_install(False)
@common.post_install(True)
class TestChurnSettingsView(common.SavepointCase):
    """The churn settings: one view of crm_ext inherits the settings form
    for them, and the Settings page shows every churn setting."""

    def test_one_inherited_view_for_churn(self):
        views = self.env["ir.ui.view"].search([
            ("model", "=", "res.config.settings"),
            ("inherit_id", "=", self.env.ref("crm_ext.res_config_settings_view_form").id)])
        self.assertEqual(views, self.env.ref("crm_ext.res_config_settings_view_form_churn"))

    def test_settings_page_shows_every_churn_setting(self):
        settings = self.env["res.config.settings"]
        arch = settings.fields_view_get(
            self.env.ref("base.res_config_settings_view_form").id, "form")["arch"]
        shown = set(etree.fromstring(arch).xpath("//field/@name"))
        churn = {name for name in settings._fields
                 if name.startswith(("churn_", "clv_horizon", "clv_discount"))}
        self.assertTrue(churn)
        self.assertEqual(churn - shown, set())


@common.at_install(False)
@common.post_install(True)
class TestChurnAlertForm(ChurnCase):
    """The records an alert's form shows, each role that opens it may read
    (the web client reads them: one it may not opens the form on an
    access error)."""

    def _unreadable(self, user):
        """The models of the form's relational fields ``user`` may not read."""
        alerts = self.env["crm.churn.alert"].sudo(user)
        view = alerts.fields_view_get(
            self.env.ref("crm_ext.crm_churn_alert_view_form").id, "form")
        comodels = {alerts._fields[name].comodel_name for name in view["fields"]
                    if alerts._fields[name].relational}
        return sorted(comodel for comodel in comodels if not self.env[comodel].sudo(
            user).check_access_rights("read", raise_exception=False))

    def test_salesperson_reads_what_the_alert_form_shows(self):
        self.assertEqual(self._unreadable(self.salesman), [])

    def test_accountant_reads_what_the_alert_form_shows(self):
        self.assertEqual(self._unreadable(self.accountant), [])

    def test_manager_sees_the_crises_of_the_alert(self):
        self.assertEqual(self._unreadable(self.sales_manager), [])
        view = self.env["crm.churn.alert"].sudo(self.sales_manager).fields_view_get(
            self.env.ref("crm_ext.crm_churn_alert_view_form").id, "form")
        self.assertIn("crisis_ids", view["fields"])


@common.at_install(False)
@common.post_install(True)
class TestChurnHistoryImportForm(common.SavepointCase):
    """The file of a started purchase history import cannot be changed in
    its form (Resume reads the file again)."""

    def test_started_import_is_read_only(self):
        imports = self.env["crm.churn.history.import"]
        arch = etree.fromstring(imports.fields_view_get(
            self.env.ref("crm_ext.crm_churn_history_import_view_form").id, "form")["arch"])
        for name in ("data", "name", "product_id"):
            modifiers = json.loads(arch.xpath("//field[@name='%s']" % name)[0].get("modifiers"))
            self.assertEqual(modifiers.get("readonly"),
                             [["state", "not in", ["draft", "refused"]]], name)


@common.at_install(False)
@common.post_install(True)
class TestPAliveShownOnlyWithAModel(common.TransactionCase):
    """Without a usable churn model P(alive) is unknown, stored as nothing and
    read as 0: every view hides it then (P(alive) of a BG/NBD model is never
    0), rather than show 0.0000, "certainly gone"."""

    def test_every_p_alive_hidden_when_zero(self):
        views = {"res.partner": ("form", "tree"), "crm.customer.insight": ("form", "tree"),
                 "crm.churn.alert": ("form", "tree")}
        checked = 0
        for model, view_types in sorted(views.items()):
            for view_type in view_types:
                arch = self.env[model].fields_view_get(view_type=view_type)["arch"]
                for node in etree.fromstring(arch).iter("field"):
                    modifiers = json.loads(node.get("modifiers") or "{}")
                    invisible = modifiers.get("invisible")
                    # p_alive as a percentage where the views show it so,
                    # with the raw column its condition reads hidden
                    hidden = invisible is True or modifiers.get("column_invisible") is True
                    if node.get("name") not in ("p_alive", "p_alive_percent",
                                                "expected_purchases_90d") or hidden:
                        continue
                    self.assertEqual(invisible, [["p_alive", "=", 0]],
                                     "%s %s view: %s" % (model, view_type, node.get("name")))
                    checked += 1
        # the partner's insight tab and list, the insight's form and list, the alert's
        self.assertEqual(checked, 8)
