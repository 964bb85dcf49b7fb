"""Upgrade cases in the style of Odoo's upgrade tooling (upgrade-util's
``UpgradeCase``): each module here but ``common`` and ``runner`` holds one
concern, a ``prepare(env)`` run on the old release's code that returns
JSON-able facts, and a ``check(env, facts)`` run on the upgraded database
with the current code that returns the differences found (``runner.py``
runs them; ``tests/test_upgrade.py`` drives it)."""
