"""``base64.encodestring`` and ``base64.decodestring`` were removed in
Python 3.9 (bpo-39351); they were aliases of ``encodebytes``/``decodebytes``.

Odoo 11 uses them for attachments (``ir_actions_report``, the web client's
upload controller, language import/export, ``ir_ui_menu`` icons, ...).
"""
import base64


def apply():
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
    if not hasattr(base64, "decodestring"):
        base64.decodestring = base64.decodebytes
