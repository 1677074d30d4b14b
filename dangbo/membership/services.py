"""Writes to the membership ledger and the admission pipeline.

Every write appends ledger rows and rewrites the member's projection (state and spells)
in the same transaction; a refused write leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field

from dangbo.core.dates import FOREVER
from dangbo.core.errors import DomainError, InvalidInput, LedgerError, RuleViolation
from dangbo.core.models import Decision
from dangbo.core.services import audit
from dangbo.membership.error_codes import MembershipErrorCode
from dangbo.membership.ledger import (
    LEAVING_KINDS,
    EventData,
    OrgLookup,
    Spell,
    State,
    apply,
    fold,
)
from dangbo.membership.models import (
    STAGE_ORDER,
    Candidate,
    CandidateStage,
    CandidateStep,
    ClassAttendance,
    ClassKind,
    DisciplineForm,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Person,
    TrainingClass,
)
from dangbo.membership.rules import (
    PersonData,
    check_certified_on,
    check_class_dates,
    check_event,
    check_not_candidate,
    check_not_member,
    check_reversible,
    waiver_problem,
)
from dangbo.organizations.models import Organization, OrgVersion

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
STAYING_KINDS = {
    EventKind.RECOGNITION,
    EventKind.CARD,
    EventKind.BADGE,
    EventKind.EXEMPTION,
    EventKind.EXEMPTION_END,
    EventKind.DISCIPLINE,
}


def _concrete(found: object) -> Field[Any, Any]:
    """A model's own column (``get_field`` may also return relations of other models)."""
    assert isinstance(found, Field)
    return found


class OrgIndex:
    """Answers "did org X exist on D, and does it hold members?" from the versions, cached."""

    def __init__(self, preload: bool = False):
        self._versions: dict[int, list[tuple[date, date, bool, str]]] = {}
        if preload:
            self._load(None)

    def _load(self, org_ids) -> None:
        qs = OrgVersion.objects.all()
        if org_ids is not None:
            qs = qs.filter(org_id__in=org_ids)
            for org_id in org_ids:
                self._versions.setdefault(org_id, [])
        for org_id, start, end, holds, name in qs.values_list(
            "org_id", "valid_from", "valid_to", "kind__holds_members", "name"
        ):
            self._versions.setdefault(org_id, []).append((start, end, holds, name))

    def __call__(self, org_id: int, on: date) -> tuple[bool, bool, str]:
        if org_id not in self._versions:
            self._load([org_id])
        name = ""
        for start, end, holds, vname in self._versions[org_id]:
            name = vname
            if start <= on < end:
                return True, holds, vname
        return False, False, name


@dataclass
class NewEvent:
    """An event to append, with its decisions; `tag` names it in error messages (e.g. a line)."""

    data: EventData
    decision: Decision | None = None
    exception_decision: Decision | None = None
    reorganization_id: int | None = None
    tag: str = ""
    waived: list[str] = field(default_factory=list)


def event_data_of(e: MemberEvent) -> EventData:
    return EventData(
        kind=e.kind,
        effective_on=e.effective_on,
        from_org=e.from_org_id,
        to_org=e.to_org_id,
        form=e.form,
        card_number=e.card_number,
        badge_years=e.badge_years,
        posthumous=e.posthumous,
        early=e.early,
        until=e.until,
        details=e.details or {},
        seq=e.pk,
    )


def _fill_orgs(data: EventData, before: State) -> None:
    """Default the cells of events that do not move the member."""
    if data.kind in STAYING_KINDS and not (
        data.kind == EventKind.DISCIPLINE and data.form == DisciplineForm.EXPULSION
    ):
        data.from_org = data.from_org or before.cell
        data.to_org = data.to_org or before.cell
    elif (
        data.kind in LEAVING_KINDS
        or (data.kind == EventKind.DISCIPLINE and data.form == DisciplineForm.EXPULSION)
        or data.kind == EventKind.TEMPORARY_OUT
    ):
        data.from_org = data.from_org or before.cell
    elif data.kind == EventKind.TEMPORARY_BACK:
        data.from_org = data.from_org or (before.host_cell if (before.host_cell or 0) > 0 else None)
        data.to_org = data.to_org or before.cell


