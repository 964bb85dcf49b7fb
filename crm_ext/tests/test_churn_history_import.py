"""The purchase history import (issue 14): a CSV of past purchases becomes
customers and posted customer invoices, in queue_job jobs run here one
after the other as the job runner would (``Job.perform``); a malformed file
is refused whole, with its line numbers; a stopped import resumes."""
import base64

from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from .common import InsightCase

HEADER = "ref,name,date,amount,product\n"
GOOD = (HEADER
        + "C-001,Ada Retail,2025-01-10,120.50,\n"
        + "C-002,Bell Foods,2025-02-01,80,HIST-WIDGET\n"
        + "C-001,Ada Retail,2025-03-15,99.5,\n"
        + "C-003,Cole Labs,2025-04-20,0,\n"
        + "C-002,Bell Foods,2025-05-02,300,\n")


@common.at_install(False)
@common.post_install(True)
class TestChurnHistoryImport(InsightCase):

    @classmethod
    def setUpClass(cls):
        super(TestChurnHistoryImport, cls).setUpClass()
        cls.import_model = cls.env["crm.churn.history.import"]
        cls.manager = cls._user("history_manager", "sales_team.group_sale_manager")
        cls.salesman = cls._user("history_salesman", "sales_team.group_sale_salesman")
        cls.company_b = cls.env["res.company"].create({"name": "History Import B"})
        cls.manager_b = cls._user("history_manager_b", "sales_team.group_sale_manager",
                                  company=cls.company_b)
        # an existing customer, found by its reference
        cls.ada = cls._customer("Ada Retail (in Odoo)", ref="C-001")
        # a journal of a committed import (tests/test_import_history_command.py
        # run before on this database) is not this class's
        cls.company.history_import_journal_id = False
        cls.widget = cls.env["product.product"].create({
            "name": "History Widget", "default_code": "HIST-WIDGET", "type": "consu"})

    @classmethod
    def _user(cls, login, group, company=None):
        company = company or cls.company
        return cls.env["res.users"].create({
            "name": login, "login": login, "email": "%s@example.com" % login,
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [cls.env.ref(group).id])]})

    def _run(self, text, user=None, name="history.csv", chunk_rows=500):
        """An import of ``text`` made and started by ``user``."""
        run = self.import_model.sudo(user or self.manager).create({
            "name": name, "data": base64.b64encode(text.encode("utf-8")),
            "chunk_rows": chunk_rows})
        run.action_start()
        return run

    def _jobs(self, run):
        return self.env["queue.job"].search([
            ("model_name", "=", "crm.churn.history.import"), ("state", "=", "pending")],
            order="id").filtered(lambda job: job.record_ids == run.ids)

    def _perform_jobs(self, run, limit=None):
        """Run the pending jobs of ``run`` as the job runner does, the jobs
        they queue included; ``limit``: stop after so many."""
        performed = 0
        while limit is None or performed < limit:
            records = self._jobs(run)
            if not records:
                break
            job = Job.load(self.env, records[0].uuid)
            job.set_started()
            job.perform()
            job.set_done()
            job.store()
            performed += 1
        return performed

    def _invoices(self, run):
        return self.env["account.invoice"].search(
            [("history_import_id", "=", run.id)], order="history_import_line")

    def _partners(self, *refs):
        return self.env["res.partner"].search([("ref", "in", refs)])

    # refusals

    def test_malformed_rows_refused_with_their_line_numbers(self):
        run = self._run(HEADER
                        + "C-101,Dora,2025-01-10,10,\n"
                        + "C-102,Eve,10/01/2025,10,\n"
                        + ",Fay,2025-01-10,10,\n"
                        + "C-104,Gus,2025-01-10,-5,\n"
                        + "C-105,Hal,2025-01-10,12,NO-SUCH-PRODUCT\n"
                        + "C-106,Ivy,2025-01-10\n"
                        + "C-107,Jon,2999-01-01,10,\n"
                        + "C-108,,2025-01-10,abc,\n")
        self.assertEqual(run.state, "refused")
        lines = run.refusals.splitlines()
        self.assertIn("7 row(s)", lines[0])
        self.assertEqual([line.split(":")[0] for line in lines[1:]],
                         ["Line %s" % number for number in range(3, 10)])
        self.assertIn("'10/01/2025' is not a date", lines[1])
        self.assertIn("no customer reference", lines[2])
        self.assertIn("'-5' is not an amount", lines[3])
        self.assertIn("no product 'NO-SUCH-PRODUCT'", lines[4])
        self.assertIn("3 fields", lines[5])
        self.assertIn("2999-01-01 is in the future", lines[6])
        self.assertIn("no customer name", lines[7])

    def test_refused_file_writes_nothing(self):
        partners = self.env["res.partner"].search_count([])
        invoices = self.env["account.invoice"].search_count([])
        run = self._run(GOOD + "C-009,Zed,2025-13-01,10,\n")
        self.assertEqual(run.state, "refused")
        self.assertIn("Line 7:", run.refusals)
        self.assertFalse(self._jobs(run))
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.env["account.invoice"].search_count([]), invoices)

    def test_header_without_a_column_refused(self):
        run = self._run("ref,name,date\nC-001,Ada,2025-01-10\n")
        self.assertEqual(run.state, "refused")
        self.assertIn("Line 1: the header has no amount column.", run.refusals)

    def test_file_not_utf8_refused(self):
        run = self.import_model.sudo(self.manager).create({
            "name": "latin1.csv",
            "data": base64.b64encode((HEADER + "C-1,Zoë,2025-01-10,1,\n").encode("latin-1"))})
        run.action_start()
        self.assertEqual(run.state, "refused")
        self.assertIn("not UTF-8", run.refusals)

    def test_corrected_file_imported(self):
        run = self._run(HEADER + "C-201,Kim,2025-01-10,1O,\n")
        self.assertEqual(run.state, "refused")
        run.write({"data": base64.b64encode((HEADER + "C-201,Kim,2025-01-10,10,\n").encode())})
        run.action_start()
        self.assertEqual(run.state, "running")
        self.assertFalse(run.refusals)

    # the import

    def test_file_imported_as_posted_customer_invoices(self):
        run = self._run(GOOD)
        self.assertEqual((run.state, run.row_count, run.done_count), ("running", 5, 0))
        # the customers, the one chunk of rows, the finish
        self.assertEqual(self._perform_jobs(run), 3)
        invoices = self._invoices(run)
        self.assertEqual(invoices.mapped("history_import_line"), [2, 3, 4, 5, 6])
        self.assertLessEqual(set(invoices.mapped("state")), {"open", "paid"})
        self.assertEqual(set(invoices.mapped("type")), {"out_invoice"})
        self.assertEqual([(invoice.date_invoice, invoice.amount_total) for invoice in invoices],
                         [("2025-01-10", 120.5), ("2025-02-01", 80.0), ("2025-03-15", 99.5),
                          ("2025-04-20", 0.0), ("2025-05-02", 300.0)])
        self.assertTrue(all(invoice.move_id.state == "posted" for invoice in invoices))
        self.assertEqual((run.state, run.done_count, run.progress), ("done", 5, 100.0))

    def test_customers_found_by_reference_or_created(self):
        run = self._run(GOOD)
        self._perform_jobs(run)
        invoices = self._invoices(run)
        self.assertEqual(invoices[0].partner_id, self.ada)
        self.assertEqual(invoices[2].partner_id, self.ada)
        bell = self._partners("C-002")
        self.assertEqual((len(bell), bell.name, bell.customer, bell.company_id),
                         (1, "Bell Foods", True, self.company))
        self.assertEqual(invoices[1].partner_id | invoices[4].partner_id, bell)

    def test_rows_invoiced_as_their_product_else_the_default_one(self):
        run = self._run(GOOD)
        self._perform_jobs(run)
        products = [invoice.invoice_line_ids.product_id for invoice in self._invoices(run)]
        default = self.env.ref("crm_ext.crm_churn_history_import_product")
        self.assertEqual(products, [default, self.widget, default, default, default])
        self.assertFalse(self._invoices(run).mapped("invoice_line_ids.invoice_line_tax_ids"))

    def test_customer_insight_computed_at_the_end(self):
        run = self._run(GOOD)
        self._perform_jobs(run)
        insight = self._insight(self.ada)
        self.assertEqual((insight.invoice_count_all, insight.net_invoiced_all), (2, 220.0))
        self.assertEqual(insight.last_invoice_date, "2025-03-15")

    def test_start_twice_queues_one_import(self):
        run = self._run(GOOD)
        run.action_start()
        self.assertEqual(len(self._jobs(run)), 1)

    # resuming

    def test_job_run_again_imports_nothing_twice(self):
        run = self._run(GOOD).sudo()
        run._import_chunk(0, finish=False)
        run._import_chunk(0, finish=False)
        self.assertEqual(len(self._invoices(run)), 5)

    def test_stopped_import_resumes_where_it_stopped(self):
        run = self._run(GOOD, chunk_rows=2)
        # the start, then the first of three chunks
        self.assertEqual(self._perform_jobs(run, limit=2), 2)
        # the other jobs lost (the server stopped, say)
        self._jobs(run).unlink()
        self.assertEqual((run.state, run.done_count, run.progress), ("running", 2, 40.0))
        run.sudo(self.manager).action_resume()
        # the start, the two chunks left, a finish after each
        self.assertEqual(self._perform_jobs(run), 5)
        self.assertEqual(self._invoices(run).mapped("history_import_line"), [2, 3, 4, 5, 6])
        self.assertEqual(run.state, "done")

    def test_resume_of_a_finished_import_does_nothing(self):
        run = self._run(GOOD)
        self._perform_jobs(run)
        run.sudo(self.manager).action_resume()
        self.assertFalse(self._jobs(run))

    def test_import_all_at_once_for_the_command(self):
        run = self.import_model.create({
            "name": "command.csv", "data": base64.b64encode(GOOD.encode())})
        self.assertEqual(len(run._import_all()), 5)
        self.assertEqual((run.state, len(self._invoices(run))), ("done", 5))

    def test_command_imports_the_chunks_its_own_way(self):
        run = self.import_model.create({
            "name": "command.csv", "data": base64.b64encode(GOOD.encode()), "chunk_rows": 2})
        starts = []

        def import_chunks(chunk_starts):
            # the numbering is made before the chunks, the customers by them
            self.assertTrue(self.company.history_import_journal_id)
            self.assertFalse(self._partners("C-002", "C-003"))
            starts.extend(chunk_starts)
            for start in chunk_starts:
                self.assertEqual(run._import_rows_from(start), min(2, 5 - start))
        run._import_all(import_chunks=import_chunks)
        self.assertEqual(starts, [0, 2, 4])
        self.assertEqual((run.state, len(self._invoices(run))), ("done", 5))
        self.assertFalse(self._jobs(run))

    def test_numbering_of_each_year_made_before_the_chunks(self):
        run = self._run(HEADER + "C-301,Old,1996-05-01,10,\nC-301,Old,2025-06-01,10,\n")
        run.sudo()._import_start()
        sequence = self.company.history_import_journal_id.sequence_id
        years = sequence.date_range_ids.mapped(lambda day_range: day_range.date_from[:4])
        self.assertIn("1996", years)
        self.assertFalse(self._invoices(run))

    # the books

    def test_invoices_in_a_history_journal_numbered_without_a_lock(self):
        run = self._run(GOOD)
        self._perform_jobs(run)
        journal = self.company.history_import_journal_id
        self.assertEqual(journal.type, "sale")
        self.assertTrue(journal.code.startswith("HIST"))
        # PostgreSQL's sequence, not the row lock of Odoo's gapless numbering
        self.assertEqual(journal.sequence_id.implementation, "standard")
        self.assertEqual(self._invoices(run).mapped("journal_id"), journal)
        self.assertTrue(all(number.startswith(journal.code + "/")
                            for number in self._invoices(run).mapped("number")))

    def test_journal_made_once_with_a_free_code(self):
        journals = self.env["account.journal"]
        if not journals.search([("code", "=", "HIST"), ("company_id", "=", self.company.id)]):
            journals.create({"name": "Hist Something", "code": "HIST", "type": "general",
                             "company_id": self.company.id})
        taken = journals.search([("company_id", "=", self.company.id)]).mapped("code")
        first = self._run(GOOD)
        self._perform_jobs(first)
        second = self._run(GOOD.replace("C-00", "D-00"), name="more.csv")
        self._perform_jobs(second)
        journal = self.company.history_import_journal_id
        self.assertNotIn(journal.code, taken)
        self.assertRegex(journal.code, "^HIST[0-9]+$")
        self.assertEqual((self._invoices(first) | self._invoices(second)).mapped("journal_id"),
                         journal)

    def test_imported_invoices_paid_and_the_books_unchanged(self):
        receivable = self.ada.property_account_receivable_id

        def receivable_balance():
            return sum(self.env["account.move.line"].search(
                [("account_id", "=", receivable.id)]).mapped("balance"))
        before = receivable_balance()
        run = self._run(GOOD)
        self._perform_jobs(run)
        invoices = self._invoices(run)
        self.assertEqual(set(invoices.mapped("state")), {"paid"})
        self.assertEqual(sum(invoices.mapped("residual")), 0.0)
        # both sides on the clearing account, which cannot be reconciled
        clearing = self.company.history_import_journal_id.default_debit_account_id
        self.assertFalse(clearing.reconcile)
        self.assertEqual(clearing.internal_type, "other")
        lines = invoices.mapped("move_id.line_ids")
        self.assertEqual(lines.mapped("account_id"), clearing)
        self.assertAlmostEqual(sum(lines.mapped("balance")), 0.0)
        self.assertAlmostEqual(sum(lines.mapped("debit")), 120.5 + 80 + 99.5 + 300)
        # no receivable, nothing overdue on the customers
        self.assertAlmostEqual(receivable_balance(), before)
        insight = self.env["crm.customer.insight"].search(
            [("partner_id", "in", self._partners("C-001", "C-002").ids)])
        self.assertEqual(insight.mapped("overdue_amount"), [0.0, 0.0])
        self.assertEqual(insight.mapped("receivable_amount"), [0.0, 0.0])

    def test_clearing_account_takes_a_free_code(self):
        accounts = self.env["account.account"]
        if not accounts.search([("code", "=", "999999"), ("company_id", "=", self.company.id)]):
            accounts.create({
                "code": "999999", "name": "Taken", "company_id": self.company.id,
                "user_type_id": self.env.ref("account.data_account_type_current_assets").id})
        taken = set(accounts.search([("company_id", "=", self.company.id)]).mapped("code"))
        run = self._run(GOOD)
        self._perform_jobs(run)
        clearing = self.company.history_import_journal_id.default_debit_account_id
        # the first free code counting down from 999999
        self.assertEqual(clearing.code, str(max(number for number in range(999990, 999999)
                                                if str(number) not in taken)))

    def test_chunks_keep_each_customer_whole(self):
        text = HEADER + "".join("E-%d,E,2025-01-%02d,10,\n" % (customer, day)
                                for customer, day in ((1, 1), (1, 2), (1, 3), (2, 1), (3, 1),
                                                      (3, 2)))
        run = self._run(text, chunk_rows=2).sudo()
        rows = run._rows()[0]
        # E-1's three rows; then E-2's one and E-3's two (E-3 kept whole)
        self.assertEqual(run._chunks(rows), [(0, 3), (3, 6)])
        self.assertEqual(run._missing_starts(rows), [0, 3])
        self.assertEqual(run._import_rows_from(3), 3)
        self.assertEqual(run._missing_starts(rows), [0])

    def test_rows_imported_customer_by_customer(self):
        run = self._run(GOOD, chunk_rows=2)
        self._perform_jobs(run, limit=2)
        # the first chunk: both purchases of C-001 (lines 2 and 4)
        self.assertEqual(self._invoices(run).mapped("history_import_line"), [2, 4])

    # access

    def test_salesperson_cannot_start_an_import(self):
        run = self.import_model.create({
            "name": "history.csv", "data": base64.b64encode(GOOD.encode())})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            run.sudo(self.salesman).action_start()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            run.sudo(self.salesman).read(["state"])
        self.assertEqual(run.state, "draft")

    def test_other_company_manager_cannot_start_or_resume(self):
        run = self.import_model.create({
            "name": "history.csv", "data": base64.b64encode(GOOD.encode())})
        for action in ("action_start", "action_resume"):
            with self.assertRaises(AccessError), \
                    mute_logger("odoo.models", "odoo.addons.base.ir.ir_rule"):
                getattr(run.sudo(self.manager_b), action)()
        self.assertEqual(run.state, "draft")
        self.assertNotIn(run, self.import_model.sudo(self.manager_b).search([]))
