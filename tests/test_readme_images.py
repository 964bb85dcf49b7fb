"""The images of crm_ext's readme fragments exist: screenshots the browser
tests take, copied by 'make screenshots' (scripts/usage-screenshots.sh)."""
import pathlib
import re

ADDON = pathlib.Path(__file__).resolve().parent.parent / "crm_ext"
IMAGE = re.compile(r"^\s*\.\. image:: (\S+)", re.M)


def test_every_image_of_the_readme_exists():
    images = [(fragment.name, path) for fragment in sorted((ADDON / "readme").glob("*.rst"))
              for path in IMAGE.findall(fragment.read_text(encoding="utf-8"))]
    assert images, "USAGE.rst shows the screens"
    missing = [(name, path) for name, path in images if not (ADDON / path).is_file()]
    assert missing == []


def test_every_screenshot_is_shown():
    shown = {pathlib.Path(path).name for fragment in (ADDON / "readme").glob("*.rst")
             for path in IMAGE.findall(fragment.read_text(encoding="utf-8"))}
    kept = {path.name for path in (ADDON / "static" / "description" / "usage").glob("*.png")}
    assert kept - shown == set(), "screenshots no fragment shows"
