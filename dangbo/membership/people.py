"""Personal records (nhân thân): the fields a person has, their creation and correction.

A bad field is refused with a Vietnamese message naming it.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field

from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.membership.aggregates import spells_changed
from dangbo.membership.models import MembershipSpell, Person

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
    _clean(person)
    person.save()
    audit(actor=actor, action="person_create", obj=person, after={"full_name": person.full_name})
    return person


def _clean(person: Person) -> None:
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


#: what a correction may change: the facts of the record that have no dated history (the
#: attributes that change over time go through ``attributes.person_attribute_change``)
CORRECTABLE = ("full_name", "gender", "birth_date", "home_town", "citizen_id", "phone", "address")


@transaction.atomic
def person_correct(*, person: Person, actor: str, **fields: Any) -> Person:
    """Correct a wrongly recorded fact of a personal record (name, gender, birth date, …).

    A gender corrected moves the person's membership spells between the stocks of women and
    men in the figure aggregates, in the same transaction (over the whole history: the record
    was wrong, not the person changed)."""
    unknown = set(fields) - set(CORRECTABLE)
    if unknown:
        raise InvalidInput(
            f"Trường không sửa được theo cách này: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )
    if fields.get("citizen_id") == "":
        fields["citizen_id"] = None
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = {k: getattr(person, k) for k in fields}
    changed = {k: v for k, v in fields.items() if before[k] != v}
    if not changed:
        return person
    for k, v in changed.items():
        setattr(person, k, v)
    _clean(person)
    spells = (
        list(MembershipSpell.objects.filter(person=person).values_list("pk", flat=True))
        if "gender" in changed
        else []
    )
    spells_changed(spells, -1)  # counted with the gender recorded so far
    person.save()
    spells_changed(spells, 1)
    audit(
        actor=actor,
        action="person_correct",
        obj=person,
        before={k: str(before[k]) for k in changed},
        after={k: str(v) for k, v in changed.items()},
    )
    return person
