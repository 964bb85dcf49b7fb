from psycopg2 import IntegrityError

import odoo
from odoo.exceptions import UserError, ValidationError
from odoo.service import model as service_model
from odoo.tests import common
from odoo.tools import mute_logger

from ..exceptions import NotWholePointsError
from .test_loyalty_common import LoyaltyCase


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyProgram(LoyaltyCase):
    """Bad program settings are refused, each with its message, and nothing
    is written."""

    def assertRefused(self, error, action, message=None):
        counts = self._counts()
        with self.assertRaises(error) as caught, self.env.cr.savepoint():
            with mute_logger("odoo.sql_db"):
                action()
        if message:
            self.assertIn(message, str(caught.exception))
        self.assertNotIn("Error while validating constraint", str(caught.exception))
        self.env.cache.invalidate()
        self.assertEqual(self._counts(), counts)

    def _new_program(self, **values):
        values.setdefault("name", "Refused")
        return lambda: self.program_model.create(values)

    def test_zero_or_negative_rates_are_refused(self):
        for values, constraint in [
                ({"points_per_unit": 0.0}, "points_per_unit_positive"),
                ({"points_per_unit": -1.0}, "points_per_unit_positive"),
                ({"point_value": 0.0}, "point_value_positive"),
                ({"point_value": -0.01}, "point_value_positive"),
                ({"points_rounding": 0.0}, "rounding_positive"),
                ({"min_amount": -1.0}, "min_amount_positive"),
                ({"min_redeem_points": -1.0}, "min_redeem_positive"),
                ({"max_redeem_share": 0.0}, "max_share_range"),
                ({"max_redeem_share": 101.0}, "max_share_range"),
                ({"expiry_months": -1}, "expiry_positive"),
                ({"birthday_bonus": -50.0}, "bonus_positive"),
                ({"referral_bonus": -50.0}, "bonus_positive"),
                ({"tier_grace_days": -1}, "grace_positive")]:
            self.assertRefused(IntegrityError, self._new_program(**values), constraint)
            self.assertRefused(IntegrityError, lambda: self.program.write(values), constraint)
        self.assertEqual(self.program.points_per_unit, 1.0)

    def test_zero_or_negative_tier_and_category_multipliers_are_refused(self):
        self.assertRefused(IntegrityError, lambda: self.tier_silver.write(
            {"earn_multiplier": 0.0}), "multiplier_positive")
        self.assertRefused(IntegrityError, lambda: self.tier_silver.write(
            {"min_spend": -10.0}), "min_spend_positive")
        category = self.env["product.category"].create({"name": "Refused"})
        self.assertRefused(IntegrityError, lambda: self.program.write({
            "category_rule_ids": [(0, 0, {"categ_id": category.id, "multiplier": -1.0})]}),
            "multiplier_positive")

    def test_overlapping_tier_thresholds_are_refused(self):
        self.assertRefused(ValidationError, lambda: self.program.write({"tier_ids": [
            (0, 0, {"name": "Silver again", "min_spend": 2000.0})]}),
            "Two tiers of Test Loyalty have the same qualifying spend")
        self.assertRefused(ValidationError, lambda: self.tier_gold.write(
            {"min_spend": 2000.0}), "same qualifying spend")
        self.assertRefused(ValidationError, self._new_program(tier_ids=[
            (0, 0, {"name": "A", "min_spend": 100.0}),
            (0, 0, {"name": "B", "min_spend": 100.0})]), "same qualifying spend")
        self.assertEqual(self.tier_gold.min_spend, 5000.0)

    def test_points_must_be_worth_whole_cents(self):
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"points_rounding": 0.5}), "whole number of 0.01")
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"points_rounding": 10.0, "birthday_bonus": 55.0}), "multiples of the rounding")
        self.program.write({"points_rounding": 5.0})

    def test_points_are_whole_numbers(self):
        """Shown as whole numbers everywhere, so moved by whole steps: half a
        point worth a whole cent is still refused."""
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"point_value": 0.02, "points_rounding": 0.5}), "whole number of points")
        self.assertEqual(self.program.points_rounding, 1.0)

    def test_a_point_may_be_worth_less_than_a_cent(self):
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"point_value": 0.005, "points_rounding": 1.0}), "whole number of 0.01")
        self.program.write({"point_value": 0.005, "points_rounding": 2.0,
                            "birthday_bonus": 0.0, "referral_bonus": 0.0})
        self.assertEqual(self.program.point_value, 0.005, "kept, not rounded to the cent")

    def test_accounting_needs_three_accounts_of_the_company(self):
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"income_account_id": self.expense_account.id}), "three different accounts")
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"income_account_id": False}), "three different accounts")
        self.program.write({"journal_id": False, "expense_account_id": False,
                            "liability_account_id": False, "income_account_id": False})

    def test_program_cannot_end_before_it_starts(self):
        self.assertRefused(ValidationError, lambda: self.program.write(
            {"date_start": "2027-01-01", "date_end": "2026-12-31"}), "cannot end before")

    def test_active_program_follows_dates_and_sequence(self):
        active = self.program_model._active_program
        later = self.program.copy({"name": "Later", "sequence": 5,
                                   "date_start": "2030-01-01"})
        self.assertEqual(active(self.company), self.program)
        self.assertEqual(active(self.company, "2030-01-01"), self.program, "first by sequence")
        self.program.date_end = "2029-12-31"
        self.assertEqual(active(self.company, "2029-12-31"), self.program)
        self.assertEqual(active(self.company, "2030-01-01"), later)

    def test_ledger_entries_are_never_changed_or_deleted(self):
        member = self._enrol(self._customer("Ledger"))
        entry = self._give(member, 100.0)
        for action in (lambda: entry.write({"points": 1000.0}), entry.unlink,
                       lambda: self.entry_model.create({
                           "member_id": member.id, "entry_type": "adjust", "points": 5.0})):
            self.assertRefused(UserError, action)
        self.assertEqual(entry.points, 100.0)
        self.assertRefused(UserError, member.unlink, "cannot be deleted")

    def test_ledger_refuses_partial_points(self):
        member = self._enrol(self._customer("Partial"))
        self.assertRefused(UserError, lambda: self._give(member, 10.5),
                           "Points move by multiples of 1 in Test Loyalty: 10.5 is not one.")
        self.assertRefused(UserError, lambda: self._give(member, 0.0))

    def test_partial_points_are_one_error_wherever_they_move(self):
        """The ledger and the adjustment wizard refuse partial points with
        the same error, in the program's terms."""
        member = self._enrol(self._customer("Partial Everywhere"))
        wizard = self.env["crm.loyalty.adjust.wizard"].sudo(self.loyalty_manager).create({
            "member_id": member.id, "points": 12.5, "reason": "Half a point"})
        for action in (wizard.action_apply, lambda: self._give(member, 12.5)):
            self.assertRefused(NotWholePointsError, action,
                               "Points move by multiples of 1 in Test Loyalty: 12.5 is not one.")

    def test_member_is_the_commercial_partner_once_per_program(self):
        company = self._customer("Enrolled Co")
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": company.id})
        self.assertRefused(ValidationError, lambda: self.member_model.create({
            "program_id": self.program.id, "partner_id": contact.id}),
            "Contact is a contact of Enrolled Co: enrol the company")
        self._enrol(company)
        self.assertRefused(IntegrityError, lambda: self.member_model.create({
            "program_id": self.program.id, "partner_id": company.id}),
            "partner_program_uniq")


@common.at_install(False)
@common.post_install(True)
class TestLoyaltyProgramRpc(common.TransactionCase):
    """Through the RPC layer, as the web client calls it: a database
    constraint comes back as a validation error with its message, and the
    transaction is rolled back."""

    def _programs(self):
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM crm_loyalty_program")
            return cr.fetchone()[0]

    def test_zero_rate_is_a_clear_error_and_writes_nothing(self):
        before = self._programs()
        try:
            with self.assertRaises(ValidationError) as caught, \
                    mute_logger("odoo.sql_db"):
                service_model.execute_kw(
                    self.env.cr.dbname, odoo.SUPERUSER_ID, "crm.loyalty.program", "create",
                    [{"name": "RPC zero rate", "points_per_unit": 0.0}])
            self.assertEqual(caught.exception.name,
                             "Points per currency unit must be above zero.")
            self.assertEqual(self._programs(), before)
        finally:
            with odoo.registry(self.env.cr.dbname).cursor() as cr:
                cr.execute("DELETE FROM crm_loyalty_program WHERE name = 'RPC zero rate'")