def _label(person: PersonData, data: EventData, tag: str) -> str:
    where = f"[{tag}] " if tag else ""
    return f"{where}{person.full_name}, {EventKind(data.kind).label.lower()} ngày {data.effective_on:%d/%m/%Y}"


def plan_member(
    person: PersonData,
    existing: list[EventData],
    new: list[NewEvent],
    orgs: OrgLookup,
    *,
    check_rules: bool = True,
) -> tuple[State, list[Spell]]:
    """Check `new` events against the member's history and fold the whole ledger.

    Fills defaults and the waived rules into `new`; raises a :class:`DomainError` whose
    message names the member, the event and the rule. Writes nothing.
    """
    events = list(existing)
    next_seq = max((e.seq for e in existing), default=0) + 1
    for item in new:
        item.data.seq = next_seq
        next_seq += 1
    # in ledger order, so each event is checked against the state it will really follow
    for item in sorted(new, key=lambda i: i.data.sort_key):
        # state just before this event: fold everything that sorts earlier
        prior = [e for e in events if e.sort_key < item.data.sort_key]
        try:
            before, _, _ = fold(prior, orgs)
            _fill_orgs(item.data, before)
            # an event that does not fit the history is a ledger error, before any rule
            apply(before, item.data, orgs)
        except LedgerError as exc:
            raise LedgerError(
                f"{_label(person, item.data, item.tag)}: {exc.message}", field=exc.field
            ) from None
        if check_rules:
            violations = check_event(item.data, before, person)
            if violations:
                level = item.exception_decision.issuer_level if item.exception_decision else None
                refused = waiver_problem(violations, level)
                if refused:
                    err = RuleViolation(refused)
                    err.message = f"{_label(person, item.data, item.tag)}: {err.message}"
                    if item.exception_decision is not None:
                        err.message += " (quyết định ngoại lệ kèm theo không đủ thẩm quyền)"
                    raise err
                item.waived = [v.rule for v in violations]
        events.append(item.data)
    try:
        state, spells, _ = fold(events, orgs)
        check_spell_cells(spells, orgs)
    except LedgerError as exc:
        tag = new[0].tag if new else ""
        first = new[0].data if new else None
        prefix = _label(person, first, tag) if first else person.full_name
        raise LedgerError(f"{prefix}: {exc.message}", field=exc.field) from None
    return state, spells


def check_spell_cells(spells: list[Spell], orgs: OrgLookup) -> None:
    """Refuse membership in a cell past its end (e.g. a backdated fact in a cell merged since)."""
    for spell in spells:
        last_day = spell.valid_to - timedelta(days=1)
        exists, _, name = orgs(spell.cell, last_day)
        if not exists:
            until = "nay" if spell.valid_to == FOREVER else f"ngày {last_day:%d/%m/%Y}"
            raise LedgerError(
                f"«{name}» đã chấm dứt hoạt động (sắp xếp, giải thể) nhưng theo sổ, đảng viên vẫn "
                f"sinh hoạt tại đó đến {until}; hãy ghi sự kiện vào tổ chức sau sắp xếp.",
                field="to_org",
            )


def _write_projection(member: Member, state: State, spells: list[Spell]) -> None:
    member.status = state.status
    member.out_reason = state.out_reason
    member.cell_id = state.cell
    member.host_cell_id = state.host_cell if (state.host_cell or 0) > 0 else None
    member.admitted_on = state.admitted_on
    member.last_admitted_on = state.last_admitted_on
    member.official_on = state.official_on
    member.card_number = state.card_number
    member.badges = sorted(state.badges)
    member.exempt = state.exempt
    member.party_anchor = state.party_anchor
    member.out_since = state.out_since
    member.readmissions = state.readmissions


