"""Every API serializer that reads a request is built from the checked input fields of
programs/api/fields.py, so no field reaches the database with a NUL, a line break where one
line is expected, digits other than 0 to 9, or an id that is not a whole number."""

import inspect

from rest_framework import serializers

from accounts.api import auth
from portal.api import fields
from programs.audit import api as audit
from programs.days.api import days, invitations, public_registrations, registrations, shifts
from programs.empowerment.api import approvals, budgets, delegations, gestures, reviews
from programs.insights import api as insights
from programs.stories import api as stories

INPUT_FIELDS = (
    fields.AmountField,
    fields.DayField,
    fields.EmailAddressField,
    fields.IdField,
    fields.IdRelatedField,
    fields.LineField,
    fields.MomentField,
    fields.MonthField,
    fields.PasswordField,
    fields.ReferenceField,
    fields.SlugChoiceField,
    fields.TextField,
    fields.WebAddressField,
    fields.WholeNumberField,
    # Compared with a fixed list of values, never looked up or stored as typed.
    serializers.ChoiceField,
    serializers.BooleanField,
)


# Answers only: never built from a request, so they declare plain fields.
OUTPUT_ONLY = {
    audit.AuditVerifySerializer,
    public_registrations.PublicRegistrationResultSerializer,
    stories.PersonSerializer,
    stories.StorySerializer,
    insights.OutcomeSerializer,
    insights.NamedSerializer,
    insights.UnusedSerializer,
    insights.SpendSerializer,
}


def input_serializers():
    for module in (
        approvals,
        audit,
        budgets,
        days,
        delegations,
        gestures,
        insights,
        invitations,
        public_registrations,
        registrations,
        shifts,
        stories,
        reviews,
        auth,
    ):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, serializers.Serializer)
                and cls.__module__ == module.__name__
                and cls not in OUTPUT_ONLY
            ):
                yield cls


def test_every_writable_field_of_every_api_serializer_is_one_of_the_checked_fields():
    unchecked = [
        f"{cls.__module__}.{cls.__name__}.{name}: {type(f).__name__}"
        for cls in input_serializers()
        for name, f in cls().fields.items()
        if not f.read_only and not isinstance(f, INPUT_FIELDS)
    ]
    assert unchecked == []
