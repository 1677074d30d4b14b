"""The JSON Lines interchange format: round trip, figures, and refusal of bad files.

The round trip covers every record type: the office below is built through the services
(membership, organizations, congresses and elections, committee seats, gradings)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from dangbo.congresses.congress import congress_approve, congress_record
from dangbo.congresses.figures import congress_figures
from dangbo.congresses.models import (
    BallotRound,
    CommitteeSeat,
    Congress,
    Election,
    ElectionCandidate,
    SeatStatus,
    Vote,
)
from dangbo.congresses.seats import seat_appoint, seat_end
from dangbo.congresses.voting import (
    ballot_round_record,
    election_open,
    election_stop,
    secretary_appoint,
)
from dangbo.core.append_only import ledger_maintenance
from dangbo.core.errors import DomainError
from dangbo.core.models import AuditEntry, Decision
from dangbo.documents import services as ds
from dangbo.documents.models import Document, DocumentLink, DocumentReceipt, IssuedNumber
from dangbo.figures import membership_figures
from dangbo.grading.figures import grading_figures
from dangbo.grading.models import MemberGrade, OrgGrade
from dangbo.grading.services import grading_record_members, grading_record_org
from dangbo.inspections import services as ins
from dangbo.inspections.figures import inspection_figures
from dangbo.inspections.models import Case, CaseStep, MemberDisciplineLink, OrgDiscipline
from dangbo.interchange.export import NOTHING_WITHHELD, interchange_export
from dangbo.interchange.importer import interchange_import
from dangbo.interchange.kinds import RECORD_TYPES
from dangbo.interchange.reader import InterchangeInvalid
from dangbo.interchange.trailer import TRAILER_TYPE, seal
from dangbo.meetings import services as mt
from dangbo.meetings.models import Meeting, MeetingItem, MeetingPerson, Task, TaskReview
from dangbo.meetings.selectors import open_tasks
from dangbo.membership.admission import (
    candidate_advance,
    candidate_create,
    class_certify,
    class_create,
    member_admit,
    member_receive,
)
from dangbo.membership.events import event_reverse
from dangbo.membership.models import (
    Candidate,
    CandidateStage,
    CandidateStep,
    ClassAttendance,
    EventKind,
    Member,
    MemberEvent,
    MembershipSpell,
    MemberStatus,
    Person,
    PersonAttributeChange,
    TrainingClass,
)
from dangbo.membership.projection import projection_differences
from dangbo.organizations import services as org_services
from dangbo.organizations.closure import closure_differences
from dangbo.organizations.models import (
    Organization,
    OrgClosure,
    OrgKind,
    OrgVersion,
    Reorganization,
    Term,
)
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.models import NarrativeRevision, OfficeSetting, ReviewReport
from dangbo.reports.services import (
    report_draft,
    report_issue,
    report_override,
    report_update_narrative,
)
from dangbo.reports.wording import setting_set
from dangbo.targets import services as ts
from dangbo.targets.figures import target_figures
from dangbo.targets.models import Evaluation, Target, TargetRevision

from .conftest import ACTOR, admit, kind, make_person, provincial_decision, record, ward_decision

MODELS = (
    Decision,
    Organization,
    OrgVersion,
    OrgClosure,
    Reorganization,
    Person,
    Member,
    MemberEvent,
    MembershipSpell,
    Candidate,
    CandidateStep,
    TrainingClass,
    ClassAttendance,
    OrgKind,
    Term,
    Congress,
    Election,
    ElectionCandidate,
    BallotRound,
    Vote,
    CommitteeSeat,
    MemberGrade,
    OrgGrade,
)
PERIODS = (
    (date(2019, 1, 1), date(2019, 12, 31)),
    (date(2021, 1, 1), date(2021, 12, 31)),
    (date(2023, 1, 1), date(2023, 6, 30)),
    (date(2018, 1, 1), date(2024, 12, 31)),
)


@pytest.fixture
def office(city_tree):
    """A small city with every kind of record, built through the services."""
    t = city_tree
    from dangbo.organizations.services import term_open

    term_open(
        org=t["w1"], label="2015–2020", starts_on=date(2015, 7, 1), congress_number=4, actor=ACTOR
    )
    term_open(
        org=t["w1"], label="2020–2025", starts_on=date(2020, 7, 1), congress_number=5, actor=ACTOR
    )
    # ward 1: An (recognised, card, reprimand, later moves to ward 2), Bình and Cường in cell 2
    an = admit(t["w1c1"], date(2019, 3, 1), name="Nguyễn Văn An")
    record(an, EventKind.RECOGNITION, date(2020, 3, 1))
    record(an, EventKind.CARD, date(2020, 6, 1), card_number="79001234")
    record(an, EventKind.DISCIPLINE, date(2021, 4, 2), form="khien_trach")
    binh = admit(t["w1c2"], date(2019, 5, 10), name="Trần Thị Bình", gender="nu")
    record(binh, EventKind.RECOGNITION, date(2020, 5, 10))
    cuong = admit(t["w1c2"], date(2020, 1, 15), name="Lê Văn Cường")
    # recognised late: a rule waived by the ward committee's exception decision
    record(
        cuong,
        EventKind.RECOGNITION,
        date(2021, 2, 1),
        exception_decision=ward_decision("09-QĐ/ĐU", date(2021, 1, 30)),
    )
    # ward 2: an admission over 60 with the provincial decision, a veteran received from outside
    old = member_admit(
        person=make_person(name="Phạm Văn Lão", born=date(1955, 1, 1)),
        cell=t["w2c1"],
        on=date(2020, 6, 1),
        decision=ward_decision("07-QĐ/ĐU"),
        exception_decision=provincial_decision(),
        actor=ACTOR,
    )
    vet = member_receive(
        person=make_person(name="Hoàng Thị Vân", gender="nu", born=date(1950, 2, 2)),
        cell=t["w2c2"],
        on=date(2019, 2, 1),
        status="chinh_thuc",
        admitted_on=date(1980, 2, 3),
        official_on=date(1981, 2, 3),
        actor=ACTOR,
    )
    record(vet, EventKind.BADGE, date(2020, 2, 3), badge_years=40)
    record(vet, EventKind.EXEMPTION, date(2021, 1, 1))
    dung = admit(t["w2c1"], date(2020, 9, 1), name="Đỗ Văn Dũng")
    wrong = record(dung, EventKind.DEATH, date(2021, 3, 1))
    event_reverse(event=wrong, reason="Ghi nhầm người", on=date(2021, 3, 5), actor=ACTOR)
    record(
        dung, EventKind.TEMPORARY_OUT, date(2021, 6, 1), to_org=t["w2c2"], until=date(2021, 12, 1)
    )
    record(dung, EventKind.TEMPORARY_BACK, date(2021, 12, 1))
    # merge cell 2 of ward 1 into cell 1 (Bình and Cường get reorganization events)
    org_services.org_merge(
        sources=[t["w1c2"]],
        into=t["w1c1"],
        on=date(2021, 7, 1),
        decision=ward_decision("20-QĐ/ĐU", date(2021, 6, 20)),
        actor=ACTOR,
    )
    # candidate pipeline with the awareness class certificate, admitted in 2022
    hoa = make_person(name="Vũ Thị Hoa", gender="nu", born=date(2000, 4, 4))
    cand = candidate_create(person=hoa, cell=t["w1c1"], on=date(2021, 9, 1), actor=ACTOR)
    course = class_create(
        kind="nhan_thuc",
        name="Lớp bồi dưỡng nhận thức về Đảng 1/2021",
        organizer=t["w1"],
        starts_on=date(2021, 10, 1),
        ends_on=date(2021, 10, 5),
        actor=ACTOR,
    )
    class_certify(
        training_class=course,
        person=hoa,
        certificate_number="NT-01/2021",
        on=date(2021, 10, 6),
        actor=ACTOR,
    )
    guest = make_person(name="Bùi Văn Khách", born=date(1999, 9, 9))
    class_certify(
        training_class=course,
        person=guest,
        certificate_number="NT-02/2021",
        on=date(2021, 10, 6),
        actor=ACTOR,
    )
    cand.refresh_from_db()
    candidate_advance(
        candidate=cand,
        stage=CandidateStage.SPONSORED,
        on=date(2021, 10, 10),
        sponsor=an,
        actor=ACTOR,
    )
    for stage, on in (
        (CandidateStage.VERIFIED, date(2021, 12, 1)),
        (CandidateStage.DOSSIER, date(2022, 1, 5)),
        (CandidateStage.CELL_RESOLUTION, date(2022, 1, 20)),
        (CandidateStage.COMMITTEE_RESOLUTION, date(2022, 2, 1)),
    ):
        candidate_advance(candidate=cand, stage=stage, on=on, actor=ACTOR)
    member_admit(
        candidate=cand,
        cell=t["w1c1"],
        on=date(2022, 3, 1),
        decision=ward_decision("15-QĐ/ĐU", date(2022, 3, 1)),
        actor=ACTOR,
    )
    cand.refresh_from_db()
    candidate_advance(
        candidate=cand, stage=CandidateStage.CEREMONY, on=date(2022, 3, 15), actor=ACTOR
    )
    dropped = candidate_create(
        person=make_person(name="Ngô Văn Dừng"), cell=t["w2c1"], on=date(2022, 2, 1), actor=ACTOR
    )
    candidate_advance(
        candidate=dropped, stage=CandidateStage.DROPPED, on=date(2022, 8, 1), actor=ACTOR
    )
    # An moves to ward 2; a third ward is founded later and takes over cell 2 of ward 2
    record(an, EventKind.TRANSFER, date(2022, 1, 10), from_org=t["w1c1"], to_org=t["w2c1"])
    w3 = org_services.org_found(
        kind=kind("co_so"),
        name="Đảng bộ phường 3",
        code="P3",
        doc_code="ĐU",
        parent=t["city"],
        on=date(2022, 1, 1),
        actor=ACTOR,
    )
    w3c1 = org_services.org_found(
        kind=kind("chi_bo"),
        name="Chi bộ TDP 1 phường 3",
        code="P3-C1",
        parent=w3,
        on=date(2022, 1, 1),
        actor=ACTOR,
    )
    org_services.org_move(org=t["w2c2"], parent=w3, on=date(2023, 6, 1), actor=ACTOR)
    org_services.org_rename(
        org=t["w2"], on=date(2023, 1, 1), name="Đảng bộ phường Hai", actor=ACTOR
    )
    org_services.org_dissolve(org=w3c1, on=date(2024, 1, 1), actor=ACTOR)
    record(vet, EventKind.TRANSFER, date(2024, 3, 1), from_org=t["w2c2"])  # out of the system
    return {**t, "w3": w3, "w3c1": w3c1, "an": an, "cuong": cuong, "old": old, "dung": dung}


# ---- helpers


def export_text() -> str:
    """The full export (personal data and secret bodies included)."""
    out = io.StringIO()
    interchange_export(out, actor=ACTOR, withheld=NOTHING_WITHHELD)
    return out.getvalue()


def import_text(text: str):
    return interchange_import(io.BytesIO(text.encode("utf-8")), actor=ACTOR)


def wipe() -> None:
    """Delete every record in dependency order, leaving an empty database (kinds stay);
    the ledger and the audit rows through their maintenance path."""
    with ledger_maintenance("tests: empty the database"):
        _wipe()


def _wipe() -> None:
    Meeting.objects.update(concluded_by=None)
    for model in (
        OfficeSetting,
        NarrativeRevision,
        ReviewReport,
        DocumentLink,
        DocumentReceipt,
        Document,
        IssuedNumber,
        TaskReview,
        Task,
        MeetingItem,
        MeetingPerson,
        Meeting,
        MemberDisciplineLink,
        OrgDiscipline,
        CaseStep,
        Case,
    ):
        model.objects.all().delete()
    with connection.cursor() as cursor:  # append-only models refuse delete() one by one
        while Evaluation.objects.exists():  # the entries nobody supersedes first
            cursor.execute(
                "DELETE FROM targets_evaluation WHERE id NOT IN (SELECT supersedes_id FROM "
                "targets_evaluation WHERE supersedes_id IS NOT NULL)"
            )
        for model in (TargetRevision, Target):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    for model in (
        OrgGrade,
        MemberGrade,
        CommitteeSeat,
        Vote,
        BallotRound,
        ElectionCandidate,
        Election,
        Congress,
        Term,
    ):
        model.objects.all().delete()
    ClassAttendance.objects.all().delete()
    TrainingClass.objects.all().delete()
    CandidateStep.objects.all().delete()
    Candidate.objects.all().delete()
    MembershipSpell.objects.all().delete()
    MemberEvent.objects.exclude(reverses=None).delete()
    MemberEvent.objects.all().delete()
    Member.objects.all().delete()
    PersonAttributeChange.objects.all().delete()
    Person.objects.all().delete()
    OrgClosure.objects.all().delete()
    OrgVersion.objects.all().delete()
    Organization.objects.all().delete()
    Reorganization.objects.all().delete()
    Decision.objects.all().delete()
    AuditEntry.objects.all().delete()


def all_figures() -> list[list[dict]]:
    """Figures of every organization (in primary-key order) for each period."""
    return [
        [membership_figures(pk, start, end) for start, end in PERIODS]
        for pk in Organization.objects.order_by("pk").values_list("pk", flat=True)
    ]


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def lines_of(text: str) -> list[dict]:
    """The header and record lines of a file (its last line must be the trailer)."""
    records = [json.loads(line) for line in text.splitlines()]
    assert records[-1]["type"] == TRAILER_TYPE
    return records[:-1]


# ---- round trip


def test_export_import_export_is_byte_identical_and_keeps_every_figure(office):
    # given
    first = export_text()
    figures_before = all_figures()
    # when
    wipe()
    assert Organization.objects.count() == 0
    import_text(first)
    second = export_text()
    # then
    assert second == first
    assert all_figures() == figures_before
    assert projection_differences() == []
    assert closure_differences() == []


def test_export_has_one_line_per_record_counted_by_hand(office):
    records = lines_of(export_text())
    assert records[0] == {"type": "dangbo", "format": 1}
    by_type: dict[str, int] = {}
    for r in records[1:]:
        by_type[r["type"]] = by_type.get(r["type"], 0) + 1
    # city + 2 wards + 4 cells + ward 3 + its cell
    assert by_type["organization"] == 9
    # 9 foundings, the merge, the move, the rename, the dissolution
    assert by_type["reorganization"] == 13
    # An, Bình, Cường, Lão, Vân, Dũng, Hoa, Khách, Dừng
    assert by_type["person"] == 9
    # An, Bình, Cường, Lão, Vân, Dũng, Hoa
    assert by_type["member"] == 7
    # An 5 (admit, official, card, reprimand, transfer), Bình 3 (admit, official, merge),
    # Cường 3 (admit, official, merge), Lão 1, Vân 5 (received, badge, exemption, the move of
    # P2-C2 on 1/6/2023, out), Dũng 5 (admit, death, reversal, temporary out, back), Hoa 3
    # (admitted, then the admission reversed and recorded again with its ceremony day)
    assert by_type["event"] == 5 + 3 + 3 + 1 + 5 + 5 + 3
    assert by_type["candidate"] == 2
    assert by_type["training_class"] == 1
    assert by_type["org_kind"] == OrgKind.objects.count()
    assert {r["ref"] for r in records if r["type"] == "organization"} == {
        f"org-{i}" for i in range(1, 10)
    }


def test_refs_and_special_records_are_written_as_documented(office):
    records = lines_of(export_text())
    events = [r for r in records if r["type"] == "event"]
    reversal = next(e for e in events if e["kind"] == "huy_bo")
    death = next(e for e in events if e["kind"] == "tu_tran")
    assert reversal["reverses"] == death["ref"]
    assert reversal["details"] == {"reason": "Ghi nhầm người"}
    waived = [e for e in events if e.get("waived_rules")]
    assert sorted(tuple(e["waived_rules"]) for e in waived) == [
        ("ngay_chinh_thuc",),
        ("tuoi_ket_nap_tren_60",),
    ]
    assert all(e["exception_decision"].startswith("decision-") for e in waived)
    reorgs = {r["ref"]: r for r in records if r["type"] == "reorganization"}
    moved = sorted(
        (reorgs[e["reorganization"]]["kind"], e["from_org"], e["to_org"])
        for e in events
        if e["kind"] == "to_chuc_lai"
    )
    # Bình and Cường from P1-C2 (org-4) into P1-C1 (org-3); Vân stays in P2-C2 (org-7)
    assert moved == [
        ("dieu_chuyen", "org-7", "org-7"),
        ("hop_nhat", "org-4", "org-3"),
        ("hop_nhat", "org-4", "org-3"),
    ]
    merge = next(r for r in reorgs.values() if r["kind"] == "hop_nhat")
    assert merge["details"] == {"into": "org-3", "sources": ["org-4"]}
    moved_cell = next(r for r in records if r.get("ref") == "org-7")  # P2-C2 moved under P3 (org-8)
    assert [v.get("parent") for v in moved_cell["versions"]] == ["org-5", "org-8"]
    hoa = next(r for r in records if r["type"] == "candidate" and r["stage"] == "le_ket_nap")
    assert [s["stage"] for s in hoa["steps"]] == [
        "xac_dinh",
        "hoc_lop",
        "phan_cong",
        "tham_tra",
        "ho_so",
        "nq_chi_bo",
        "nq_dang_uy",
        "ket_nap",
        "le_ket_nap",
    ]
    assert "9999-12-31" not in json.dumps(records)


def test_imported_projection_matches_the_ledger_counted_by_hand(office):
    text = export_text()
    wipe()
    import_text(text)
    # An: official, transferred to ward 2 cell 1; Cường: official (late, waived) in merged cell
    statuses = dict(Member.objects.values_list("person__full_name", "status"))
    assert statuses["Nguyễn Văn An"] == MemberStatus.OFFICIAL
    assert statuses["Lê Văn Cường"] == MemberStatus.OFFICIAL
    assert statuses["Hoàng Thị Vân"] == MemberStatus.OUT
    assert statuses["Đỗ Văn Dũng"] == MemberStatus.PROBATIONARY  # the death was reversed
    an = Member.objects.get(person__full_name="Nguyễn Văn An")
    assert an.cell.versions.get().code == "P2-C1"
    assert an.card_number == "79001234"
    cuong = Member.objects.get(person__full_name="Lê Văn Cường")
    assert cuong.cell.versions.get().code == "P1-C1"
    # ward 1 on 31/12/2021: An, Bình, Cường (Hoa joins in 2022); city: + Lão, Vân, Dũng
    w1 = OrgVersion.objects.get(code="P1").org
    city = OrgVersion.objects.get(code="TP").org
    assert membership_figures(w1, date(2021, 1, 1), date(2021, 12, 31))["members_end"] == 3
    assert membership_figures(city, date(2021, 1, 1), date(2021, 12, 31))["members_end"] == 6
    assert membership_figures(w1, date(2021, 1, 1), date(2021, 12, 31))["candidates_trained"] == 1


def test_commands_export_and_import_files(office_full, tmp_path, capsys):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    call_command("export", str(first), actor=ACTOR)
    wipe()
    call_command("import", str(first), actor=ACTOR)
    call_command("export", str(second), actor=ACTOR)
    assert first.read_bytes() == second.read_bytes()
    assert "Đã nhập" in capsys.readouterr().out
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"interchange_import", "interchange_export"}


def test_progress_is_reported_every_n_lines(office):
    text = export_text()
    wipe()
    messages: list[str] = []
    interchange_import(io.BytesIO(text.encode()), actor=ACTOR, progress=messages.append, every=10)
    n_lines = len(text.splitlines())
    assert [m for m in messages if m.startswith("Đã đọc")] == [
        f"Đã đọc {n} dòng" for n in range(10, n_lines + 1, 10)
    ]


def test_it_refuses_a_database_that_already_has_records(office, tmp_path, capsys):
    text = export_text()
    before = row_counts()
    with pytest.raises(DomainError) as exc:
        import_text(text)
    assert "chỉ nhập được vào cơ sở dữ liệu trống" in exc.value.message
    path = tmp_path / "again.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path))
    assert exit_.value.code == 1
    assert "Lỗi: Cơ sở dữ liệu đã có dữ liệu" in capsys.readouterr().err
    assert row_counts() == before


# ---- hand-written files and their errors

GOOD = [
    {"type": "dangbo", "format": 1},
    {
        "type": "decision",
        "ref": "qd-tu",
        "number": "12-QĐ/TU",
        "issued_on": "2020-01-01",
        "issuer": "Ban Thường vụ Thành ủy",
        "issuer_level": "tinh",
    },
    {
        "type": "organization",
        "ref": "p1",
        "founded_on": "2018-01-01",
        "versions": [
            {"valid_from": "2018-01-01", "name": "Đảng bộ phường 1", "code": "P1", "kind": "co_so"}
        ],
    },
    {
        "type": "organization",
        "ref": "c1",
        "founded_on": "2018-01-01",
        "versions": [
            {
                "valid_from": "2018-01-01",
                "name": "Chi bộ TDP 1",
                "code": "P1-C1",
                "kind": "chi_bo",
                "parent": "p1",
            }
        ],
    },
    {
        "type": "person",
        "ref": "an",
        "full_name": "Nguyễn Văn An",
        "gender": "nam",
        "birth_date": "1985-06-15",
    },
    {"type": "member", "ref": "dv-an", "person": "an"},
    {
        "type": "event",
        "ref": "e1",
        "member": "dv-an",
        "kind": "ket_nap",
        "effective_on": "2019-03-01",
        "to_org": "c1",
    },
    {
        "type": "event",
        "ref": "e2",
        "member": "dv-an",
        "kind": "chinh_thuc",
        "effective_on": "2020-03-01",
    },
]


def jsonl(records: list) -> str:
    """The records as a file, sealed with its trailer as export seals it."""
    text = "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    )
    return seal(text.encode("utf-8"), RECORD_TYPES).decode("utf-8")


def with_line(n: int, change: dict | str | None = None, drop: tuple[str, ...] = ()) -> str:
    """GOOD with line `n` (1-based) changed, replaced (a string) or removed (None)."""
    records = [dict(r) for r in GOOD]
    if change is None and not drop:
        del records[n - 1]
    elif isinstance(change, str):
        records[n - 1] = change
    else:
        records[n - 1].update(change or {})
        for key in drop:
            del records[n - 1][key]
    return jsonl(records)


def errors_of(text: str) -> list[tuple[int, str]]:
    before = row_counts()
    with pytest.raises(InterchangeInvalid) as exc:
        import_text(text)
    assert row_counts() == before  # nothing written
    return [(e.line, e.field) for e in exc.value.errors]


def test_a_hand_written_file_with_its_own_refs_imports(db):
    result = import_text(jsonl(GOOD))
    assert result.counts["event"] == 2
    member = Member.objects.get()
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_on == date(2020, 3, 1)
    assert member.cell.versions.get().code == "P1-C1"
    # the cell was filled in on the recognition, as the services do
    assert MemberEvent.objects.get(kind="chinh_thuc").to_org == member.cell
    assert projection_differences() == []
    assert closure_differences() == []
    records = lines_of(export_text())
    assert [r.get("ref") for r in records if r["type"] != "org_kind"] == [
        None,
        "decision-1",
        "org-1",
        "org-2",
        "person-1",
        "member-1",
        "event-1",
        "event-2",
    ]


def test_records_created_after_an_import_get_fresh_ids(db):
    # given sequences that start again at 1 (as in a new database)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Person, Member, MemberEvent]):
            cursor.execute(sql)
    import_text(jsonl(GOOD))
    member = Member.objects.get()
    # when the services write after the import
    newcomer = make_person(name="Trần Văn Mới")
    card = record(member, EventKind.CARD, date(2020, 6, 1), card_number="79000001")
    # then they neither collide with nor reuse the imported ids
    assert newcomer.pk > member.person_id
    assert card.pk > MemberEvent.objects.exclude(pk=card.pk).latest("pk").pk
    assert Member.objects.get().card_number == "79000001"


CASES = {
    "unknown type": (with_line(5, {"type": "nguoi"}), [(5, "type"), (6, "person")]),
    "missing field": (with_line(5, drop=("birth_date",)), (5, "birth_date")),
    "bad date": (with_line(8, {"effective_on": "2020-02-30"}), (8, "effective_on")),
    "not iso date": (with_line(8, {"effective_on": "1/3/2020"}), (8, "effective_on")),
    "bad choice": (with_line(5, {"gender": "khac"}), (5, "gender")),
    "bad boolean": (with_line(8, {"early": "có"}), (8, "early")),
    "unknown field": (with_line(5, {"ngay_sinh": "1985-06-15"}), (5, "ngay_sinh")),
    "empty name": (with_line(5, {"full_name": "  "}), (5, "full_name")),
    "too long": (with_line(5, {"phone": "0" * 16}), (5, "phone")),
    "bad citizen id": (with_line(5, {"citizen_id": "12345"}), (5, "citizen_id")),
    "nested field": (
        with_line(
            4,
            {
                "versions": [
                    {
                        "valid_from": "2018-01-01",
                        "name": "Chi bộ",
                        "code": "C",
                        "kind": "chi_bo",
                        "parent": "p9",
                    }
                ]
            },
        ),
        (4, "versions[1].parent"),
    ),
    "dangling ref": (with_line(8, {"member": "dv-binh"}), (8, "member")),
    "ref of the wrong type": (with_line(7, {"to_org": "an"}), (7, "to_org")),
    "unknown kind": (
        with_line(
            3,
            {
                "versions": [
                    {"valid_from": "2018-01-01", "name": "P", "code": "P1", "kind": "phuong"}
                ]
            },
        ),
        (3, "versions[1].kind"),
    ),
    "duplicate ref": (with_line(6, {"ref": "an"}), [(6, "ref"), (7, "member"), (8, "member")]),
    "invalid json": (
        with_line(6, '{"type": "member", "ref": "dv-an", "person": "an"'),
        [(6, ""), (7, "member"), (8, "member")],
    ),
    "not an object": (with_line(6, '["member"]'), [(6, ""), (7, "member"), (8, "member")]),
    "missing header": (with_line(1), (1, "type")),
    "unsupported format": (with_line(1, {"format": 2}), (1, "format")),
    "version gap": (
        with_line(
            3,
            {
                "versions": [
                    {
                        "valid_from": "2018-01-01",
                        "valid_to": "2019-01-01",
                        "name": "P",
                        "code": "P1",
                        "kind": "co_so",
                    },
                    {"valid_from": "2019-02-01", "name": "P", "code": "P1", "kind": "co_so"},
                ]
            },
        ),
        (3, "versions[2].valid_from"),
    ),
    "dissolution date with an open end": (
        with_line(3, {"dissolved_on": "2024-01-01"}),
        (3, "dissolved_on"),
    ),
    "code used twice": (
        with_line(
            4,
            {
                "versions": [
                    {
                        "valid_from": "2018-01-01",
                        "name": "Chi bộ",
                        "code": "p1",
                        "kind": "chi_bo",
                        "parent": "p1",
                    }
                ]
            },
        ),
        (4, "versions"),
    ),
    "cycle": (
        with_line(
            3,
            {
                "versions": [
                    {
                        "valid_from": "2018-01-01",
                        "name": "P",
                        "code": "P1",
                        "kind": "co_so",
                        "parent": "c1",
                    }
                ]
            },
        ),
        (3, "versions"),
    ),
    # the field actually wrong is the date, not the (absent) exception decision
    "wrong recognition date": (
        with_line(8, {"effective_on": "2020-04-01"}),
        (8, "effective_on"),
    ),
    "admission into a committee": (with_line(7, {"to_org": "p1"}), (7, "to_org")),
    "event before admission": (with_line(8, {"effective_on": "2019-01-01"}), (8, "kind")),
    "waived rules that do not apply": (
        with_line(8, {"waived_rules": ["ngay_chinh_thuc"]}),
        (8, "waived_rules"),
    ),
    "reversal without target": (with_line(8, {"kind": "huy_bo"}), (8, "reverses")),
    "reverses on a normal event": (with_line(8, {"reverses": "e1"}), (8, "reverses")),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_with_line_and_field_and_nothing_is_written(db, case):
    text, expected = CASES[case]
    assert errors_of(text) == (expected if isinstance(expected, list) else [expected])


def test_an_admission_over_60_needs_a_provincial_exception_decision(db):
    person = {
        "type": "person",
        "ref": "an",
        "full_name": "Nguyễn Văn Lão",
        "gender": "nam",
        "birth_date": "1955-01-01",
    }
    ward = {
        "type": "decision",
        "ref": "qd-du",
        "number": "05-QĐ/ĐU",
        "issued_on": "2019-02-01",
        "issuer": "Đảng ủy phường",
        "issuer_level": "co_so",
    }
    records = [dict(r) for r in GOOD[:7]] + [ward]
    records[4] = person
    records[6] = {**records[6], "exception_decision": "qd-du"}
    with pytest.raises(InterchangeInvalid) as exc:
        import_text(jsonl(records))
    (error,) = exc.value.errors
    assert (error.line, error.field) == (7, "exception_decision")
    assert "Tỉnh ủy" in error.message and "mới miễn trừ được" in error.message
    assert str(error).startswith(
        "Dòng 7, trường «exception_decision»: Nguyễn Văn Lão, kết nạp ngày 01/03/2019"
    )
    # with the provincial decision the same file imports, and the waived rule is stored
    records[6]["exception_decision"] = "qd-tu"
    import_text(jsonl(records))
    assert MemberEvent.objects.get().waived_rules == ["tuoi_ket_nap_tren_60"]


def test_every_error_of_a_file_is_listed_in_line_order(db):
    records = [dict(r) for r in GOOD]
    records[4] = {**records[4], "gender": "x"}
    records[7] = {**records[7], "effective_on": "2020-13-01", "member": "nobody"}
    records.append({"type": "dai_hoi", "ref": "dh-1"})
    records.append({"type": "member", "ref": "dv-an"})
    assert errors_of(jsonl(records)) == [
        (5, "gender"),
        (8, "effective_on"),
        (8, "member"),
        (9, "type"),
        (10, "ref"),
        (10, "person"),
    ]


def test_a_reversal_of_another_members_event_is_refused(db):
    records = [dict(r) for r in GOOD] + [
        {
            "type": "person",
            "ref": "binh",
            "full_name": "Trần Thị Bình",
            "gender": "nu",
            "birth_date": "1990-01-01",
        },
        {"type": "member", "ref": "dv-binh", "person": "binh"},
        {
            "type": "event",
            "ref": "e3",
            "member": "dv-binh",
            "kind": "huy_bo",
            "effective_on": "2020-04-01",
            "reverses": "e2",
        },
    ]
    assert errors_of(jsonl(records)) == [(11, "reverses")]


def test_a_line_that_is_not_utf8_is_reported(db):
    unsealed = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOOD).encode("utf-8")
    text = seal(unsealed.replace("Nguyễn".encode(), "Nguy\xe1n".encode("latin-1")), RECORD_TYPES)
    with pytest.raises(InterchangeInvalid) as exc:
        interchange_import(io.BytesIO(text), actor=ACTOR)
    assert [(e.line, e.field) for e in exc.value.errors] == [(5, ""), (6, "person")]


def test_the_import_command_prints_the_errors_in_vietnamese_and_exits_1(db, tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text(with_line(8, {"effective_on": "2020-02-30"}), encoding="utf-8")
    before = row_counts()
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "Dòng 8, trường «effective_on»: «2020-02-30» không phải ngày hợp lệ" in err
    assert "không có dữ liệu nào được ghi" in err
    assert row_counts() == before


# ---- the documentation


def test_the_documentation_has_every_field_and_examples_in_the_written_key_order():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "interchange.md").read_text("utf-8")
    examples = [json.loads(line) for line in doc.splitlines() if line.startswith('{"type": ')]
    assert {e["type"] for e in examples} == {"dangbo", TRAILER_TYPE, *RECORD_TYPES}
    for example in examples:
        if example["type"] == TRAILER_TYPE:
            assert list(example) == ["type", "counts", "sha256"]
        if example["type"] in ("dangbo", TRAILER_TYPE):
            continue
        rt = RECORD_TYPES[example["type"]]
        order = ["type", "ref", *(f.name for f in rt.fields)]
        assert list(example) == [k for k in order if k in example], example
    for rt in RECORD_TYPES.values():
        assert f"### `{rt.name}`" in doc
        fields = list(rt.fields)
        while fields:  # nested lists at any depth (congress → elections → rounds → votes)
            f = fields.pop()
            assert f"| `{f.name}` |" in doc, (rt.name, f.name)
            fields.extend(f.items)


# ---- congresses, committee seats and gradings

PERSON_NAMES = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Văn Lão",
    "Hoàng Thị Vân",
    "Đỗ Văn Dũng",
    "Bùi Văn Khách",
)


@pytest.fixture
def office_full(office):
    """The office, plus congresses with their elections, committee seats and gradings, all
    recorded through the services:

    * ward 1: secretary Sơn appointed 1/1/2018 (term 2015–2020); delegate congress 1–2/7/2020
      (term 2020–2025): 120 delegates summoned, 2 absent without substitute → base 118, 60
      votes needed. Committee (3 seats, 4 candidates): round 1 elects An (100) and Bình (90),
      Cường has 59; round 2 elects Cường (70). Secretary (by the 3 new members): An. One
      delegate among Bình and Khách (nominated at the congress, 45,5% agreement): Khách.
      Approved 20/7/2020 → seats An (secretary), Bình, Cường; Sơn's seat ends that day.
    * ward 2: Vân committee member 1/9/2020–1/9/2021 (term 2020–2025).
    * cell 1 of ward 2, congress 10/3/2022 (term 2022–2025), 5 summoned, 3 votes needed:
      secretary Lão/Dũng tied 2–2 three times → An appointed 20/3/2022; deputy Dũng (elected,
      awaiting approval); 2 delegates: Lão elected, then the congress stops the election.
    * gradings 2021 (15/12/2021, 132-QĐ/TW): ward 1 — An not completed (disciplined), Bình
      good, Cường completed; ward 2 — Lão good, Dũng not graded («khac»), Vân not graded
      (exempt, filled in); ward 1 not completed (1/3 members not completed: over 20%), ward 2
      excellent and exemplary. Gradings 2025
      (20/12/2025, 366-QĐ/TW, with points): ward 1 — Bình 80 good, Cường 65,5 completed,
      Hoa 88,25 good; ward 1 excellent with 92,5 points.
    """
    t = office
    p = {name: Person.objects.get(full_name=name) for name in PERSON_NAMES}
    p["Hoa"] = Person.objects.get(full_name="Vũ Thị Hoa")
    son = make_person(name="Trịnh Văn Sơn", born=date(1960, 5, 5))
    hai = make_person(name="Đinh Văn Hải")
    w1, w2, cell = t["w1"], t["w2"], t["w2c1"]
    seat_appoint(org=w1, person=son, position="bi_thu", starts_on=date(2018, 1, 1), actor=ACTOR)
    # ward 1's delegate congress, approved
    k1 = congress_record(
        org=w1,
        kind="delegate",
        starts_on=date(2020, 7, 1),
        ends_on=date(2020, 7, 2),
        number=5,
        term=Term.objects.get(org=w1, label="2020–2025"),
        summoned=120,
        present=115,
        absent_delegates_no_substitute=2,
        actor=ACTOR,
        documents=[
            "Báo cáo chính trị",
            {"title": "Báo cáo kiểm điểm của Ban Chấp hành", "adopted": False},
        ],
    )
    an, binh, cuong, khach = (
        p[n] for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Bùi Văn Khách")
    )
    committee = election_open(
        congress=k1, what="committee", seats=3, candidates=[an, binh, cuong, hai], actor=ACTOR
    )
    ballot_round_record(
        election=committee,
        issued=115,
        cast=115,
        valid=113,
        invalid=2,
        votes={an: 100, binh: 90, cuong: 59, hai: 50},
        actor=ACTOR,
    )
    ballot_round_record(
        election=committee,
        issued=115,
        cast=114,
        valid=114,
        invalid=0,
        votes={cuong: 70, hai: 40},
        held_on=date(2020, 7, 2),
        actor=ACTOR,
    )
    secretary = election_open(
        congress=k1, what="secretary", seats=1, candidates=[an], summoned=3, present=3, actor=ACTOR
    )
    ballot_round_record(
        election=secretary,
        issued=3,
        cast=3,
        valid=3,
        invalid=0,
        votes={an: 3},
        held_on=date(2020, 7, 2),
        actor=ACTOR,
    )
    delegates = election_open(
        congress=k1,
        what="delegates",
        seats=1,
        actor=ACTOR,
        candidates=[
            binh,
            {"person": khach, "proposed_by": "nominee", "nominee_agreement_pct": "45.5"},
        ],
    )
    ballot_round_record(
        election=delegates,
        issued=115,
        cast=115,
        valid=115,
        invalid=0,
        votes={binh: 30, khach: 80},
        held_on=date(2020, 7, 2),
        actor=ACTOR,
    )
    congress_approve(
        congress=k1,
        decision=provincial_decision("30-QĐ/TU", date(2020, 7, 20)),
        on=date(2020, 7, 20),
        actor=ACTOR,
    )
    # ward 2: a committee member over a year
    from dangbo.organizations.services import term_open

    term_open(org=w2, label="2020–2025", starts_on=date(2020, 8, 1), actor=ACTOR)
    seat = seat_appoint(
        org=w2,
        person=p["Hoàng Thị Vân"],
        position="uy_vien_bch",
        starts_on=date(2020, 9, 1),
        decision=ward_decision("25-QĐ/ĐU", date(2020, 9, 1)),
        actor=ACTOR,
    )
    seat_end(
        seat=seat,
        on=date(2021, 9, 1),
        decision=ward_decision("31-QĐ/ĐU", date(2021, 9, 1)),
        actor=ACTOR,
    )
    # cell 1 of ward 2: the secretary is appointed after three tied rounds; not approved
    lao, dung = p["Phạm Văn Lão"], p["Đỗ Văn Dũng"]
    k2 = congress_record(
        org=cell,
        kind="all_member",
        starts_on=date(2022, 3, 10),
        summoned=5,
        present=5,
        term_label="2022–2025",
        actor=ACTOR,
    )
    sec = election_open(congress=k2, what="secretary", seats=1, candidates=[lao, dung], actor=ACTOR)
    for _ in range(3):
        ballot_round_record(
            election=sec, issued=5, cast=5, valid=4, invalid=1, votes={lao: 2, dung: 2}, actor=ACTOR
        )
    secretary_appoint(
        election=sec,
        person=an,
        decision=ward_decision("12-QĐ/ĐU", date(2022, 3, 20)),
        on=date(2022, 3, 20),
        actor=ACTOR,
    )
    deputy = election_open(congress=k2, what="deputy", seats=1, candidates=[dung], actor=ACTOR)
    ballot_round_record(
        election=deputy, issued=5, cast=5, valid=5, invalid=0, votes={dung: 4}, actor=ACTOR
    )
    dele = election_open(
        congress=k2, what="delegates", seats=2, candidates=[lao, dung, an], actor=ACTOR
    )
    ballot_round_record(
        election=dele,
        issued=5,
        cast=5,
        valid=5,
        invalid=0,
        votes={lao: 4, dung: 2, an: 2},
        actor=ACTOR,
    )
    election_stop(election=dele, actor=ACTOR)
    # gradings
    members = {m.person.full_name: m for m in Member.objects.select_related("person")}

    def grade(base, year, on, rows, decision=None):
        grading_record_members(
            base_org=base,
            year=year,
            graded_on=on,
            decision=decision,
            actor=ACTOR,
            grades=[{"member": members[name], **row} for name, row in rows.items()],
        )

    grade(
        w1,
        2021,
        date(2021, 12, 15),
        {
            "Nguyễn Văn An": {"grade": "khong_hoan_thanh"},
            "Trần Thị Bình": {"grade": "tot"},
            "Lê Văn Cường": {"grade": "hoan_thanh"},
        },
    )
    grade(
        w2,
        2021,
        date(2021, 12, 15),
        {
            "Phạm Văn Lão": {"grade": "tot"},
            "Đỗ Văn Dũng": {"grade": "khong_xep_loai", "reason": "khac", "note": "Đi học dài hạn"},
        },
        decision=ward_decision("40-QĐ/ĐU", date(2021, 12, 20)),
    )
    grade(
        w1,
        2025,
        date(2025, 12, 20),
        {
            "Trần Thị Bình": {"grade": "tot", "points": 80},
            "Lê Văn Cường": {"grade": "hoan_thanh", "points": "65.5"},
            "Vũ Thị Hoa": {"grade": "tot", "points": "88.25"},
        },
    )
    grading_record_org(
        org=w1,
        year=2021,
        graded_on=date(2021, 12, 15),
        grade="khong_hoan_thanh",
        decision=None,
        actor=ACTOR,
    )
    grading_record_org(
        org=w2,
        year=2021,
        graded_on=date(2021, 12, 15),
        grade="xuat_sac",
        exemplary=True,
        decision=provincial_decision("41-QĐ/TU", date(2022, 1, 10)),
        actor=ACTOR,
    )
    grading_record_org(
        org=w1,
        year=2025,
        graded_on=date(2025, 12, 20),
        grade="xuat_sac",
        points="92.5",
        tasks_done_pct=100,
        tasks_exceeded_pct="35.25",
        decision=None,
        actor=ACTOR,
    )
    return {**t, "k1": k1, "k2": k2}


CONGRESS_PERIODS = (
    (date(2020, 1, 1), date(2020, 12, 31)),
    (date(2022, 1, 1), date(2022, 12, 31)),
    (date(2018, 1, 1), date(2025, 12, 31)),
)


def congress_and_grading_figures() -> list:
    orgs = list(Organization.objects.order_by("pk"))
    return [
        [congress_figures(o, start, end) for start, end in CONGRESS_PERIODS]
        + [grading_figures(o, year) for year in (2021, 2025)]
        for o in orgs
    ]


def test_congresses_seats_and_gradings_survive_the_round_trip_with_their_figures(office_full):
    # given
    first = export_text()
    figures_before = congress_and_grading_figures()
    membership_before = all_figures()
    counts_before = {m: n for m, n in row_counts().items() if m not in ("OrgClosure", "OrgKind")}
    # when
    wipe()
    import_text(first)
    second = export_text()
    # then
    assert second == first
    assert congress_and_grading_figures() == figures_before
    assert all_figures() == membership_before
    assert {
        m: n for m, n in row_counts().items() if m not in ("OrgClosure", "OrgKind")
    } == counts_before
    assert projection_differences() == []


def test_the_figures_compared_are_not_empty(office_full):
    # counted from the fixture's docstring: ward 1 held 1 congress in 2020, elected 3
    # committee members (Bình a woman) and 1 secretary — one of the city's base organizations,
    # and ward 1's own congress apart from its units; the city held 1 in 2022 (cell 1 of
    # ward 2) whose secretary was appointed
    own = congress_figures(office_full["w1"], date(2020, 1, 1), date(2020, 12, 31))
    assert (own["congresses_held"], own["own_congresses_held"], own["own_congress_number"]) == (
        0,
        1,
        5,
    )
    w1 = congress_figures(office_full["city"], date(2020, 1, 1), date(2020, 12, 31))
    assert w1["base_orgs_congresses_held"] == 1
    assert (
        w1["congresses_held"],
        w1["congresses_approved"],
        w1["committee_elected"],
        w1["committee_women"],
        w1["secretaries_elected"],
        w1["elected_in_one_round"],
    ) == (1, 1, 3, 1, 1, 0)
    city = congress_figures(office_full["city"], date(2022, 1, 1), date(2022, 12, 31))
    assert (
        city["congresses_held"],
        city["secretaries_appointed"],
        city["congresses_approved"],
    ) == (1, 1, 0)
    g = grading_figures(office_full["city"], 2021)
    assert (
        g["members_graded"],
        g["members_not_graded"],
        g["base_orgs_graded"],
        g["exemplary_orgs"],
        g["members_disciplined"],
    ) == (4, 2, 2, 1, 1)
    assert grading_figures(office_full["w1"], 2025)["members_by_grade"]["tot"] == 2


def test_congress_seat_and_grade_lines_counted_by_hand(office_full):
    records = lines_of(export_text())
    by_type: dict[str, list[dict]] = {}
    for r in records[1:]:
        by_type.setdefault(r["type"], []).append(r)
    assert [r["type"] for r in records[-(2 + 7 + 9 + 3) :]] == (
        ["congress"] * 2 + ["committee_seat"] * 7 + ["member_grade"] * 9 + ["org_grade"] * 3
    )
    k1, k2 = by_type["congress"]
    assert (k1["org"], k1["term"], k1["kind"], k1["number"]) == (
        "org-2",
        "2020-07-01",
        "delegate",
        5,
    )
    assert k1["documents"] == [
        {"title": "Báo cáo chính trị", "adopted": True},
        {"title": "Báo cáo kiểm điểm của Ban Chấp hành"},
    ]
    assert k1["approved_on"] == "2020-07-20" and k1["approval_decision"].startswith("decision-")
    committee, secretary, delegates = k1["elections"]
    assert [c.get("elected_in_round") for c in committee["candidates"]] == [1, 1, 2, None]
    assert [len(r["votes"]) for r in committee["rounds"]] == [4, 2]
    assert committee["rounds"][1] == {
        "held_on": "2020-07-02",
        "issued": 115,
        "cast": 114,
        "valid": 114,
        "invalid": 0,
        "votes": [
            {"person": committee["candidates"][2]["person"], "count": 70},
            {"person": committee["candidates"][3]["person"], "count": 40},
        ],
    }
    assert (secretary["summoned"], secretary["present"]) == (3, 3)
    assert delegates["candidates"][1] == {
        "person": delegates["candidates"][1]["person"],
        "proposed_by": "nominee",
        "nominee_agreement_pct": 45.5,
        "elected_in_round": 1,
    }
    sec, deputy, dele = k2["elections"]
    assert (
        len(sec["rounds"]) == 3 and sec["appointed_person"] == committee["candidates"][0]["person"]
    )
    assert dele["stopped"] is True and "stopped" not in deputy
    seats = by_type["committee_seat"]
    # Sơn (ended by the approval), Vân (ended by decision), An/Bình/Cường approved, An
    # appointed, Dũng awaiting approval
    assert (
        sorted(s.get("status", "da_chuan_y") for s in seats) == ["cho_chuan_y"] + ["da_chuan_y"] * 6
    )
    assert sum("end_decision" in s for s in seats) == 2
    assert sum(s.get("congress") == "congress-1" for s in seats) == 3
    grades = by_type["member_grade"]
    not_graded = sorted(g.get("reason") for g in grades if g["grade"] == "khong_xep_loai")
    assert not_graded == ["khac", "mien"]
    assert sorted(g["points"] for g in grades if "points" in g) == [65.5, 80, 88.25]
    assert {g["rule_set"] for g in grades} == {"Quy định 132-QĐ/TW", "Quy định 366-QĐ/TW"}
    assert sum(g.get("disciplined", False) for g in grades) == 1
    og = by_type["org_grade"][2]
    assert (og["grade"], og["points"], og["tasks_done_pct"], og["tasks_exceeded_pct"]) == (
        "xuat_sac",
        92.5,
        100,
        35.25,
    )
    assert by_type["org_grade"][1]["exemplary"] is True


def test_imported_congresses_keep_ids_apart_from_new_records(office_full):
    text = export_text()
    wipe()
    import_text(text)
    # the services go on where the import stopped: approving the cell's congress turns the
    # pending deputy seat into a seat in force
    k2 = Congress.objects.get(org__versions__code="P2-C1")
    seats = congress_approve(
        congress=k2,
        decision=ward_decision("50-QĐ/ĐU", date(2022, 4, 1)),
        on=date(2022, 4, 1),
        actor=ACTOR,
    )
    assert [(s.person.full_name, s.position, s.status) for s in seats] == [
        ("Đỗ Văn Dũng", "pho_bi_thu", SeatStatus.APPROVED)
    ]
    assert ElectionCandidate.objects.get(
        nominee_agreement_pct__isnull=False
    ).nominee_agreement_pct == Decimal("45.50")
    assert OrgGrade.objects.get(year=2025).points == Decimal("92.50")
    # a new term, congress, election, round and votes get ids past the imported ones
    before = {
        m: set(m.objects.values_list("pk", flat=True))
        for m in (Term, Congress, Election, ElectionCandidate, BallotRound, Vote, CommitteeSeat)
    }
    k3 = congress_record(
        org=k2.org,
        kind="all_member",
        starts_on=date(2025, 3, 10),
        summoned=4,
        present=4,
        term_label="2025–2030",
        actor=ACTOR,
    )
    lao = Person.objects.get(full_name="Phạm Văn Lão")
    e = election_open(congress=k3, what="secretary", seats=1, candidates=[lao], actor=ACTOR)
    ballot_round_record(
        election=e, issued=4, cast=4, valid=4, invalid=0, votes={lao: 4}, actor=ACTOR
    )
    for model, pks in before.items():
        new = set(model.objects.values_list("pk", flat=True)) - pks
        assert new and min(new) > max(pks), model.__name__


GOOD_MORE = [dict(r) for r in GOOD] + [
    {
        "type": "person",
        "ref": "binh",
        "full_name": "Trần Thị Bình",
        "gender": "nu",
        "birth_date": "1990-01-01",
    },
    {
        "type": "congress",
        "ref": "k1",
        "org": "c1",
        "term": "2020-03-01",
        "kind": "all_member",
        "starts_on": "2020-03-01",
        "ends_on": "2020-03-01",
        "summoned": 7,
        "present": 7,
        "documents": [{"title": "Báo cáo chính trị", "adopted": True}],
        "approval_decision": "qd-tu",
        "approved_on": "2020-03-20",
        "elections": [
            {
                "what": "secretary",
                "seats": 1,
                "candidates": [{"person": "an", "elected_in_round": 2}, {"person": "binh"}],
                "rounds": [
                    {
                        "held_on": "2020-03-01",
                        "issued": 7,
                        "cast": 7,
                        "valid": 7,
                        "invalid": 0,
                        "votes": [{"person": "an", "count": 3}, {"person": "binh", "count": 3}],
                    },
                    {
                        "held_on": "2020-03-01",
                        "issued": 7,
                        "cast": 7,
                        "valid": 6,
                        "invalid": 1,
                        "votes": [{"person": "an", "count": 5}, {"person": "binh", "count": 1}],
                    },
                ],
            }
        ],
    },
    {
        "type": "committee_seat",
        "ref": "s1",
        "org": "c1",
        "person": "an",
        "position": "bi_thu",
        "term": "2020-03-01",
        "starts_on": "2020-03-20",
        "decision": "qd-tu",
        "congress": "k1",
    },
    {
        "type": "member_grade",
        "ref": "g1",
        "member": "dv-an",
        "year": 2020,
        "base_org": "p1",
        "grade": "tot",
        "graded_on": "2020-12-15",
    },
    {
        "type": "org_grade",
        "ref": "og1",
        "org": "p1",
        "year": 2020,
        "grade": "xuat_sac",
        "points": 95.5,
        "exemplary": True,
        "graded_on": "2020-12-15",
    },
]
GOOD_MORE[3] = {**GOOD_MORE[3], "terms": [{"label": "2020–2022", "starts_on": "2020-03-01"}]}


def more(
    n: int,
    change: dict | None = None,
    *,
    drop: tuple[str, ...] = (),
    add: list | None = None,
    edit=None,
) -> str:
    """GOOD_MORE with line `n` updated by `change`, keys `drop`ped and `edit(record)` applied,
    and `add` lines appended."""
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE]
    records[n - 1].update(change or {})
    for key in drop:
        del records[n - 1][key]
    if edit:
        edit(records[n - 1])
    return jsonl(records + (add or []))


def test_a_hand_written_file_with_congress_seat_and_grades_imports(db):
    import_text(jsonl(GOOD_MORE))
    winner = ElectionCandidate.objects.get(elected_in_round__isnull=False)
    assert winner.person.full_name == "Nguyễn Văn An" and winner.elected_in_round == 2
    assert BallotRound.objects.filter(election__what="secretary").count() == 2
    assert Vote.objects.get(round__number=2, candidate=winner).votes == 5
    seat = CommitteeSeat.objects.get()
    assert (seat.term.label, seat.congress.approved_on) == ("2020–2022", date(2020, 3, 20))
    grade = MemberGrade.objects.get()
    assert grade.rule_set == "Quy định 132-QĐ/TW"  # filled in from the grading date
    assert OrgGrade.objects.get().points == Decimal("95.5")
    records = lines_of(export_text())
    assert [r["ref"] for r in records[-4:]] == [
        "congress-1",
        "seat-1",
        "member-grade-1",
        "org-grade-1",
    ]
    assert records[-1]["points"] == 95.5


def _second_round(**change):
    def edit(congress):
        congress["elections"][0]["rounds"][1].update(change)

    return edit


def _candidate(j: int, **change):
    def edit(congress):
        candidate = congress["elections"][0]["candidates"][j - 1]
        candidate.update(change)
        for key in [k for k, v in change.items() if v is None]:
            del candidate[key]

    return edit


CONGRESS_ROUNDS = "elections[1].rounds[2]"
MORE_CASES = {
    "ballots cast are not valid + invalid": (
        more(10, edit=_second_round(invalid=2)),
        (10, f"{CONGRESS_ROUNDS}.cast"),
    ),
    "more ballots issued than present": (
        more(10, edit=_second_round(issued=8, cast=8, valid=7)),
        (10, f"{CONGRESS_ROUNDS}.issued"),
    ),
    "a candidate over the valid ballots": (
        more(10, edit=_second_round(votes=[{"person": "an", "count": 7}])),
        [(10, f"{CONGRESS_ROUNDS}.votes")] * 2,
    ),
    "votes of one person twice": (
        more(
            10,
            edit=_second_round(votes=[{"person": "an", "count": 5}, {"person": "an", "count": 1}]),
        ),
        (10, f"{CONGRESS_ROUNDS}.votes[2].person"),
    ),
    "votes for a member, not a person": (
        more(10, edit=_second_round(votes=[{"person": "dv-an", "count": 5}])),
        (10, f"{CONGRESS_ROUNDS}.votes[1].person"),
    ),
    "elected in another round than the votes say": (
        more(10, edit=_candidate(1, elected_in_round=1)),
        (10, "elections[1].candidates[1].elected_in_round"),
    ),
    "a winner not recorded": (
        more(10, edit=_candidate(1, elected_in_round=None)),
        (10, "elections[1].candidates[1].elected_in_round"),
    ),
    "a nominee without the agreement of 30%": (
        more(10, edit=_candidate(2, proposed_by="nominee", nominee_agreement_pct=30)),
        (10, "elections[1].candidates"),
    ),
    "approved while the election is unfinished": (
        more(
            10,
            edit=lambda c: (
                _candidate(1, elected_in_round=None)(c),
                _second_round(votes=[{"person": "an", "count": 3}, {"person": "binh", "count": 3}])(
                    c
                ),
            ),
        ),
        (10, "approved_on"),
    ),
    "approval without its decision": (
        more(10, drop=("approval_decision",)),
        (10, "approval_decision"),
    ),
    "a term the organization does not have": (more(10, {"term": "2020-03-02"}), (10, "term")),
    "a delegate congress of a cell": (more(10, {"kind": "delegate"}), (10, "kind")),
    "more present than summoned": (more(10, {"present": 8}), (10, "present")),
    "a count over the column": (more(10, {"summoned": 3_000_000_000}), (10, "summoned")),
    "two congresses for one term": (
        more(
            1, add=[{**GOOD_MORE[9], "ref": "k2", "approval_decision": None, "approved_on": None}]
        ),
        (14, "term"),
    ),
    "a seat that ends before it starts": (more(11, {"ends_on": "2020-03-20"}), (11, "ends_on")),
    "two secretaries at once": (
        more(1, add=[{**GOOD_MORE[10], "ref": "s2", "person": "binh", "starts_on": "2021-01-01"}]),
        (14, "starts_on"),
    ),
    "a pending seat of an approved congress": (more(11, {"status": "cho_chuan_y"}), (11, "status")),
    "a seat of another organization's congress": (
        more(11, {"org": "p1"}),
        [(11, "term"), (11, "congress")],
    ),
    "a seat naming an unknown congress": (more(11, {"congress": "k9"}), (11, "congress")),
    "an unknown position": (more(11, {"position": "chu_tich"}), (11, "position")),
    "not graded without a reason": (more(12, {"grade": "khong_xep_loai"}), (12, "reason")),
    "a reason with a grade": (more(12, {"reason": "mien"}), (12, "reason")),
    "another reason without a note": (
        more(12, {"grade": "khong_xep_loai", "reason": "khac"}),
        (12, "note"),
    ),
    "points of a member not graded": (
        more(12, {"grade": "khong_xep_loai", "reason": "mien", "points": 50}),
        (12, "points"),
    ),
    "a member graded twice a year": (
        more(1, add=[{**GOOD_MORE[11], "ref": "g2", "grade": "hoan_thanh"}]),
        (14, "year"),
    ),
    "a cell graded as a base organization": (more(12, {"base_org": "c1"}), (12, "base_org")),
    "a grading date of another year": (more(12, {"graded_on": "2022-01-10"}), (12, "graded_on")),
    "a rule set not in force on the grading date": (
        more(12, {"rule_set": "Quy định 366-QĐ/TW"}),
        (12, "rule_set"),
    ),
    "points with three decimals": (more(12, {"points": 85.125}), (12, "points")),
    "points over 100": (more(12, {"points": 100.5}), (12, "points")),
    "points as text": (more(12, {"points": "85"}), (12, "points")),
    "a grade of a person, not a member": (more(12, {"member": "an"}), (12, "member")),
    "exemplary but not excellent": (more(13, {"grade": "tot"}), (13, "exemplary")),
    "an organization graded twice a year": (
        more(1, add=[{**GOOD_MORE[12], "ref": "og2"}]),
        (14, "year"),
    ),
}


@pytest.mark.parametrize("case", MORE_CASES)
def test_a_bad_congress_seat_or_grade_is_refused_with_line_and_field(db, case):
    text, expected = MORE_CASES[case]
    assert errors_of(text) == (expected if isinstance(expected, list) else [expected])


def test_election_errors_cite_the_regulation_and_name_the_candidate(db):
    with pytest.raises(InterchangeInvalid) as exc:
        import_text(more(10, edit=_candidate(1, elected_in_round=1)))
    (error,) = exc.value.errors
    assert str(error) == (
        "Dòng 10, trường «elections[1].candidates[1].elected_in_round»: theo số phiếu "
        "đã ghi (cần ít nhất 4 phiếu), Nguyễn Văn An trúng cử ở lần bầu thứ 2, không "
        "phải lần thứ 1."
    )
    with pytest.raises(InterchangeInvalid) as exc:
        import_text(more(10, edit=_second_round(invalid=2)))
    (error,) = exc.value.errors
    assert error.message == (
        "Quy định 244-QĐ/TW: số phiếu thu vào (7) phải bằng số phiếu hợp lệ (6) cộng "
        "số phiếu không hợp lệ (2)."
    )


# ---- targets, inspections, documents, meetings and reports


@pytest.fixture
def office_work(office_full):
    """office_full plus, through the services: ward 1's targets (revised, evaluated twice),
    two cases (an organization reprimanded, a member disciplined), issued and received
    documents with a link, two meetings with a task closed at the second, and an issued
    report with a narrative revision and an override."""
    t = office_full
    w1, w2 = t["w1"], t["w2"]
    term = Term.objects.get(org=w1, starts_on=date(2020, 7, 1))
    resolution = ward_decision("01-NQ/ĐU", date(2020, 7, 2))
    admitted = ts.target_adopt(
        org=w1,
        source_kind="nghi_quyet_dai_hoi",
        source=resolution,
        category="xay_dung_dang",
        name="Kết nạp đảng viên mới",
        unit="đảng viên",
        direction="at_least",
        planned=20,
        adopted_on=date(2020, 7, 2),
        term=term,
        actor=ACTOR,
    )
    ts.target_revise(
        target=admitted,
        decision=ward_decision("30-QĐ/ĐU", date(2021, 3, 1)),
        effective_on=date(2021, 3, 1),
        reason="Điều chỉnh theo thực tế",
        planned="25,5",
        actor=ACTOR,
    )
    ts.evaluation_record(
        target=admitted,
        kind="giua_nhiem_ky",
        period_start=date(2020, 7, 1),
        period_end=date(2022, 12, 31),
        actual=12,
        actor=ACTOR,
    )
    ts.evaluation_record(
        target=admitted,
        kind="giua_nhiem_ky",
        period_start=date(2020, 7, 1),
        period_end=date(2022, 12, 31),
        actual="13,25",
        reason="Bổ sung",
        actor=ACTOR,
    )
    income = ts.target_adopt(
        org=w1,
        source_kind="chuong_trinh_cong_tac",
        source=ward_decision("02-CTr/ĐU", date(2021, 1, 5)),
        category="kinh_te_xa_hoi",
        name="Thu nhập bình quân",
        unit="triệu đồng",
        direction="at_least",
        planned=60,
        baseline=55,
        adopted_on=date(2021, 1, 5),
        year=2021,
        actor=ACTOR,
    )
    ts.evaluation_record(
        target=income,
        kind="nam",
        period_start=date(2021, 1, 1),
        period_end=date(2021, 12, 31),
        actual=58,
        actor=ACTOR,
    )
    # inspections
    by = {
        "conducting_org": w1,
        "conducting_body": "Ủy ban Kiểm tra Đảng ủy phường 1",
        "actor": ACTOR,
    }
    cell_case = ins.case_open(
        kind="kiem_tra_dau_hieu",
        starts_on=date(2021, 3, 1),
        topic="Sinh hoạt chi bộ",
        subject_org=t["w1c1"],
        decision=ward_decision("05-QĐ/UBKT", date(2021, 3, 1)),
        **by,
    )
    ins.case_add_step(
        case=cell_case,
        on=date(2021, 3, 10),
        name="Làm việc với chi bộ",
        note="Đủ hồ sơ",
        actor=ACTOR,
    )
    ins.case_conclude(
        case=cell_case,
        on=date(2021, 4, 1),
        violation_found=True,
        conclusion="Có vi phạm.",
        actor=ACTOR,
    )
    ins.case_discipline_org(
        case=cell_case,
        form="khien_trach",
        on=date(2021, 4, 10),
        decision=ward_decision("06-QĐ/ĐU", date(2021, 4, 10)),
        actor=ACTOR,
    )
    member_case = ins.case_open(
        kind="kiem_tra_dau_hieu",
        starts_on=date(2023, 2, 1),
        topic="Vi phạm",
        subject_member=t["cuong"],
        **by,
    )
    ins.case_conclude(
        case=member_case,
        on=date(2023, 3, 1),
        violation_found=True,
        conclusion="Có vi phạm.",
        actor=ACTOR,
    )
    ins.case_discipline_member(
        case=member_case,
        form="khien_trach",
        on=date(2023, 3, 10),
        decision=ward_decision("08-QĐ/ĐU", date(2023, 3, 10)),
        actor=ACTOR,
    )
    # documents
    plan = ds.document_issue(
        org=w1,
        type_code="KH",
        issued_on=date(2021, 2, 1),
        title="Kế hoạch kiểm tra",
        issuer_body="Ban Thường vụ Đảng ủy phường 1",
        actor=ACTOR,
    )
    directive = ds.document_receive(
        org=w2,
        number="15-CT/TU",
        issued_on=date(2021, 1, 10),
        received_on=date(2021, 1, 15),
        issuer_body="Ban Thường vụ Thành ủy",
        title="Chỉ thị về công tác kiểm tra",
        actor=ACTOR,
    )
    ds.document_receive(
        org=w1,
        number="15-CT/TU",
        issued_on=date(2021, 1, 10),
        received_on=date(2021, 1, 16),
        issuer_body="Ban Thường vụ Thành ủy",
        title="Chỉ thị về công tác kiểm tra",
        actor=ACTOR,
    )
    ds.document_link(from_doc=plan, to_doc=directive, relation="thuc_hien", actor=ACTOR)
    # meetings and tasks
    chair = make_person(name="Phạm Duy Phong")
    first = mt.meeting_record(
        org=w1,
        kind="chuyen_de",
        held_on=date(2021, 5, 5),
        session="sang",
        title="Hội nghị chuyên đề",
        people=[
            {"role": "chu_tri", "person": chair, "titles": ["Bí thư Đảng ủy phường"]},
            {"role": "khach_moi", "name": "Đinh Thị Hương", "titles": ["Thường vụ Thành ủy"]},
        ],
        items=[{"kind": "bao_cao", "title": "Báo cáo chuyên đề", "presenter": "Văn phòng"}],
        speakers_count=5,
        conclusion="Tiếp tục thực hiện.",
        concluded_by=chair,
        actor=ACTOR,
    )
    done = mt.task_add(
        meeting=first,
        text="Rà soát hồ sơ",
        owner_org=t["w1c1"],
        deadline=date(2021, 9, 30),
        actor=ACTOR,
    )
    mt.task_add(meeting=first, text="Tuyên truyền", owner="Ban Tuyên giáo", actor=ACTOR)
    second = mt.meeting_record(org=w1, kind="chuyen_de", held_on=date(2021, 10, 5), actor=ACTOR)
    mt.task_review(task=done, meeting=second, status="hoan_thanh", note="Xong", actor=ACTOR)
    # the office writes whole percentages from 2021 (a wording setting), then the year-end
    # report of ward 1 for 2021, issued
    setting_set(
        org=t["city"],
        key="percent_whole",
        value="co",
        valid_from=date(2021, 1, 1),
        decision="Kết luận của Ban Thường vụ",
        actor=ACTOR,
    )
    report = report_draft(org=w1, period_code="2021", actor=ACTOR, signer_name="Nguyễn Văn Hùng")
    report_update_narrative(report=report, narrative={"han_che": "Còn chậm."}, actor=ACTOR)
    report_override(report=report, key="admitted", value=3, actor=ACTOR)
    report_issue(report=report, on=date(2022, 1, 10), actor=ACTOR)
    return t


WORK_PERIODS = ((date(2021, 1, 1), date(2021, 12, 31)), (date(2020, 1, 1), date(2024, 12, 31)))


def work_figures() -> list:
    """Target and inspection figures and open tasks of every organization, in pk order."""
    out = []
    for org in Organization.objects.order_by("pk"):
        for start, end in WORK_PERIODS:
            out.append((target_figures(org, start, end), inspection_figures(org, start, end)))
        out.append(open_tasks(org, date(2021, 6, 1)))
    return out


def report_text() -> str:
    return repr(compose_review(build_review(ReviewReport.objects.get())))


def test_targets_cases_documents_meetings_and_reports_survive_the_round_trip(office_work):
    first = export_text()
    figures, text = work_figures(), report_text()
    wipe()
    import_text(first)
    assert export_text() == first
    assert work_figures() == figures
    assert report_text() == text
    # the compared figures are not empty
    assert Organization.objects.order_by("pk")[1].latest_version.code == "P1"
    w1 = figures[len(WORK_PERIODS) + 1]  # ward 1 (the second organization), year 2021
    assert w1[0]["targets_total"] == 1 and w1[0]["targets"][0]["actual"] == 58
    assert figures[2 * (len(WORK_PERIODS) + 1) - 1] != []  # ward 1's open tasks on 1/6/2021
    ev = Evaluation.objects.get(supersedes__isnull=False)
    assert (ev.actual, ev.supersedes.actual, ev.reason) == (
        Decimal("13.25"),
        Decimal("12"),
        "Bổ sung",
    )
    assert Meeting.objects.get(held_on=date(2021, 5, 5)).concluded_by.name == "Phạm Duy Phong"
    link = MemberDisciplineLink.objects.get()
    assert (link.event.kind, link.event.member.person.full_name) == (
        EventKind.DISCIPLINE,
        "Lê Văn Cường",
    )


def test_work_record_lines_counted_by_hand(office_work):
    records = lines_of(export_text())
    by_type: dict[str, list] = {}
    for r in records[1:]:
        by_type.setdefault(r["type"], []).append(r)
    counts = {
        k: len(by_type.get(k, []))
        for k in (
            "target",
            "case",
            "org_discipline",
            "member_discipline",
            "issued_number",
            "document",
            "document_link",
            "meeting",
            "task",
            "review_report",
        )
    }
    # 2 targets; 2 cases, one of each discipline; KH 01 and BC 01 of ward 1; the plan and the
    # directive (received twice: one document); 2 meetings; 2 tasks; 1 report
    assert counts == {
        "target": 2,
        "case": 2,
        "org_discipline": 1,
        "member_discipline": 1,
        "issued_number": 2,
        "document": 2,
        "document_link": 1,
        "meeting": 2,
        "task": 2,
        "review_report": 1,
    }
    admitted = by_type["target"][0]
    assert admitted["term"] == "2020-07-01" and "year" not in admitted
    assert admitted["revisions"][0]["planned"] == 25.5
    assert [e.get("supersedes") for e in admitted["evaluations"]] == [None, 1]
    assert len(by_type["document"][1]["receipts"]) == 2
    meeting = by_type["meeting"][0]
    assert meeting["concluded_by"] == 1 and len(meeting["people"]) == 2
    assert [t.get("status", "dang_thuc_hien") for t in by_type["task"]] == [
        "hoan_thanh",
        "dang_thuc_hien",
    ]
    report = by_type["review_report"][0]
    assert report["snapshot"]["org"]["id"] == by_type["issued_number"][1]["issuer"]
    assert report["overrides"] == {"admitted": 3} and len(report["revisions"]) == 1


def _edit(text: str, type_: str, edit) -> str:
    """The file with the first line of `type_` changed by `edit(record)` (sealed again)."""
    lines = text.splitlines()[:-1]  # without the trailer
    for i, line in enumerate(lines):
        record = json.loads(line)
        if record["type"] == type_:
            edit(record)
            lines[i] = json.dumps(record, ensure_ascii=False)
            return seal(("\n".join(lines) + "\n").encode("utf-8"), RECORD_TYPES).decode("utf-8")
    raise AssertionError(type_)


WORK_CASES = [
    ("target", lambda r: r["evaluations"][1].update(supersedes=2), "evaluations[2].supersedes"),
    ("target", lambda r: r["evaluations"][0].update(actual=1.23456), "evaluations[1].actual"),
    ("target", lambda r: r.update(year=2021), "term"),
    ("case", lambda r: r.update(subject_member="member-1"), "subject_org"),
    ("member_discipline", lambda r: r.update(event="event-1"), "event"),
    ("document", lambda r: r.pop("issued_number"), "issued_number"),
    ("document_link", lambda r: r.update(to_doc=r["from_doc"]), "to_doc"),
    ("meeting", lambda r: r.update(concluded_by=3), "concluded_by"),
    ("task", lambda r: r["reviews"][0].update(status="dang_thuc_hien"), "status"),
    ("task", lambda r: r.pop("closed_on"), "closed_on"),
    ("review_report", lambda r: r.pop("number"), "status"),
    ("review_report", lambda r: r["snapshot"]["org"].update(id="org-1"), "snapshot.org.id"),
]


def test_bad_work_records_are_refused_with_line_and_field(office_work):
    text = export_text()
    wipe()
    for type_, edit, field in WORK_CASES:
        bad = _edit(text, type_, edit)
        line = next(
            i for i, x in enumerate(bad.splitlines(), start=1) if json.loads(x)["type"] == type_
        )
        with pytest.raises(InterchangeInvalid) as caught:
            import_text(bad)
        assert {(e.line, e.field) for e in caught.value.errors} == {(line, field)}, (type_, field)
    assert Target.objects.count() == Organization.objects.count() == 0
