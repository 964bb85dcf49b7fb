"""PyYAML 6 made the ``Loader`` argument of ``yaml.load`` mandatory
(yaml/pyyaml#561); PyYAML 5.1-5.4 defaulted to ``FullLoader`` with a warning.

Odoo 11 calls ``yaml.load(yaml_string)`` in ``odoo/tools/yaml_import.py``
for the ``.yml`` data and test files some modules still ship.  The default
becomes ``FullLoader`` again: Odoo's own tags (``!record``, ``!python``, ...)
are registered on it by ``yaml.add_constructor``.
"""
import functools

TARGET = "yaml"


def apply(yaml):
    original = yaml.load
    if getattr(original, "_host_compat", False):
        return

    @functools.wraps(original)
    def load(stream, Loader=None):
        return original(stream, Loader=Loader or yaml.FullLoader)

    load._host_compat = True
    yaml.load = load
