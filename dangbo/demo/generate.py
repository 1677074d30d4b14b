"""Deterministic demo data: a fictional city party committee and its history.

:func:`demo_generate` builds «Đảng bộ thành phố Sông Hồng»: districts, their wards (base
committees until 30/6/2025) and cells, all founded on 1/1/1950 (:mod:`~dangbo.demo.tree`);
members whose records start with their admission (:mod:`~dangbo.demo.members`); a detailed
history from 1/1/2018 to the fixed demo «today» (23/11/2026) (:mod:`~dangbo.demo.lives`),
with admissions through the candidate pipeline (:mod:`~dangbo.demo.admission`); the
reorganization of 1/7/2025 (district level abolished, wards merged into larger wards
directly under the city, residential cells merged, the cells left becoming base cells);
congresses, elections and committee seats (:mod:`dangbo.demo.congresses`), the annual
quality grading (:mod:`dangbo.demo.grading`) and the party work of the wards
(:mod:`dangbo.demo.party_work`).

Every draw comes from ``random.Random`` generators seeded from the size's seed (one for the
members' history, one for the congresses, one for the grading, one for the party work) in a
fixed order, so one size always gives the same records. The tree, decisions, people, the
ledger, the admission pipeline, congresses, committee seats and gradings are loaded as
interchange records through the importer (:mod:`~dangbo.demo.records`), which checks every
member's ledger with the rules and the fold of the services and recounts every election;
the party work, which reads what is stored, is then written through its services.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from dangbo.core.models import Decision
from dangbo.demo.admission import (
    TrainingClassPlan,
    admit_planned,
    candidate_decisions,
    choose_sponsors,
    plan_pipeline,
)
from dangbo.demo.common import (
    ACTIVE,
    ACTOR,
    CITY_CODE,
    CITY_NAME,
    DELIBERATE_EXCEPTIONS,
    FOUNDED,
    REORG_ON,
    TODAY,
    DemoSize,
    DemoSummary,
    thousands,
)
from dangbo.demo.congresses import CongressPlanner
from dangbo.demo.decisions import DecisionBook
from dangbo.demo.dues import write_dues
from dangbo.demo.grading import plan_grading
from dangbo.demo.lives import History, Life
from dangbo.demo.members import number_cards, plan_initial_members, plan_received, plan_veteran
from dangbo.demo.party_work import write_party_work
from dangbo.demo.records import RecordWriter, plan_reorganization_decisions
from dangbo.demo.reset import demo_loaded, demo_reset
from dangbo.demo.tree import Ward, build_tree, check_kinds
from dangbo.figures import membership_figures
from dangbo.membership.models import Candidate, Member, MemberEvent, Person
from dangbo.organizations.models import Organization

_n = thousands


def _stock(ward: Ward, on: date) -> int:
    assert ward.org is not None  # bound after the import
    return membership_figures(ward.org, on, on, breakdowns=False).members_end


def demo_generate(
    *, size: DemoSize | None = None, progress: Callable[[str], None] | None = None
) -> DemoSummary:
    """Generate the demo city with its history into an empty database (all or nothing)."""
    size = size or DemoSize()
    log = progress or (lambda message: None)
    if size.history_from >= REORG_ON or size.history_from <= FOUNDED:
        raise ValueError("history_from must lie between 1950 and 30/6/2025")
    started = time.monotonic()
    check_kinds()
    rng = random.Random(size.seed)
    book = DecisionBook()
    tree = build_tree(rng, size, log)
    h = History(rng, tree, book, size)
    reorg = plan_reorganization_decisions(h)
    old, new = tree.old_wards(), tree.new_wards()

    log("Mô phỏng lịch sử sinh hoạt đảng…")
    base: list[Life] = []
    for ward in old:
        if ward.index == 0:
            base.append(plan_veteran(h, ward))
        base.extend(plan_initial_members(h, ward))
    base.extend(plan_received(h, old, size.history_from, REORG_ON - timedelta(days=1)))
    classes: list[TrainingClassPlan] = []
    class_key = [0]
    early = plan_pipeline(
        h,
        (size.history_from - timedelta(days=130), REORG_ON - timedelta(days=100)),
        old,
        class_key=class_key,
        floor=size.history_from - timedelta(days=300),
        limit=REORG_ON - timedelta(days=1),
        classes=classes,
    )
    choose_sponsors(h, early, base)
    candidate_decisions(h, early)
    admit_planned(h, early)
    base.extend(plan_received(h, new, REORG_ON, TODAY))
    early_classes = list(classes)
    late = plan_pipeline(
        h,
        (REORG_ON + timedelta(days=30), TODAY),
        new,
        class_key=class_key,
        floor=REORG_ON + timedelta(days=2),
        limit=TODAY,
        classes=classes,
    )
    choose_sponsors(h, late, base + [p.life for p in early if p.life])
    candidate_decisions(h, late)
    admit_planned(h, late)
    classes[len(early_classes) :]
    early_lives = [p.life for p in early if p.life]
    late_lives = [p.life for p in late if p.life]
    number_cards(h.lives)
    congresses = CongressPlanner(
        h,
        random.Random(f"{size.seed}:congresses"),
        found_decisions=reorg.found,
        cell_decisions=reorg.cells,
        reorg_on=REORG_ON,
        today=TODAY,
    )
    congresses.plan()
    grading_rng = random.Random(f"{size.seed}:grading")
    gradings = plan_grading(
        h, grading_rng, first_year=max(2019, size.history_from.year + 1), reorg_on=REORG_ON
    )

    log(
        f"Chuẩn bị bản ghi: {_n(len(h.lives))} hồ sơ đảng viên, "
        f"{_n(len(early) + len(late))} quần chúng ưu tú…"
    )
    records = RecordWriter(h, reorg)
    records.decisions()
    records.organizations()
    records.people(life.person for life in base)
    records.members(base)
    for plans, lives in ((early, early_lives), (late, late_lives)):
        records.people(p.person for p in plans)
        records.members(lives)
    records.events(base + early_lives, REORG_ON, None)
    records.reorganization_events(base + early_lives)
    records.events(base + early_lives, None, REORG_ON)
    records.events(late_lives, None, None)
    records.pipeline(early + late, classes)
    done = records.congresses(congresses)
    graded = records.gradings(gradings, grading_rng, base + early_lives + late_lives)

    with transaction.atomic():
        log(
            f"Nạp cây tổ chức, sổ đảng viên, quy trình kết nạp, đại hội và xếp loại "
            f"({_n(len(records.lines))} bản ghi)…"
        )
        records.load(log)
        tree.bind(records.first_codes)
        book.bind()
        for ward in old:
            log(
                f"  {ward.full_name} ({ward.code}): {_n(_stock(ward, size.history_from))} đảng viên "
                f"ngày {size.history_from:%d/%m/%Y}, "
                f"{_n(_stock(ward, REORG_ON - timedelta(days=1)))} ngày 30/06/2025, "
                f"{len(ward.cells)} chi bộ"
            )

        log("Đại hội chi bộ, đảng bộ phường và chức vụ trong cấp ủy:")
        log(
            f"  {_n(done.congresses)} đại hội, {_n(done.elections)} cuộc bầu cử "
            f"({_n(done.rounds)} lần bỏ phiếu), {_n(done.seats)} chức vụ trong cấp ủy"
        )
        log(
            f"Đánh giá, xếp loại chất lượng hằng năm: {_n(graded.member_rows)} kết quả xếp loại "
            f"đảng viên, {_n(graded.org_rows)} kết quả xếp loại tổ chức"
        )
        log("Chỉ tiêu, kiểm tra, giám sát, văn bản và hội nghị sơ kết, tổng kết…")
        write_party_work(
            h, random.Random(f"{size.seed}:party_work"), ACTOR, log, today=TODAY, reorg_on=REORG_ON
        )
        log("Đảng phí từ 2018 (Quyết định 342-QĐ/TW, Quy định 01-QĐ/TW)…")
        charges, payments = write_dues(random.Random(f"{size.seed}:dues"), ACTOR, TODAY, log)
        log(f"  {_n(charges)} tháng-đảng viên phải đóng, {_n(payments)} khoản nộp")

        summary = DemoSummary()
        for ward in new:
            start, end = _stock(ward, REORG_ON), _stock(ward, TODAY)
            summary.wards.append((ward.full_name, ward.code, start, end))
            log(
                f"  {ward.full_name} ({ward.code}): {_n(start)} đảng viên ngày 01/07/2025, "
                f"{_n(end)} ngày {TODAY:%d/%m/%Y}, {len(ward.cells)} chi bộ"
            )
        summary.organizations = Organization.objects.count()
        summary.members = Member.objects.filter(status__in=ACTIVE).count()
        summary.people = Person.objects.count()
        summary.events = MemberEvent.objects.count()
        summary.candidates = Candidate.objects.count()
        summary.decisions = Decision.objects.count()
        summary.congresses, summary.seats, summary.member_grades = (
            done.congresses,
            done.seats,
            graded.member_rows,
        )
    summary.seconds = time.monotonic() - started
    return summary


__all__ = [
    "DELIBERATE_EXCEPTIONS",
    "DemoSize",
    "DemoSummary",
    "demo_generate",
    "demo_loaded",
    "demo_reset",
    "CITY_CODE",
    "CITY_NAME",
    "REORG_ON",
    "TODAY",
]
