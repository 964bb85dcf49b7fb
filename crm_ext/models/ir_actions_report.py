# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The PDF printing of every report with the wkhtmltopdf Debian ships."""
from odoo import api, models

from ..tools import wkhtmltopdf


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, header=None, footer=None, landscape=False,
                         specific_paperformat_args=None, set_viewport_size=False):
        """As Odoo's, also with a wkhtmltopdf built on an unpatched Qt
        (Debian's ``wkhtmltopdf`` package): that build takes one document
        per run, so each body (one per record) is printed on its own and
        the documents are merged in order (``tools/wkhtmltopdf.py``).

        :param bodies: the HTML documents (bytes), one per record
        :returns: the PDF document (bytes)
        """
        run = super(IrActionsReport, self)._run_wkhtmltopdf
        if len(bodies) < 2 or wkhtmltopdf.patched_qt():
            return run(bodies, header=header, footer=footer, landscape=landscape,
                       specific_paperformat_args=specific_paperformat_args,
                       set_viewport_size=set_viewport_size)
        return wkhtmltopdf.merge([
            run([body], header=header, footer=footer, landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size)
            for body in bodies])
