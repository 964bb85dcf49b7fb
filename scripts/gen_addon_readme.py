"""Build an add-on's README.rst and static/description/index.html from its
readme/ fragments, in the order and with the headings of OCA's generator."""
import ast
import os
import sys

from docutils.core import publish_string

SECTIONS = [
    ("DESCRIPTION.rst", None),
    ("INSTALL.rst", "Installation"),
    ("CONFIGURE.rst", "Configuration"),
    ("USAGE.rst", "Usage"),
    ("DEVELOP.rst", "Development"),
    ("ROADMAP.rst", "Known issues / Roadmap"),
    ("HISTORY.rst", "Changelog"),
    ("CONTRIBUTORS.rst", "Contributors"),
]


def build(addon_dir):
    with open(os.path.join(addon_dir, "__manifest__.py")) as handle:
        manifest = ast.literal_eval(handle.read())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "",
             ".. |badge| image:: https://img.shields.io/badge/licence-%s-blue.png"
             % manifest["license"].replace("-", "--"), "", "|badge|", "", manifest["summary"], "",
             ".. contents::", "   :local:", ""]
    for filename, heading in SECTIONS:
        path = os.path.join(addon_dir, "readme", filename)
        if not os.path.exists(path):
            continue
        if heading:
            parts += [heading, "~" * len(heading), ""]
        with open(path, encoding="utf-8") as handle:
            parts += [handle.read().rstrip(), ""]
    rst = "\n".join(parts)
    with open(os.path.join(addon_dir, "README.rst"), "w", encoding="utf-8") as handle:
        handle.write(rst)
    html = publish_string(rst, writer_name="html5",
                          settings_overrides={"embed_stylesheet": False,
                                              "stylesheet_path": "",
                                              "report_level": 3})
    os.makedirs(os.path.join(addon_dir, "static", "description"), exist_ok=True)
    with open(os.path.join(addon_dir, "static", "description", "index.html"), "wb") as handle:
        handle.write(html)


if __name__ == "__main__":
    build(sys.argv[1])
