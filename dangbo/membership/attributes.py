"""Personal attributes over time (education, qualification, political theory, occupation,
ethnicity, religion): the effective-dated history of :class:`PersonAttributeChange`.

The value on a date D is the ``previous`` of the person's earliest change after D, or the
current column of :class:`Person` when no change comes after D. The service keeps the chain
(each change's ``previous`` is the value in force before it) and the current column in step.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import Field

from dangbo.core.dates import today
from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit
from dangbo.core.text import nfc
from dangbo.membership.models import Person, PersonAttribute, PersonAttributeChange, Theory


def _label(attribute: str) -> str:
    return str(PersonAttribute(attribute).label)


def attribute_value_on(person: Person, attribute: str, on: date) -> str:
    """The value of `attribute` of `person` in force on `on`."""
    later = (
        PersonAttributeChange.objects.filter(person=person, attribute=attribute, valid_from__gt=on)
        .order_by("valid_from")
        .first()
    )
    return later.previous if later is not None else str(getattr(person, attribute))


def _clean_value(attribute: str, value: str) -> str:
    if attribute not in PersonAttribute.values:
        raise InvalidInput(
            f"Thông tin «{attribute}» không theo dõi theo thời gian.", field="attribute"
        )
    value = nfc(value.strip())
    if attribute == PersonAttribute.THEORY and value not in Theory.values:
        raise InvalidInput(
            f"Trường «{_label(attribute)}»: «{value}» không hợp lệ; chọn một trong: "
            f"{', '.join(Theory.values)}.",
            field="value",
        )
    limit = cast("Field[Any, Any]", Person._meta.get_field(attribute)).max_length or 40
    if len(value) > limit:
        raise InvalidInput(f"Trường «{_label(attribute)}» dài quá {limit} ký tự.", field="value")
    return value


@transaction.atomic
def person_attribute_change(
    *,
    person: Person,
    attribute: str,
    value: str,
    on: date | None,
    note: str = "",
    actor: str,
) -> PersonAttributeChange | None:
    """Record that from `on` the person's `attribute` is `value` (audited).

    `on=None` corrects the value for every date (a wrong ethnicity recorded at the start),
    allowed only while the attribute has no dated change. A second change on the same day
    replaces the first. Refused: a date after today or before the birth date, a value equal
    to the one already in force that day.
    """
    value = _clean_value(attribute, value)
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = PersonAttributeChange.objects.filter(person=person, attribute=attribute)
    current = str(getattr(person, attribute))
    if on is None:
        if changes.exists():
            raise InvalidInput(
                f"«{_label(attribute)}» đã có lịch sử thay đổi; hãy ghi thay đổi kèm ngày hiệu lực.",
                field="valid_from",
            )
        setattr(person, attribute, value)
        person.save(update_fields=[attribute])
        audit(
            actor=actor,
            action="person_attribute_correct",
            obj=person,
            before={attribute: current},
            after={attribute: value, "note": note},
        )
        return None
    if on > today():
        raise InvalidInput(
            f"Ngày hiệu lực {on:%d/%m/%Y} sau ngày hôm nay; chỉ ghi thay đổi đã xảy ra.",
            field="valid_from",
        )
    if on < person.birth_date:
        raise InvalidInput(
            f"Ngày hiệu lực {on:%d/%m/%Y} trước ngày sinh {person.birth_date:%d/%m/%Y}.",
            field="valid_from",
        )
    before = attribute_value_on(person, attribute, on - timedelta(days=1))
    if value == before:
        raise InvalidInput(
            f"«{_label(attribute)}» của {person.full_name} ngày {on:%d/%m/%Y} đã là «{value}».",
            field="value",
        )
    change = changes.filter(valid_from=on).first()
    old = change.value if change is not None else None
    if change is None:
        change = PersonAttributeChange.objects.create(
            person=person,
            attribute=attribute,
            value=value,
            previous=before,
            valid_from=on,
            note=note,
            actor=actor,
        )
    else:
        change.value, change.note, change.actor = value, note or change.note, actor
        change.save(update_fields=["value", "note", "actor"])
    following = changes.filter(valid_from__gt=on).order_by("valid_from").first()
    if following is not None:
        following.previous = value
        following.save(update_fields=["previous"])
    else:
        setattr(person, attribute, value)
        person.save(update_fields=[attribute])
    audit(
        actor=actor,
        action="person_attribute_change",
        obj=change,
        before={"person": person.pk, attribute: old if old is not None else before},
        after={"person": person.pk, attribute: value, "on": on.isoformat(), "note": note},
    )
    return change
