"""Unit tests of the host compatibility layer, one group per patch.

Each test exercises the Odoo 11 (or library) code path that broke on
Python 3.11, so it fails when its patch is missing."""
import base64
import collections
import collections.abc
import inspect
import os
import resource
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import yaml
from lxml import etree

from odoo.tests import common

import host_compat
from host_compat import import_hooks
from host_compat.patches import odoo_qweb_ast


def test_pth_loads_the_layer_in_every_interpreter_of_the_venv():
    code = "import collections; print(hasattr(collections, 'Mapping'))"
    with_layer = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                text=True, check=True)
    env = dict(os.environ, HOST_COMPAT_DISABLE="1")
    without = subprocess.run([sys.executable, "-c", code], capture_output=True,
                             text=True, check=True, env=env)
    assert with_layer.stdout.strip() == "True"
    assert without.stdout.strip() == "False"


# collections_abc_aliases
def test_collections_aliases_point_to_collections_abc():
    assert collections.Mapping is collections.abc.Mapping
    assert collections.Iterable is collections.abc.Iterable
    assert collections.MutableSet is collections.abc.MutableSet


def test_odoo_domain_with_iterable_right_operand():
    from odoo.osv import expression
    normalized = expression.normalize_domain([("id", "in", (1, 2))])
    assert normalized == [("id", "in", (1, 2))]


# inspect_getargspec
def test_getargspec_and_formatargspec():
    def method(self, a, b=1, *args, **kwargs):
        return a

    spec = inspect.getargspec(method)
    assert spec == (["self", "a", "b"], "args", "kwargs", (1,))
    assert spec.keywords == "kwargs"
    assert inspect.formatargspec(*spec) == "(self, a, b=1, *args, **kwargs)"


def test_formatargspec_keyword_only_and_annotations():
    spec = inspect.getfullargspec(lambda a, *, b=2: None)
    assert inspect.formatargspec(*spec) == "(a, *, b=2)"
    assert inspect.formatargspec(["x"], annotations={"x": int, "return": str}) \
        == "(x: int) -> str"


def test_odoo_ormcache_builds_its_key_from_the_signature():
    from odoo.tools import ormcache, ormcache_context

    def compute(self, model_name, mode="read"):
        return model_name

    cache = ormcache("model_name", "mode")
    cache(compute)
    assert cache.key(None, "res.partner") == ("res.partner", "read")

    class Model(object):
        _context = {"lang": "zh_CN"}

    context_cache = ormcache_context("model_name", keys=("lang",))
    context_cache(compute)
    assert context_cache.key(Model(), "res.partner") == ("res.partner", ("zh_CN",))


# time_clock
def test_time_clock_measures_cpu_time():
    start = time.clock()
    sum(range(200000))
    assert time.clock() >= start
    assert time.clock is time.process_time


# base64_legacy_aliases
def test_base64_legacy_aliases_round_trip():
    data = "客户洞察".encode("utf-8") * 20
    encoded = base64.encodestring(data)
    assert encoded == base64.encodebytes(data)
    assert base64.decodestring(encoded) == data


# threading_isalive
def test_thread_isalive():
    event = threading.Event()
    thread = threading.Thread(target=event.wait)
    thread.start()
    assert thread.isAlive()
    event.set()
    thread.join()
    assert not thread.isAlive()


# resource_setrlimit_float
def test_setrlimit_takes_the_float_limits_of_odoo_prefork_workers():
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_time = used.ru_utime + used.ru_stime  # a float, as in Worker.process_limit
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_time + 3600, hard))
        assert resource.getrlimit(resource.RLIMIT_CPU)[0] == int(cpu_time + 3600)
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


# yaml_default_loader
def test_yaml_load_without_loader():
    assert yaml.load("a: [1, 2]\nb: text\n") == {"a": [1, 2], "b": "text"}


def test_yaml_load_default_refuses_arbitrary_python():
    with pytest.raises(yaml.YAMLError):
        yaml.load("!!python/object/apply:os.system ['true']")


def test_odoo_yaml_tags_are_understood():
    from odoo.tools import yaml_tag  # registers !record, !python, ...
    node = yaml.load("!record {model: res.partner, id: partner_demo}")
    assert isinstance(node, yaml_tag.Record)
    assert node.model == "res.partner"


# odoo_safe_eval_opcodes
@pytest.mark.parametrize("expression, context, expected", [
    ("[('state', 'in', ['draft', 'sent']), ('partner_id', '=', pid)]", {"pid": 7},
     [("state", "in", ["draft", "sent"]), ("partner_id", "=", 7)]),
    ("{'default_type': 'out_invoice', 'search_default_x': 1}", {},
     {"default_type": "out_invoice", "search_default_x": 1}),
    ("'/mail/view?model=%s&res_id=%s' % (model, rid)", {"model": "res.partner", "rid": 3},
     "/mail/view?model=res.partner&res_id=3"),
    ("[x * 2 for x in values if x is not None and x not in skip]",
     {"values": [1, None, 2, 3], "skip": [3]}, [2, 4]),
    ("sum(x for x in values) // 2 if values else 0", {"values": [3, 4]}, 3),
    ("dict(a=1, **extra)", {"extra": {"b": 2}}, {"a": 1, "b": 2}),
])
def test_safe_eval_accepts_what_odoo_11_accepted(expression, context, expected):
    from odoo.tools.safe_eval import safe_eval
    assert safe_eval(expression, context) == expected


