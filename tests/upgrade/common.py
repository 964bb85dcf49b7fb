"""The base of the upgrade cases: facts read through the ORM, by the fields
both the old release and the current code have, compared after the upgrade.

Only APIs Odoo 11 and every release of crm_ext share: ``search_read`` and
``_fields``; computed fields are recomputed by each version's own code, so
a figure that the upgrade changes shows as a difference."""

MISSING = "<missing>"


def _plain(value):
    """A JSON-able value: a many2one as its id, floats rounded to the cent
    of a point (the old and new code may sum in another order)."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], int):
        return value[0]
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list):
        return sorted(value)
    return value


class UpgradeCase(object):
    """One concern of the upgrade. ``models`` maps a model to the fields
    whose values must survive (those a release lacks are left out, by the
    old database's own fields); subclasses add facts of their own with
    ``_prepare_more`` and ``_check_more``, meant to be overridden."""

    models = {}

    def prepare(self, env):
        """Facts of the old database: {model: {"fields": [...], "rows":
        {id: {field: value}}}} plus what ``_prepare_more`` adds."""
        facts = {}
        for model, names in sorted(self.models.items()):
            if model not in env:
                continue
            present = [name for name in names if name in env[model]._fields]
            records = env[model].with_context(active_test=False).search_read(
                [], present, order="id")
            facts[model] = {
                "fields": present,
                "rows": {str(rec["id"]): {name: _plain(rec[name]) for name in present}
                         for rec in records},
            }
        facts["more"] = self._prepare_more(env)
        return facts

    def _prepare_more(self, env):
        """More facts of the old database (JSON-able). Meant to be overridden."""
        return {}

    def check(self, env, facts):
        """The differences between ``facts`` and the upgraded database: a
        list of strings, empty when everything survived."""
        problems = []
        for model, before in sorted(facts.items()):
            if model == "more":
                continue
            if model not in env:
                problems.append("%s: the model is gone" % model)
                continue
            names = [name for name in before["fields"] if name in env[model]._fields]
            gone = sorted(set(before["fields"]) - set(names))
            if gone:
                problems.append("%s: fields gone: %s" % (model, ", ".join(gone)))
            records = env[model].with_context(active_test=False).search_read(
                [], names, order="id")
            after = {str(rec["id"]): rec for rec in records}
            vanished = sorted(set(before["rows"]) - set(after), key=int)
            if vanished:
                problems.append("%s: %d rows vanished (%s)" % (
                    model, len(vanished), ", ".join(vanished[:10])))
            for row_id, values in sorted(before["rows"].items(), key=lambda item: int(item[0])):
                if row_id not in after:
                    continue
                for name in names:
                    new = _plain(after[row_id][name])
                    if new != values.get(name, MISSING):
                        problems.append("%s(%s).%s: %r became %r" % (
                            model, row_id, name, values.get(name), new))
        problems.extend(self._check_more(env, facts.get("more", {})))
        return problems

    def _check_more(self, env, more):
        """The differences in the facts of ``_prepare_more``: a list of
        strings. Meant to be overridden."""
        return []

    @staticmethod
    def _compare(label, before, after):
        """A one-item list saying how ``before`` became ``after``, or []."""
        return [] if before == after else ["%s: %r became %r" % (label, before, after)]
