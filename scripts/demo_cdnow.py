"""CDNOW's sample end to end: its 2,357 customers' 6,919 purchases (1997-01
to 1998-06; Fader, Hardie & Lee 2005) imported with crm_ext's history
import, the churn model fitted as of 1997-09-30 (the end of the 39-week
calibration) from the posted invoices, then its parameters, the holdout
(purchases predicted for weeks 40-78 against those in the file) and its
model card printed.

The sample ships with the ``lifetimes`` package (``lifetimes/datasets/``);
when it is not installed, its wheel is downloaded with pip into .local/ and
the file read from it.  Run by ``make demo-cdnow`` (scripts/demo-cdnow.sh)
on a fresh database; bench/bench_cdnow.py prints the same figures on one
line.
"""
import argparse
import collections
import csv
import datetime
import glob
import os
import subprocess
import sys
import time
import zipfile

import numpy

import odoo
from odoo import SUPERUSER_ID, api

import import_history

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(ROOT, ".local", "cdnow")
LIFETIMES = "lifetimes==0.11.3"
SAMPLE = "lifetimes/datasets/CDNOW_sample.txt"
CALIBRATION_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"
HOLDOUT_WEEKS = 39.0

Purchase = collections.namedtuple("Purchase", "ref date amount")


def sample_text():
    """The text of CDNOW_sample.txt: from the installed lifetimes, else from
    its wheel (downloaded once into .local/cdnow)."""
    try:
        import lifetimes
        path = os.path.join(os.path.dirname(lifetimes.__file__), "datasets",
                            os.path.basename(SAMPLE))
        with open(path, encoding="ascii") as handle:
            return handle.read()
    except ImportError:
        pass
    wheels = glob.glob(os.path.join(CACHE, "[Ll]ifetimes-*.whl"))
    if not wheels:
        subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps",
                               "--quiet", "-d", CACHE, LIFETIMES])
        wheels = glob.glob(os.path.join(CACHE, "[Ll]ifetimes-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        return wheel.read(SAMPLE).decode("ascii")


def purchases(text):
    """The purchases of the sample: one a line, the customer's id in the
    master file, its id in the sample, the day (YYYYMMDD), CDs bought, dollars."""
    result = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 5:
            day = datetime.datetime.strptime(fields[2], "%Y%m%d").date().isoformat()
            result.append(Purchase("CDNOW-" + fields[0], day, float(fields[4])))
    return result


def write_history_csv(rows, path):
    """The purchases as the history import reads them."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "name", "date", "amount"])
        for row in rows:
            writer.writerow([row.ref, "CDNOW customer %s" % row.ref[6:], row.date,
                             "%.2f" % row.amount])


def holdout_actual(rows):
    """Repeat purchases in the holdout (weeks 40-78), counted as lifetimes
    counts them: the days with a purchase, per customer, added up."""
    return len({(row.ref, row.date) for row in rows
                if CALIBRATION_END < row.date <= HOLDOUT_END})


def company_in_dollars(env):
    """CDNOW's amounts are dollars: the main company's currency, as long as
    it has no journal entry."""
    company = env.user.company_id
    usd = env.ref("base.USD")
    if company.currency_id != usd and not env["account.move"].search_count(
            [("company_id", "=", company.id)]):
        usd.active = True
        company.currency_id = usd
    return company


def fit(env, company):
    """The churn model of ``company`` fitted as of the calibration end (its
    card's holdout: 136 days, so that the 39 weeks of calibration are twice
    it), or None (with why) while crm.churn.model is not there."""
    if "crm.churn.model" not in env.registry:
        return None, "crm.churn.model is not in this database yet (issue 14, the model)"
    company.churn_holdout_days = 136
    model = env["crm.churn.model"]._fit_company(company, as_of=CALIBRATION_END)
    return model, None


def holdout_predicted(env, model):
    """Repeat purchases the model predicts in weeks 40-78 (``HOLDOUT_WEEKS``
    after the calibration end), added up over the customers, from the same
    summaries (x, t_x, T) the fit used; None (with why) without parameters."""
    from odoo.addons.crm_ext.models.crm_churn_model import DAYS_PER_UNIT
    from odoo.addons.crm_ext.tools import bgnbd, churn_queries
    if not model.r:
        return None, "the model has no parameters (fewer than 500 customers with a purchase)"
    env.cr.execute(churn_queries.FIT_FREQUENCIES, {
        "company_id": model.company_id.id, "as_of": model.as_of, "holdout_end": model.as_of})
    x, t_x, age, weight = (numpy.array(column, dtype=float)
                           for column in zip(*env.cr.fetchall()))
    params = {"r": model.r, "alpha": model.alpha, "a": model.a, "b": model.b}
    expected = bgnbd.expected_purchases(params, HOLDOUT_WEEKS, x, t_x / DAYS_PER_UNIT,
                                        age / DAYS_PER_UNIT)
    return float((expected * weight).sum()), None


def lifetimes_reference(rows):
    """The BG/NBD parameters ``lifetimes`` fits from the same purchases (its
    ``summary_data_from_transaction_data`` as of the calibration end, days
    counted in weeks), or None when lifetimes is not installed (it is a
    test dependency of crm_ext)."""
    try:
        import pandas
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data
    except ImportError:
        return None
    transactions = pandas.DataFrame(
        [(row.ref, row.date) for row in rows if row.date <= CALIBRATION_END],
        columns=["customer", "date"])
    summary = summary_data_from_transaction_data(
        transactions, "customer", "date", observation_period_end=CALIBRATION_END, freq="D")
    fitter = BetaGeoFitter().fit(summary["frequency"], summary["recency"] / 7.0,
                                 summary["T"] / 7.0)
    return {name: float(fitter.params_[name]) for name in ("r", "alpha", "a", "b")}


def significant(value, digits=3):
    """``value`` rounded to ``digits`` significant figures."""
    return float("%.*g" % (digits, value))


def model_card(model):
    """The stored figures of a fitted model, one 'name: value' a line."""
    skip = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date",
            "__last_update"}
    lines = []
    for name, field in sorted(model._fields.items()):
        if name in skip or field.type in ("one2many", "many2many", "binary"):
            continue
        value = model[name]
        lines.append("  %s: %s" % (name, value.display_name if field.type == "many2one"
                                   else value))
    return lines


def run(config, database, out=print):
    """Import the sample into ``database``, fit, print; returns the figures
    of the bench line (a dict)."""
    rows = purchases(sample_text())
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "cdnow_history.csv")
    write_history_csv(rows, path)
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    registry = odoo.registry(database)
    figures = {"customers": len({row.ref for row in rows}), "purchases": len(rows)}
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = company_in_dollars(env)
        cr.commit()
        out("importing %(purchases)s purchases of %(customers)s customers" % figures)
        started = time.time()
        history = import_history.import_file(env, path, company=company, out=out)
        figures["import_s"] = time.time() - started
        if history.state != "done":
            raise SystemExit(history.refusals)
        out("imported in %.1f s" % figures["import_s"])
        model, why = fit(env, company)
        if model is None:
            out("fit as of %s: not done, %s" % (CALIBRATION_END, why))
            return figures
        cr.commit()
        figures.update({name: model[name] for name in ("r", "alpha", "a", "b")})
        out("fit as of %s: r=%.3f alpha=%.3f a=%.3f b=%.3f log-likelihood=%.2f" % (
            CALIBRATION_END, model.r, model.alpha, model.a, model.b, model.log_likelihood))
        published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        out("published (Fader, Hardie & Lee 2005): %s; equal to 2 decimals: %s" % (
            " ".join("%s=%.3f" % item for item in sorted(published.items())),
            all(round(model[name], 2) == round(value, 2) for name, value in published.items())))
        reference = lifetimes_reference(rows)
        if reference is None:
            out("lifetimes is not installed: no reference fit")
        else:
            out("lifetimes from the same file: %s; equal to 3 significant figures: %s" % (
                " ".join("%s=%.3f" % item for item in sorted(reference.items())),
                all(significant(model[name]) == significant(value)
                    for name, value in reference.items())))
        actual = holdout_actual(rows)
        predicted, why = holdout_predicted(env, model)
        if predicted is None:
            out("holdout (weeks 40-78): %s actual repeat purchases; predicted: %s" % (
                actual, why))
        else:
            figures["holdout_error_pct"] = 100.0 * (predicted - actual) / actual
            out("holdout (weeks 40-78): predicted %.1f, actual %s, error %.1f%%" % (
                predicted, actual, figures["holdout_error_pct"]))
        out("model card:")
        for line in model_card(model):
            out(line)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args(argv)
    run(args.config, args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
