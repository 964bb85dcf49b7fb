"""What the benchmarks share: the command line scripts/bench.sh gives them
and the Odoo configuration it names."""
import argparse

import odoo


def argument_parser(base_help="unused: the same Odoo without crm_ext",
                    small_help="unused: a small database with crm_ext", required=False):
    parser = argparse.ArgumentParser()
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--base-database", required=required, help=base_help)
    parser.add_argument("--small-database", required=required, help=small_help)
    return parser


def configure(args):
    """Odoo reads the configuration file of the command line."""
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
