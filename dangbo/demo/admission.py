"""The admission pipeline: awareness classes twice a year, the candidates attending them,
their steps to admission (or their dropping out), sponsors and resolutions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangbo.core.dates import months_between
from dangbo.core.models import IssuerLevel
from dangbo.demo.common import (
    ANNUAL_ADMISSION_RATE,
    CANDIDATE_AGE,
    DROP_NOTES,
    FAR,
    INSTITUTION_OCCUPATION,
    TODAY,
    count_around,
)
from dangbo.demo.decisions import DecisionRef
from dangbo.demo.lives import History, Life
from dangbo.demo.people import weighted
from dangbo.demo.tree import Ward
from dangbo.membership.models import CandidateStage, MemberStatus


@dataclass
class TrainingClassPlan:
    key: int
    name: str
    organizer_ref: tuple  # ("district", index) or ("ward", index) when the org does not exist yet
    starts_on: date
    ends_on: date
    certificates: int = 0


@dataclass
class CandidatePlan:
    person: dict
    ward: Ward
    cell: int
    identified: date
    training: TrainingClassPlan | None = None
    certificate: tuple[str, date] | None = None
    steps: list[tuple[str, date]] = field(default_factory=list)  # sponsored … committee resolution
    sponsor: Life | None = None
    admission: date | None = None
    ceremony: date | None = None
    dropped: tuple[date, str] | None = None
    decisions: dict[str, DecisionRef] = field(default_factory=dict)
    exception: DecisionRef | None = None
    life: Life | None = None
    elder: bool = False  # admitted over 60 by the city's decision


PIPELINE_GAPS = [  # (stage, min days, max days) after the awareness-class certificate
    (CandidateStage.SPONSORED, 7, 30),
    (CandidateStage.VERIFIED, 30, 90),
    (CandidateStage.DOSSIER, 10, 40),
    (CandidateStage.CELL_RESOLUTION, 5, 20),
    (CandidateStage.COMMITTEE_RESOLUTION, 7, 30),
    ("admission", 7, 40),
    ("ceremony", 5, 30),
]


def plan_candidates(
    h: History,
    training: TrainingClassPlan,
    ward: Ward,
    count: int,
    *,
    floor: date,
    limit: date,
    elder: bool = False,
) -> list[CandidatePlan]:
    """Candidates of `ward` attending `training`; every step lies in [floor, limit]."""
    rng, tree = h.rng, h.tree
    cells = [c for c in ward.cells if tree.cells[c].category != "military"]
    out = []
    for i in range(count):
        cell = rng.choices(
            cells, weights=[2 if tree.cells[c].category == "residential" else 1 for c in cells], k=1
        )[0]
        category = tree.cells[cell].category
        identified = max(floor, training.starts_on - timedelta(days=rng.randint(20, 150)))
        certificate_on = training.ends_on + timedelta(days=rng.randint(0, 10))
        gaps = [rng.randint(lo, hi) for _, lo, hi in PIPELINE_GAPS]
        avail = (limit - certificate_on).days
        if (
            limit < TODAY and sum(gaps) > avail
        ):  # finish before the reorganization (later: still open)
            gaps = [max(1, g * avail // sum(gaps)) for g in gaps]
        dates, on = [], certificate_on
        for g in gaps:
            on = on + timedelta(days=g)
            dates.append(on)
        deliberate = elder and i == 0
        if deliberate:
            birth_year = dates[5].year - 62
            person = h.person(birth_year=birth_year, gender="nu", occupation="huu_tri")
        else:
            age = rng.randint(*weighted(rng, CANDIDATE_AGE))
            person = h.person(
                birth_year=identified.year - age, occupation=INSTITUTION_OCCUPATION.get(category)
            )
            if months_between(person["birth_date"], identified) < 18 * 12 + 1:
                person["birth_date"] = person["birth_date"].replace(
                    year=person["birth_date"].year - 1, day=1
                )
        plan = CandidatePlan(person, ward, cell, identified, training)
        drop_at = rng.randint(0, 4) if (not deliberate and rng.random() < 0.08) else None
        if drop_at == 0:  # did not attend the class
            plan.dropped = (
                min(identified + timedelta(days=rng.randint(20, 60)), limit),
                rng.choice(DROP_NOTES),
            )
            out.append(plan)
            continue
        if certificate_on > min(limit, TODAY):
            out.append(plan)  # still waiting for the class
            continue
        training.certificates += 1
        plan.certificate = (f"{training.key:03d}-{training.certificates:03d}/GCN", certificate_on)
        for k, ((stage, _, _), on) in enumerate(zip(PIPELINE_GAPS, dates, strict=True)):
            if on > TODAY:
                break
            if drop_at is not None and k == drop_at:
                plan.dropped = (on, rng.choice(DROP_NOTES))
                break
            if stage == "admission":
                plan.admission = on
            elif stage == "ceremony":
                plan.ceremony = on
            else:
                plan.steps.append((stage, on))
        plan.elder = deliberate
        out.append(plan)
    return out


def candidate_decisions(h: History, plans: list[CandidatePlan]) -> None:
    """The cell's and the committee's resolutions and the admission decision of each candidate."""
    for plan in plans:
        ward, name = plan.ward, plan.person["full_name"]
        cell_name = h.tree.names_after[plan.cell] if ward.new else h.tree.cells[plan.cell].name
        for stage, on in plan.steps:
            if stage == CandidateStage.CELL_RESOLUTION:
                plan.decisions[stage] = h.book.ref(
                    issuer=cell_name,
                    level=IssuerLevel.CELL,
                    doc="CB",
                    type="NQ",
                    issued_on=on,
                    title=f"Về việc đề nghị kết nạp quần chúng {name} vào Đảng",
                    term="cell",
                )
            elif stage == CandidateStage.COMMITTEE_RESOLUTION:
                plan.decisions[stage] = h.book.ref(
                    issuer=ward.issuer,
                    level=IssuerLevel.COMMUNE if ward.new else IssuerLevel.BASE,
                    doc="ĐU",
                    type="NQ",
                    issued_on=on,
                    title=f"Về việc kết nạp quần chúng {name} vào Đảng",
                    term=f"ward:{ward.index}",
                )
        if plan.admission:
            plan.decisions["admission"] = h.ward_decision(
                ward, plan.admission, f"Về việc kết nạp đảng viên đối với quần chúng {name}"
            )
            if plan.elder:
                committee = dict(plan.steps)[CandidateStage.COMMITTEE_RESOLUTION]
                plan.exception = h.city_decision(
                    min(committee + timedelta(days=5), plan.admission - timedelta(days=1)),
                    f"Về việc đồng ý kết nạp vào Đảng đối với quần chúng {name} (trên 60 tuổi)",
                )


def choose_sponsors(h: History, plans: list[CandidatePlan], lives: list[Life]) -> None:
    """A full member of the candidate's cell (else of the ward) on the day the cell assigns one."""
    by_cell: dict[int, list[tuple[date, date, Life]]] = defaultdict(list)
    for life in lives:
        for start, end, cell, status, exempt in life.spells:
            if status == MemberStatus.OFFICIAL and not exempt:
                by_cell[cell].append((start, end or FAR, life))
    for plan in plans:
        sponsored = dict(plan.steps).get(CandidateStage.SPONSORED)
        if sponsored is None:
            continue
        found = [life for s, e, life in by_cell[plan.cell] if s <= sponsored < e]
        if not found:
            found = [
                life for c in plan.ward.cells for s, e, life in by_cell[c] if s <= sponsored < e
            ]
        if not found:  # nobody to sponsor: the cell stops considering the candidate
            plan.steps = [(st, on) for st, on in plan.steps if on < sponsored]
            plan.dropped = (sponsored, "Chưa bố trí được đảng viên chính thức giúp đỡ")
            plan.admission = plan.ceremony = None
            continue
        plan.sponsor = h.rng.choice(found)


