"""Declarations are in setup.cfg; this only ships ``host_compat.pth``.

The ``.pth`` file lands at the root of site-packages, where the interpreter
runs it at start-up, so the server, ``odoo shell``, Odoo's test runner and
pytest all get the host compatibility layer without importing it.
"""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "host_compat.pth"


class BuildPyWithPth(build_py):
    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        self.copy_file(os.path.join(here, PTH), os.path.join(self.build_lib, PTH),
                       preserve_mode=False)


setup(cmdclass={"build_py": BuildPyWithPth})
