# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "CRM Customer Retention",
    "summary": "Customer segmentation, loyalty, complaints and churn alerts "
               "computed from the sales, stock and accounting ledger",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "website": "https://github.com/crm-ext/crm_ext",
    "author": "crm_ext contributors",
    "maintainers": ["crm-ext"],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": [
        "sale_management",
        "crm",
        "stock",
        "account_invoicing",
        "mail",
    ],
    "external_dependencies": {
        "python": ["xlsxwriter"],
    },
    "data": [
        "security/crm_customer_insight_security.xml",
        "security/crm_loyalty_security.xml",
        "security/ir.model.access.csv",
        "data/crm_customer_segment_data.xml",
        "data/crm_customer_grade_data.xml",
        "data/ir_cron_data.xml",
        "data/crm_loyalty_data.xml",
        "data/crm_loyalty_mail_template_data.xml",
        "views/crm_customer_insight_views.xml",
        "views/crm_customer_segment_views.xml",
        "views/crm_customer_grade_views.xml",
        "views/crm_customer_segment_history_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "report/crm_customer_insight_report_views.xml",
        "views/crm_loyalty_program_views.xml",
        "views/crm_loyalty_member_views.xml",
        "views/crm_loyalty_entry_views.xml",
        "views/crm_loyalty_menus.xml",
    ],
    "demo": [
        "demo/crm_customer_demo.xml",
    ],
}
