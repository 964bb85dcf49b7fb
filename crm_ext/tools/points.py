# Copyright 2026 crm_ext contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Loyalty points as people read them."""


def format_points(points):
    """A number of points as a message shows it: 250.0 -> '250',
    12.5 -> '12.5'."""
    return ("%.2f" % points).rstrip("0").rstrip(".")
