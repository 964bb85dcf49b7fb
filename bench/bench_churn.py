"""Churn benchmarks.

1. The BG/NBD fit: 100,000 customers simulated from known parameters
   (fixed seed, purchase times in days, counted in weeks, ages of 1 to 3
   years), fitted by crm_ext's ``tools/bgnbd.fit`` and by lifetimes'
   ``BetaGeoFitter`` on the same data in the same run.  Prints
   ``bench churn fit: customers=100000 fit_s=… lifetimes_s=… ratio=…``
   (ratio = fit_s / lifetimes_s; target <= 0.5).  Needs no database.

2. The churn score: the nightly detection of one company
   (``crm.churn.alert._detect``, its scoring included): the risk and its reasons (with P(alive),
   expected purchases and the predicted value of the company's model) for
   every customer of the 100,000-customer company of the segmentation
   benchmark (its data, made by bench_segmentation.generate when missing),
   then the alerts, their hold-out draw and activities.  The company's
   risk threshold is set so that the 5% most at risk are alerted (the
   simulated customers buy at random, so few would be otherwise).  The best
   of three runs after a first one (yesterday's scores), each rolled back.
   Prints ``bench churn score: customers=100000 score_s=…`` (target <= 10 s).

Takes the command line of the other benchmarks (scripts/bench.sh); each
benchmark is a function of ``BENCHMARKS``, run in turn.
"""
import sys
import time

import numpy as np

import odoo

import common

PARAMETERS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SCORE_ROUNDS = 3
#: the share of the customers the measured detection alerts
ALERTED_SHARE = 0.05


def bench_fit(args):
    import lifetimes
    from odoo.addons.crm_ext.tools import bgnbd
    rng = np.random.default_rng(14)
    ages = rng.integers(52 * 7, 3 * 52 * 7, args.customers) / 7.0
    x, t_x, T = bgnbd.simulate(PARAMETERS, ages, seed=14, resolution=1.0 / 7)
    start = time.perf_counter()
    params = bgnbd.fit(x, t_x, T)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    fitter = lifetimes.BetaGeoFitter().fit(x, t_x, T)
    lifetimes_s = time.perf_counter() - start
    print("bench churn fit: customers=%d fit_s=%.2f lifetimes_s=%.2f ratio=%.2f"
          % (args.customers, fit_s, lifetimes_s, fit_s / lifetimes_s))
    differences = {name: "%.1e" % (abs(params[name] - fitter.params_[name])
                                   / abs(fitter.params_[name])) for name in PARAMETERS}
    print("  relative differences of the parameters: %s" % differences, file=sys.stderr)


def bench_score(args):
    import bench_segmentation
    from odoo.addons.crm_ext.tools import clock
    registry = odoo.registry(args.database)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bench_segmentation.generate(env, args.customers, args.invoices)
        company = env.user.company_id
        insight = env["crm.customer.insight"]
        insight._recompute_company(company)
        env["crm.churn.model"]._fit_company(company)
        # the measured run is the next night's: yesterday's scores are in
        # place, vacuumed as autovacuum would have by then
        insight._score_churn(company)
        cr.execute("SELECT percentile_disc(%s) WITHIN GROUP (ORDER BY churn_risk) "
                   "FROM crm_customer_insight WHERE company_id = %s AND churn_risk > 0",
                   (1.0 - ALERTED_SHARE, company.id))
        threshold = company.churn_alert_risk_threshold = max(cr.fetchone()[0] or 0, 1)
        env["crm.churn.alert"].search([("company_id", "=", company.id)]).unlink()
        cr.commit()
        cr.autocommit(True)
        cr.execute("VACUUM ANALYZE crm_customer_insight")
        cr.autocommit(False)
        runs, alerted = [], 0
        for _round in range(SCORE_ROUNDS):
            start = time.perf_counter()
            # what _detect does on a night the insight recompute did not
            # score (it skips the scoring when it did)
            insight._score_churn(company)
            alerted = len(env["crm.churn.alert"]._detect_alerts(company, clock.now(env)))
            runs.append(time.perf_counter() - start)
            cr.rollback()
        cr.execute("SELECT COUNT(*) FROM crm_customer_insight "
                   "WHERE company_id = %s AND invoice_count_all > 0", (company.id,))
        customers = cr.fetchone()[0]
    print("bench churn score: customers=%d score_s=%.2f" % (customers, min(runs)))
    print("  alerts raised: %d (risk threshold %d); runs: %s" % (
        alerted, threshold,
        ", ".join("%.2f" % run for run in runs)), file=sys.stderr)


BENCHMARKS = {"fit": bench_fit, "score": bench_score}


def main():
    parser = common.argument_parser()
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--invoices", type=int, default=1000000)
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    args = parser.parse_args()
    common.configure(args)
    odoo.modules.module.initialize_sys_path()
    for name, bench in sorted(BENCHMARKS.items()):
        if args.only in (None, name):
            bench(args)


if __name__ == "__main__":
    main()
