"""Every field of every form in programs/forms.py is one of the checked fields defined there,
so no page hands the database a NUL, a line break where one line is expected, digits other
than 0 to 9, or an id that is not a whole number."""

import inspect

from django import forms

from portal import forms as portal_forms
from programs.audit import forms as audit_forms
from programs.days import forms as day_forms
from programs.empowerment import forms as empowerment_forms

# Every module of the portal that declares forms.
FORM_MODULES = [portal_forms, empowerment_forms, audit_forms, day_forms]

CHECKED = (
    portal_forms.LineField,
    portal_forms.ReferenceField,
    portal_forms.TextField,
    portal_forms.EmailAddressField,
    portal_forms.WebAddressField,
    portal_forms.ChoiceOfField,
    portal_forms.DayField,
    portal_forms.MonthField,
    portal_forms.DateTimeLocalField,
    portal_forms.WholeNumberField,
    portal_forms.AmountField,
    # Compared with a fixed list of choices, never looked up or stored as typed.
    forms.ChoiceField,
    forms.BooleanField,
)


def test_every_form_field_is_a_checked_one():
    form_classes = [
        cls
        for module in FORM_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]
    assert len(form_classes) > 15
    unchecked = [
        f"{cls.__name__}.{name}: {type(field).__name__}"
        for cls in form_classes
        for name, field in cls.base_fields.items()
        if not isinstance(field, CHECKED)
    ]
    assert unchecked == []


def test_the_checked_choice_field_is_not_a_plain_model_choice():
    # ModelChoiceField is a ChoiceField: only the checked subclass may stand for it.
    fields = [
        field
        for module in FORM_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm)
        for field in cls.base_fields.values()
        if isinstance(field, forms.ModelChoiceField)
    ]
    assert fields
    assert all(isinstance(field, portal_forms.ChoiceOfField) for field in fields)
