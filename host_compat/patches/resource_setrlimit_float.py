"""``resource.setrlimit`` refuses float limits since Python 3.10 (bpo-37999:
integer arguments no longer go through ``__int__``).

Odoo 11's prefork workers (``Worker.process_limit``, ``odoo/service/server.py``)
set their CPU limit to the CPU time used so far (``ru_utime + ru_stime``, a
float) plus ``limit_time_cpu``: without the conversion every HTTP and cron
worker dies with ``TypeError`` before its first request, and the master forks
new ones in a loop.  Limits are truncated to whole units, as Python 3.6 did.
"""
import resource

_setrlimit = resource.setrlimit


def setrlimit(which, limits):
    """``resource.setrlimit`` taking float limits, truncated as Python 3.6 did."""
    soft, hard = limits
    return _setrlimit(which, (int(soft), int(hard)))


def apply():
    if resource.setrlimit is _setrlimit:
        resource.setrlimit = setrlimit
