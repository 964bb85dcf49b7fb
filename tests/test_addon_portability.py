"""The add-on must run on a stock Odoo 11 server (Python 3.5-3.7) and must
not depend on the host compatibility layer."""
import ast
import pathlib
import re

ADDON = pathlib.Path(__file__).resolve().parent.parent / "crm_ext"


def python_files():
    files = sorted(ADDON.rglob("*.py"))
    assert files, "crm_ext has Python files"
    return files


def test_no_syntax_newer_than_python_36():
    for path in python_files():
        ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 6))


def test_addon_never_imports_the_host_layer():
    pattern = re.compile(r"\bhost_compat\b")
    offenders = [str(p) for p in python_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def _version_key(version):
    return tuple(int(part) for part in version.split("."))


def test_manifest_declares_version_and_dependencies():
    manifest = ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))
    version = manifest["version"]
    assert re.match(r"^11\.0\.\d+\.\d+\.\d+$", version), version
    # every migration is for a version up to the manifest's (Odoo runs those
    # between the installed version and the manifest's)
    migrations = ADDON / "migrations"
    for folder in (migrations.iterdir() if migrations.is_dir() else ()):
        assert _version_key(folder.name) <= _version_key(version), folder.name
    assert set(manifest["depends"]) >= {
        "sale_management", "crm", "stock", "account_invoicing", "mail"}
    assert manifest["license"] == "AGPL-3"


def test_every_test_module_is_imported_by_the_tests_package():
    """Odoo's runner (``--test-enable``, OCA's CI) runs only the test
    modules ``crm_ext/tests/__init__.py`` imports."""
    tests = ADDON / "tests"
    imported = {node.names[0].name for node in ast.parse(
        (tests / "__init__.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.ImportFrom)}
    modules = {path.stem for path in tests.glob("test_*.py")
               if "def test_" in path.read_text(encoding="utf-8")}
    assert modules, "crm_ext has tests"
    assert sorted(modules - imported) == []
