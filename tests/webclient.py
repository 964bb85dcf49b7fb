"""Odoo 11's web client driven in a browser the way a person uses it: log in,
click menus, buttons, tabs and view switchers, fill fields.  Every wait
fails at once on an error dialog (a warning or a traceback), and a step
ends with no new error in the server's log."""
import re
import time

from selenium.common.exceptions import (
    ElementClickInterceptedException, StaleElementReferenceException)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

# Odoo 11's crash manager: CrashManager.warning (UserError, AccessError...)
# and CrashManager.error (a traceback)
ERROR_DIALOG = ".modal .o_dialog_warning, .modal .o_dialog_error, .modal .o_error_detail"
TIMEOUT = 90


class ErrorDialog(AssertionError):
    pass


class WebClient(object):

    def __init__(self, browser, server, artifacts_dir, name):
        self.browser = browser
        self.server = server
        self.artifacts_dir = artifacts_dir
        self.name = name
        self.log_start = len(server.log_problems())

    # waiting

    def error_dialog(self):
        dialogs = [dialog for dialog in self.browser.find_elements(By.CSS_SELECTOR, ERROR_DIALOG)
                   if dialog.is_displayed()]
        if not dialogs:
            return None
        details = [element.get_attribute("textContent").strip().splitlines()
                   for element in self.browser.find_elements(By.CSS_SELECTOR,
                                                             ".modal .o_error_detail")]
        if details:
            # a traceback: its last lines say what failed
            return " | ".join(line.strip() for lines in details for line in lines[-3:])
        return " | ".join(element.get_attribute("textContent").strip()
                          for element in dialogs)

    def check(self):
        """No error dialog on the screen, no new error in the server log."""
        dialog = self.error_dialog()
        if dialog:
            self.screenshot("error")
            raise ErrorDialog("%s: error dialog: %s" % (self.name, re.sub(r"\s+", " ", dialog)))
        problems = self.server.log_problems(self.log_start)
        assert problems == [], "%s: the server logged errors:\n%s" % (
            self.name, "\n".join(problems))

    def wait(self, condition, what, timeout=TIMEOUT):
        """Poll ``condition()`` until it returns something true; an error
        dialog or the timeout fails."""
        deadline = time.time() + timeout
        while True:
            self.check()
            try:
                result = condition()
            except StaleElementReferenceException:
                result = None
            if result:
                return result
            if time.time() > deadline:
                self.screenshot("timeout")
                raise AssertionError("%s: waited %ss for %s" % (self.name, timeout, what))
            time.sleep(0.2)

    def find(self, css=None, xpath=None, timeout=TIMEOUT):
        """The first visible element matching ``css`` or ``xpath``."""
        by, value = (By.CSS_SELECTOR, css) if css else (By.XPATH, xpath)

        def visible():
            return next((element for element in self.browser.find_elements(by, value)
                         if element.is_displayed()), None)
        return self.wait(visible, value, timeout)

    def show(self, element):
        """Scroll ``element`` into the middle of the screen (for a
        screenshot)."""
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'});",
                                    element)
        return element

    def find_all(self, css):
        return [element for element in self.browser.find_elements(By.CSS_SELECTOR, css)
                if element.is_displayed()]

    def click(self, css=None, xpath=None):
        """Click the element once it is visible (again if a re-render or an
        overlay got in the way)."""
        for _attempt in range(20):
            element = self.find(css, xpath)
            try:
                self.show(element).click()
                return element
            except (StaleElementReferenceException, ElementClickInterceptedException):
                time.sleep(0.3)
        raise AssertionError("%s: could not click %s" % (self.name, css or xpath))

    def text(self, css):
        return self.find(css).text

    def idle(self):
        """Wait for the requests the last click sent (Odoo 11 blocks the UI
        and shows 'Loading' while they run)."""
        self.wait(lambda: not self.find_all(".o_loading, .o_blockUI, .blockUI"),
                  "the web client to be idle")

    # navigation

    def login(self, login, password):
        self.browser.get(self.server.url + "/web/session/logout")
        self.browser.get(self.server.url + "/web/login")
        self.find(css="input[name=login]").send_keys(login)
        self.browser.find_element(By.NAME, "password").send_keys(password)
        self.click(css="form.oe_login_form button[type=submit]")
        # the menus are drawn (the first visit also compiles the assets)
        self.find(css=".oe_application_menu_placeholder > li", timeout=300)

    def menu(self, *xmlids):
        """Click the menus with these xml ids in turn: an application of
        the top bar, then the items of its side menu (a submenu is
        unfolded by its parent item, unless it is already open)."""
        for xmlid in xmlids:
            css = "a[data-menu-xmlid='%s']" % xmlid
            element = self.find(css=css)
            folded = element.find_elements(
                By.XPATH, "following-sibling::ul[contains(@class, 'o_hidden')]")
            if "oe_menu_toggler" in element.get_attribute("class") and not folded \
                    and element.find_elements(By.XPATH, "following-sibling::ul"):
                continue
            self.click(css=css)
        self.idle()

    def search(self, text, attempts=3):
        """Search ``text`` in the search view (its first suggestion).  Typed
        again when the keys went to a search view the action then replaced
        (a loaded machine draws the new one late)."""
        facet = "//div[contains(@class, 'o_searchview_facet')][contains(., %s)]" \
            % xpath_string(text)
        for attempt in range(attempts):
            self.idle()
            try:
                field = self.find(css=".o_searchview_input")
                field.clear()
                field.send_keys(text)
                self.find(css=".o_searchview_autocomplete li", timeout=15)
                field.send_keys(Keys.ENTER)
                self.find(xpath=facet, timeout=15)
                break
            except (AssertionError, StaleElementReferenceException):
                if attempt == attempts - 1:
                    raise
        self.idle()

    def filter(self, label):
        """Turn on the filter ``label`` of the search view's Filters menu
        (the menu shown first by the search view's toggle when hidden)."""
        toggler = "//div[contains(@class, 'o_search_options')]//button" \
                  "[contains(@class, 'o_dropdown_toggler_btn')][contains(., 'Filters')]"
        link = "//ul[contains(@class, 'o_filters_menu')]/li/a[normalize-space()=%s]" \
            % xpath_string(label)
        # all again when the search view was drawn anew meanwhile (a loaded
        # machine draws the view of a new action late, its options hidden)
        for attempt in range(3):
            self.idle()
            if not [element for element in self.browser.find_elements(By.XPATH, toggler)
                    if element.is_displayed()]:
                self.click(css=".o_searchview_more")
            try:
                self.find(xpath=toggler, timeout=15).click()
                self.find(xpath=link, timeout=15)
                break
            except (AssertionError, StaleElementReferenceException,
                    ElementClickInterceptedException):
                if attempt == 2:
                    raise
        self.click(xpath=link)
        self.find(xpath="//div[contains(@class, 'o_searchview_facet')][contains(., %s)]"
                        % xpath_string(label))
        self.idle()

    def switch_view(self, view_type):
        self.click(css=".o_cp_switch_buttons button[data-view-type='%s']" % view_type)
        self.idle()

    def tab(self, label):
        self.click(xpath="//ul[contains(@class, 'nav-tabs')]//a[normalize-space()='%s']" % label)
        return self.find(css=".o_form_view .tab-pane.active")

    def button(self, label, within="//div[contains(@class, 'o_form_view')]"):
        """Click a button by its label (Odoo 11 does not render a button's
        name), in the form by default: the header's, the sheet's."""
        return self.click(xpath="%s//button[normalize-space()=%s]" % (
            within, xpath_string(label)))

    def dialog_button(self, label):
        """Click a button of the dialog's footer (a wizard's)."""
        return self.button(label, within="//div[contains(@class, 'modal-footer')]")

    def dialog(self):
        """The form of the dialog on top (a wizard)."""
        return self.find(css=".modal .modal-dialog .o_form_view")

    def dialog_closed(self):
        self.wait(lambda: not self.find_all(".modal .modal-dialog"), "the dialog to close")
        self.idle()

    def warning(self, screenshot=None):
        """The text of the warning dialog the last step should show (a
        UserError of the server), closed with its button after an optional
        screenshot; a traceback dialog or the timeout fails."""
        deadline = time.time() + TIMEOUT
        dialog = ".modal .o_dialog_warning"
        while not self.find_all(dialog):
            if self.find_all(".modal .o_error_detail") or time.time() > deadline:
                self.screenshot("no-warning")
                raise AssertionError("%s: no warning dialog but: %s" % (
                    self.name, self.error_dialog()))
            time.sleep(0.2)
        text = self.find_all(dialog)[0].text
        if screenshot:
            self.screenshot(screenshot)
        # not self.click: it fails on the warning it closes
        self.browser.find_element(By.XPATH, "//div[contains(@class, 'modal')][.//*[contains("
                                  "@class, 'o_dialog_warning')]]//div[contains(@class, "
                                  "'modal-footer')]//button").click()
        self.wait(lambda: not self.find_all(dialog), "the warning to close")
        return text

    def notification(self, text):
        """The web client's notification (top right) that says ``text``,
        as it warns of invalid fields."""
        return self.find(xpath="//div[contains(@class, 'o_notification')][contains(., %s)]"
                               % xpath_string(text))

    def upload(self, field, path):
        """Put the file at ``path`` in the binary field ``field`` of the
        form (its hidden file input, shown for the browser to type in)."""
        selector = ".o_form_view .o_field_widget[name='%s'] input[type='file']" % field
        self.wait(lambda: self.browser.find_elements(By.CSS_SELECTOR, selector),
                  "the upload field %s" % field)
        element = self.browser.find_element(By.CSS_SELECTOR, selector)
        self.browser.execute_script(
            "for (var node = arguments[0]; node && node.tagName !== 'BODY';"
            "     node = node.parentElement) {"
            "  if (getComputedStyle(node).display === 'none') node.style.display = 'block';"
            "}", element)
        element.send_keys(str(path))
        self.idle()

    def screenshot(self, step):
        path = self.artifacts_dir / ("%s-%s.png" % (self.name, step))
        self.browser.save_screenshot(str(path))
        return path


def xpath_string(text):
    """``text`` as an XPath string literal."""
    if "'" not in text:
        return "'%s'" % text
    return "concat('%s')" % "', \"'\", '".join(text.split("'"))
