"""``inspect.getargspec`` and ``inspect.formatargspec`` were removed in
Python 3.11 (bpo-45320, gh-89021).

Odoo 11 imports both at module level: ``odoo/api.py`` (``getargspec``) and
``odoo/tools/cache.py`` (``formatargspec(*getargspec(method))`` to build the
key function of every ``ormcache``), ``odoo/http.py`` and ``website``.
``getargspec`` is rebuilt on ``getfullargspec``; ``formatargspec`` is the
Python 3.10 implementation.
"""
import collections
import inspect

ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")


def getargspec(func):
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def formatargspec(args, varargs=None, varkw=None, defaults=None,
                  kwonlyargs=(), kwonlydefaults=None, annotations=None,
                  formatarg=str,
                  formatvarargs=lambda name: "*" + name,
                  formatvarkw=lambda name: "**" + name,
                  formatvalue=lambda value: "=" + repr(value),
                  formatreturns=lambda text: " -> " + text,
                  formatannotation=inspect.formatannotation):
    annotations = annotations or {}
    kwonlydefaults = kwonlydefaults or {}

    def with_annotation(arg):
        result = formatarg(arg)
        if arg in annotations:
            result += ": " + formatannotation(annotations[arg])
        return result

    specs = []
    first_default = len(args) - len(defaults) if defaults else len(args)
    for index, arg in enumerate(args):
        spec = with_annotation(arg)
        if index >= first_default:
            spec += formatvalue(defaults[index - first_default])
        specs.append(spec)
    if varargs is not None:
        specs.append(formatvarargs(with_annotation(varargs)))
    elif kwonlyargs:
        specs.append("*")
    for kwonlyarg in kwonlyargs or ():
        spec = with_annotation(kwonlyarg)
        if kwonlyarg in kwonlydefaults:
            spec += formatvalue(kwonlydefaults[kwonlyarg])
        specs.append(spec)
    if varkw is not None:
        specs.append(formatvarkw(with_annotation(varkw)))
    result = "(" + ", ".join(specs) + ")"
    if "return" in annotations:
        result += formatreturns(formatannotation(annotations["return"]))
    return result


def apply():
    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = formatargspec