def plan_pipeline(
    h: History,
    period: tuple[date, date],
    wards: list[Ward],
    *,
    class_key: list[int],
    floor: date,
    limit: date,
    classes: list[TrainingClassPlan],
) -> list[CandidatePlan]:
    """Awareness classes twice a year in `period` and the candidates who attend them."""
    rng = h.rng
    plans: list[CandidatePlan] = []
    first, last = period
    for year in range(first.year, last.year + 1):
        for month in (3, 9):
            start = date(year, month, 8 + rng.randint(0, 6))
            if not (first <= start <= last):
                continue
            groups: dict[tuple, list[Ward]] = defaultdict(list)
            for ward in wards:
                groups[("ward", ward.index) if ward.new else ("district", ward.district)].append(
                    ward
                )
            for ref, members in groups.items():
                class_key[0] += 1
                if ref[0] == "district":
                    organizer_name = f"quận {h.tree.districts[ref[1]].name}"
                else:
                    organizer_name = f"phường {h.tree.wards[ref[1]].name}"
                training = TrainingClassPlan(
                    class_key[0],
                    f"Lớp bồi dưỡng nhận thức về Đảng khóa {1 if month == 3 else 2} "
                    f"năm {year} ({organizer_name})",
                    ref,
                    start,
                    start + timedelta(days=4),
                )
                classes.append(training)
                for ward in members:
                    expected = ward.size * ANNUAL_ADMISSION_RATE / 2 * 1.08
                    elder = year == 2022 and month == 3 and ward.index == 0
                    n = max(count_around(rng, expected), 1 if elder else 0)
                    plans.extend(
                        plan_candidates(h, training, ward, n, floor=floor, limit=limit, elder=elder)
                    )
    return plans


def admit_planned(h: History, plans: list[CandidatePlan]) -> None:
    for plan in plans:
        if plan.admission is None:
            continue
        plan.life = h.new_life(plan.person, "candidate")
        h.add_admitted(
            plan.life,
            plan.cell,
            plan.admission,
            plan.decisions["admission"],
            plan.exception,
            ceremony=plan.ceremony,
            considered=dict(plan.steps).get(CandidateStage.CELL_RESOLUTION),
        )
