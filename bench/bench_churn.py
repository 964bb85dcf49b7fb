"""Churn benchmarks.

1. The BG/NBD fit: 100,000 customers simulated from known parameters
   (fixed seed, purchase times in days, counted in weeks, ages of 1 to 3
   years), fitted by crm_ext's ``tools/bgnbd.fit`` and by lifetimes'
   ``BetaGeoFitter`` on the same data in the same run.  Prints
   ``bench churn fit: customers=100000 fit_s=… lifetimes_s=… ratio=…``
   (ratio = fit_s / lifetimes_s; target <= 0.5).  Needs no database.

Takes the command line of the other benchmarks (scripts/bench.sh); each
benchmark is a function of ``BENCHMARKS``, run in turn.
"""
import sys
import time

import numpy as np

import odoo

import common

PARAMETERS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


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


BENCHMARKS = {"fit": bench_fit}


def main():
    parser = common.argument_parser()
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--only", choices=sorted(BENCHMARKS))
    args = parser.parse_args()
    common.configure(args)
    odoo.modules.module.initialize_sys_path()
    for name, bench in sorted(BENCHMARKS.items()):
        if args.only in (None, name):
            bench(args)


if __name__ == "__main__":
    main()
