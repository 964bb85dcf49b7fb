"""CDNOW end to end: the 6,919 purchases of CDNOW's 2,357-customer sample
imported with the history import (one posted customer invoice each) into a
fresh database, the churn model fitted as of 1997-09-30 from the invoices.

Prints ``bench cdnow: customers=2357 purchases=6919 import_s=… r=… alpha=…
a=… b=… holdout_error_pct=…`` (target: the import within 15 minutes on 2
cores); a figure the churn model cannot give yet reads ``n/a``.  The
database is ``$BENCH_CDNOW_DB``, made afresh by scripts/bench.sh (see
``fresh_cdnow_db`` in scripts/lib.sh); the work is scripts/demo_cdnow.py's.
"""
import os
import sys

import common

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts"))
import demo_cdnow  # noqa: E402 (scripts/ is not a package)


def main():
    args = common.argument_parser().parse_args()
    database = os.environ.get("BENCH_CDNOW_DB", "crm_ext_bench_cdnow")
    # the details (the comparison with lifetimes and the published
    # parameters, the holdout, the model card) on stderr
    figures = demo_cdnow.run(args.config, database,
                             out=lambda line: print(line, file=sys.stderr, flush=True))
    formats = (("customers", "%d"), ("purchases", "%d"), ("import_s", "%.1f"),
               ("r", "%.3f"), ("alpha", "%.3f"), ("a", "%.3f"), ("b", "%.3f"),
               ("holdout_error_pct", "%.1f"))
    print("bench cdnow: " + " ".join(
        "%s=%s" % (name, fmt % figures[name] if name in figures else "n/a")
        for name, fmt in formats), flush=True)


if __name__ == "__main__":
    main()
