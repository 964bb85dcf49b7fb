import importlib.util
import os

from odoo.tests import common

from ..tools.vanished_models import remove_vanished_models
from .common import InsightCase
from .test_complaint_common import ComplaintCase
from .test_loyalty_common import LoyaltyCase


def _migration(version, step):
    """The ``step`` (pre or post) migration module of ``version`` (its
    folder name has dots)."""
    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", version,
                        "%s-migration.py" % step)
    spec = importlib.util.spec_from_file_location("crm_ext_%s_migration" % step, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@common.at_install(False)
@common.post_install(True)
class TestMigration11020(LoyaltyCase):
    """11.0.2.0.0: the crons call private entry points, tier changes carry
    their company."""

    def test_migration_rewrites_the_code_of_old_crons(self):
        cron = self.env.ref("crm_ext.ir_cron_loyalty_daily")
        cron.code = "model.run_daily()"
        changed = self.env.ref("crm_ext.ir_cron_customer_insight")
        changed.code = "model.recompute_all()\nmodel.env['res.partner']"
        _migration("11.0.2.0.0", "post").migrate(self.env.cr, "11.0.1.0.0")
        cron.invalidate_cache()
        self.assertEqual(cron.code, "model._cron_run_daily()")
        # what an administrator wrote stays
        self.assertEqual(changed.code, "model.recompute_all()\nmodel.env['res.partner']")

    def test_pre_migration_gives_tier_changes_their_company(self):
        member = self._enrol(self._customer("Migrated Member"))
        history = member.tier_history_ids
        self.assertTrue(history)
        self.env.cr.execute("UPDATE crm_loyalty_tier_history SET company_id = NULL "
                            "WHERE id IN %s", (tuple(history.ids),))
        _migration("11.0.2.0.0", "pre").migrate(self.env.cr, "11.0.1.0.0")
        history.invalidate_cache()
        self.assertEqual(history.mapped("company_id"), self.company)


@common.at_install(False)
@common.post_install(True)
class TestMigration11030(ComplaintCase):
    """11.0.3.0.0: a stage is closed by its kind (issue 12, item 8)."""

    def test_12_8_migration_closes_the_stages_of_a_closed_kind(self):
        done = self.env["crm.complaint.stage"].create(
            {"name": "Done", "sequence": 90, "stage_kind": "closed"})
        complaint = self._complaint("2026-01-05 10:00")
        self._move(complaint, self.stage_ack, "2026-01-05 11:00")
        self._move(complaint, done, "2026-01-06 12:00",
                   resolution_type="explanation", resolution="Explained.")
        # as before: the flag unticked, the complaint without closing date
        # and with the status the job wrote for an open complaint
        self.env.cr.execute("UPDATE crm_complaint_stage SET is_closed = FALSE WHERE id = %s",
                            (done.id,))
        self.env.cr.execute("UPDATE crm_complaint SET is_closed = FALSE, date_closed = NULL, "
                            "sla_status = 'breached' WHERE id = %s", (complaint.id,))
        complaint.invalidate_cache()
        _migration("11.0.3.0.0", "post").migrate(self.env.cr, "11.0.2.0.0")
        complaint.invalidate_cache()
        self.assertTrue(done.is_closed)
        self.assertTrue(complaint.is_closed)
        self.assertMoment(complaint.date_closed, "2026-01-06 12:00")
        self.assertEqual(complaint.sla_status, "met")


@common.at_install(False)
@common.post_install(True)
class TestMigration11040(InsightCase):
    """11.0.4.0.0: the invoices validated before their insight figures
    existed get them, and their customers' figures stay the same."""

    def test_migration_fills_the_figures_the_invoices_lack(self):
        buyer = self._customer("Migrated Buyer")
        invoices = (self._invoice(buyer, "2026-05-01", quantity=4, price=100.0, discount=25.0)
                    | self._invoice(buyer, "2026-05-20", quantity=1, price=75.0,
                                    invoice_type="out_refund"))
        self._recompute()
        columns = ["net_invoiced", "gross_margin", "discount_amount", "value_score", "grade",
                   "rfm_score", "lifecycle_stage"]
        insight = self._insight(buyer)
        figures = insight.read(columns)
        # as a database of 11.0.1.0.0 has them: the columns, without values
        self.env.cr.execute("UPDATE account_invoice SET insight_net_signed = NULL, "
                            "insight_cost_signed = NULL, insight_discount_signed = NULL "
                            "WHERE id IN %s", (tuple(invoices.ids),))
        _migration("11.0.4.0.0", "post").migrate(self.env.cr, "11.0.1.0.0")
        invoices.invalidate_cache()
        self.assertEqual(invoices.mapped("insight_cost_signed"), [240.0, -60.0])
        self.assertEqual(invoices.mapped("insight_discount_signed"), [100.0, 0.0])
        self._recompute()
        insight.invalidate_cache()
        self.assertEqual(insight.read(columns), figures)


@common.at_install(False)
@common.post_install(True)
class TestMigration11070(common.TransactionCase):
    """11.0.7.0.0: the demo's points journal numbered without the gapless
    row lock; a journal the administrator chose is left as it is."""

    def test_the_demo_points_journal_gets_a_postgresql_sequence(self):
        sequence = self.env.ref("crm_ext.crm_loyalty_journal_demo").sequence_id
        sequence.write({"implementation": "no_gap"})
        _migration("11.0.7.0.0", "post").migrate(self.env.cr, "11.0.6.0.0")
        self.assertEqual(sequence.implementation, "standard")
        # the ORM made its PostgreSQL sequences: the journal still numbers
        self.env.cr.execute("SELECT COUNT(*) FROM pg_class WHERE relkind = 'S' "
                            "AND relname = %s", ("ir_sequence_%03d" % sequence.id,))
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        first, second = sequence._next(), sequence._next()
        self.assertNotEqual(first, second)

    def test_a_journal_the_administrator_chose_is_not_touched(self):
        program = self.env.ref("crm_ext.crm_loyalty_program_demo")
        chosen = self.env["account.journal"].create({
            "name": "Chosen Points Journal", "code": "CPJ", "type": "general",
            "company_id": program.company_id.id})
        program.journal_id = chosen
        _migration("11.0.7.0.0", "post").migrate(self.env.cr, "11.0.6.0.0")
        self.assertEqual(chosen.sequence_id.implementation, "no_gap")

    def test_models_dropped_from_the_code_leave_nothing(self):
        # what Odoo 11's upgrade keeps of a model a version dropped: its
        # ir.model row (with crm_ext's external id), a field, a constraint,
        # a many2many, its table and an attachment of one of its records
        cr = self.env.cr
        cr.execute("""
            INSERT INTO ir_model (model, name, state, transient)
            VALUES ('crm.dropped.wizard', 'Dropped Wizard', 'base', TRUE) RETURNING id
        """)
        model_id = cr.fetchone()[0]
        cr.execute("""
            INSERT INTO ir_model_data (module, name, model, res_id)
            VALUES ('crm_ext', 'model_crm_dropped_wizard', 'ir.model', %s)
        """, (model_id,))
        cr.execute("""
            INSERT INTO ir_model_fields (model_id, model, name, field_description, ttype,
                                         state, store)
            VALUES (%s, 'crm.dropped.wizard', 'note', 'Note', 'char', 'base', TRUE)
            RETURNING id
        """, (model_id,))
        field_id = cr.fetchone()[0]
        cr.execute("""
            INSERT INTO ir_model_data (module, name, model, res_id)
            VALUES ('crm_ext', 'field_crm_dropped_wizard_note', 'ir.model.fields', %s)
        """, (field_id,))
        module_id = self.env["ir.module.module"].search([("name", "=", "crm_ext")]).id
        cr.execute("""
            INSERT INTO ir_model_constraint (name, model, module, type)
            VALUES ('crm_dropped_wizard_note_fkey', %s, %s, 'f');
            INSERT INTO ir_model_relation (name, model, module)
            VALUES ('crm_complaint_crm_dropped_wizard_rel', %s, %s);
            CREATE TABLE crm_dropped_wizard (id serial PRIMARY KEY, note varchar);
            CREATE TABLE crm_complaint_crm_dropped_wizard_rel (
                crm_dropped_wizard_id int REFERENCES crm_dropped_wizard(id),
                crm_complaint_id int REFERENCES crm_complaint(id));
        """, (model_id, module_id, model_id, module_id))
        # (by SQL: the ORM checks the rights on the records of its model)
        cr.execute("""
            INSERT INTO ir_attachment (name, datas_fname, res_model, res_id, type, db_datas)
            VALUES ('dropped.txt', 'dropped.txt', 'crm.dropped.wizard', 1, 'binary', 'dropped')
            RETURNING id
        """)
        attachment = self.env["ir.attachment"].browse(cr.fetchone()[0])
        complaint_model = self.env["ir.model"]._get("crm.complaint")
        complaint_fields = len(complaint_model.field_id)

        _migration("11.0.7.0.0", "post").migrate(cr, "11.0.6.0.0")

        cr.execute("SELECT COUNT(*) FROM ir_model WHERE model = 'crm.dropped.wizard'")
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("SELECT COUNT(*) FROM ir_model_fields WHERE model = 'crm.dropped.wizard'")
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("""SELECT COUNT(*) FROM ir_model_data
                       WHERE name IN ('model_crm_dropped_wizard', 'field_crm_dropped_wizard_note')""")
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("""SELECT COUNT(*) FROM ir_model_constraint
                       WHERE name = 'crm_dropped_wizard_note_fkey'""")
        self.assertEqual(cr.fetchone()[0], 0)
        cr.execute("""SELECT relname FROM pg_class WHERE relname IN
                      ('crm_dropped_wizard', 'crm_complaint_crm_dropped_wizard_rel')""")
        self.assertEqual(cr.fetchall(), [])
        self.assertFalse(attachment.exists())
        # the models crm_ext defines stay, with their fields and tables
        complaint_model.invalidate_cache()
        self.assertEqual(len(complaint_model.field_id), complaint_fields)
        self.assertTrue(self.env["crm.complaint"].search([], limit=1))
        self.assertEqual(
            remove_vanished_models(self.env, "crm_ext"), [], "run again, it removes nothing")
