"""crm_ext's XML speaks Odoo 11's web client (Bootstrap 3 and Odoo 11's own
widgets): what Odoo 12+ or Bootstrap 4 adds is silently ignored by it, so a
view written that way looks right in review and does nothing in the browser.

What Odoo 11 knows is read from its source in the virtualenv (the add-ons
crm_ext depends on), not listed by hand: the widgets its registries hold,
the ``options`` keys and view attributes its JavaScript (or its server)
reads, the ``o_``/``oe_`` classes its stylesheets, templates and views use.
Bootstrap 4's classes are listed: Odoo 11 ships Bootstrap 3."""
import ast
import collections
import pathlib
import re

import pytest
from lxml import etree

import odoo.addons

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDON = ROOT / "crm_ext"
ODOO_ADDONS = pathlib.Path(odoo.addons.__file__).resolve().parent
# Odoo's own classes (crm_ext has no stylesheet): each exists in Odoo 11
ODOO_CLASS = re.compile(r"^o(e)?_[A-Za-z0-9_-]+$")

# Bootstrap 4 utilities and components Bootstrap 3 does not have (BS3 has
# 'badge' without colours: its coloured pill is 'label label-<context>')
BOOTSTRAP4_CLASSES = [re.compile(pattern) for pattern in (
    r"badge-(primary|secondary|success|danger|warning|info|light|dark|pill)",
    r"float-((sm|md|lg|xl)-)?(left|right|none)",
    r"d-((sm|md|lg|xl)-)?(none|inline|inline-block|block|table|table-row|table-cell|flex|"
    r"inline-flex)",
    r"[mp][trblxy]?-((sm|md|lg|xl)-)?(auto|n?[0-5])",
    r"(flex|justify-content|align-items|align-self|align-content)-.+",
    r"order-((sm|md|lg|xl)-)?(first|last|[0-9]+)",
    r"text-((sm|md|lg|xl)-)(left|right|center)",
    r"text-(truncate|monospace|secondary|dark|light|white|body|black-50|white-50)",
    r"font-(weight|italic).*",
    r"(bg|btn|border)-(secondary|light|dark|white)",
    r"btn-outline-.+",
    r"border(-(top|right|bottom|left|0|primary|success|info|warning|danger))?",
    r"rounded(-.+)?",
    r"shadow(-.+)?",
    r"[wh]-(25|50|75|100|auto)",
    r"col(-(sm|md|lg|xl))?(-auto)?",
    r"col-([1-9]|1[0-2])",
    r"offset-((sm|md|lg|xl)-)?[0-9]+",
    r"card(-.+)?",
    r"custom-(control|select|checkbox|radio|switch|file|range)(-.+)?",
    r"form-(row|inline-item|control-plaintext|check(-.+)?)",
    r"input-group-(prepend|append|text)",
    r"(img-fluid|table-sm|list-inline-item|page-item|page-link|navbar-expand(-.+)?|"
    r"dropdown-divider|sr-only-focusable)",
    r"no-gutters",
)]

# attributes Odoo 11 reads on a view's fields (a decoration-* on a field of
# a form or a list's cell is Odoo 12+: Odoo 11 reads it on <tree> only)
FIELD_DECORATION = re.compile(r"^decoration-")
VIEW_TYPES = {"tree", "form", "kanban", "search", "pivot", "graph", "calendar"}


def _manifest(module):
    path = ADDON / "__manifest__.py" if module == "crm_ext" else \
        ODOO_ADDONS / module / "__manifest__.py"
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def _dependencies():
    """crm_ext's add-ons and everything they depend on: what the web
    client runs with crm_ext installed."""
    seen, todo = set(), list(_manifest("crm_ext")["depends"]) + ["base", "web"]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_manifest(module).get("depends", []))
    return sorted(seen)


def _source_files(suffixes, folders=("static/src",)):
    for module in _dependencies():
        for folder in folders:
            base = ODOO_ADDONS / module / folder
            if not base.is_dir():
                continue
            for path in base.rglob("*"):
                # not the third-party libraries Odoo bundles (static/lib)
                if path.suffix in suffixes and "lib" not in path.relative_to(base).parts:
                    yield path


