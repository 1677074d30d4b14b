"""The history of personal attributes in the interchange file: ``attribute_change`` records.

Each record says that from ``valid_from`` the person's ``attribute`` is ``value`` and before
it ``previous``; the check refuses a chain that does not hold (a change whose ``previous``
is not the value of the change before it) and two changes of one attribute on one day.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from dangbo.interchange.bulk import Importer, Table
from dangbo.interchange.reader import Checker, Rec
from dangbo.interchange.schema import BATCH, Field, RecordType, string
from dangbo.membership.models import PersonAttribute, PersonAttributeChange, Theory

if TYPE_CHECKING:
    from dangbo.interchange.export import Writer

ATTRIBUTE_CHANGE = RecordType(
    "attribute_change",
    "attr",
    "thay đổi thông tin nhân thân",
    (
        Field("person", "ref", required=True, target="person"),
        string(PersonAttributeChange, "attribute", required=True, choices=PersonAttribute.values),
        string(PersonAttributeChange, "value"),
        string(PersonAttributeChange, "previous"),
        Field("valid_from", "date", required=True),
        string(PersonAttributeChange, "note"),
        string(PersonAttributeChange, "actor"),
    ),
)
COLUMNS = ("attribute", "value", "previous", "valid_from", "note", "actor")


def export_attribute_changes(w: Writer) -> None:
    """Every change, in primary-key order (after the people it refers to)."""
    persons = w.refs["person"]
    refs = w.number(PersonAttributeChange, ATTRIBUTE_CHANGE)
    rows = PersonAttributeChange.objects.order_by("pk").values_list("pk", "person_id", *COLUMNS)
    for pk, person_id, *values in rows.iterator(chunk_size=BATCH):
        w.record(
            ATTRIBUTE_CHANGE,
            refs[pk],
            {"person": persons[person_id], **dict(zip(COLUMNS, values, strict=True))},
        )


def check_attribute_changes(ck: Checker) -> None:
    """Theory values among the choices, a date not before birth, one change a day, and the
    chain of each person's attribute (each ``previous`` the value of the change before)."""
    chains: dict[tuple[int, str], list[Rec]] = defaultdict(list)
    persons = ck.recs["person"]
    for c in ck.recs["attribute_change"]:
        if c.bad:
            continue
        attribute = c.get("attribute")
        if attribute == PersonAttribute.THEORY:
            for name in ("value", "previous"):
                if c.get(name) not in Theory.values:
                    ck.err(
                        c.line,
                        name,
                        f"«{c.get(name)}» không phải trình độ lý luận chính trị "
                        f"({', '.join(Theory.values)}).",
                    )
                    c.bad = True
        person = persons[c.get("person") - 1]
        if not person.bad and c.get("valid_from") < person.get("birth_date"):
            ck.err(c.line, "valid_from", "ngày hiệu lực trước ngày sinh của người này.")
            c.bad = True
        chains[(c.get("person"), attribute)].append(c)
    for chain in chains.values():
        chain.sort(key=lambda c: c.get("valid_from"))
        for before, after in zip(chain, chain[1:], strict=False):
            if before.get("valid_from") == after.get("valid_from"):
                ck.err(
                    after.line,
                    "valid_from",
                    f"đã có thay đổi cùng thông tin ngày này (dòng {before.line}).",
                )
                after.bad = True
            elif after.get("previous") != before.get("value"):
                ck.err(
                    after.line,
                    "previous",
                    f"giá trị trước đó «{after.get('previous')}» khác giá trị mới "
                    f"«{before.get('value')}» của thay đổi trước (dòng {before.line}).",
                )
                after.bad = True


def write_attribute_changes(imp: Importer) -> None:
    Table(PersonAttributeChange, ("id", "person_id", *COLUMNS, "recorded_at")).insert(
        (
            imp.id("attribute_change", c.idx),
            imp.id("person", c.get("person")),
            *(c.get(name) for name in COLUMNS),
            imp.now,
        )
        for c in imp.recs["attribute_change"]
    )
