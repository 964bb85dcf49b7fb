"""crm_ext in Chinese, clicked in headless Chromium: a user switched to
简体中文 (zh_CN), then to 繁體中文 (zh_TW), finds the application's menu,
the dashboard, the loyalty and complaint menus, a customer's insight page
and a workbook's entry in the Print menu, each in that language.  The
expected words are read from crm_ext's own translation files, so the test
follows the translations; the set-up installs fonts-noto-cjk, so the
screenshots in .local/test-artifacts/ show the characters."""
import pathlib

import pytest
from babel.messages import pofile
from selenium.webdriver.common.by import By

from webclient import WebClient, xpath_string

I18N = pathlib.Path(__file__).resolve().parent.parent / "crm_ext" / "i18n"
LOGIN = "crm_ext_ui_cjk"
PASSWORD = "crm-ext-ui-cjk-1"
GROUPS = ["sales_team.group_sale_manager", "crm_ext.crm_complaint_group_officer",
          "account.group_account_invoice"]


def _translations(lang):
    """{English: translation} of crm_ext's .po file of ``lang``."""
    with open(str(I18N / ("%s.po" % lang)), "rb") as handle:
        catalog = pofile.read_po(handle)
    return {message.id: message.string for message in catalog
            if message.id and message.string}


@pytest.fixture(scope="module")
def cjk_user(odoo_server):
    """The user (its id) of this test, and both Chinese languages installed
    (with every module's translations, as Settings > Translations does)."""
    call = odoo_server.rpc()
    for lang in ("zh_CN", "zh_TW"):
        if not call("res.lang", "search", [("code", "=", lang)]):
            wizard = call("base.language.install", "create", {"lang": lang})
            call("base.language.install", "lang_install", [wizard])
    values = {"name": "UI Chinese", "login": LOGIN, "password": PASSWORD,
              "email": "%s@example.com" % LOGIN,
              "groups_id": [(6, 0, [call("ir.model.data", "xmlid_to_res_id", xmlid)
                                    for xmlid in GROUPS])]}
    found = call("res.users", "search", [("login", "=", LOGIN)])
    if found:
        call("res.users", "write", found, values)
        return found[0]
    return call("res.users", "create", values, context={"no_reset_password": True})


@pytest.fixture(scope="module")
def customer(odoo_server):
    """A customer with figures (its id)."""
    call = odoo_server.rpc()
    insight = call("crm.customer.insight", "search_read", [("segment_id", "!=", False)],
                   fields=["partner_id"], limit=1)
    assert insight, "the demo has customers with figures"
    return insight[0]["partner_id"][0]


def _menu_text(client, xmlid):
    """The label of a menu: an application, an item, or a section of the
    side menu (a heading, not a link, in Odoo 11)."""
    return client.find(css="[data-menu-xmlid='%s']" % xmlid).text.strip()


@pytest.mark.parametrize("lang", ["zh_CN", "zh_TW"])
def test_chinese_user_interface(lang, cjk_user, customer, browser, odoo_server,
                                artifacts_dir, screenshot_on_failure):
    words = _translations(lang)

    def tr(english):
        assert words.get(english), "%s.po translates %r" % (lang, english)
        return words[english]

    odoo_server.rpc()("res.users", "write", [cjk_user], {"lang": lang})
    client = WebClient(browser, odoo_server, artifacts_dir, "cjk-%s" % lang)
    client.login(LOGIN, PASSWORD)
    # the application, its dashboard and its panels
    assert _menu_text(client, "crm_ext.crm_retention_menu_root") == tr("Customer Retention")
    client.menu("crm_ext.crm_retention_menu_root", "crm_ext.crm_dashboard_menu")
    expected = {tr("Segment Distribution"), tr("Open Complaints by SLA Status")}

    def titles():
        return {element.text.strip() for element in client.find_all(
            ".o_dashboard .oe_action .oe_header_txt")}
    # the board draws its panels one after the other
    client.wait(lambda: expected <= titles(), "the panels %s" % sorted(expected))
    client.idle()
    client.screenshot("dashboard")
    # the loyalty and complaint menus of the application
    assert _menu_text(client, "crm_ext.crm_loyalty_program_menu_root") == tr("Loyalty")
    assert _menu_text(client, "crm_ext.crm_complaint_menu_root") == tr("Complaints")
    client.menu("crm_ext.crm_loyalty_member_menu")
    client.screenshot("loyalty")
    client.menu("crm_ext.crm_complaint_menu")
    client.screenshot("complaints")
    # a customer's insight page
    client.browser.get("%s/web#id=%d&model=res.partner&view_type=form" % (
        odoo_server.url, customer))
    client.find(css=".o_form_view .o_form_sheet")
    client.tab(tr("Customer Insight"))
    client.screenshot("insight-page")
    # the customers' list: a workbook in the Print menu of the selection
    client.browser.get("%s/web#model=res.partner&view_type=list&action=base.action_partner_form"
                       % odoo_server.url)
    client.click(css=".o_list_view tbody tr.o_data_row .o_list_record_selector input")
    client.click(xpath="//div[contains(@class, 'o_cp_sidebar')]//button"
                       "[contains(@class, 'o_dropdown_toggler_btn')][contains(., %s)]"
                       % xpath_string(_odoo_word(odoo_server, lang, "Print")))
    entry = client.find(xpath="//div[contains(@class, 'o_cp_sidebar')]//ul[contains(@class, "
                              "'dropdown-menu')]//a[normalize-space()=%s]"
                              % xpath_string(tr("Customer Insight (xlsx)")))
    assert entry.is_displayed()
    client.screenshot("print-menu")
    client.check()
    assert not client.browser.find_elements(By.CSS_SELECTOR, ".o_error_detail")


def _odoo_word(odoo_server, lang, english):
    """The web client's own translation of ``english`` in ``lang`` (the
    Print menu's label is Odoo's, not crm_ext's)."""
    rows = odoo_server.rpc()("ir.translation", "search_read", [
        ("lang", "=", lang), ("src", "=", english), ("module", "=", "web"),
        ("value", "!=", False)], fields=["value"], limit=1)
    assert rows, "Odoo's web translates %r in %s" % (english, lang)
    return rows[0]["value"]
