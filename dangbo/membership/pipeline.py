"""The candidates board: candidates of a subtree by the step they wait for, with due dates.

Two steps have a deadline in the rules: the admission decision within 60 working days of
the cell's resolution, and the ceremony within 30 working days of the decision (the rule
set in force on the step's date says how many). Working days are Monday to Friday; public
holidays are not known to the system, so a due date may fall a few days early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, OuterRef, Subquery

from dangbo.core.dates import add_working_days
from dangbo.membership.agenda import subtree
from dangbo.membership.models import STAGE_ORDER, Candidate, CandidateStage, CandidateStep
from dangbo.organizations.models import OrgVersion
from dangbo.rulebook import rules_on

#: (key, title, stages done) — a candidate waits in the column of the step after its stage.
BOARD_COLUMNS: tuple[tuple[str, str, tuple[CandidateStage, ...]], ...] = (
    ("lop", "Học lớp bồi dưỡng nhận thức", (CandidateStage.IDENTIFIED,)),
    ("tham_tra", "Thẩm tra lý lịch", (CandidateStage.TRAINED, CandidateStage.SPONSORED)),
    ("ho_so", "Hoàn thiện hồ sơ", (CandidateStage.VERIFIED,)),
    ("chi_bo", "Chi bộ xét, biểu quyết", (CandidateStage.DOSSIER,)),
    (
        "dang_uy",
        "Đảng ủy xét, quyết định",
        (CandidateStage.CELL_RESOLUTION, CandidateStage.COMMITTEE_RESOLUTION),
    ),
    ("le", "Lễ kết nạp", (CandidateStage.ADMITTED,)),
)
OPEN_STAGES = tuple(s for _, _, stages in BOARD_COLUMNS for s in stages)


def next_stage(stage: str) -> CandidateStage | None:
    """The stage that follows `stage` in the pipeline (None after the ceremony or a stop)."""
    if stage not in STAGE_ORDER:
        return None
    i = STAGE_ORDER.index(CandidateStage(stage))
    return STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else None


def due_on(stage: str, last_on: date, cell_resolution_on: date | None) -> date | None:
    """The deadline of the step after `stage` (None when the rules set none)."""
    if stage in (CandidateStage.CELL_RESOLUTION, CandidateStage.COMMITTEE_RESOLUTION):
        start = cell_resolution_on or last_on
        return add_working_days(start, rules_on(start).admission_decision_working_days)
    if stage == CandidateStage.ADMITTED:
        return add_working_days(last_on, rules_on(last_on).admission_ceremony_working_days)
    return None


@dataclass(frozen=True)
class Card:
    candidate_id: int
    full_name: str
    cell_name: str
    stage: str
    last_on: date
    next_stage: CandidateStage | None
    due_on: date | None
    overdue: bool

    @property
    def stage_label(self) -> str:
        return CandidateStage(self.stage).label


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    cards: tuple[Card, ...]


def candidates_board(org_id: int, *, on: date) -> list[Column]:
    """The open candidates of cells in `org_id`'s subtree on `on`, by column, in one query;
    each column's cards by due date (those without one last), then by the last step's date."""
    step_on = CandidateStep.objects.filter(candidate_id=OuterRef("pk"))
    rows = (
        Candidate.objects.filter(cell_id__in=subtree(org_id, on), stage__in=OPEN_STAGES)
        .annotate(
            last_on=Subquery(
                step_on.values("candidate_id").annotate(d=Max("effective_on")).values("d")[:1]
            ),
            cell_resolution_on=Subquery(
                step_on.filter(stage=CandidateStage.CELL_RESOLUTION)
                .order_by("-effective_on")
                .values("effective_on")[:1]
            ),
            cell_name=Subquery(
                OrgVersion.objects.filter(
                    org_id=OuterRef("cell_id"), valid_from__lte=on, valid_to__gt=on
                ).values("name")[:1]
            ),
        )
        .values_list(
            "pk", "person__full_name", "cell_name", "stage", "last_on", "cell_resolution_on"
        )
    )
    by_stage: dict[str, list[Card]] = {}
    for pk, name, cell_name, stage, last_on, cell_res in rows:
        due = due_on(stage, last_on, cell_res)
        by_stage.setdefault(stage, []).append(
            Card(
                pk,
                name,
                cell_name or "",
                stage,
                last_on,
                next_stage(stage),
                due,
                due is not None and due < on,
            )
        )
    columns = []
    for key, title, stages in BOARD_COLUMNS:
        cards = [c for s in stages for c in by_stage.get(s, [])]
        cards.sort(key=lambda c: (c.due_on or date.max, c.last_on, c.full_name))
        columns.append(Column(key, title, tuple(cards)))
    return columns
