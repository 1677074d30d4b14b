"""Forms share one way of showing a refusal of the domain: beside the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms

from dangbo.core.errors import DomainError, RuleViolation


def add_domain_error(
    form: forms.Form,
    exc: DomainError,
    rename: Callable[[str | None], str | None] | None = None,
) -> None:
    """Put the service's refusal on the form: on the field `exc.field` names when the form
    has it (its last dotted part also matches, e.g. ``decision.number`` → ``number``), else
    above the form. A rule violation shows each rule with its regulation, beside the field
    that rule names (else the error's). `rename` maps a service's field to the form's."""

    def place(field: str | None) -> str | None:
        if rename is not None:
            field = rename(field)
        if field and field not in form.fields:
            tail = field.rsplit(".", 1)[-1]
            field = tail if tail in form.fields else None
        return field

    if isinstance(exc, RuleViolation):
        for v in exc.violations:
            text = f"{v.regulation}: {v.sentence()}" if v.regulation else v.sentence()
            form.add_error(place(v.field or exc.field), text)
        return
    form.add_error(place(exc.field), exc.message)


T = TypeVar("T")


def form_write(form: forms.Form, write: Callable[[], T]) -> tuple[bool, T | None]:
    """Call the service `write` for a valid form: (True, its result), or (False, None) with
    its refusal put on the form by :func:`add_domain_error` (nothing was written)."""
    try:
        return True, write()
    except DomainError as exc:
        add_domain_error(form, exc)
        return False, None


class DateInput(forms.DateInput):
    """A date field typed as dd/mm/yyyy or picked in the browser's calendar."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