PROJECTION_FIELDS = [
    "status",
    "out_reason",
    "cell",
    "host_cell",
    "admitted_on",
    "last_admitted_on",
    "official_on",
    "card_number",
    "badges",
    "exempt",
    "party_anchor",
    "out_since",
    "readmissions",
]


def _save_projections(members: list[Member]) -> None:
    """Write the projection columns of many members with one prepared UPDATE.

    (Django's bulk_update builds a CASE per column and is several ms per member.)
    """
    if not members:
        return
    fields = [_concrete(Member._meta.get_field(f)) for f in PROJECTION_FIELDS]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(Member._meta.db_table)} SET "
        + ", ".join(f"{qn(f.column)} = %s" for f in fields)
        + f" WHERE {qn('id')} = %s"
    )
    rows = [
        [f.get_db_prep_save(getattr(m, f.attname), connection) for f in fields] + [m.pk]
        for m in members
    ]
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _spell_rows(member_id: int, spells: list[Spell]) -> list[MembershipSpell]:
    return [
        MembershipSpell(
            member_id=member_id,
            cell_id=s.cell,
            status=s.status,
            exempt=s.exempt,
            party_anchor=s.party_anchor,
            valid_from=s.valid_from,
            valid_to=s.valid_to,
        )
        for s in spells
    ]


def _live_events(member_ids) -> dict[int, list[EventData]]:
    out: dict[int, list[EventData]] = defaultdict(list)
    for e in MemberEvent.objects.filter(member_id__in=member_ids, reversed_by__isnull=True).exclude(
        kind=EventKind.REVERSAL
    ):
        out[e.member_id].append(event_data_of(e))
    return out


def _person_data(p: Person) -> PersonData:
    return PersonData(full_name=p.full_name, birth_date=p.birth_date)


@transaction.atomic
def ledger_append(
    batch: dict[int, list[NewEvent]],
    *,
    actor: str,
    check_rules: bool = True,
    orgs: OrgLookup | None = None,
) -> list[MemberEvent]:
    """Append events for several members at once, all or nothing.

    Each member's history is loaded once, every new event checked by the rules in force
    on its date, the ledger folded, and the projection rewritten.
    """
    orgs = orgs or OrgIndex()
    members = {
        m.pk: m
        for m in Member.objects.select_for_update()
        .select_related("person")
        .filter(pk__in=list(batch))
    }
    existing = _live_events(list(batch))
    rows: list[MemberEvent] = []
    changed: list[Member] = []
    spells: list[MembershipSpell] = []
    for member_id, new in batch.items():
        member = members[member_id]
        state, member_spells = plan_member(
            _person_data(member.person),
            existing.get(member_id, []),
            new,
            orgs,
            check_rules=check_rules,
        )
        for item in new:
            d = item.data
            rows.append(
                MemberEvent(
                    member_id=member_id,
                    kind=d.kind,
                    effective_on=d.effective_on,
                    from_on=d.from_on,
                    from_org_id=d.from_org,
                    to_org_id=d.to_org,
                    form=d.form,
                    card_number=d.card_number,
                    badge_years=d.badge_years,
                    posthumous=d.posthumous,
                    early=d.early,
                    until=d.until,
                    details=_jsonable(d.details),
                    decision=item.decision,
                    exception_decision=item.exception_decision,
                    waived_rules=item.waived,
                    reorganization_id=item.reorganization_id,
                    actor=actor,
                )
            )
        _write_projection(member, state, member_spells)
        changed.append(member)
        spells.extend(_spell_rows(member_id, member_spells))
    created = MemberEvent.objects.bulk_create(rows, batch_size=2000)
    MembershipSpell.objects.filter(member_id__in=list(batch)).delete()
    MembershipSpell.objects.bulk_create(spells, batch_size=2000)
    _save_projections(changed)
    return created


