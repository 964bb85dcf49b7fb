"""Python 3.11 compiles the same expressions to new opcodes (bpo-44525,
bpo-45636, gh-90997, ...), which ``odoo.tools.safe_eval`` does not know and
therefore forbids: every domain, context and ``eval=`` in XML data fails.

Each new opcode is allowed exactly where the opcode it replaces was allowed
by Odoo 11, so the sandbox accepts what it accepted on Python 3.5-3.7 and
nothing more (closures, ``with``, imports stay forbidden).
"""
from opcode import opmap

TARGET = "odoo.tools.safe_eval"

#: new opcode -> the allowed set of the opcode(s) it replaces
REPLACEMENTS = {
    "_CONST_OPCODES": (
        "RESUME",  # new prologue of every code object
        "NOP",
        "COPY", "SWAP",  # DUP_TOP, DUP_TOP_TWO, ROT_TWO/THREE/FOUR
        "LIST_EXTEND", "SET_UPDATE",  # constant list/set literals
    ),
    "_EXPR_OPCODES": (
        "BINARY_OP",  # every BINARY_* and INPLACE_* operator
        "IS_OP", "CONTAINS_OP",  # COMPARE_OP for is / in
        # 3.11 compiles "'%s-%s' % (a, b)" with a constant format string to
        # these (bpo-28307), so they replace BINARY_MODULO; f-strings, which
        # compile the same way, are therefore accepted too.
        "FORMAT_VALUE", "BUILD_STRING",
    ),
    "_SAFE_OPCODES": (
        "PUSH_NULL", "PRECALL", "CALL", "KW_NAMES",  # CALL_FUNCTION[_KW], CALL_METHOD
        "DICT_MERGE",  # CALL_FUNCTION_EX with **kwargs
        "JUMP_BACKWARD", "JUMP_BACKWARD_NO_INTERRUPT",  # JUMP_ABSOLUTE
        "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
        "POP_JUMP_BACKWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE",
        "POP_JUMP_FORWARD_IF_NONE", "POP_JUMP_FORWARD_IF_NOT_NONE",
        "POP_JUMP_BACKWARD_IF_NONE", "POP_JUMP_BACKWARD_IF_NOT_NONE",
        "RETURN_GENERATOR",  # generator expressions (GET_ITER, YIELD_VALUE)
        "PUSH_EXC_INFO", "CHECK_EXC_MATCH", "RERAISE",  # SETUP_EXCEPT, END_FINALLY
        "LOAD_ASSERTION_ERROR",  # LOAD_GLOBAL AssertionError
    ),
}


def new_opcodes(set_name):
    return {opmap[name] for name in REPLACEMENTS[set_name] if name in opmap}


def apply(safe_eval):
    # The sets are unions of each other (CONST < EXPR < SAFE) built at import
    # time, so an opcode allowed in a smaller set is added to the larger ones.
    const = new_opcodes("_CONST_OPCODES")
    expr = const | new_opcodes("_EXPR_OPCODES")
    safe = expr | new_opcodes("_SAFE_OPCODES")
    safe_eval._CONST_OPCODES.update(const)
    safe_eval._EXPR_OPCODES.update(expr)
    safe_eval._SAFE_OPCODES.update(safe)
