"""Host compatibility layer: run unmodified Odoo 11 on Python 3.11.

Odoo 11 was written for Python 3.5-3.7 and the libraries of its time.  Each
module in :mod:`host_compat.patches` answers one breakage, names the Python or
library change behind it, and is applied here.  Patches to the standard
library are applied at interpreter start-up (the ``host_compat.pth`` file
installed with this package calls :func:`install`); patches to Odoo or to a
third-party library run right after that module is first imported, so
importing this package costs next to nothing in processes that never load
Odoo (pip, pytest without Odoo, ...).

Nothing here is imported by the ``crm_ext`` add-on: a stock Odoo 11 server on
Python 3.6 runs the add-on without it.  Set ``HOST_COMPAT_DISABLE=1`` to start
an interpreter without the patches (to reproduce a breakage, for instance).
"""
import os

from . import import_hooks
from .patches import (
    base64_legacy_aliases,
    collections_abc_aliases,
    inspect_getargspec,
    odoo_qweb_ast,
    odoo_safe_eval_opcodes,
    odoo_web_concat_xml,
    resource_setrlimit_float,
    threading_isalive,
    time_clock,
    yaml_default_loader,
)

#: patches applied to the standard library as soon as the interpreter starts
STARTUP_PATCHES = (
    collections_abc_aliases,
    inspect_getargspec,
    time_clock,
    base64_legacy_aliases,
    threading_isalive,
    resource_setrlimit_float,
)

#: patches applied when the module they name (``TARGET``) is first imported
IMPORT_PATCHES = (
    yaml_default_loader,
    odoo_safe_eval_opcodes,
    odoo_qweb_ast,
    odoo_web_concat_xml,
)

_installed = False


def install():
    """Apply every patch once; safe to call again."""
    global _installed
    if _installed or os.environ.get("HOST_COMPAT_DISABLE") == "1":
        return
    for patch in STARTUP_PATCHES:
        patch.apply()
    for patch in IMPORT_PATCHES:
        import_hooks.when_imported(patch.TARGET, patch.apply)
    import_hooks.register()
    _installed = True
