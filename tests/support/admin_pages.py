"""Helpers for tests that post the real admin forms: what the browser would send back."""

from django.forms import BaseFormSet, Form


def change_form_data(client, url: str) -> dict:
    """GET an admin change page and return what its Save button would post unchanged: the
    main form's values, and every inline's management form and rows."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset: BaseFormSet = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.initial_forms:
            _add_form(data, form)
    return data


def add_inline_row(data: dict, prefix: str, **values) -> dict:
    """Fill in the inline's next empty row, as clicking "Add another" and typing would."""
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    for name, value in values.items():
        data[f"{prefix}-{row}-{name}"] = str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    return data


def inline_row_of(data: dict, prefix: str, **match) -> int:
    """The index of the existing inline row whose fields hold ``match``."""
    for row in range(int(data[f"{prefix}-INITIAL_FORMS"])):
        if all(data.get(f"{prefix}-{row}-{k}") == str(v) for k, v in match.items()):
            return row
    raise AssertionError(f"no {prefix} row with {match}")


def _add_form(data: dict, form: Form) -> None:
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            continue
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)