def _read(path):
    return path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def odoo11():
    """What Odoo 11's web client knows, from its source."""
    widgets, option_keys, classes, view_attributes = set(), set(), set(), set()
    registry_add = re.compile(r"""\.add\(\s*['"]([\w.]+)['"]""")
    option_read = re.compile(r"""[oO]ptions(?:\.(\w+)|\[['"](\w+)['"]\])""")
    odoo_class = re.compile(r"\bo(?:e)?_[A-Za-z0-9_@{}-]+")
    for path in _source_files({".js"}):
        text = _read(path)
        widgets.update(registry_add.findall(text))
        option_keys.update(a or b for a, b in option_read.findall(text))
        # a view reads its root's attributes as arch.attrs.<name>, or by a
        # name in a list of them
        view_attributes.update(re.findall(r"attrs\.(\w+)", text))
        if "/views/" in path.as_posix():
            view_attributes.update(re.findall(r"""['"]([a-z][a-z_]+)['"]""", text))
    # and the server reads them from the arch (groups, attrs, position...)
    for path in (ODOO_ADDONS / "base" / "ir" / "ir_ui_view.py",
                 ODOO_ADDONS.parent / "tools" / "view_validation.py",
                 ODOO_ADDONS.parent / "models.py"):
        view_attributes.update(re.findall(
            r"""(?:get|attrib\.get|pop)\(\s*['"]([a-z_]+)['"]""", _read(path)))
    for path in _source_files({".js", ".less", ".css", ".scss", ".xml"},
                              ("static/src", "views", "wizard", "report", "data")):
        classes.update(odoo_class.findall(_read(path)))
    # classes a stylesheet builds (.oe_kanban_color_@{size}) match any suffix
    literal = {name for name in classes if "@{" not in name}
    built = [re.compile(re.escape(name.split("@{")[0]) + r"\w+$")
             for name in classes if "@{" in name]
    return collections.namedtuple(
        "Odoo11", "widgets option_keys classes built view_attributes")(
        widgets, option_keys, literal, built, view_attributes)


def _addon_xml():
    files = sorted(path for path in ADDON.rglob("*.xml") if "static" not in path.parts)
    assert files, "crm_ext has XML files"
    return [(path.relative_to(ROOT), etree.parse(str(path))) for path in files]


def _where(path, node):
    return "%s:%s <%s>" % (path, node.sourceline, node.tag)


def _class_names(node):
    """The class names of an element, those a QWeb expression may add
    included (the string literals of t-att-class/t-attf-class)."""
    names = set((node.get("class") or "").split())
    for attribute in ("t-att-class", "t-attf-class"):
        value = node.get(attribute)
        if not value:
            continue
        if attribute == "t-attf-class":
            names.update(re.sub(r"#\{.*?\}|\{\{.*?\}\}", " ", value).split())
        for literal in re.findall(r"""'([^']*)'|"([^"]*)\"""", value):
            names.update("".join(literal).split())
    return {name for name in names if re.match(r"^[A-Za-z][\w-]*$", name)}


def test_widgets_are_registered_in_odoo_11(odoo11):
    unknown = ["%s widget=%r" % (_where(path, node), node.get("widget"))
               for path, tree in _addon_xml()
               for node in tree.iter("field", "widget")
               if node.get("widget") and node.get("widget") not in odoo11.widgets]
    unknown += ["%s name=%r" % (_where(path, node), node.get("name"))
                for path, tree in _addon_xml() for node in tree.iter("widget")
                if node.get("name") not in odoo11.widgets]
    assert unknown == []


def test_options_are_read_by_odoo_11(odoo11):
    ignored = []
    for path, tree in _addon_xml():
        for node in tree.iter():
            if not isinstance(node.tag, str) or not node.get("options"):
                continue
            options = ast.literal_eval(node.get("options"))
            ignored += ["%s options key %r" % (_where(path, node), key)
                        for key in sorted(options) if key not in odoo11.option_keys]
    assert ignored == []


def _classes_where(wrong):
    """The class names of crm_ext's XML for which ``wrong(name)``."""
    return ["%s class %r" % (_where(path, node), name)
            for path, tree in _addon_xml() for node in tree.iter()
            if isinstance(node.tag, str)
            for name in sorted(_class_names(node)) if wrong(name)]


def test_no_bootstrap_4_classes():
    assert _classes_where(lambda name: any(
        pattern.fullmatch(name) for pattern in BOOTSTRAP4_CLASSES)) == []


