"""``time.clock`` was removed in Python 3.8 (bpo-36895).

Odoo 11's ``test_limits`` module and some libraries of its era call it; the
documented replacement for measuring CPU time is ``time.process_time``.
"""
import time


def apply():
    if not hasattr(time, "clock"):
        time.clock = time.process_time
