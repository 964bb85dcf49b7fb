"""``collections.Mapping``, ``collections.Iterable``, ... were removed in
Python 3.10 (bpo-37324); they live in ``collections.abc`` since 3.3.

Odoo 11 uses ``collections.Iterable`` in ``osv/expression.py``,
``tools/misc.py`` and ``res_bank.py``, and third-party code of its era uses
the other aliases.
"""
import collections
import collections.abc

NAMES = (
    "Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator", "AsyncGenerator",
    "Hashable", "Iterable", "Iterator", "Generator", "Reversible", "Sized",
    "Container", "Callable", "Collection", "Set", "MutableSet", "Mapping",
    "MutableMapping", "MappingView", "KeysView", "ItemsView", "ValuesView",
    "Sequence", "MutableSequence", "ByteString",
)


def apply():
    for name in NAMES:
        if not hasattr(collections, name) and hasattr(collections.abc, name):
            setattr(collections, name, getattr(collections.abc, name))
