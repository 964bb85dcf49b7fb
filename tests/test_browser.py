"""The web client, driven in headless Chromium as a salesperson would use it."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

SALESMAN_LOGIN = "crm_ext_browser_salesman"
SALESMAN_PASSWORD = "salesman-pw-1"


@pytest.fixture(scope="module")
def salesman_and_customer(odoo_server):
    call = odoo_server.rpc()
    group = call("ir.model.data", "xmlid_to_res_id", "sales_team.group_sale_salesman")
    users = call("res.users", "search", [("login", "=", SALESMAN_LOGIN)])
    if not users:
        call("res.users", "create", {
            "name": "Browser Salesman", "login": SALESMAN_LOGIN,
            "password": SALESMAN_PASSWORD, "groups_id": [(6, 0, [group])],
        })
    # "Own Documents Only": the salesman sees the figures of their own
    # customers, those of the demo user here
    salesman = call("res.users", "search", [("login", "=", SALESMAN_LOGIN)])[0]
    demo_user = call("ir.model.data", "xmlid_to_res_id", "base.user_demo")
    call("res.partner", "write", call("res.partner", "search", [("user_id", "=", demo_user)]),
         {"user_id": salesman})
    customer = call("res.partner", "create", {
        "name": "Browser Test Customer", "is_company": True, "customer": True})
    return customer


def test_salesman_sees_customer_insight_page(odoo_server, salesman_and_customer, browser,
                                             artifacts_dir, screenshot_on_failure):
    wait = WebDriverWait(browser, 120)
    browser.get(odoo_server.url + "/web/login")
    browser.find_element(By.NAME, "login").send_keys(SALESMAN_LOGIN)
    browser.find_element(By.NAME, "password").send_keys(SALESMAN_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    # the web client is ready once its menu is drawn (the first visit of a
    # new database also compiles the backend assets)
    wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".oe_application_menu_placeholder > li")))

    # a full page load (the "?" makes it a new URL), not a hash change
    browser.get("%s/web?#id=%d&model=res.partner&view_type=form" % (
        odoo_server.url, salesman_and_customer))
    wait.until(ec.text_to_be_present_in_element(
        (By.CSS_SELECTOR, ".o_form_view"), "Browser Test Customer"))
    tab = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//ul[contains(@class, 'nav-tabs')]//a[normalize-space()='Customer Insight']")))
    tab.click()
    placeholder = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .tab-pane.active .alert-info")))
    assert "RFM" in placeholder.text
    browser.save_screenshot(str(artifacts_dir / "customer_insight.png"))

    assert odoo_server.log_problems() == []


def _login(browser, odoo_server, wait):
    browser.get(odoo_server.url + "/web/login")
    if browser.find_elements(By.NAME, "login"):
        browser.find_element(By.NAME, "login").send_keys(SALESMAN_LOGIN)
        browser.find_element(By.NAME, "password").send_keys(SALESMAN_PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "form.oe_login_form button[type=submit]").click()
    wait.until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, ".oe_application_menu_placeholder > li")))


def test_insight_page_shows_the_figures_of_a_demo_customer(
        odoo_server, salesman_and_customer, browser, artifacts_dir, screenshot_on_failure):
    call = odoo_server.rpc()
    insight = call("crm.customer.insight", "search_read", [
        ("segment_id", "!=", False), ("partner_id.user_id.login", "=", SALESMAN_LOGIN)],
        fields=["partner_id", "segment_id", "rfm_score"], limit=1)
    assert insight, "the salesman's demo customers are classified"
    insight = insight[0]
    wait = WebDriverWait(browser, 120)
    _login(browser, odoo_server, wait)
    browser.get("%s/web?#id=%d&model=res.partner&view_type=form" % (
        odoo_server.url, insight["partner_id"][0]))
    tab = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//ul[contains(@class, 'nav-tabs')]//a[normalize-space()='Customer Insight']")))
    tab.click()
    pane = wait.until(ec.visibility_of_element_located(
        (By.CSS_SELECTOR, ".o_form_view .tab-pane.active")))
    assert insight["segment_id"][1] in pane.text
    assert insight["rfm_score"] in pane.text
    browser.save_screenshot(str(artifacts_dir / "customer_insight_figures.png"))


def test_customer_list_grouped_by_segment_and_analysis_over_time(
        odoo_server, salesman_and_customer, browser, artifacts_dir, screenshot_on_failure):
    wait = WebDriverWait(browser, 120)
    _login(browser, odoo_server, wait)
    browser.get(odoo_server.url + "/web?#action=crm_ext.crm_customer_insight_action")
    groups = wait.until(ec.presence_of_all_elements_located(
        (By.CSS_SELECTOR, ".o_list_view .o_group_header")))
    assert len(groups) >= 2, "customers are grouped by segment"
    browser.save_screenshot(str(artifacts_dir / "customer_insight_list.png"))
    browser.get(odoo_server.url + "/web?#action=crm_ext.crm_customer_insight_report_action")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".o_pivot table")))
    headers = browser.find_elements(By.CSS_SELECTOR, ".o_pivot thead th")
    assert len(headers) > 2, "the pivot has columns by month"
    browser.save_screenshot(str(artifacts_dir / "segments_over_time.png"))
    assert odoo_server.log_problems() == []
