"""An import error for a rule the services also check carries the service's rule.

For each app the same situation is put to the service and to the importer; the import
error must carry the rule code and the regulation of the service's refusal, and its
message must contain the service's message (one rule, one implementation).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from dangbo.congresses.congress import congress_record
from dangbo.congresses.models import Congress, Election, Position
from dangbo.congresses.seats import seat_appoint
from dangbo.congresses.voting import ballot_round_record
from dangbo.core.errors import DomainError, RuleViolation
from dangbo.documents import services as ds
from dangbo.grading.services import grading_record_members, grading_record_org
from dangbo.inspections import services as ins
from dangbo.interchange.reader import InterchangeInvalid, LineError
from dangbo.meetings import services as mt
from dangbo.meetings.models import TaskStatus
from dangbo.membership.admission import member_admit
from dangbo.membership.events import event_reverse
from dangbo.membership.models import Member
from dangbo.organizations import services as org_services
from dangbo.organizations.models import Organization
from dangbo.organizations.services import term_open
from dangbo.reports.services import report_draft, report_issue, report_override
from dangbo.targets import services as ts
from tests.conftest import ACTOR, admit, kind, make_person, ward_decision
from tests.test_interchange import GOOD_MORE, export_text, import_text, jsonl, lines_of, wipe


def refusal(call) -> tuple[str, str, str]:
    """(rule code, regulation, message) of the service's refusal of `call()`.

    A rule with a regulation is refused as a RuleViolation; one without, as a DomainError
    whose code is the rule and whose message is the rule's message as a sentence (returned
    without its full stop).
    """
    with pytest.raises(DomainError) as caught:
        call()
    exc = caught.value
    if isinstance(exc, RuleViolation):
        v = exc.violations[0]
        return v.rule, v.regulation, str(v)
    return exc.code, "", exc.message.removesuffix(".")


def import_error(records: list[dict], rule: str) -> LineError:
    """The error for `rule` when importing `records` into an empty database."""
    wipe()
    with pytest.raises(InterchangeInvalid) as caught:
        import_text(jsonl(records))
    found = [e for e in caught.value.errors if e.rule == rule]
    assert found, [str(e) for e in caught.value.errors]
    return found[0]


def assert_carries(error: LineError, service: tuple[str, str, str]) -> None:
    """The import error has the service's rule and regulation and contains its message (as
    written, or with a lower-case first letter where the service's sentence starts one and
    the import message continues one)."""
    rule, regulation, message = service
    assert (error.rule, error.regulation) == (rule, regulation)
    assert message in error.message or message[:1].lower() + message[1:] in error.message


def one(records: list[dict], type_: str, n: int = 1) -> dict:
    return [r for r in records if r["type"] == type_][n - 1]


def test_organizations_a_code_in_use(city_tree):
    service = refusal(
        lambda: org_services.org_found(
            kind=kind("chi_bo"),
            name="Chi bộ mới",
            code="p1",
            parent=city_tree["w1"],
            on=date(2019, 1, 1),
            actor=ACTOR,
        )
    )
    records = lines_of(export_text())
    one(records, "organization", 7)["versions"][0]["code"] = "p1"
    assert_carries(import_error(records, service[0]), service)


def test_membership_an_admission_over_60(city_tree):
    cell = city_tree["w1c1"]
    old = make_person(name="Nguyễn Văn Lão", born=date(1955, 1, 1))
    service = refusal(
        lambda: member_admit(person=old, cell=cell, on=date(2019, 3, 1), decision=None, actor=ACTOR)
    )
    admit(cell, date(2019, 3, 1), name="Nguyễn Văn Lão")
    records = lines_of(export_text())
    for person in [r for r in records if r["type"] == "person"]:
        person["birth_date"] = "1955-01-01"
    assert service[1]  # a regulation is cited
    assert_carries(import_error(records, service[0]), service)


def test_membership_an_event_is_reversed_once(city_tree):
    member = admit(city_tree["w1c1"], date(2019, 3, 1))
    admission = member.events.get()

    def reverse():
        return event_reverse(
            event=admission, reason="Trùng hồ sơ", on=date(2019, 4, 1), actor=ACTOR
        )

    reverse()
    service = refusal(reverse)
    records = lines_of(export_text())
    reversal = next(r for r in records if r["type"] == "event" and r["kind"] == "huy_bo")
    records.append({**reversal, "ref": "event-again"})
    assert service[0] == "da_huy"
    assert_carries(import_error(records, service[0]), service)


def test_membership_a_person_is_in_the_register_once(city_tree):
    member = admit(city_tree["w1c1"], date(2019, 3, 1), name="Nguyễn Văn An")
    service = refusal(
        lambda: member_admit(
            person=member.person,
            cell=city_tree["w1c1"],
            on=date(2019, 6, 1),
            decision=None,
            actor=ACTOR,
        )
    )
    records = lines_of(export_text())
    records.append({**one(records, "member"), "ref": "member-again"})
    assert service[0] == "da_la_dang_vien"
    assert_carries(import_error(records, service[0]), service)


def _congress_with_one_round() -> list[dict]:
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE[:-3]]
    congress = records[-1]
    del congress["approval_decision"], congress["approved_on"]
    election = congress["elections"][0]
    election["rounds"] = election["rounds"][:1]  # a tie: nobody elected yet
    del election["candidates"][0]["elected_in_round"]
    return records


def test_congresses_a_further_round_only_among_those_not_yet_elected(db):
    records = _congress_with_one_round()
    import_text(jsonl(records))
    service = refusal(
        lambda: ballot_round_record(
            election=Election.objects.get(),
            issued=7,
            cast=7,
            valid=7,
            invalid=0,
            votes={},
            actor=ACTOR,
        )
    )
    rounds = records[-1]["elections"][0]["rounds"]
    rounds.append({**rounds[0], "votes": []})
    error = import_error(records, service[0])
    assert service[0] == "bau_tiep_con_lai" and service[1]
    assert_carries(error, service)


def test_congresses_one_congress_per_term(db):
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE]
    import_text(jsonl(records))
    congress = Congress.objects.get()
    service = refusal(
        lambda: congress_record(
            org=congress.org,
            kind=congress.kind,
            starts_on=congress.starts_on,
            summoned=congress.summoned,
            present=congress.present,
            term=congress.term,
            actor=ACTOR,
        )
    )
    k = next(r for r in records if r["type"] == "congress")
    records.append({**k, "ref": "k2", "approval_decision": None, "approved_on": None})
    assert service[0] == "da_co_dai_hoi"
    assert_carries(import_error(records, service[0]), service)


def test_grading_exemplary_only_when_excellent(db):
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE]
    import_text(jsonl(records[:-1]))
    with pytest.raises(RuleViolation) as caught:
        grading_record_org(
            org=Organization.objects.get(versions__code="P1"),
            year=2020,
            grade="tot",
            points=Decimal("95.5"),
            exemplary=True,
            graded_on=date(2020, 12, 15),
            decision=None,
            actor=ACTOR,
        )
    (v,) = [v for v in caught.value.violations if v.rule == "tieu_bieu_chi_xuat_sac"]
    records[-1]["grade"] = "tot"
    assert_carries(import_error(records, v.rule), (v.rule, v.regulation, str(v)))


def test_targets_one_target_of_a_name_per_period(city_tree):
    adopt = {
        "org": city_tree["w1"],
        "source_kind": "chuong_trinh_cong_tac",
        "source": ward_decision("02-CTr/ĐU", date(2021, 1, 5)),
        "category": "kinh_te_xa_hoi",
        "name": "Thu nhập bình quân",
        "direction": "at_least",
        "planned": 60,
        "adopted_on": date(2021, 1, 5),
        "year": 2021,
        "actor": ACTOR,
    }
    ts.target_adopt(**adopt)
    service = refusal(lambda: ts.target_adopt(**adopt))
    records = lines_of(export_text())
    records.append({**one(records, "target"), "ref": "target-2"})
    assert_carries(import_error(records, service[0]), service)


def test_targets_a_revision_takes_effect_after_the_adoption(city_tree):
    target = ts.target_adopt(
        org=city_tree["w1"],
        source_kind="chuong_trinh_cong_tac",
        source=ward_decision("02-CTr/ĐU", date(2021, 1, 5)),
        category="kinh_te_xa_hoi",
        name="Thu nhập bình quân",
        direction="at_least",
        planned=60,
        adopted_on=date(2021, 1, 10),
        year=2021,
        actor=ACTOR,
    )
    decision = ward_decision("03-QĐ/ĐU", date(2021, 1, 5))

    def revise(on: date):
        return ts.target_revise(
            target=target,
            decision=decision,
            effective_on=on,
            reason="Điều chỉnh",
            planned=65,
            actor=ACTOR,
        )

    service = refusal(lambda: revise(date(2021, 1, 8)))
    revise(date(2021, 6, 1))
    records = lines_of(export_text())
    one(records, "target")["revisions"][0]["effective_on"] = "2021-01-08"
    assert service[0] == "ngay_dieu_chinh"
    assert_carries(import_error(records, service[0]), service)


def test_inspections_discipline_only_after_a_conclusion(city_tree):
    case = ins.case_open(
        kind="kiem_tra_dau_hieu",
        starts_on=date(2021, 3, 1),
        topic="Sinh hoạt chi bộ",
        subject_org=city_tree["w1c1"],
        conducting_org=city_tree["w1"],
        conducting_body="Ủy ban Kiểm tra Đảng ủy phường 1",
        actor=ACTOR,
    )
    ins.case_conclude(
        case=case, on=date(2021, 4, 1), violation_found=True, conclusion="Có.", actor=ACTOR
    )
    decision = ward_decision("06-QĐ/ĐU", date(2021, 3, 20))

    def discipline(on: date):
        return ins.case_discipline_org(
            case=case, form="khien_trach", on=on, decision=decision, actor=ACTOR
        )

    service = refusal(lambda: discipline(date(2021, 3, 20)))
    discipline(date(2021, 4, 10))
    records = lines_of(export_text())
    one(records, "org_discipline")["decided_on"] = "2021-03-20"
    assert service[1]  # a regulation is cited
    assert_carries(import_error(records, service[0]), service)


def test_inspections_one_discipline_per_case(city_tree):
    case = ins.case_open(
        kind="kiem_tra_dau_hieu",
        starts_on=date(2021, 3, 1),
        topic="Sinh hoạt chi bộ",
        subject_org=city_tree["w1c1"],
        conducting_org=city_tree["w1"],
        conducting_body="Ủy ban Kiểm tra Đảng ủy phường 1",
        actor=ACTOR,
    )
    ins.case_conclude(
        case=case, on=date(2021, 4, 1), violation_found=True, conclusion="Có.", actor=ACTOR
    )
    decision = ward_decision("06-QĐ/ĐU", date(2021, 4, 10))

    def discipline():
        return ins.case_discipline_org(
            case=case, form="khien_trach", on=date(2021, 4, 10), decision=decision, actor=ACTOR
        )

    discipline()
    service = refusal(discipline)
    records = lines_of(export_text())
    records.append({**one(records, "org_discipline"), "ref": "org-discipline-2"})
    assert service[0] == "da_ky_luat"
    assert_carries(import_error(records, service[0]), service)


def test_documents_a_document_is_not_linked_to_itself(city_tree):
    plan = ds.document_receive(
        org=city_tree["w1"],
        number="15-CT/TU",
        issued_on=date(2021, 1, 10),
        received_on=date(2021, 1, 15),
        issuer_body="Ban Thường vụ Thành ủy",
        title="Chỉ thị về công tác kiểm tra",
        actor=ACTOR,
    )
    service = refusal(
        lambda: ds.document_link(from_doc=plan, to_doc=plan, relation="thuc_hien", actor=ACTOR)
    )
    records = lines_of(export_text())
    records.append(
        {
            "type": "document_link",
            "ref": "link-1",
            "from_doc": "document-1",
            "to_doc": "document-1",
            "relation": "thuc_hien",
        }
    )
    assert_carries(import_error(records, service[0]), service)


def test_documents_an_organization_enters_a_received_document_once(city_tree):
    def receive():
        return ds.document_receive(
            org=city_tree["w1"],
            number="15-CT/TU",
            issued_on=date(2021, 1, 10),
            received_on=date(2021, 1, 15),
            issuer_body="Ban Thường vụ Thành ủy",
            title="Chỉ thị về công tác kiểm tra",
            actor=ACTOR,
        )

    receive()
    service = refusal(receive)
    records = lines_of(export_text())
    receipts = one(records, "document")["receipts"]
    receipts.append(dict(receipts[0]))
    assert service[0] == "van_ban_trung"
    assert_carries(import_error(records, service[0]), service)


def test_meetings_a_task_is_reviewed_at_a_later_meeting(city_tree):
    meeting = mt.meeting_record(
        org=city_tree["w1"], kind="chuyen_de", held_on=date(2021, 5, 5), actor=ACTOR
    )
    task = mt.task_add(meeting=meeting, text="Rà soát hồ sơ", owner="Văn phòng", actor=ACTOR)
    service = refusal(
        lambda: mt.task_review(
            task=task, meeting=meeting, status=TaskStatus.OPEN.value, actor=ACTOR
        )
    )
    records = lines_of(export_text())
    one(records, "task")["reviews"] = [{"meeting": "meeting-1", "status": TaskStatus.OPEN.value}]
    assert_carries(import_error(records, service[0]), service)


def test_meetings_no_more_present_than_expected(city_tree):
    def record(present: int):
        return mt.meeting_record(
            org=city_tree["w1"],
            kind="chuyen_de",
            held_on=date(2021, 5, 5),
            present=present,
            members_expected=9,
            actor=ACTOR,
        )

    service = refusal(lambda: record(10))
    record(9)
    records = lines_of(export_text())
    one(records, "meeting")["present"] = 10
    assert service[0] == "so_co_mat"
    assert_carries(import_error(records, service[0]), service)


def test_reports_a_figure_replaced_by_hand_is_not_negative(city_tree):
    report = report_draft(
        org=city_tree["w1"], period_code="2021", actor=ACTOR, signer_name="Nguyễn Văn Hùng"
    )
    service = refusal(lambda: report_override(report=report, key="admitted", value=-1, actor=ACTOR))
    records = lines_of(export_text())
    one(records, "review_report")["overrides"] = {"admitted": -1}
    assert_carries(import_error(records, service[0]), service)


def test_congresses_the_first_round_lists_every_candidate(db):
    records = _congress_with_one_round()
    election = records[-1]["elections"][0]
    first = election["rounds"].pop()
    import_text(jsonl(records))
    service = refusal(
        lambda: ballot_round_record(
            election=Election.objects.get(),
            issued=first["issued"],
            cast=first["cast"],
            valid=first["valid"],
            invalid=first["invalid"],
            votes={},
            actor=ACTOR,
        )
    )
    election["rounds"] = [{**first, "votes": []}]
    assert service[0] == "lan_dau_du_danh_sach"
    assert_carries(import_error(records, service[0]), service)


def test_congresses_one_secretary_at_a_time(city_tree):
    cell = city_tree["w1c1"]
    term_open(org=cell, label="2020–2022", starts_on=date(2020, 3, 1), actor=ACTOR)
    dung = make_person(name="Phạm Văn Dũng")
    binh = make_person(name="Trần Thị Bình", gender="nu")
    seat_appoint(
        org=cell, person=dung, position=Position.SECRETARY, starts_on=date(2020, 3, 10), actor=ACTOR
    )
    service = refusal(
        lambda: seat_appoint(
            org=cell,
            person=binh,
            position=Position.SECRETARY,
            starts_on=date(2021, 1, 1),
            actor=ACTOR,
        )
    )
    records = lines_of(export_text())
    binh_ref = next(r["ref"] for r in records if r.get("full_name") == "Trần Thị Bình")
    seat = one(records, "committee_seat")
    records.append({**seat, "ref": "seat-2", "person": binh_ref, "starts_on": "2021-01-01"})
    assert service[0] == "trung_chuc_vu"
    assert_carries(import_error(records, service[0]), service)


def test_grading_an_organization_once_a_year(db):
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE]
    import_text(jsonl(records))
    service = refusal(
        lambda: grading_record_org(
            org=Organization.objects.get(versions__code="P1"),
            year=2020,
            grade="xuat_sac",
            points=Decimal("95.5"),
            exemplary=False,
            graded_on=date(2020, 12, 15),
            decision=None,
            actor=ACTOR,
        )
    )
    records.append({**one(records, "org_grade"), "ref": "og2"})
    assert service[0] == "da_xep_loai"
    assert_carries(import_error(records, service[0]), service)


def test_grading_another_reason_needs_a_note(db):
    records = [json.loads(json.dumps(r)) for r in GOOD_MORE]
    import_text(jsonl(records[:-2]))
    code, regulation, message = refusal(
        lambda: grading_record_members(
            base_org=Organization.objects.get(versions__code="P1"),
            year=2020,
            graded_on=date(2020, 12, 15),
            grades=[{"member": Member.objects.get(), "grade": "khong_xep_loai", "reason": "khac"}],
            decision=None,
            actor=ACTOR,
        )
    )
    assert code == "ghi_chu_ly_do_khac" and message.startswith("Dòng 1: ")
    service = (code, regulation, message.removeprefix("Dòng 1: "))
    one(records, "member_grade").update(grade="khong_xep_loai", reason="khac")
    assert_carries(import_error(records, code), service)


def test_reports_issued_after_the_period(city_tree):
    term_open(org=city_tree["w1"], label="2020–2025", starts_on=date(2020, 10, 1), actor=ACTOR)
    report = report_draft(
        org=city_tree["w1"], period_code="2021", actor=ACTOR, signer_name="Nguyễn Văn Hùng"
    )
    service = refusal(lambda: report_issue(report=report, on=date(2021, 12, 30), actor=ACTOR))
    report_issue(report=report, on=date(2022, 1, 5), actor=ACTOR)
    records = lines_of(export_text())
    one(records, "review_report")["issued_on"] = "2021-12-30"
    assert service[0] == "ngay_ban_hanh"
    assert_carries(import_error(records, service[0]), service)


def test_congresses_a_cell_under_nine_full_members_elects_no_chi_uy_quy_dinh_29(db):
    """Quy định 29-QĐ/TW (Charter art. 24, kept by 24-, 232- and 294-QĐ/TW): a cell of 7 full
    members elects no chi ủy — the service and the importer refuse it with one rule."""
    from dangbo.congresses.voting import election_open
    from dangbo.membership.models import Person

    records = [json.loads(json.dumps(r)) for r in GOOD_MORE[:-3]]
    del records[-1]["approval_decision"], records[-1]["approved_on"]
    import_text(jsonl(records))
    people = list(Person.objects.order_by("pk")[:2])
    service = refusal(
        lambda: election_open(
            congress=Congress.objects.get(),
            what="committee",
            seats=1,
            candidates=people,
            actor=ACTOR,
        )
    )
    assert service[:2] == ("co_cau_chi_bo", "Quy định 29-QĐ/TW")
    congress = records[-1]
    congress["elections"].append(
        {
            "what": "committee",
            "seats": 1,
            "candidates": [{"person": "an"}, {"person": "binh"}],
            "rounds": [],
        }
    )
    assert_carries(import_error(records, service[0]), service)
