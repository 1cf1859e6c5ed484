"""Small helpers every form uses: select options, and errors flattened for the summary."""

from __future__ import annotations

from flask_wtf.i18n import translations
from wtforms import Field, Form
from wtforms.fields import FieldList, FormField, SelectChoice


class SubForm(Form):
    """A form nested in a FlaskForm (FormField, FieldList): WTForms' own messages in the
    user's language, as in the outer form."""

    class Meta:
        def get_translations(self, form):
            return translations


def options(pairs) -> list[SelectChoice]:
    """SelectChoice objects from (value, label) pairs (WTForms 3.3 drops plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def flat_errors(form: Form) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error, nested fields and form errors included."""
    out: list[tuple[str, str, str]] = []

    def walk(field: Field, parents: str):
        if isinstance(field, FormField):
            for sub in field.form:
                walk(sub, f"{parents}{field.label.text}·")
        elif isinstance(field, FieldList):
            for index, entry in enumerate(field.entries, start=1):
                row = f"{parents}{field.label.text} {index}·"
                if isinstance(entry, FormField):  # a row has no label of its own ("Rows-0")
                    for sub in entry.form:
                        walk(sub, row)
                else:
                    walk(entry, row)
        else:
            label = str(field.label.text)
            for message in field.errors:  # an amount's number carries the amount's label
                place = parents[:-1] if parents.endswith(f"·{label}·") or \
                    parents == f"{label}·" else f"{parents}{label}"
                out.append((field.id, place, message))

    for field in form:
        walk(field, "")
    for message in getattr(form, "form_errors", []):
        out.append(("", "", message))
    return out


def off_page(form: Form, shown: set[str]) -> None:
    """Problems of fields whose ids the page does not show are listed above its forms, so the
    summary never links to nothing."""
    for field in form:
        if field.errors and field.id not in shown:
            form.form_errors.extend(field.errors)
            field.errors = []
