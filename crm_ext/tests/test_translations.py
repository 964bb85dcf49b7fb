import os

from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import common
from odoo.tools.translate import trans_load


@common.at_install(False)
@common.post_install(True)
class TestTranslations(common.SavepointCase):

    def _page_label(self, lang):
        arch = self.env["res.partner"].with_context(lang=lang).fields_view_get(
            view_type="form")["arch"]
        page = etree.fromstring(arch).xpath("//page[@name='customer_insight']")[0]
        return page.get("string")

    def _load(self, lang):
        self.env["res.lang"].load_lang(lang)
        path = os.path.join(get_module_path("crm_ext"), "i18n", "%s.po" % lang)
        trans_load(self.env.cr, path, lang, verbose=False, module_name="crm_ext")
        self.env["ir.translation"].clear_caches()

    def test_simplified_chinese_labels(self):
        self._load("zh_CN")
        self.assertEqual(self._page_label("zh_CN"), "客户洞察")

    def test_traditional_chinese_labels(self):
        self._load("zh_TW")
        self.assertEqual(self._page_label("zh_TW"), "客戶洞察")

    def test_english_unchanged(self):
        self._load("zh_CN")
        self.assertEqual(self._page_label("en_US"), "Customer Insight")
