"""Workbook benchmark: the Customer insight workbook of 100,000 customers
made through the report (report_xlsx, crm_ext's framework: typed cells,
totals, charts, Parameters sheet), against the same rows read by the same
SQL and written by bare xlsxwriter (constant_memory, one format per column
type, no totals, charts or parameters), in the same run (measured in turns,
ROUNDS times, the best time of each kept).

Prints ``bench xlsx: rows=… export_s=… raw_s=… ratio=… peak_mb=…``:
export_s/raw_s in seconds (ratio = export_s / raw_s, target <= 1.5),
peak_mb the peak growth of the resident memory while the report is made
(sampled every 10 ms, target <= 150).  The customers are the first --rows
commercial partners with insight figures in the main company (made with
bench_segmentation.py's data; when there are fewer, insight rows of
generated customers are added with SQL).
"""
import datetime
import io
import threading
import time

import psutil
import xlsxwriter

import odoo

import common

ROUNDS = 2
REPORT = "crm_ext.crm_customer_insight_workbook_report"


def generate(env, rows):
    """Insight rows for ``rows`` customers of the main company, copied from
    generated partners with SQL when there are fewer."""
    cr = env.cr
    company = env.user.company_id
    cr.execute("SELECT COUNT(*) FROM crm_customer_insight WHERE company_id = %s", (company.id,))
    missing = rows - cr.fetchone()[0]
    if missing <= 0:
        return
    template = env["res.partner"].create({"name": "Bench Xlsx Template", "customer": True,
                                          "is_company": True, "user_id": env.uid})
    common.copy_partners(env, template, missing, "Bench Xlsx Customer ")
    cr.execute("""
        INSERT INTO crm_customer_insight (
            partner_id, company_id, r_score, f_score, m_score, rfm_score, grade, abc_class,
            lifecycle_stage, last_invoice_date, net_invoiced, gross_margin_all, clv_run_rate,
            clv_retention, churn_risk, receivable_amount, overdue_amount, value_score)
        SELECT p.id, %(company)s, 1 + p.id %% 5, 1 + (p.id / 5) %% 5, 1 + (p.id / 25) %% 5,
               (1 + p.id %% 5)::text || (1 + (p.id / 5) %% 5)::text
                   || (1 + (p.id / 25) %% 5)::text,
               (ARRAY['strategic', 'key', 'general'])[1 + p.id %% 3],
               (ARRAY['A', 'B', 'C'])[1 + p.id %% 3],
               (ARRAY['new', 'active', 'growing', 'declining', 'lost'])[1 + p.id %% 5],
               CURRENT_DATE - (p.id %% 700), (p.id %% 9973) * 1.5 - 500, (p.id %% 997) * 0.4,
               (p.id %% 311) * 1.1, 0.6, p.id %% 101, (p.id %% 503) * 2.0, (p.id %% 101) * 1.0,
               p.id %% 100
          FROM res_partner p
         WHERE p.name LIKE 'Bench Xlsx Customer %%'
           AND NOT EXISTS (SELECT 1 FROM crm_customer_insight i
                            WHERE i.partner_id = p.id AND i.company_id = %(company)s)
    """, {"company": company.id})
    cr.execute("ANALYZE crm_customer_insight")
    cr.commit()


class PeakMemory(object):
    """The peak growth of this process's resident memory (MB) while the
    block runs, sampled every 10 ms."""

    def __init__(self):
        self.process = psutil.Process()
        self.peak_mb = 0.0
        self._stop = threading.Event()

    def _sample(self, before):
        while not self._stop.wait(0.01):
            grown = (self.process.memory_info().rss - before) / 1048576.0
            self.peak_mb = max(self.peak_mb, grown)

    def __enter__(self):
        before = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, args=(before,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def raw(env, workbook_model, partner_ids):
    """The same rows (the report's own search and SQL) written by bare
    xlsxwriter: the bytes of the file."""
    from odoo.addons.crm_ext.tools.workbook_insight_queries import INSIGHT_ROWS
    company = env.user.company_id
    ids = workbook_model._insight_ids({}, env["res.partner"].browse(partner_ids), company)
    columns = [column.key for column in workbook_model._insight_columns()]
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Customers")
    money = book.add_format({"num_format": "#,##0.00"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, key in enumerate(columns):
        sheet.write_string(0, col, key)
    row = 0
    for start in range(0, len(ids), 5000):
        env.cr.execute(INSIGHT_ROWS, {"ids": ids[start:start + 5000]})
        for values in env.cr.dictfetchall():
            row += 1
            for col, key in enumerate(columns):
                value = values.get(key)
                if value is None:
                    continue
                if key == "last_invoice_date":
                    # Odoo's cursor gives dates as 'YYYY-MM-DD'
                    sheet.write_datetime(row, col, datetime.date(
                        int(value[:4]), int(value[5:7]), int(value[8:10])), date)
                elif isinstance(value, str):
                    sheet.write_string(row, col, value)
                else:
                    sheet.write_number(row, col, value, money)
    book.close()
    return output.getvalue()


def main():
    parser = common.argument_parser()
    parser.add_argument("--rows", type=int, default=100000)
    args = parser.parse_args()
    common.configure(args)
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        generate(env, args.rows)
        company = env.user.company_id
        cr.execute("""SELECT partner_id FROM crm_customer_insight WHERE company_id = %s
                       ORDER BY partner_id LIMIT %s""", (company.id, args.rows))
        partner_ids = [partner_id for (partner_id,) in cr.fetchall()]
        report = env.ref(REPORT)
        workbook_model = env["report.%s" % report.report_name]
        exports, raws, peaks = [], [], []
        for _round in range(ROUNDS):
            with PeakMemory() as memory:
                start = time.perf_counter()
                report.render_xlsx(partner_ids, None)
                exports.append(time.perf_counter() - start)
            peaks.append(memory.peak_mb)
            start = time.perf_counter()
            raw(env, workbook_model, partner_ids)
            raws.append(time.perf_counter() - start)
        cr.rollback()
    export_s, raw_s = min(exports), min(raws)
    print("bench xlsx: rows=%d export_s=%.2f raw_s=%.2f ratio=%.2f peak_mb=%.1f" % (
        len(partner_ids), export_s, raw_s, export_s / raw_s, max(peaks)))


if __name__ == "__main__":
    main()
