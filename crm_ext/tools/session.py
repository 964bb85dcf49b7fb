"""PostgreSQL settings for statements over a whole company."""
import contextlib

# JIT compilation of the wide set-based statements costs more than it saves,
# and grouping 100,000 customers needs more than the default 4 MB of memory
# to stay off the disk.
WHOLE_COMPANY = {"jit": "off", "work_mem": "64MB"}


@contextlib.contextmanager
def tuned(cr, settings=None):
    """Run the block with ``settings`` (a dict of PostgreSQL setting names
    to values, :data:`WHOLE_COMPANY` by default) set for the transaction,
    and put back the values they replaced when it ends.  A setting this
    server lacks is skipped.  On an error nothing is put back: the rollback
    (of the transaction or of its savepoint) undoes the settings itself, and
    a statement in an aborted transaction would hide the error."""
    previous = {}
    for name, value in sorted((WHOLE_COMPANY if settings is None else settings).items()):
        # current_setting(..., true) is NULL for a setting this server lacks
        cr.execute("SELECT current_setting(%s, true)", (name,))
        current = cr.fetchone()[0]
        if current is not None:
            previous[name] = current
            cr.execute("SELECT set_config(%s, %s, true)", (name, value))
    yield
    for name, value in sorted(previous.items()):
        cr.execute("SELECT set_config(%s, %s, true)", (name, value))
