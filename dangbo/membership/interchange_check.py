"""Checks of the membership records of an interchange file.

Each member's live events are folded with :func:`~dangbo.membership.planning.plan_member`,
the check the services use, so a refused event carries the service's rule code and
regulation.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date

from dangbo.core.errors import LedgerError, RuleViolation, violations_text
from dangbo.core.models import Decision
from dangbo.interchange.reader import Checker, Rec
from dangbo.membership.ledger import EventData, OrgLookup, Spell, State, apply
from dangbo.membership.models import EventKind
from dangbo.membership.planning import NewEvent, plan_member
from dangbo.membership.rules import (
    PersonData,
    check_certified_on,
    check_class_dates,
    check_not_candidate,
    check_not_member,
    check_reversible,
)
from dangbo.organizations.interchange import org_kinds

CITIZEN_ID = re.compile(r"^\d{12}$")


def person_name(ck: Checker, person: int) -> str:
    """The full name of the file's `person`-th person (for messages)."""
    name: str = ck.recs["person"][person - 1].get("full_name") or f"#{person}"
    return name


def check(ck: Checker) -> None:
    _check_people(ck)
    _check_events(ck)
    _check_candidates(ck)
    _check_classes(ck)


def _check_people(ck: Checker) -> None:
    ids: dict[str, int] = {}
    for p in ck.recs["person"]:
        cid = p.get("citizen_id")
        if cid is None:
            continue
        if not CITIZEN_ID.match(cid):
            ck.err(p.line, "citizen_id", "số CCCD phải gồm đúng 12 chữ số.")
            p.bad = True
        elif cid in ids:
            ck.err(p.line, "citizen_id", f"trùng số CCCD với dòng {ids[cid]}.")
            p.bad = True
        else:
            ids[cid] = p.line
    persons = ck.recs["person"]
    taken: dict[int, int] = {}
    for m in ck.recs["member"]:
        if m.bad:
            continue
        person = m.get("person")
        for v in check_not_member(name=person_name(ck, person), member=person in taken):
            ck.violation(
                m.line, "person", v, where=f"«{persons[person - 1].ref}», dòng {taken.get(person)}"
            )
            m.bad = True
        taken[person] = m.line


def _check_events(ck: Checker) -> None:
    events = ck.recs["event"]
    reversed_by: dict[int, int] = {}
    for e in events:
        if e.bad:
            continue
        target = e.get("reverses")
        if e.get("kind") == EventKind.REVERSAL:
            if target is None:
                ck.err(e.line, "reverses", "sự kiện hủy bỏ phải chỉ ra sự kiện bị hủy.")
                e.bad = True
                continue
            t = events[target - 1]
            if t.line > e.line:
                ck.err(e.line, "reverses", f"sự kiện bị hủy «{t.ref}» phải đứng trước dòng này.")
                e.bad = True
            elif t.get("member") != e.get("member"):
                ck.err(e.line, "reverses", f"sự kiện «{t.ref}» là của đảng viên khác.")
                e.bad = True
            elif refused := check_reversible(
                kind=t.get("kind"), reversed_already=target in reversed_by
            ):
                at = f", dòng {reversed_by[target]}" if target in reversed_by else ""
                for v in refused:
                    ck.violation(e.line, "reverses", v, where=f"«{t.ref}»{at}")
                e.bad = True
            else:
                reversed_by[target] = e.line
        elif target is not None:
            ck.err(e.line, "reverses", "chỉ sự kiện loại «huy_bo» mới chỉ ra sự kiện bị hủy.")
            e.bad = True
    ck.state["reversed"] = set(reversed_by)


def _check_candidates(ck: Checker) -> None:
    persons: dict[int, int] = {}
    members: dict[int, int] = {}
    for c in ck.recs["candidate"]:
        if c.bad:
            continue
        for v in check_not_candidate(
            name=person_name(ck, c.get("person")), candidate=c.get("person") in persons
        ):
            ck.violation(c.line, "person", v, where=f"dòng {persons.get(c.get('person'))}")
            c.bad = True
        persons[c.get("person")] = c.line
        member = c.get("member")
        if member is not None:
            if member in members:
                ck.err(
                    c.line,
                    "member",
                    f"đảng viên này đã gắn với quần chúng ở dòng {members[member]}.",
                )
                c.bad = True
            members[member] = c.line
        steps = c.get("steps")
        for i in range(1, len(steps)):
            if steps[i]["effective_on"] < steps[i - 1]["effective_on"]:
                ck.err(
                    c.line,
                    f"steps[{i + 1}].effective_on",
                    "các bước phải theo thứ tự thời gian (không trước bước trước đó).",
                )
                c.bad = True


def _check_classes(ck: Checker) -> None:
    for t in ck.recs["training_class"]:
        if t.bad:
            continue
        for v in check_class_dates(starts_on=t.get("starts_on"), ends_on=t.get("ends_on")):
            ck.violation(t.line, "ends_on", v)
            t.bad = True
        seen: set[int] = set()
        for i, a in enumerate(t.get("attendees"), start=1):
            if a["person"] in seen:
                ck.err(t.line, f"attendees[{i}].person", "học viên ghi hai lần trong cùng lớp.")
                t.bad = True
            seen.add(a["person"])
            if a["certified_on"] is not None:
                for v in check_certified_on(
                    certified_on=a["certified_on"], ends_on=t.get("ends_on")
                ):
                    ck.violation(t.line, f"attendees[{i}].certified_on", v)
                    t.bad = True


