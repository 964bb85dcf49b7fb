"""pylint-odoo over crm_ext, with the checks OCA's CI enforces (.pylintrc)."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_pylint_odoo_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc"), "crm_ext"],
        cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True)
    assert result.returncode == 0, result.stdout
