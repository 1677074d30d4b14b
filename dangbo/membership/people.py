"""Personal records (nhân thân): the fields a person has and their creation.

A bad field is refused with a Vietnamese message naming it.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Field

from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.membership.models import Person

PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "home_town",
    "citizen_id",
    "education",
    "qualification",
    "theory",
    "occupation",
    "phone",
    "address",
)


def person_create(*, actor: str, **fields: Any) -> Person:
    """Create a personal record; bad fields get a Vietnamese message naming the field."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(
            f"Trường không hợp lệ: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0]
        )
    if fields.get("citizen_id") == "":
        fields["citizen_id"] = None
    person = Person(**fields)
    try:
        person.full_clean()
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        label = (
            cast("Field[Any, Any]", Person._meta.get_field(name)).verbose_name
            if name != "__all__"
            else "nhân thân"
        )
        raise InvalidInput(f"Trường «{label}»: {messages[0]}", field=name) from None
    person.save()
    audit(actor=actor, action="person_create", obj=person, after={"full_name": person.full_name})
    return person