def test_odoo_classes_exist_in_odoo_11(odoo11):
    assert _classes_where(lambda name: ODOO_CLASS.match(name) and name not in odoo11.classes
                          and not any(pattern.match(name) for pattern in odoo11.built)) == []


def _view_archs():
    """(file, arch) of each view crm_ext defines or extends."""
    for path, tree in _addon_xml():
        for record in tree.iter("record"):
            if record.get("model") == "ir.ui.view":
                for arch in record.iterfind("field[@name='arch']"):
                    yield path, arch


def _unknown_attributes(nodes, known):
    return ["%s %s" % (_where(path, node), attribute)
            for path, node in nodes for attribute in sorted(node.attrib)
            if attribute not in known and not FIELD_DECORATION.match(attribute)]


def test_view_attributes_are_read_by_odoo_11(odoo11):
    """The attributes of a view's root (<tree multi_edit>, <kanban sample>
    are later versions')."""
    roots = [(path, root) for path, arch in _view_archs() for root in arch
             if root.tag in VIEW_TYPES]
    assert _unknown_attributes(roots, odoo11.view_attributes) == []


def test_field_attributes_are_read_by_odoo_11(odoo11):
    """<field optional="show"> and the like are later versions' (a kanban
    card's fields are QWeb's, not checked here)."""
    fields = [(path, node) for path, arch in _view_archs()
              for node in arch.iterdescendants("field")
              if not any(parent.tag == "templates" for parent in node.iterancestors())]
    assert _unknown_attributes(fields, odoo11.view_attributes) == []


def test_no_field_decorations_outside_lists():
    found = ["%s %s" % (_where(path, node), attribute)
             for path, tree in _addon_xml() for node in tree.iter("field")
             for attribute in node.attrib if FIELD_DECORATION.match(attribute)]
    assert found == []


def test_statusbars_are_clickable_the_odoo_11_way():
    """Odoo 11's statusbar reads ``clickable`` as an attribute (any
    non-empty value makes it clickable, so "False" would too)."""
    wrong = ["%s clickable=%r" % (_where(path, node), node.get("clickable"))
             for path, tree in _addon_xml() for node in tree.iter("field")
             if node.get("widget") == "statusbar" and node.get("clickable") not in
             (None, "True", "1")]
    assert wrong == []


def test_the_checks_see_what_odoo_12_would_add(odoo11):
    """The checks are not vacuous: what issue 12 found is flagged."""
    assert len(list(_view_archs())) > 40
    assert "clickable" not in odoo11.option_keys
    assert "fold_field" in odoo11.option_keys
    assert "percentage" not in odoo11.widgets and "statusbar" in odoo11.widgets
    assert "o_view_nocontent_smiling_face" not in odoo11.classes
    assert "oe_view_nocontent_create" in odoo11.classes
    assert any(pattern.match("oe_kanban_color_2") for pattern in odoo11.built)
    assert {"multi_edit", "sample", "optional", "js_class", "group_edit", "position",
            "sum"} & odoo11.view_attributes == {"js_class", "group_edit", "position", "sum"}
    node = etree.fromstring(
        """<span t-attf-class="badge #{x ? 'badge-danger' : ''} float-right ml-2"/>""")
    assert {name for name in _class_names(node)
            if any(p.fullmatch(name) for p in BOOTSTRAP4_CLASSES)} == {
        "badge-danger", "float-right", "ml-2"}


def test_complaint_kanban_sla_colours_are_the_documented_ones():
    """Breached red, at risk orange, met blue, on track green, in Odoo 11's
    palette (@odoo-color-<n> of web's variables.less)."""
    palette = dict(re.findall(r"@odoo-color-(\d+):\s*(#[0-9A-Fa-f]{6})", _read(
        ODOO_ADDONS / "web" / "static" / "src" / "less" / "variables.less")))
    kanban = etree.parse(str(ADDON / "views" / "crm_complaint_views.xml")).find(
        ".//record[@id='crm_complaint_view_kanban']/field[@name='arch']")
    card = kanban.find(".//div[@t-attf-class]").get("t-attf-class")
    colours = {status: palette[index].upper() for status, index in re.findall(
        r"== '(\w+)' \? 'oe_kanban_color_(\d+)'", card)}
    assert colours == {"breached": "#F06050", "at_risk": "#F4A460", "met": "#6CC1ED",
                       "on_track": "#30C381"}
