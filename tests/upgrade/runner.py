"""Runs the upgrade cases on a database, like ``odoo shell`` would:

    python runner.py prepare CONF DB FACTS.json   (with the old release's add-ons path)
    python runner.py check CONF DB FACTS.json RESULT.json   (with the current code)

``prepare`` writes each case's facts; ``check`` writes each case's
differences (an empty list when everything survived). Read-only: the
transaction is rolled back. Uses only what Odoo 11 gives every release."""
import importlib
import json
import os
import pathlib
import sys
import traceback

HERE = pathlib.Path(__file__).resolve().parent
CASES = sorted(path.stem for path in HERE.glob("upgrade_*.py"))


def _cases():
    sys.path.insert(0, str(HERE))
    return {name: importlib.import_module(name).CASE for name in CASES}


def main(action, conf, dbname, facts_path, result_path=None):
    import odoo
    from odoo import SUPERUSER_ID, api
    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn"])
    cases = _cases()
    registry = odoo.registry(dbname)
    with api.Environment.manage(), registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if action == "prepare":
            facts = {name: case.prepare(env) for name, case in cases.items()}
            pathlib.Path(facts_path).write_text(json.dumps(facts, indent=1, sort_keys=True))
        else:
            facts = json.loads(pathlib.Path(facts_path).read_text())
            results = {}
            for name, case in cases.items():
                try:
                    results[name] = case.check(env, facts[name])
                except Exception:  # pylint: disable=broad-except
                    results[name] = [traceback.format_exc()]
            pathlib.Path(result_path).write_text(json.dumps(results, indent=1, sort_keys=True))
        cr.rollback()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
