"""Party work of the demo wards: targets, inspections, the document register and review conferences.

Written through the services of :mod:`dangbo.targets`, :mod:`dangbo.inspections`,
:mod:`dangbo.documents` and :mod:`dangbo.meetings` after the congresses and the grading:

* targets — each ward's term targets adopted with its congress resolution (2020–2025 for the
  old wards, 2025–2030 for the new ones) evaluated at mid-term / end of term, and the yearly
  targets of its work programme (2023–2024 and the first half of 2025 for the old wards,
  2026 for the new ones) evaluated at the 6-month and year-end reviews; computed targets
  through ``evaluations_compute``; one or two yearly targets revised by a decision;
* inspections — a handful of supervision and inspection cases a year on the ward's cells and
  members, a few finding violations, rarely a member's discipline (official members still in
  their cell, reprimand or warning, in 2026 after the conclusion);
* documents — the central conclusions the city receives, the city's resolutions, plans and
  guidance implementing them, received by the wards, and the wards' implementing plans;
* meetings — the 6-month and year-end review conferences of each ward from 2023, with a
  guest of the level above, presentations, the secretary's conclusion and follow-up tasks
  reviewed at the next conference.

Every draw comes from the caller's ``random.Random`` (seeded apart from the others, so the
rest of the demo does not change), in a fixed order: wards by index, years ascending.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Max

from dangbo.congresses.models import Congress, Position
from dangbo.congresses.selectors import committee_on
from dangbo.core.models import IssuerLevel
from dangbo.demo.party_work_data import (
    CASE_TOPICS_MEMBER,
    CASE_TOPICS_ORG,
    CENTRAL,
    CITY,
    FIRST_YEAR,
    GUESTS_CITY,
    GUESTS_DISTRICT,
    PRESENTATIONS,
    TASKS,
    TERM_TARGETS,
    YEAR_TARGETS,
    draw_actual,
    draw_value,
    pick_day,
)
from dangbo.documents import services as ds
from dangbo.inspections import services as ins
from dangbo.meetings import services as mts
from dangbo.meetings.models import Task, TaskStatus
from dangbo.membership.models import Member, MemberEvent, MembershipSpell, MemberStatus
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.targets import services as ts
from dangbo.targets.computed import evaluations_compute


@dataclass
class PartyWorkCounts:
    targets: int = 0
    evaluations: int = 0
    revisions: int = 0
    cases: int = 0
    disciplines: int = 0
    documents: int = 0
    meetings: int = 0
    tasks: int = 0
    notes: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, h, rng: random.Random, actor: str, today: date, reorg_on: date) -> None:
        self.h, self.rng, self.actor, self.today, self.reorg_on = h, rng, actor, today, reorg_on
        self.tree, self.book = h.tree, h.book
        self.counts = PartyWorkCounts()

    def years(self, ward) -> list[int]:
        if ward.new:
            return [y for y in range(self.reorg_on.year, self.today.year + 1)]
        return list(range(FIRST_YEAR, self.reorg_on.year + 1))

    def alive(self, ward, on: date) -> bool:
        return (ward.new and self.reorg_on <= on <= self.today) or (
            not ward.new and on < self.reorg_on
        )

    def ref(self, ward, on: date, type_: str, title: str):
        return self.book.ref(
            issuer=ward.issuer,
            level=IssuerLevel.COMMUNE if ward.new else IssuerLevel.BASE,
            doc="ĐU",
            type=type_,
            issued_on=on,
            title=title,
            term=f"ward:{ward.index}",
        )

    # ---------------------------------------------------------------- targets (plan, then write)

    @staticmethod
    def planned(
        rng: random.Random, ward, computed: str, bounds: tuple[int, int], places: int, years: int
    ) -> str:
        """The planned value; the admissions follow the ward's size (about 1.2% of its members a year)."""
        if computed == "admitted":
            return str(max(bounds[0], round(ward.size * rng.uniform(0.010, 0.014) * years)))
        return draw_value(rng, *bounds, places)

    def plan_targets(self) -> list:

        rng = self.rng
        plans: list[tuple] = []
        for ward in self.tree.wards:
            label = "2025–2030" if ward.new else "2020–2025"
            congress = (
                Congress.objects.filter(org=ward.org, term__label=label)
                .select_related("term")
                .order_by("starts_on")
                .first()
            )
            if congress is not None:
                on = congress.ends_on
                ref = self.ref(
                    ward,
                    on,
                    "NQ",
                    f"Nghị quyết Đại hội Đảng bộ phường {ward.name} nhiệm kỳ {label}",
                )
                rows = [
                    (c, n, u, d, self.planned(rng, ward, cf, p, pl, 5), pl, cf)
                    for c, n, u, d, p, pl, cf in TERM_TARGETS
                    if cf or rng.random() < 0.85
                ]
                plans.append(("term", ward, congress.term, on, ref, rows, None))
            for year in self.years(ward):
                if ward.new and year < self.today.year:
                    continue
                on = date(year, 1, rng.randint(8, 25))
                ref = self.ref(
                    ward,
                    on,
                    "CTr",
                    f"Chương trình công tác năm {year} của Đảng ủy phường {ward.name}",
                )
                rows = [
                    (c, n, u, d, self.planned(rng, ward, cf, p, pl, 1), pl, cf)
                    for c, n, u, d, p, pl, cf in YEAR_TARGETS
                    if cf or rng.random() < 0.8
                ]
                revision = None
                last_review = (
                    date(year, 6, 30)
                    if year in (self.reorg_on.year, self.today.year)
                    else date(year, 12, 31)
                )
                if rng.random() < 0.5 and last_review.month == 12:
                    rev_on = date(year, 7, rng.randint(10, 28))
                    revision = (
                        rev_on,
                        self.ref(
                            ward,
                            rev_on,
                            "QĐ",
                            f"Về việc điều chỉnh một số chỉ tiêu Chương trình công tác năm {year}",
                        ),
                    )
                plans.append(("year", ward, year, on, ref, rows, revision))
        return plans

    def write_targets(self, plans: list) -> None:

        rng, book, actor = self.rng, self.book, self.actor
        for kind, ward, period, on, ref, rows, revision in plans:
            targets = []
            for category, name, unit, direction, planned, places, computed in rows:
                extra = {"term": period} if kind == "term" else {"year": period}
                t = ts.target_adopt(
                    org=ward.org,
                    source_kind="nghi_quyet_dai_hoi" if kind == "term" else "chuong_trinh_cong_tac",
                    source=book[ref],
                    category=category,
                    name=name,
                    direction=direction,
                    planned=planned,
                    adopted_on=on,
                    actor=actor,
                    unit=unit,
                    computed_from=computed,
                    **extra,
                )
                targets.append((t, planned, direction, places, unit))
                self.counts.targets += 1
            if kind == "term":
                start = period.starts_on
                if ward.new:
                    reviews = []  # the 2025–2030 term has no review point yet
                else:
                    reviews = [
                        ("giua_nhiem_ky", start, date(2022, 12, 31)),
                        ("cuoi_nhiem_ky", start, self.reorg_on - timedelta(days=1)),
                    ]
            else:
                year = period
                reviews = [("6_thang", date(year, 1, 1), date(year, 6, 30))]
                if date(year, 12, 31) < min(
                    self.today, self.reorg_on if not ward.new else self.today
                ):
                    reviews.append(("nam", date(year, 1, 1), date(year, 12, 31)))
            if revision is not None:
                rev_on, rev_ref = revision
                pick = [x for x in targets if not x[0].computed_from and x[4] != "%"] or targets[
                    -1:
                ]
                t, planned, direction, places, unit = rng.choice(pick)
                new = (
                    str(round(float(planned) * rng.choice((0.8, 1.2))))
                    if places == 0
                    else (f"{float(planned) * rng.uniform(0.95, 1.05):.{places}f}")
                )
                if new != planned and not t.computed_from:
                    ts.target_revise(
                        target=t,
                        decision=book[rev_ref],
                        effective_on=rev_on,
                        actor=actor,
                        planned=new,
                        reason="Điều chỉnh theo tình hình thực tế của địa phương",
                    )
                    idx = [x[0] for x in targets].index(t)
                    targets[idx] = (t, new, direction, places, unit)
                    self.counts.revisions += 1
            for review, start, end in reviews:
                for t, planned, direction, places, unit in targets:
                    if t.computed_from:
                        continue
                    ts.evaluation_record(
                        target=t,
                        kind=review,
                        period_start=start,
                        period_end=end,
                        actual=draw_actual(rng, planned, direction, places, unit),
                        actor=actor,
                    )
                    self.counts.evaluations += 1
                done = evaluations_compute(
                    org=ward.org, kind=review, start=start, end=end, actor=actor
                )
                self.counts.evaluations += len(done.recorded)

    # ---------------------------------------------------------------- inspections

    def plan_cases(self) -> list:
        """(ward, year, case rows); a row: (kind, subject kind, subject id, start, topic, violation, discipline)."""

        rng, disciplined = self.rng, set()
        plans: list[tuple] = []
        last_event = dict(
            MemberEvent.objects.values("member_id")
            .order_by()
            .annotate(last=Max("effective_on"))
            .values_list("member_id", "last")
        )
        for ward in self.tree.wards:
            for year in self.years(ward):
                first = (
                    max(date(year, 2, 15), self.reorg_on + timedelta(days=60))
                    if ward.new
                    else date(year, 2, 15)
                )
                last = min(
                    date(year, 10, 31),
                    self.today - timedelta(days=60),
                    self.reorg_on - timedelta(days=75) if not ward.new else date(year, 10, 31),
                )
                if last <= first:
                    continue
                for _ in range(rng.randint(3, 5)):
                    on = pick_day(rng, first, last)
                    cells = sorted(
                        OrgVersion.objects.filter(
                            parent=ward.org, valid_from__lte=on, valid_to__gt=on
                        ).values_list("org_id", flat=True)
                    )
                    if not cells:
                        continue
                    if rng.random() < 0.55:
                        kind, topic = rng.choice(CASE_TOPICS_ORG)
                        plans.append(
                            (
                                ward,
                                kind,
                                "org",
                                rng.choice(cells),
                                on,
                                topic.format(year=year),
                                rng.random() < 0.1,
                                None,
                            )
                        )
                        continue
                    kind, topic = rng.choice(CASE_TOPICS_MEMBER)
                    spells = list(
                        MembershipSpell.objects.filter(
                            cell_id__in=cells, valid_from__lte=on, valid_to__gt=on
                        )
                        .order_by("member_id")
                        .values_list("member_id", "status", "valid_to")
                    )
                    if not spells:
                        continue
                    member, status, valid_to = rng.choice(spells)
                    violation = kind == "kiem_tra_dau_hieu" and rng.random() < 0.6
                    discipline = None
                    concluded = on + timedelta(days=30)
                    punish_on = concluded + timedelta(days=rng.randint(10, 25))
                    if (
                        violation
                        and year == self.today.year
                        and status == MemberStatus.OFFICIAL
                        and valid_to > punish_on
                        and punish_on <= self.today
                        and last_event.get(member, on) < on
                        and member not in disciplined
                        and rng.random() < 0.5
                    ):
                        disciplined.add(member)
                        discipline = (
                            rng.choice(("khien_trach", "canh_cao")),
                            punish_on,
                            self.ref(ward, punish_on, "QĐ", "Về việc thi hành kỷ luật đảng viên"),
                        )
                    plans.append((ward, kind, "member", member, on, topic, violation, discipline))
        return plans

    def write_cases(self, plans: list) -> None:

        for ward, kind, subject_kind, subject, on, topic, violation, discipline in plans:
            body = f"Ủy ban Kiểm tra Đảng ủy phường {ward.name}"
            target: dict[str, Any] = (
                {"subject_org": Organization.objects.get(pk=subject)}
                if subject_kind == "org"
                else {"subject_member": Member.objects.select_related("person").get(pk=subject)}
            )
            case = ins.case_open(
                kind=kind,
                conducting_org=ward.org,
                conducting_body=body,
                starts_on=on,
                topic=topic,
                actor=self.actor,
                ends_on=on + timedelta(days=30),
                **target,
            )
            ins.case_add_step(
                case=case,
                on=on + timedelta(days=3),
                name="Công bố quyết định, kế hoạch",
                actor=self.actor,
            )
            ins.case_add_step(
                case=case,
                on=on + timedelta(days=15),
                name="Làm việc, nghe báo cáo giải trình",
                actor=self.actor,
            )
            conclusion = (
                "Có vi phạm, đã yêu cầu kiểm điểm, khắc phục"
                if violation
                else "Chấp hành tốt các quy định của Đảng; không phát hiện vi phạm"
            )
            ins.case_conclude(
                case=case,
                on=on + timedelta(days=30),
                violation_found=violation,
                conclusion=conclusion,
                actor=self.actor,
            )
            self.counts.cases += 1
            if discipline is not None:
                form, punish_on, ref = discipline
                ins.case_discipline_member(
                    case=case, form=form, on=punish_on, decision=self.book[ref], actor=self.actor
                )
                self.counts.disciplines += 1

    # ---------------------------------------------------------------- documents

    def write_documents(self) -> None:

        rng, actor, city = self.rng, self.actor, self.tree.city
        city_body = "Ban Thường vụ Thành ủy"
        number = 20
        for year in range(FIRST_YEAR, self.today.year + 1):
            end = min(date(year, 12, 20), self.today - timedelta(days=30))
            central = []
            for type_code, issuer, title in rng.sample(CENTRAL, 2):
                number += rng.randint(3, 15)
                on = pick_day(rng, date(year, 1, 10), date(year, 6, 30))
                doc = ds.document_receive(
                    org=city,
                    number=f"{number}-{type_code}/TW",
                    issued_on=on,
                    received_on=on + timedelta(days=rng.randint(3, 8)),
                    issuer_body=issuer,
                    title=title,
                    actor=actor,
                )
                central.append(doc)
                self.counts.documents += 1
            issued = []
            for type_code, title in CITY:
                on = pick_day(rng, date(year, 2, 1), end)
                of = None
                if "{of}" in title:
                    of = central.pop(0) if central else None
                    if of is None:
                        continue
                    on = max(on, of.issued_on + timedelta(days=rng.randint(15, 40)))
                    if on > end:
                        continue
                    title = title.format(
                        of=f"{of.type_name} số {of.number_text} của {of.issuer_body}"
                    )
                doc = ds.document_issue(
                    org=city,
                    type_code=type_code,
                    issued_on=on,
                    issuer_body=city_body,
                    title=title.format(year=year, next=year + 1),
                    actor=actor,
                )
                self.counts.documents += 1
                if of is not None:
                    ds.document_link(from_doc=doc, to_doc=of, relation="thuc_hien", actor=actor)
                issued.append(doc)
            for doc in sorted(issued, key=lambda d: (d.issued_on, d.pk)):
                for ward in self.tree.wards:
                    received = doc.issued_on + timedelta(days=rng.randint(2, 6))
                    if not self.alive(ward, received):
                        continue
                    ds.document_receive(
                        org=ward.org,
                        number=doc.number_text,
                        issued_on=doc.issued_on,
                        received_on=received,
                        issuer_body=city_body,
                        title=doc.title,
                        actor=actor,
                    )
                    if doc.type_code in ("KH", "NQ", "CT") and rng.random() < 0.7:
                        on = received + timedelta(days=rng.randint(5, 20))
                        if not self.alive(ward, on):
                            continue
                        plan = ds.document_issue(
                            org=ward.org,
                            type_code="KH",
                            issued_on=on,
                            issuer_body=f"Đảng ủy phường {ward.name}",
                            title=f"Kế hoạch thực hiện {doc.type_name} số {doc.number_text} của {city_body}",
                            actor=actor,
                        )
                        ds.document_link(
                            from_doc=plan, to_doc=doc, relation="thuc_hien", actor=actor
                        )
                        self.counts.documents += 1

    # ---------------------------------------------------------------- review conferences

    def write_meetings(self) -> None:

        rng, actor = self.rng, self.actor
        for ward in self.tree.wards:
            for year in range(FIRST_YEAR, self.today.year + 1):
                for kind, on, what, then in (
                    (
                        "so_ket_6_thang",
                        date(year, 7, rng.randint(8, 25)),
                        f"sơ kết công tác 6 tháng đầu năm {year}",
                        "nhiệm vụ 6 tháng cuối năm",
                    ),
                    (
                        "tong_ket_nam",
                        date(year, 12, rng.randint(15, 28)),
                        f"tổng kết công tác năm {year}",
                        f"nhiệm vụ năm {year + 1}",
                    ),
                ):
                    title = f"Hội nghị {what}, triển khai {then}"
                    if not self.alive(ward, on):
                        continue
                    seats = committee_on(ward.org, on)
                    secretary = next((s for s in seats if s.position == Position.SECRETARY), None)
                    if secretary is None:
                        secretary = next(
                            (
                                s
                                for s in seats
                                if s.position in (Position.STANDING_DEPUTY, Position.DEPUTY)
                            ),
                            None,
                        )
                    deputy = next(
                        (
                            s
                            for s in seats
                            if s.position in (Position.STANDING_DEPUTY, Position.DEPUTY)
                            and s is not secretary
                        ),
                        None,
                    )
                    guests = GUESTS_CITY if ward.new else GUESTS_DISTRICT
                    guest_name, guest_titles = rng.choice(guests)
                    people: list[dict[str, Any]] = [
                        {"role": "khach_moi", "name": guest_name, "titles": guest_titles}
                    ]
                    if secretary is not None:
                        people.append(
                            {
                                "role": "chu_tri",
                                "person": secretary.person,
                                "titles": [f"{Position(secretary.position).label} Đảng ủy phường"],
                            }
                        )
                    items = [
                        {
                            "kind": "bao_cao",
                            "title": f"Báo cáo {what}",
                            "presenter": (deputy.person.full_name if deputy else ""),
                        }
                    ]
                    for t in rng.sample(PRESENTATIONS, rng.randint(1, 3)):
                        items.append({"kind": "tham_luan", "title": t, "presenter": ""})
                    meeting = mts.meeting_record(
                        org=ward.org,
                        kind=kind,
                        held_on=on,
                        session="sang",
                        title=title,
                        place=f"Hội trường Ủy ban nhân dân phường {ward.name}",
                        attendees_note="các đồng chí Ủy viên Ban Chấp hành Đảng bộ, bí thư các chi bộ trực thuộc",
                        people=people,
                        items=items,
                        speakers_count=rng.randint(5, 12),
                        conclusion=f"các cấp ủy, chi bộ tập trung thực hiện thắng lợi {then}, nâng cao chất "
                        "lượng sinh hoạt chi bộ và hoàn thành các chỉ tiêu đã đề ra",
                        concluded_by=secretary.person if secretary else None,
                        actor=actor,
                    )
                    self.counts.meetings += 1
                    for task in Task.objects.filter(
                        meeting__org=ward.org, status=TaskStatus.OPEN, meeting__held_on__lt=on
                    ).order_by("meeting__held_on", "order"):
                        status = TaskStatus.DONE if rng.random() < 0.75 else TaskStatus.OPEN
                        mts.task_review(
                            task=task,
                            meeting=meeting,
                            status=status,
                            actor=actor,
                            note="" if status == TaskStatus.DONE else "Tiếp tục thực hiện",
                        )
                    deadline = (
                        date(year, 12, 31) if kind == "so_ket_6_thang" else date(year + 1, 6, 30)
                    )
                    for text, owner in rng.sample(TASKS, rng.randint(2, 3)):
                        mts.task_add(
                            meeting=meeting, text=text, owner=owner, deadline=deadline, actor=actor
                        )
                        self.counts.tasks += 1


def write_party_work(
    h, rng: random.Random, actor: str, log, *, today: date, reorg_on: date
) -> PartyWorkCounts:
    """Record the demo wards' targets, inspections, documents and review conferences."""
    w = _Writer(h, rng, actor, today, reorg_on)
    target_plans = w.plan_targets()
    case_plans = w.plan_cases()
    h.book.create()
    log("  chỉ tiêu nhiệm kỳ, chỉ tiêu năm và kết quả thực hiện…")
    w.write_targets(target_plans)
    log("  kiểm tra, giám sát…")
    w.write_cases(case_plans)
    log("  sổ văn bản đến, văn bản đi…")
    w.write_documents()
    log("  hội nghị sơ kết, tổng kết và nhiệm vụ…")
    w.write_meetings()
    c = w.counts
    log(
        f"  {c.targets} chỉ tiêu ({c.revisions} điều chỉnh, {c.evaluations} kết quả), {c.cases} cuộc kiểm tra, "
        f"giám sát ({c.disciplines} kỷ luật), {c.documents} văn bản, {c.meetings} hội nghị, {c.tasks} nhiệm vụ"
    )
    return c
