from odoo import models

from .test_complaint_resolution_common import ComplaintResolutionCase


class TestComplaintWizardForms(ComplaintResolutionCase):
    """Issue 12, items 13 and 15: the wizards open in the web client the way
    it opens them (``default_get`` of the view's fields, then ``onchange``
    with every field of the view, the missing ones empty) and show what they
    are about."""

    def _open(self, model_name, user=None, **context):
        """Open a new ``model_name`` form as Odoo 11's web client does:
        returns (the model, the values the form holds, the onchange spec)."""
        model = self.env[model_name].sudo(user or self.officer).with_context(**context)
        view = model.fields_view_get(view_type="form")
        spec = model._onchange_spec(view)
        names = [name for name in view["fields"] if name != "__last_update"]
        values = model.default_get(names)
        for name in names:
            field = model._fields[name]
            if name not in values:
                values[name] = (0 if field.type in ("float", "integer", "monetary")
                                else [] if field.type in ("one2many", "many2many") else False)
        values.update(self._onchange_values(model, values, names, spec))
        return model, values, spec

    def _onchange_values(self, model, values, field_names, spec):
        result = model.onchange(values, field_names, spec)
        self.assertFalse(result.get("warning"))
        return result.get("value", {})

    def _edit(self, form_model, form_values, onchange_spec, **changes):
        # (names no field of a wizard has: mail.compose.message has "model")
        values = dict(form_values, **changes)
        field_name = list(changes)[0] if len(changes) == 1 else list(changes)
        values.update(self._onchange_values(form_model, values, field_name, onchange_spec))
        return values

    # 13

    def test_12_13_compensation_wizard_opens_and_keeps_the_points(self):
        complaint = self._complaint()
        model, values, spec = self._open("crm.complaint.compensation.wizard",
                                         default_complaint_id=complaint.id)
        self.assertEqual(values["complaint_id"], complaint.id)
        self.assertEqual(self._id(values["program_id"]), self.program.id)
        values = self._edit(model, values, spec, points=400.0)
        self.assertEqual(values["points"], 400.0)
        self.assertAlmostEqual(values["value"], 4.0)
        wizard = model.create({name: value for name, value in values.items()
                               if not model._fields[name].readonly
                               or name == "complaint_id"})
        wizard.action_apply()
        self.assertEqual(complaint.loyalty_entry_ids.points, 400.0)

    def test_12_13_every_wizard_opens_before_its_record_is_filled(self):
        # crm_ext's wizards and those it extends, opened from nowhere (no
        # context) and edited field by field with nothing filled in
        wizards = [name for name, model in self.env.items()
                   if model._transient and not model._abstract
                   and name not in ("base.module.upgrade",)
                   and self._crm_ext_defines(type(model))]
        self.assertIn("crm.complaint.compensation.wizard", wizards)
        self.assertIn("stock.return.picking", wizards)
        for name in wizards:
            if name.endswith(".line"):
                continue
            try:
                model, values, spec = self._open(name, user=self.env.user)
                for field_name in list(values):
                    if field_name == "id":
                        continue
                    self._edit(model, values, spec, **{field_name: values[field_name]})
            except Exception as error:  # the name of the wizard in the failure
                raise AssertionError("%s: %s" % (name, error))

    @staticmethod
    def _crm_ext_defines(cls):
        return any(getattr(base, "_module", None) == "crm_ext"
                   for base in cls.__mro__ if issubclass(base, models.BaseModel))

    @staticmethod
    def _id(value):
        return value[0] if isinstance(value, (list, tuple)) else value

    # 15

    def test_12_15_credit_note_lines_show_the_invoice_lines(self):
        complaint = self._complaint(invoice_id=self.invoice.id)
        model, values, spec = self._open("crm.complaint.credit.note.wizard",
                                         default_complaint_id=complaint.id)
        values = self._edit(model, values, spec, refund_mode="lines")
        lines = [command[2] for command in values["line_ids"]
                 if isinstance(command, (list, tuple)) and command[0] in (0, 1)]
        self.assertEqual(len(lines), 2)
        shown = sorted((self._id(line["product_id"]), line["name"], line["price_unit"],
                        line["invoiced_quantity"], line["quantity"]) for line in lines)
        self.assertEqual(shown, sorted([
            (self.product.id, "Insight Widget", 100.0, 3.0, 3.0),
            (self.gadget.id, "Complaint Gadget", 50.0, 2.0, 2.0),
        ]))