def check_ledger(ck: Checker) -> None:
    """Fold each member's live events and check them with the services' rules (only when
    the organizations are sound: the fold asks the tree)."""
    ledger: dict[int, tuple[State, list[Spell]]] = {}
    ck.state["ledger"] = ledger
    if any(r.bad for t in ("org_kind", "organization") for r in ck.recs[t]):
        return
    ck.say("Đang kiểm tra sổ đảng viên theo quy định…")
    lookup = _FileOrgs(ck.recs["organization"], org_kinds(ck))
    by_member: dict[int, list[Rec]] = defaultdict(list)
    for e in ck.recs["event"]:
        by_member[e.get("member")].append(e)
    persons, decisions = ck.recs["person"], ck.recs["decision"]
    org_refs = [o.ref for o in ck.recs["organization"]]
    for m in ck.recs["member"]:
        if m.bad:
            continue
        person = persons[m.get("person") - 1]
        events = by_member.get(m.idx, [])
        live = [
            e
            for e in events
            if e.get("kind") != EventKind.REVERSAL and e.idx not in ck.state["reversed"]
        ]
        if (
            person.bad
            or any(e.bad for e in events)
            or any(
                decisions[e.get("exception_decision") - 1].bad
                for e in live
                if e.get("exception_decision")
            )
        ):
            continue
        who = PersonData(full_name=person.get("full_name"), birth_date=person.get("birth_date"))
        items = [
            NewEvent(
                _event_data(e),
                tag=f"dòng {e.line}",
                exception_decision=_decision_stub(decisions, e),
            )
            for e in live
        ]
        try:
            state, spells = plan_member(who, [], items, lookup)
        except RuleViolation as exc:
            item = next(i for i in items if i.refused)
            rec = live[items.index(item)]
            message = violations_text(exc.violations)
            ck.err(
                rec.line,
                exc.field or "kind",
                f"{who.full_name}, {item.data.label}: {message}.",
                rule=exc.violations[0].rule,
                regulation=exc.violations[0].regulation,
            )
            continue
        except LedgerError as exc:
            # plan_member names the first new event; find the one the fold refuses
            first = _first_ledger_error(items, lookup)
            if first is None:
                ck.err(m.line, exc.field or "", _org_refs(exc.message, org_refs))
                continue
            item, exc = first
            rec = live[items.index(item)]
            ck.err(
                rec.line,
                exc.field or "kind",
                _org_refs(f"{who.full_name}, {item.data.label}: {exc.message}", org_refs),
            )
            continue
        bad = False
        for rec, item in zip(live, items, strict=True):
            given = rec.v.get("waived_rules")
            if given is not None and sorted(given) != sorted(item.waived):
                ck.err(
                    rec.line,
                    "waived_rules",
                    f"theo quy định đang áp dụng, các quy định được miễn là "
                    f"{json.dumps(item.waived)}, không phải {json.dumps(given)}.",
                )
                bad = True
            rec.v["from_org"], rec.v["to_org"] = item.data.from_org, item.data.to_org
            rec.v["waived_rules"] = item.waived
        if not bad:
            ledger[m.idx] = (state, spells)


class _FileOrgs:
    """The file's organizations as an :data:`OrgLookup` over their ordinals."""

    def __init__(self, orgs: list[Rec], kinds: dict[str, tuple[bool, str, bool]]):
        self._versions = {
            o.idx: [
                (v["valid_from"], v["valid_to"], kinds[v["kind"]][0], v["name"])
                for v in o.get("versions")
            ]
            for o in orgs
        }

    def __call__(self, org_id: int, on: date) -> tuple[bool, bool, str]:
        name = ""
        for start, end, holds, vname in self._versions.get(org_id, []):
            name = vname
            if start <= on < end:
                return True, holds, vname
        return False, False, name


def _event_data(e: Rec) -> EventData:
    return EventData(
        kind=e.get("kind"),
        effective_on=e.get("effective_on"),
        from_org=e.get("from_org"),
        to_org=e.get("to_org"),
        form=e.get("form"),
        card_number=e.get("card_number"),
        badge_years=e.get("badge_years"),
        posthumous=e.get("posthumous"),
        early=e.get("early"),
        until=e.get("until"),
        details=e.get("details"),
    )


def _decision_stub(decisions: list[Rec], e: Rec) -> Decision | None:
    idx = e.get("exception_decision")
    return None if idx is None else Decision(issuer_level=decisions[idx - 1].get("issuer_level"))


def _first_ledger_error(
    items: list[NewEvent], lookup: OrgLookup
) -> tuple[NewEvent, LedgerError] | None:
    """The first event, in ledger order, that the fold refuses (with the refusal)."""
    for seq, item in enumerate(items, start=1):
        item.data.seq = seq
    state = State()
    for item in sorted(items, key=lambda i: i.data.sort_key):
        try:
            state = apply(state, item.data, lookup)
        except LedgerError as exc:
            return item, exc
    return None


def _org_refs(message: str, refs: list[str]) -> str:
    """Name organizations in a ledger message by their refs instead of ordinals."""

    def sub(m: re.Match[str]) -> str:
        i = int(m[1])
        return f"«{refs[i - 1]}»" if 0 < i <= len(refs) else m[0]

    return re.sub(r"#(\d+)", sub, message)