def _jsonable(details: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in (details or {}).items()}


def event_record(
    *,
    member: Member,
    kind: str,
    effective_on: date,
    from_org: Organization | None = None,
    to_org: Organization | None = None,
    form: str = "",
    card_number: str = "",
    badge_years: int | None = None,
    posthumous: bool = False,
    early: bool = False,
    until: date | None = None,
    details: dict | None = None,
    decision: Decision | None = None,
    exception_decision: Decision | None = None,
    actor: str,
) -> MemberEvent:
    """Record one ledger event for `member` (see :class:`EventKind`)."""
    if kind not in EventKind.values or kind in (EventKind.REVERSAL, EventKind.REORGANIZATION):
        raise InvalidInput(f"Loại sự kiện «{kind}» không ghi trực tiếp được.", field="kind")
    data = EventData(
        kind=kind,
        effective_on=effective_on,
        from_org=from_org.pk if from_org else None,
        to_org=to_org.pk if to_org else None,
        form=form,
        card_number=card_number,
        badge_years=badge_years,
        posthumous=posthumous,
        early=early,
        until=until,
        details=details or {},
    )
    with transaction.atomic():
        (event,) = ledger_append(
            {member.pk: [NewEvent(data, decision=decision, exception_decision=exception_decision)]},
            actor=actor,
        )
        audit(
            actor=actor,
            action=f"event_{kind}",
            obj=event,
            after={
                "member": member.pk,
                "kind": kind,
                "on": effective_on.isoformat(),
                "waived": event.waived_rules,
            },
        )
    member.refresh_from_db()
    return event


@transaction.atomic
def event_reverse(*, event: MemberEvent, reason: str, on: date, actor: str) -> MemberEvent:
    """Correct a wrongly recorded event by a reversing event (the original stays in the ledger)."""
    if not reason.strip():
        raise InvalidInput("Trường «lý do hủy bỏ» không được để trống.", field="reason")
    for v in check_reversible(
        kind=event.kind, reversed_already=MemberEvent.objects.filter(reverses=event).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    member = Member.objects.select_for_update().select_related("person").get(pk=event.member_id)
    remaining = [e for e in _live_events([member.pk])[member.pk] if e.seq != event.pk]
    try:
        orgs = OrgIndex()
        state, spells, _ = fold(remaining, orgs)
        check_spell_cells(spells, orgs)
    except LedgerError as exc:
        raise LedgerError(
            f"Không thể hủy bỏ: lịch sử còn lại của {member.person.full_name} không hợp lệ ({exc.message}). "
            "Hãy hủy các sự kiện sau đó trước.",
            field="event",
        ) from None
    reversal = MemberEvent.objects.create(
        member=member,
        kind=EventKind.REVERSAL,
        effective_on=on,
        from_on=on,
        reverses=event,
        details={"reason": reason.strip()},
        actor=actor,
    )
    _write_projection(member, state, spells)
    member.save(update_fields=PROJECTION_FIELDS)
    MembershipSpell.objects.filter(member=member).delete()
    MembershipSpell.objects.bulk_create(_spell_rows(member.pk, spells))
    audit(
        actor=actor,
        action="event_reverse",
        obj=reversal,
        before={"event": event.pk, "kind": event.kind},
    )
    return reversal


def members_reorganize(
    *, moves: list[tuple[int, int, int]], on: date, reorganization, actor: str
) -> None:
    """Write the reorganization events of a merge, split or move: (member, from cell, to cell)."""
    batch: dict[int, list[NewEvent]] = defaultdict(list)
    for member_id, from_cell, to_cell in moves:
        batch[member_id].append(
            NewEvent(
                EventData(
                    kind=EventKind.REORGANIZATION,
                    effective_on=on,
                    from_org=from_cell,
                    to_org=to_cell,
                ),
                decision=reorganization.decision,
                reorganization_id=reorganization.pk,
            )
        )
    ledger_append(dict(batch), actor=actor)


def person_create(*, actor: str, **fields) -> Person:
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
            _concrete(Person._meta.get_field(name)).verbose_name
            if name != "__all__"
            else "nhân thân"
        )
        raise InvalidInput(f"Trường «{label}»: {messages[0]}", field=name) from None
    person.save()
    audit(actor=actor, action="person_create", obj=person, after={"full_name": person.full_name})
    return person


