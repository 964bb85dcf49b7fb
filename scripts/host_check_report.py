"""Summarise an Odoo 11 ``--test-enable`` log per module.

``--dependencies MODS`` prints the modules MODS depend on (transitively)
that do not depend on MODS, for installing them before the tested ones.  Otherwise the
log is read: every ``Ran N tests`` block of Odoo's runner is attributed to
its module and its ``OK``/``FAILED (...)`` line counted; failing tests are
listed; the last line is ``host-check: N passed, M failed`` over MODS.
"""
import argparse
import ast
import collections
import os
import re
import sys

LINE = re.compile(
    r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>\S+): (?P<msg>.*)$")
TEST_LOGGER = re.compile(r"^odoo\.addons\.(?P<module>\w+)\.tests(\.|$)")
RAN = re.compile(r"^Ran (?P<count>\d+) tests? in ")
# unittest writes "FAILED" and " (failures=1, skipped=2)" as two log lines
OUTCOME_DETAILS = re.compile(r"^\s*(?:OK|FAILED)?\s*\((?P<details>\w+=\d+(?:, \w+=\d+)*)\)$")
FAILED_TEST = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>\S+) \((?P<where>[^)]+)\)")


def manifest_depends(module):
    import odoo.addons
    for path in odoo.addons.__path__ + [os.getcwd()]:
        manifest = os.path.join(path, module, "__manifest__.py")
        if os.path.exists(manifest):
            with open(manifest) as handle:
                return ast.literal_eval(handle.read()).get("depends", [])
    raise SystemExit("module %s not found" % module)


def closure(modules):
    seen, todo = set(), list(modules)
    while todo:
        for dep in manifest_depends(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def dependencies(modules):
    """What ``modules`` need that does not itself need one of them (installing
    ``stock_account`` first would install ``stock`` and ``account`` untested)."""
    targets = set(modules)
    return sorted(dep for dep in closure(modules) - targets
                  if not closure([dep]) & targets)


def summarise(log_path):
    stats = collections.defaultdict(collections.Counter)
    failures = []
    errors_outside_tests = []
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            match = LINE.match(raw.rstrip("\n"))
            if not match:
                continue
            logger, msg = match.group("logger"), match.group("msg")
            module_match = TEST_LOGGER.match(logger)
            if not module_match:
                if match.group("level") in ("ERROR", "CRITICAL") \
                        and not msg.startswith(("Module ", "At least one test failed")):
                    errors_outside_tests.append("%s: %s" % (logger, msg))
                continue
            module = module_match.group("module")
            ran = RAN.match(msg)
            if ran:
                stats[module]["ran"] += int(ran.group("count"))
                continue
            outcome = OUTCOME_DETAILS.match(msg)
            if outcome:
                for item in outcome.group("details").split(","):
                    key, _, value = item.strip().partition("=")
                    stats[module][key] += int(value)
                continue
            failed = FAILED_TEST.match(msg)
            if failed:
                where, test = failed.group("where"), failed.group("test")
                # Python 3.11 names the test inside the parentheses already
                name = where if where.endswith("." + test) else "%s.%s" % (where, test)
                failures.append((module, failed.group("kind"), name))
    return stats, failures, errors_outside_tests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dependencies")
    parser.add_argument("--modules")
    parser.add_argument("log", nargs="?")
    args = parser.parse_args()
    if args.dependencies:
        print(",".join(dependencies(args.dependencies.split(","))))
        return 0
    targets = args.modules.split(",")
    stats, failures, other_errors = summarise(args.log)
    passed = failed = skipped = 0
    print("%-12s %6s %6s %6s %6s" % ("module", "ran", "passed", "failed", "skipped"))
    for module in sorted(stats, key=lambda m: (m not in targets, m)):
        counts = stats[module]
        bad = counts["failures"] + counts["errors"]
        ok = counts["ran"] - bad - counts["skipped"]
        marker = "" if module in targets else "  (pulled in, not counted)"
        print("%-12s %6d %6d %6d %6d%s" % (
            module, counts["ran"], ok, bad, counts["skipped"], marker))
        if module in targets:
            passed, failed, skipped = passed + ok, failed + bad, skipped + counts["skipped"]
    missing = [m for m in targets if m not in stats]
    for module, kind, test in failures:
        print("%s %s: %s" % (kind, module, test))
    for line in other_errors[:20]:
        print("error outside a test: %s" % line)
    if missing:
        print("no test run found for: %s" % ", ".join(missing))
        failed += len(missing)
    total = passed + failed
    print("pass rate %.1f%% (%d skipped)" % (100.0 * passed / total if total else 0, skipped))
    print("host-check: %d passed, %d failed" % (passed, failed))
    return 0 if total and passed / total >= 0.98 else 1


if __name__ == "__main__":
    sys.exit(main())
