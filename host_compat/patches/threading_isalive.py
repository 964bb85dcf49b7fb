"""``threading.Thread.isAlive`` was removed in Python 3.9 (bpo-37804).

Odoo 11's ``ThreadedServer.stop`` (``odoo/service/server.py``) joins the
remaining threads with ``while thread.isAlive()``: without the alias every
server shutdown (Ctrl-C, ``--stop-after-init`` with HTTP) ends in a traceback.
"""
import threading


def apply():
    if not hasattr(threading.Thread, "isAlive"):
        threading.Thread.isAlive = threading.Thread.is_alive
