"""Python 3.8 changed the AST that ``compile()`` accepts: ``ast.arguments``
needs ``posonlyargs`` (PEP 570), ``None``/``True``/``False`` are
``ast.Constant`` rather than ``ast.Name`` (bpo-32892: compiling
``Name('None')`` raises "identifier field can't represent 'None' constant"),
and nodes carry ``end_lineno``/``end_col_offset``.

Odoo 11's QWeb compiler (``odoo/addons/base/ir/ir_qweb/qweb.py``) builds its
template functions as hand-made ASTs of the Python 3.5 shape and compiles
them with the builtin ``compile``.  The fix is local to that compile step: the
module's ``compile`` is shadowed by one that brings a hand-made module AST to
the current shape first.  The ``ast`` module itself is left alone (replacing
``ast.Name`` globally breaks Werkzeug's URL rule compiler, which builds its
own ASTs correctly).
"""
import ast
import builtins

TARGET = "odoo.addons.base.ir.ir_qweb.qweb"

_CONSTANT_NAMES = {"None": None, "True": True, "False": False}


class ModernizeAst(ast.NodeTransformer):
    """Rewrite a Python 3.5-shaped AST into one Python 3.8+ compiles."""

    def visit_arguments(self, node):
        self.generic_visit(node)
        for field in ("posonlyargs", "args", "kwonlyargs", "kw_defaults", "defaults"):
            if getattr(node, field, None) is None:
                setattr(node, field, [])
        for field in ("vararg", "kwarg"):
            if not hasattr(node, field):
                setattr(node, field, None)
        return node

    def visit_Name(self, node):
        if node.id in _CONSTANT_NAMES and isinstance(node.ctx, ast.Load):
            return ast.copy_location(ast.Constant(value=_CONSTANT_NAMES[node.id]), node)
        return node


def modernize(tree):
    tree = ast.fix_missing_locations(ModernizeAst().visit(tree))
    for node in ast.walk(tree):
        # QWeb copies locations between its own nodes and nodes parsed from
        # template expressions, so a node can end up with an end position
        # missing or before its start; the compiler rejects both since 3.8.
        if "end_lineno" not in node._attributes:
            continue
        if getattr(node, "end_lineno", None) is None or node.end_lineno < node.lineno:
            node.end_lineno = node.lineno
        if node.end_lineno == node.lineno and \
                (getattr(node, "end_col_offset", None) or 0) < node.col_offset:
            node.end_col_offset = node.col_offset
    return tree


def compile_modern(source, filename, mode, *args, **kwargs):
    if isinstance(source, ast.AST):
        source = modernize(source)
    return builtins.compile(source, filename, mode, *args, **kwargs)


def apply(qweb):
    qweb.compile = compile_modern
