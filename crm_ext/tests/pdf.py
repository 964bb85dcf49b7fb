"""Reports printed in tests as the web client prints them: QWeb HTML, then
wkhtmltopdf (Odoo's test mode otherwise stops at the HTML), and their text.
No test here: test_report_pdf.py and test_customer_statement.py use it."""
import shutil
import subprocess
import tempfile
from unittest import mock

import lxml.html

from odoo.tools import config


def use_no_assets_server(env):
    """Fetch the report assets from a closed port: it answers at once,
    whatever listens on the machine's 8069 (the text prints alike)."""
    env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")


def wkhtmltopdf_missing(env):
    """The reason to skip a PDF test, or None when wkhtmltopdf is there."""
    if env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
        return "wkhtmltopdf is not installed (scripts/setup.sh installs it)"
    return None


def render_pdf(report, records, data=None):
    """The PDF (bytes) of ``report`` (ir.actions.report, as the user who
    prints) for ``records``; ``data``: the report's options."""
    # a report directory lifts the test mode's HTML-only shortcut
    with tempfile.TemporaryDirectory() as directory, \
            mock.patch.dict(config.options, {"test_report_directory": directory}):
        pdf, kind = report.render_qweb_pdf(records.ids, data=data)
    if kind != "pdf":
        raise AssertionError("the report printed %s, not a PDF" % kind)
    return pdf


def render_text(report, records, data=None):
    """The text of the printed report, on one line: the PDF's (pdftotext),
    or the HTML wkhtmltopdf receives when poppler-utils is not installed."""
    pdf = render_pdf(report, records, data=data)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                              stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    else:
        html = report.render_qweb_html(records.ids, data=data)[0]
        text = lxml.html.fromstring(html).text_content()
    return " ".join(text.split())


def print_menu(env, model):
    """The ids of the reports in the Print menu of ``model`` for the user
    of ``env``."""
    bindings = env["ir.actions.actions"].get_bindings(model)
    return [action["id"] for action in bindings.get("report", [])]
