"""scripts/import-history.sh: a CSV of past purchases imported into the test
database by worker processes side by side, committed chunk by chunk; the
same file again imports nothing; a malformed file is refused with its line
numbers and imports nothing."""
import os
import pathlib
import subprocess
import sys
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# four customers of three purchases each, the customers' rows mixed as an
# old system exports them
ROWS = ["CMD-%d,Command Customer %d,1990-0%d-1%d,%d.50" % (customer, customer, month, customer,
                                                          10 * customer + month)
        for month in (1, 2, 3) for customer in (1, 2, 3, 4)]


# a company of its own, with Odoo's generic chart of accounts: what the
# command commits stays out of the demo company the other tests read
COMPANY = """
import odoo, sys
odoo.tools.config.parse_config(['-c', sys.argv[1]])
with odoo.api.Environment.manage(), odoo.registry(sys.argv[2]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    company = env['res.company'].search([('name', '=', 'History Command Test')])
    if not company:
        company = env['res.company'].create({'name': 'History Command Test',
                                             'currency_id': env.ref('base.USD').id})
        user, home = env.user, env.user.company_id
        user.write({'company_ids': [(4, company.id)], 'company_id': company.id})
        env.ref('l10n_generic_coa.configurable_chart_template') \\
            .try_loading_for_current_company()
        user.company_id = home
    cr.commit()
    print(company.id)
"""


@pytest.fixture(scope="module")
def company():
    """The id of the company the command imports into."""
    conf, db = os.environ.get("ODOO_TEST_CONF"), os.environ.get("ODOO_TEST_DB")
    if not conf:
        pytest.skip("ODOO_TEST_CONF and ODOO_TEST_DB are set by 'make test'")
    made = subprocess.run([sys.executable, "-c", COMPANY, conf, db], stdout=subprocess.PIPE,
                          check=True, universal_newlines=True, timeout=600)
    return made.stdout.split()[-1]


@pytest.fixture
def command(tmp_path, company):
    conf, db = os.environ["ODOO_TEST_CONF"], os.environ["ODOO_TEST_DB"]

    def run(name, lines, *options):
        path = tmp_path / name
        path.write_text("ref,name,date,amount\n" + "".join(line + "\n" for line in lines))
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "import_history.py"), "-c", conf, "-d", db,
             "--company", company] + list(options) + [str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
            timeout=600)

    def query(sql):
        check = subprocess.run(
            [sys.executable, "-c", (
                "import odoo, sys\n"
                "odoo.tools.config.parse_config(['-c', sys.argv[1]])\n"
                "with odoo.registry(sys.argv[2]).cursor() as cr:\n"
                "    cr.execute(sys.argv[3], {'company': int(sys.argv[4])})\n"
                "    print(repr(cr.fetchall()))\n"), conf, db, sql, company],
            stdout=subprocess.PIPE, check=True, universal_newlines=True)
        return eval(check.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr)

    return run, query


def test_imported_side_by_side_once(command):
    run, query = command
    # a name of its own: a run of the tests again on the same database
    # imports anew (the customers, found by reference, are not made twice)
    name = "command-history-%s.csv" % uuid.uuid4().hex[:8]
    result = run(name, ROWS, "--jobs", "2", "--chunk-rows", "3")
    assert result.returncode == 0, result.stderr
    assert "12 purchases imported" in result.stdout
    # four chunks (one customer each), two workers: every row once, each
    # customer made once, every invoice posted in the history journal, paid
    assert query("SELECT ref, COUNT(*) FROM res_partner WHERE ref LIKE 'CMD-%%' "
                 "AND company_id = %(company)s GROUP BY ref ORDER BY ref") \
        == [("CMD-%d" % n, 1) for n in (1, 2, 3, 4)]
    invoices = query(
        "SELECT inv.state, journal.code, COUNT(*), SUM(inv.amount_total) "
        "FROM account_invoice inv JOIN account_journal journal ON journal.id = inv.journal_id "
        "JOIN crm_churn_history_import run ON run.id = inv.history_import_id "
        "WHERE run.name = '%s' GROUP BY 1, 2" % name)
    assert invoices == [("paid", "HIST", 12, sum(10 * c + m + 0.5 for m in (1, 2, 3)
                                                   for c in (1, 2, 3, 4)))]
    assert query("SELECT state FROM crm_churn_history_import "
                 "WHERE name = '%s'" % name) == [("done",)]

    again = run(name, ROWS, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert "already imported" in again.stdout
    assert query("SELECT COUNT(*) FROM account_invoice inv "
                 "JOIN crm_churn_history_import run ON run.id = inv.history_import_id "
                 "WHERE run.name = '%s'" % name) == [(12,)]


def test_malformed_file_refused_with_its_line_numbers(command):
    run, query = command
    result = run("command-malformed.csv", ["CMD-9,Nine,1990-01-01,5", "CMD-9,Nine,1990-13-01,5",
                                           "CMD-9,Nine,1990-02-01,five"])
    assert result.returncode == 1
    assert "Line 3: '1990-13-01' is not a date" in result.stderr, result.stderr
    assert "Line 4: 'five' is not an amount" in result.stderr, result.stderr
    assert query("SELECT COUNT(*) FROM res_partner WHERE ref = 'CMD-9' "
                 "AND company_id = %(company)s") == [(0,)]
