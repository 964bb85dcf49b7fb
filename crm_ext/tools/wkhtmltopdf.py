# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the installed wkhtmltopdf can do, and the merge of the PDF documents
it printed one at a time.

Debian's and Ubuntu's ``wkhtmltopdf`` packages are built on an unpatched
Qt: they run headless, but take a single input document per run and ignore
``--header-html``/``--footer-html``.  Odoo 11 hands wkhtmltopdf one document
per record, so on such a build a report of several records comes out empty.
"""
import functools
import io
import subprocess

from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo.addons.base.ir.ir_actions_report import _get_wkhtmltopdf_bin


@functools.lru_cache(maxsize=1)
def patched_qt():
    """Whether the wkhtmltopdf Odoo runs is built on wkhtmltopdf's patched
    Qt (its ``--version`` says "with patched qt"): only such a build prints
    several documents in one run, with headers and footers.  False when
    there is no wkhtmltopdf.  Asked once per process."""
    try:
        process = subprocess.run([_get_wkhtmltopdf_bin(), "--version"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except (OSError, IOError):
        return False
    return b"patched qt" in process.stdout.lower()


def merge(pdfs):
    """One PDF document (bytes) holding the pages of ``pdfs`` (a list of
    PDF documents as bytes), in their order."""
    writer = PdfFileWriter()
    for pdf in pdfs:
        writer.appendPagesFromReader(PdfFileReader(io.BytesIO(pdf)))
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()