def test_safe_eval_exec_mode_statements():
    from odoo.tools.safe_eval import safe_eval
    context = {"records": [1, 2, 3]}
    safe_eval(textwrap.dedent("""
        total = 0
        for rec in records:
            if rec > 1:
                total += rec
        try:
            ratio = total / 0
        except Exception:
            ratio = -1
    """), context, mode="exec", nocopy=True)
    assert (context["total"], context["ratio"]) == (5, -1)


@pytest.mark.parametrize("expression", [
    "__import__('os').system('true')",
    "().__class__.__bases__",
    "import os",
    "open('/etc/passwd')",
])
def test_safe_eval_still_refuses_unsafe_code(expression):
    from odoo.tools.safe_eval import safe_eval
    with pytest.raises((ValueError, NameError)):
        safe_eval(expression, {}, mode="exec")


def test_safe_eval_still_refuses_closures():
    from odoo.tools.safe_eval import safe_eval
    with pytest.raises(ValueError, match="forbidden opcode"):
        safe_eval("def f():\n    x = 1\n    return lambda: x\n", {}, mode="exec")


# odoo_qweb_ast
def test_qweb_renders_conditions_loops_and_escapes():
    from odoo.addons.base.ir.ir_qweb.qweb import QWeb
    template = etree.fromstring(
        '<t t-name="crm_ext_test"><t t-if="missing is None">none;</t>'
        '<t t-foreach="[1, 2]" t-as="i"><b t-esc="i"/></t>'
        '<span t-att-title="label" t-raw="html"/></t>')
    output = QWeb().render(template, {"missing": None, "label": "a<b", "html": "<i>x</i>"})
    assert output == b'none;<b>1</b><b>2</b><span title="a&lt;b"><i>x</i></span>'


def test_modernize_ast_fixes_python35_shaped_nodes():
    import ast
    function = ast.FunctionDef(
        name="f",
        args=ast.arguments(args=[ast.arg(arg="x", annotation=None)], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[ast.Return(value=ast.Name(id="None", ctx=ast.Load()))],
        decorator_list=[], returns=None)
    module = ast.Module(body=[function], type_ignores=[])
    with pytest.raises((TypeError, ValueError)):
        compile(ast.fix_missing_locations(module), "<test>", "exec")
    namespace = {}
    exec(odoo_qweb_ast.compile_modern(module, "<test>", "exec"), namespace)
    assert namespace["f"](1) is None


# odoo_web_concat_xml
def test_web_client_templates_concatenate(tmp_path):
    from odoo.addons.web.controllers import main
    first = tmp_path / "a.xml"
    second = tmp_path / "b.xml"
    first.write_text('<templates><t t-name="a">A</t></templates>')
    second.write_text('<templates><t t-name="b">B</t><t t-name="c">C</t></templates>')
    content, checksum = main.concat_xml([str(first), str(second)])
    names = [node.get("t-name") for node in etree.fromstring(content)]
    assert names == ["a", "b", "c"]
    assert len(checksum) == 40


# import_hooks
def test_when_imported_runs_after_the_module_is_executed(tmp_path, monkeypatch):
    (tmp_path / "crm_ext_hook_probe.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    seen = []
    import_hooks.when_imported("crm_ext_hook_probe", lambda mod: seen.append(mod.VALUE))
    import crm_ext_hook_probe  # noqa: F401
    assert seen == [1]
    import_hooks.when_imported("crm_ext_hook_probe", lambda mod: seen.append(2))
    assert seen == [1, 2]
    sys.modules.pop("crm_ext_hook_probe")


def test_install_is_idempotent():
    finders = len(sys.meta_path)
    host_compat.install()
    assert len(sys.meta_path) == finders


@common.at_install(False)
@common.post_install(True)
class TestOdooTemplatesRender(common.TransactionCase):
    """Real templates of the installed modules, through ``ir.qweb``."""

    def test_origin_link_renders_loops_and_conditions(self):
        partners = self.env["res.partner"].create({"name": "Origin A"}) \
            | self.env["res.partner"].create({"name": "Origin B"})
        html = self.env["ir.qweb"].render("mail.message_origin_link", {
            "self": partners[0], "origin": partners, "edit": False})
        self.assertIn(b"created", html)
        self.assertNotIn(b"modified", html)
        self.assertIn(b"Origin A</a><span>, </span>", html)
        self.assertIn(b"Origin B</a>", html)

    def test_assignment_notification_renders(self):
        partner = self.env["res.partner"].create({"name": "Qweb Probe"})
        html = self.env["ir.qweb"].render("mail.message_user_assigned", {"object": partner})
        self.assertIn(b"Qweb Probe", html)
        self.assertIn(("/mail/view?model=res.partner&amp;res_id=%d" % partner.id).encode(), html)
