"""The settings of crm_ext say what they govern (issue 15): a help on
every field, and links from the blocks to the configuration."""
from lxml import etree

from odoo.tests import common

# the configuration the settings blocks link to
LINKED_ACTIONS = (
    "crm_ext.crm_customer_segment_action", "crm_ext.crm_customer_grade_action",
    "crm_ext.crm_churn_model_action", "crm_ext.crm_churn_alert_action",
    "crm_ext.crm_churn_crisis_action", "crm_ext.crm_loyalty_program_action",
    "crm_ext.crm_loyalty_tier_action", "crm_ext.crm_complaint_sla_action",
    "crm_ext.crm_complaint_stage_action",
)


@common.at_install(False)
@common.post_install(True)
class TestSettingsHelp(common.SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TestSettingsHelp, cls).setUpClass()
        cls.admin = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Settings Admin", "login": "settings_admin",
            "groups_id": [(6, 0, [cls.env.ref(xmlid).id for xmlid in (
                "base.group_system", "sales_team.group_sale_manager",
                "crm_ext.crm_loyalty_program_group_manager",
                "crm_ext.crm_complaint_group_manager")])]})
        cls.names = cls.env["ir.model.data"].search([
            ("module", "=", "crm_ext"), ("model", "=", "ir.model.fields"),
            ("name", "=like", "field_res_config_settings_%")]).mapped(
                lambda data: data.name[len("field_res_config_settings_"):])

    def test_every_setting_has_a_help(self):
        self.assertGreater(len(self.names), 40)
        fields_info = self.env["res.config.settings"].sudo(self.admin).fields_get(
            self.names, ["help"])
        self.assertEqual(sorted(name for name in self.names
                                if not fields_info[name].get("help")), [])

    def test_blocks_link_to_their_configuration(self):
        arch = etree.fromstring(self.env["res.config.settings"].sudo(
            self.admin).fields_view_get(view_type="form")["arch"])
        links = {int(node.get("name")) for node in arch.xpath(
            "//button[@type='action'][@icon='fa-arrow-right'][contains(@class, 'btn-link')]")}
        for xmlid in LINKED_ACTIONS:
            self.assertIn(self.env.ref(xmlid).id, links, xmlid)

    def test_each_link_opens_for_the_admin(self):
        for xmlid in LINKED_ACTIONS:
            action = self.env.ref(xmlid)
            self.assertTrue(self.env[action.res_model].sudo(self.admin).check_access_rights(
                "read", raise_exception=False), xmlid)
