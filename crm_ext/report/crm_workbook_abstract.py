# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The abstract xlsx report every crm_ext workbook inherits (OCA report_xlsx)."""
import base64
import tempfile

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.addons.queue_job.job import job

from ..exceptions import WorkbookAccessError
from ..tools import clock, workbook as wb

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the records of the Print menu named in the Parameters sheet (above: a count)
PRINT_MENU_NAMES = 20
#: rows read by one statement (see CrmWorkbookAbstract._fetch_chunks)
CHUNK = 5000


class CrmWorkbookAbstract(models.AbstractModel):
    """A crm_ext workbook: streamed (xlsxwriter ``constant_memory``), its
    data sheets written by ``tools/workbook.py`` (frozen bold header,
    autofilter, typed cells in the company currency's format, SUBTOTAL
    totals, landscape one page wide), then a Parameters sheet.

    A workbook inherits this model (``_name = "report.crm_ext.<name>"``)
    and defines :meth:`_workbook_readers` (groups, comma-separated),
    :meth:`_workbook_filters` (its filters in words) and
    :meth:`_write_workbook` (its sheets); it lists itself in the wizard with
    ``crm.workbook.wizard._workbooks``."""

    _name = "report.crm_ext.workbook_abstract"
    _inherit = "report.report_xlsx.abstract"
    _description = "crm_ext Workbook"

    def get_workbook_options(self):
        """The options xlsxwriter opens the workbook with (report_xlsx calls
        this): ``constant_memory`` (one row of each sheet in memory, strings
        inline) on temporary files, so memory stays flat whatever the rows;
        only the zipped file ends in memory.

        :returns: a dict of xlsxwriter options.
        """
        return {"constant_memory": True, "in_memory": False,
                "tmpdir": tempfile.gettempdir(), "strings_to_numbers": False,
                "strings_to_formulas": False, "strings_to_urls": False}

    def generate_xlsx_report(self, workbook, data, objs):
        """Fill ``workbook`` (report_xlsx calls this from the report action
        ``ir.actions.report.render_xlsx``): the workbook's sheets, then its
        Parameters sheet.

        :param workbook: the xlsxwriter Workbook report_xlsx opened.
        :param data: the wizard's filters (a dict, see
            ``crm.workbook.wizard._report_data``) or None from the Print menu.
        :param objs: the records of the Print menu (may be empty).
        :returns: None (report_xlsx closes the workbook).
        :raises WorkbookAccessError: the user may not read the workbook's data.
        :raises UserError: ``workbook`` is not a workbook (a call over RPC).
        """
        self._check_workbook_access()
        if not isinstance(workbook, xlsxwriter.Workbook):
            raise UserError(_("A workbook is made from its Print menu or its wizard."))
        data = dict(data or {})
        company = self._workbook_company(data)
        formats = wb.Formats(workbook, self._workbook_currency(company))
        self._write_workbook(workbook, formats, data, objs, company)
        self._write_parameters(workbook, formats, data, objs, company)

    # hooks of each workbook

    @api.model
    def _workbook_readers(self):
        """The groups (xml ids, comma-separated) that may make the workbook:
        nobody here (the abstract workbook has no data).  Meant to be
        overridden by each workbook."""
        return ""

    @api.model
    def _workbook_filters(self, data, objs, company):
        """The filters of ``data`` and ``objs`` in words: a list of (label,
        text), for the Parameters sheet.  Meant to be overridden (the
        workbook's own filters come after the super's)."""
        return []

    @api.model
    def _workbook_size(self, data, objs, company):
        """The rows the workbook would hold (an int): above the company's
        ``workbook_background_rows`` the wizard makes it in the background.
        Meant to be overridden (one count, not the rows)."""
        return 0

    @api.model
    def _write_workbook(self, workbook, formats, data, objs, company):
        """Write the workbook's sheets (``tools/workbook.py``), top to
        bottom.  Meant to be overridden by each workbook."""
        raise NotImplementedError

    # the shared steps

    @api.model
    def _print_menu(self, data, objs):
        """Whether the workbook is of the records selected in its Print
        menu (``objs``), not of the wizard's filters (``data["wizard"]``)."""
        return bool(objs) and not data.get("wizard")

    @api.model
    def _fetch_chunks(self, query, ids, **params):
        """The rows (dicts) of ``query`` (SQL of tools/workbook_*_queries.py)
        for ``ids`` (a list of ints, its ``%(ids)s``) and ``params``: one
        statement per chunk of :data:`CHUNK` ids, yielded in their order
        (one chunk in memory)."""
        for start in range(0, len(ids), CHUNK):
            self.env.cr.execute(query, dict(params, ids=ids[start:start + CHUNK]))
            for row in self.env.cr.dictfetchall():
                yield row

    @api.model
    def _workbook_customer_domain(self, data, company, field):
        """The domain on ``field`` (the path of a commercial partner, e.g.
        ``"partner_id"``) of the customers of the filters of ``data``:
        their salesperson among ``user_ids``, their insight (in ``company``)
        in ``segment_ids`` and ``grades``.  Empty without those filters."""
        domain = []
        if data.get("user_ids"):
            domain.append(("%s.user_id" % field, "in", data["user_ids"]))
        insight = [("company_id", "=", company.id)]
        if data.get("segment_ids"):
            insight.append(("segment_id", "in", data["segment_ids"]))
        if data.get("grades"):
            insight.append(("grade", "in", data["grades"]))
        if len(insight) > 1:
            # the insight rows the user may read (its record rules), their
            # customers in one statement
            ids = self.env["crm.customer.insight"].search(insight).ids
            self.env.cr.execute("SELECT partner_id FROM crm_customer_insight WHERE id = ANY(%s)",
                                (ids,))
            domain.append((field, "in", [row[0] for row in self.env.cr.fetchall()]))
        return domain

    @job
    def _render_in_background(self, report_xmlid, data):
        """The job of a large workbook (queue_job, as the user who asked):
        render the report ``report_xmlid`` (an xml id) with ``data`` (the
        wizard's filters, see ``crm.workbook.wizard._report_data``), keep
        the file as an attachment of a message in the user's Discuss inbox.
        Returns the attachment's id."""
        report = self.env.ref(report_xmlid)
        content = report.render_xlsx(None, data)[0]
        partner = self.env.user.partner_id
        # the message and its file are the user's own: sudo() only after the
        # report rendered as the user (and refused if they may not read it)
        message = self.env["mail.message"].sudo().create({
            "message_type": "notification",
            "subject": _("Workbook ready: %s") % report.name,
            "body": _("<p>The workbook <b>%s</b> you asked for is ready: it is attached "
                      "to this message.</p>") % report.name,
            "author_id": partner.id,
            "partner_ids": [(4, partner.id)],
            "needaction_partner_ids": [(4, partner.id)],
        })
        now = fields.Datetime.context_timestamp(self, clock.now(self.env))
        attachment = self.env["ir.attachment"].sudo().create({
            "name": "%s %s.xlsx" % (report.name, now.strftime("%Y-%m-%d %H%M")),
            "datas_fname": "%s %s.xlsx" % (report.report_file or report.name,
                                           now.strftime("%Y-%m-%d %H%M")),
            "datas": base64.b64encode(content),
            "res_model": "mail.message",
            "res_id": message.id,
            "mimetype": XLSX_MIMETYPE,
        })
        message.write({"attachment_ids": [(4, attachment.id)]})
        return attachment.id

    @api.model
    def _check_workbook_access(self):
        readers = [group for group in self._workbook_readers().split(",") if group]
        if not self.env.user.has_group("base.group_user") or not any(
                self.env.user.has_group(group) for group in readers):
            raise WorkbookAccessError(self.env)

    @api.model
    def _workbook_company(self, data):
        """The company of ``data["company_id"]`` if the user is in it (read
        as superuser: its name and currency only), else the user's."""
        company_id = data.get("company_id")
        if isinstance(company_id, int) and company_id in self.env.user.company_ids.ids:
            # Odoo 11's rule on companies lets a user read only the current
            # company and its children: not another company the user is in,
            # whose name and currency the workbook shows
            return self.env["res.company"].sudo().browse(company_id)
        return self.env.user.company_id

    @api.model
    def _workbook_currency(self, company):
        currency = company.currency_id
        return wb.Currency(currency.symbol, currency.position, currency.decimal_places)

    @api.model
    def _workbook_footer(self):
        """The page footer (Excel codes: &C centre, &P page, &N pages)."""
        return _("&CPage &P of &N")

    @api.model
    def _selection_words(self, objs, count_text):
        """The records of the Print menu (``objs``) in words, for the
        Parameters sheet: their names, or above :data:`PRINT_MENU_NAMES`
        ``count_text`` (translated, with a ``%s`` for their number)."""
        if len(objs) > PRINT_MENU_NAMES:
            return count_text % len(objs)
        return ", ".join(objs.mapped("display_name"))

    @api.model
    def _filter_words(self, data, period_text, users_label):
        """The wizard's filters of ``data`` in words (see
        ``crm.workbook.wizard._report_data``): a list of (label, text) for
        the period (``period_text``, translated, with ``%(from)s`` and
        ``%(to)s``: what the period keeps), the segments, the value grades
        and the users (labelled ``users_label``), "All" for an empty one."""
        everything = _("All")
        period = everything
        if data.get("date_from") or data.get("date_to"):
            period = period_text % {"from": data.get("date_from") or "...",
                                    "to": data.get("date_to") or "..."}
        segments = self.env["crm.customer.segment"].browse(data.get("segment_ids") or [])
        grades = dict(self.env["crm.customer.insight"]._fields["grade"]._description_selection(
            self.env))
        users = self.env["res.users"].browse(data.get("user_ids") or [])
        return [
            (_("Period"), period),
            (_("Segments"), ", ".join(segments.mapped("name")) or everything),
            (_("Value grades"), ", ".join(grades.get(code, code)
                                          for code in data.get("grades") or []) or everything),
            (users_label, ", ".join(users.mapped("name")) or everything),
        ]

    @api.model
    def _write_parameters(self, workbook, formats, data, objs, company):
        now = fields.Datetime.context_timestamp(self, clock.now(self.env))
        lines = [(_("Company"), company.name),
                 (_("Currency"), company.currency_id.name)]
        lines += self._workbook_filters(data, objs, company)
        lines += [(_("User"), self.env.user.name),
                  (_("Generated at"), "%s (%s)" % (
                      now.strftime("%Y-%m-%d %H:%M:%S"), self.env.user.tz or "UTC"))]
        wb.write_parameters(workbook, formats, _("Parameters"), lines,
                            self._workbook_footer())
