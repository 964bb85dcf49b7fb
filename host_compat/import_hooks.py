"""Run a function on a module right after it is first imported.

A meta path finder wraps the loader of the watched modules; after the real
loader has executed the module, the registered callbacks receive it.  A
module that is already imported gets its callbacks at once.
"""
import importlib.abc
import importlib.util
import sys
import threading

_callbacks = {}
_lock = threading.RLock()
_resolving = set()


def when_imported(module_name, callback):
    """Call ``callback(module)`` once ``module_name`` is imported."""
    with _lock:
        module = sys.modules.get(module_name)
        if module is None:
            _callbacks.setdefault(module_name, []).append(callback)
            return
    callback(module)


class _PatchingLoader(importlib.abc.Loader):
    """Delegates to the real loader, then runs the callbacks."""

    def __init__(self, loader, callbacks):
        self._loader = loader
        self._callbacks = callbacks

    def __getattr__(self, name):
        # get_source, get_code, is_package, ... as the real loader has them
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        for callback in self._callbacks:
            callback(module)


class PostImportFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        with _lock:
            if fullname not in _callbacks or fullname in _resolving:
                return None
            _resolving.add(fullname)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            with _lock:
                _resolving.discard(fullname)
        if spec is None or spec.loader is None:
            return spec
        with _lock:
            callbacks = _callbacks.pop(fullname, [])
        if callbacks:
            spec.loader = _PatchingLoader(spec.loader, callbacks)
        return spec


_finder = PostImportFinder()


def register():
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