@transaction.atomic
def member_admit(
    *,
    cell: Organization,
    on: date,
    decision: Decision | None,
    actor: str,
    candidate: Candidate | None = None,
    person: Person | None = None,
    exception_decision: Decision | None = None,
) -> Member:
    """Admit a candidate (or, for records older than the system, a person) as a probationary member."""
    if (candidate is None) == (person is None):
        raise InvalidInput("Cần chỉ rõ quần chúng được kết nạp.", field="candidate")
    if candidate is not None:
        if candidate.stage != CandidateStage.COMMITTEE_RESOLUTION:
            raise DomainError(
                f"{candidate.person.full_name} chưa có nghị quyết của đảng ủy cơ sở đề nghị kết nạp "
                f"(đang ở bước «{CandidateStage(candidate.stage).label}»).",
                code=MembershipErrorCode.QUY_TRINH_KET_NAP,
            )
        person = candidate.person
    assert person is not None  # one of the two is given (checked above)
    for v in check_not_member(
        name=person.full_name, member=Member.objects.filter(person=person).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    member = Member.objects.create(person=person)
    event_record(
        member=member,
        kind=EventKind.ADMISSION,
        effective_on=on,
        to_org=cell,
        decision=decision,
        exception_decision=exception_decision,
        actor=actor,
    )
    if candidate is not None:
        candidate.member = member
        _candidate_step(
            candidate, CandidateStage.ADMITTED, on, cell, decision=decision, actor=actor
        )
    member.refresh_from_db()
    return member


@transaction.atomic
def member_receive(
    *,
    person: Person,
    cell: Organization,
    on: date,
    status: str,
    admitted_on: date,
    official_on: date | None = None,
    party_anchor: date | None = None,
    decision: Decision | None = None,
    actor: str,
) -> Member:
    """Receive a member transferred in from a party organization outside this system."""
    member, _ = Member.objects.get_or_create(person=person)
    details = {"status": status, "admitted_on": admitted_on.isoformat()}
    if official_on:
        details["official_on"] = official_on.isoformat()
    if party_anchor:
        details["party_anchor"] = party_anchor.isoformat()
    event_record(
        member=member,
        kind=EventKind.TRANSFER,
        effective_on=on,
        to_org=cell,
        details=details,
        decision=decision,
        actor=actor,
    )
    member.refresh_from_db()
    return member


def _candidate_step(
    candidate: Candidate,
    stage: str,
    on: date,
    org: Organization,
    *,
    actor: str,
    decision: Decision | None = None,
    sponsor: Member | None = None,
    note: str = "",
):
    last = candidate.steps.order_by("-effective_on", "-pk").first()
    if last and on < last.effective_on:
        raise InvalidInput(
            f"Ngày {on:%d/%m/%Y} trước bước trước đó ({last.effective_on:%d/%m/%Y}).",
            field="effective_on",
        )
    candidate.stage = stage
    if sponsor is not None:
        candidate.sponsor = sponsor
    candidate.save()
    return CandidateStep.objects.create(
        candidate=candidate,
        stage=stage,
        effective_on=on,
        org=org,
        sponsor=sponsor,
        decision=decision,
        note=note,
        actor=actor,
    )


@transaction.atomic
def candidate_create(*, person: Person, cell: Organization, on: date, actor: str) -> Candidate:
    """Put a person on the list of candidates (quần chúng ưu tú) of a cell."""
    exists, holds, name = OrgIndex()(cell.pk, on)
    if not exists or not holds:
        raise InvalidInput(
            f"«{name}» không phải chi bộ đang hoạt động vào ngày {on:%d/%m/%Y}.", field="cell"
        )
    for v in check_not_candidate(
        name=person.full_name, candidate=Candidate.objects.filter(person=person).exists()
    ):
        raise DomainError(v.sentence(), code=v.rule)
    candidate = Candidate.objects.create(person=person, cell=cell, stage=CandidateStage.IDENTIFIED)
    CandidateStep.objects.create(
        candidate=candidate, stage=CandidateStage.IDENTIFIED, effective_on=on, org=cell, actor=actor
    )
    audit(actor=actor, action="candidate_create", obj=candidate, after={"person": person.pk})
    return candidate


@transaction.atomic
def candidate_advance(
    *,
    candidate: Candidate,
    stage: str,
    on: date,
    actor: str,
    sponsor: Member | None = None,
    decision: Decision | None = None,
    note: str = "",
) -> CandidateStep:
    """Move a candidate to the next stage of the admission pipeline (or stop considering them)."""
    if stage == CandidateStage.ADMITTED:
        raise InvalidInput(
            "Việc kết nạp được ghi bằng quyết định kết nạp (member_admit).", field="stage"
        )
    candidate.refresh_from_db()
    if candidate.stage in (CandidateStage.DROPPED, CandidateStage.CEREMONY):
        raise DomainError("Hồ sơ quần chúng này đã kết thúc.", code=MembershipErrorCode.KET_THUC)
    if stage != CandidateStage.DROPPED:
        expected = STAGE_ORDER[STAGE_ORDER.index(CandidateStage(candidate.stage)) + 1]
        if stage != expected:
            raise DomainError(
                f"{candidate.person.full_name}: bước tiếp theo phải là «{CandidateStage(expected).label}», "
                f"không phải «{CandidateStage(stage).label}».",
                code=MembershipErrorCode.SAI_TRINH_TU,
            )
    if stage == CandidateStage.SPONSORED:
        if sponsor is None:
            raise InvalidInput(
                "Cần chỉ rõ đảng viên chính thức được phân công giúp đỡ.", field="sponsor"
            )
        spell = sponsor.spells.filter(valid_from__lte=on, valid_to__gt=on).first()
        if spell is None or spell.status != MemberStatus.OFFICIAL:
            raise DomainError(
                f"{sponsor.person.full_name} không phải đảng viên chính thức vào ngày {on:%d/%m/%Y}; "
                "người giúp đỡ phải là đảng viên chính thức.",
                code=MembershipErrorCode.NGUOI_GIUP_DO,
            )
    step = _candidate_step(
        candidate,
        stage,
        on,
        candidate.cell,
        actor=actor,
        decision=decision,
        sponsor=sponsor,
        note=note,
    )
    return step


@transaction.atomic
def class_create(
    *, kind: str, name: str, organizer: Organization, starts_on: date, ends_on: date, actor: str
) -> TrainingClass:
    if kind not in ClassKind.values:
        raise InvalidInput(f"Loại lớp «{kind}» không hợp lệ.", field="kind")
    for v in check_class_dates(starts_on=starts_on, ends_on=ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="ends_on")
    tc = TrainingClass.objects.create(
        kind=kind, name=name, organizer=organizer, starts_on=starts_on, ends_on=ends_on
    )
    audit(actor=actor, action="class_create", obj=tc, after={"name": name})
    return tc


@transaction.atomic
def class_enroll(*, training_class: TrainingClass, person: Person, actor: str) -> ClassAttendance:
    """Add an attendee to a class (the certificate comes later with class_certify)."""
    attendance, created = ClassAttendance.objects.get_or_create(
        training_class=training_class, person=person
    )
    if created:
        audit(actor=actor, action="class_enroll", obj=attendance, after={"person": person.pk})
    return attendance


@transaction.atomic
def class_certify(
    *, training_class: TrainingClass, person: Person, certificate_number: str, on: date, actor: str
) -> ClassAttendance:
    """Record an attendee's certificate; an awareness-class certificate advances the candidate."""
    for v in check_certified_on(certified_on=on, ends_on=training_class.ends_on):
        raise InvalidInput(v.sentence(), code=v.rule, field="certified_on")
    attendance, _ = ClassAttendance.objects.get_or_create(
        training_class=training_class, person=person
    )
    attendance.certificate_number = certificate_number
    attendance.certified_on = on
    attendance.save(update_fields=["certificate_number", "certified_on"])
    candidate = Candidate.objects.filter(person=person).first()
    if (
        training_class.kind == ClassKind.AWARENESS
        and candidate is not None
        and candidate.stage == CandidateStage.IDENTIFIED
    ):
        candidate_advance(
            candidate=candidate,
            stage=CandidateStage.TRAINED,
            on=on,
            actor=actor,
            note=f"Giấy chứng nhận số {certificate_number}",
        )
    return attendance


def projection_differences(*, progress=None) -> list[str]:
    """Rebuild every member's projection from the ledger and describe where it differs."""
    orgs = OrgIndex(preload=True)
    problems: list[str] = []
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    chunk = 2000
    for i in range(0, len(member_ids), chunk):
        ids = member_ids[i : i + chunk]
        events = _live_events(ids)
        stored_spells: dict[int, set] = defaultdict(set)
        for row in MembershipSpell.objects.filter(member_id__in=ids).values_list(
            "member_id", "cell_id", "status", "exempt", "party_anchor", "valid_from", "valid_to"
        ):
            stored_spells[row[0]].add(row[1:])
        for m in Member.objects.filter(pk__in=ids).select_related("person"):
            try:
                state, spells, _ = fold(events.get(m.pk, []), orgs)
            except LedgerError as exc:
                problems.append(f"{m.person.full_name} (#{m.pk}): sổ không hợp lệ — {exc.message}")
                continue
            fresh = Member(pk=m.pk)
            _write_projection(fresh, state, spells)
            for f in PROJECTION_FIELDS:
                attr = f + "_id" if f in ("cell", "host_cell") else f
                if getattr(fresh, attr) != getattr(m, attr):
                    problems.append(
                        f"{m.person.full_name} (#{m.pk}): trường «{f}» lưu {getattr(m, attr)!r}, "
                        f"tính lại từ sổ được {getattr(fresh, attr)!r}"
                    )
            expected = {
                (s.cell, s.status, s.exempt, s.party_anchor, s.valid_from, s.valid_to)
                for s in spells
            }
            if expected != stored_spells.get(m.pk, set()):
                problems.append(
                    f"{m.person.full_name} (#{m.pk}): các khoảng sinh hoạt lưu khác với tính lại từ sổ"
                )
        if progress:
            progress(min(i + chunk, len(member_ids)), len(member_ids))
    return problems


@transaction.atomic
def projection_rebuild(*, progress=None) -> int:
    """Rewrite every member's projection from the ledger; return how many members."""
    orgs = OrgIndex(preload=True)
    member_ids = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    chunk = 2000
    for i in range(0, len(member_ids), chunk):
        ids = member_ids[i : i + chunk]
        events = _live_events(ids)
        members = list(Member.objects.filter(pk__in=ids))
        spells: list[MembershipSpell] = []
        for m in members:
            state, member_spells, _ = fold(events.get(m.pk, []), orgs)
            _write_projection(m, state, member_spells)
            spells.extend(_spell_rows(m.pk, member_spells))
        MembershipSpell.objects.filter(member_id__in=ids).delete()
        MembershipSpell.objects.bulk_create(spells, batch_size=2000)
        _save_projections(members)
        if progress:
            progress(min(i + chunk, len(member_ids)), len(member_ids))
    return len(member_ids)
