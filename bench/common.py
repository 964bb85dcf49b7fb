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


def table_columns(cr, table, exclude):
    """The columns of ``table`` but those of ``exclude``, in order."""
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = %s ORDER BY ordinal_position""", (table,))
    return [name for (name,) in cr.fetchall() if name not in exclude]


def copy_partners(env, template, count, name_prefix):
    """``count`` commercial partners named ``name_prefix`` + n, copies of
    ``template`` (a partner the ORM made) written in one statement."""
    cr = env.cr
    cols = table_columns(cr, "res_partner", {"id", "name", "display_name",
                                             "commercial_partner_id"})
    cr.execute("""
        INSERT INTO res_partner (name, display_name, {cols})
        SELECT %(prefix)s || n, %(prefix)s || n, {cols}
          FROM res_partner, generate_series(1, %(count)s) n WHERE res_partner.id = %(template)s
    """.format(cols=", ".join(cols)), {"prefix": name_prefix, "count": count,
                                      "template": template.id})
    cr.execute("UPDATE res_partner SET commercial_partner_id = id "
               "WHERE commercial_partner_id IS NULL AND name LIKE %s",
               (name_prefix.replace("%", r"\%") + "%",))
