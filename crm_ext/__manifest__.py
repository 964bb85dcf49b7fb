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
        "views/res_partner_views.xml",
    ],
}
