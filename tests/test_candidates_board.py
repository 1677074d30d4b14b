"""The candidates board: columns by the step awaited, due dates of the two steps the rules
time, and advancing a candidate one step through the service."""

from __future__ import annotations

from datetime import date

import pytest

from dangbo.core.errors import DomainError
from dangbo.membership.admission import candidate_advance, candidate_create, member_admit
from dangbo.membership.models import CandidateStage as S
from dangbo.membership.pipeline import add_working_days, candidates_board, next_stage
from tests.conftest import ACTOR, make_person, receive

STEPS = [S.TRAINED, S.SPONSORED, S.VERIFIED, S.DOSSIER, S.CELL_RESOLUTION, S.COMMITTEE_RESOLUTION]


def _candidate(cell, sponsor, dates: list[date], name: str):
    """A candidate identified on dates[0] and advanced one step on each later date."""
    c = candidate_create(person=make_person(name=name), cell=cell, on=dates[0], actor=ACTOR)
    for stage, on in zip(STEPS, dates[1:], strict=False):
        candidate_advance(
            candidate=c,
            stage=stage,
            on=on,
            actor=ACTOR,
            sponsor=sponsor if stage == S.SPONSORED else None,
        )
    return c


@pytest.fixture
def board(city_tree):
    cell = city_tree["w1c1"]
    sponsor = receive(cell, date(2019, 1, 1), admitted=date(2010, 1, 1))
    d = [date(2023, 9, 1), date(2023, 10, 2), date(2023, 11, 1), date(2024, 1, 5), date(2024, 2, 1)]
    out = {
        "new": _candidate(cell, sponsor, d[:1], "Ứng viên Mới"),
        "trained": _candidate(cell, sponsor, d[:2], "Ứng viên Học"),
        "dossier": _candidate(cell, sponsor, d, "Ứng viên Hồ sơ"),
        "voted": _candidate(cell, sponsor, [*d, date(2024, 3, 1)], "Ứng viên Chi bộ"),
        "decided": _candidate(
            cell,
            sponsor,
            [*d, date(2024, 3, 1), date(2024, 3, 15)],
            "Ứng viên Đảng ủy",
        ),
        "admitted": _candidate(
            city_tree["w1c2"],
            sponsor,
            [*d, date(2024, 3, 1), date(2024, 3, 15)],
            "Ứng viên Kết nạp",
        ),
        "elsewhere": _candidate(city_tree["w2c1"], None, d[:1], "Ứng viên Phường 2"),
    }
    member_admit(
        candidate=out["admitted"],
        cell=city_tree["w1c2"],
        on=date(2024, 4, 1),
        decision=None,
        actor=ACTOR,
    )
    stopped = _candidate(cell, sponsor, d[:1], "Ứng viên Dừng")
    candidate_advance(candidate=stopped, stage=S.DROPPED, on=date(2024, 1, 1), actor=ACTOR)
    return out


def test_working_days():
    assert add_working_days(date(2024, 3, 1), 60) == date(2024, 5, 24)  # a Friday: 12 weeks
    assert add_working_days(date(2024, 4, 1), 30) == date(2024, 5, 13)  # a Monday: 6 weeks
    assert add_working_days(date(2024, 3, 2), 1) == date(2024, 3, 4)  # Saturday → Monday


def test_board_columns_and_due_dates(city_tree, board, django_assert_num_queries):
    on = date(2024, 5, 20)
    with django_assert_num_queries(1):
        columns = candidates_board(city_tree["w1"].pk, on=on)
    names = {c.key: [card.full_name for card in c.cards] for c in columns}
    assert names == {
        "lop": ["Ứng viên Mới"],
        "tham_tra": ["Ứng viên Học"],
        "ho_so": [],
        "chi_bo": ["Ứng viên Hồ sơ"],
        "dang_uy": ["Ứng viên Chi bộ", "Ứng viên Đảng ủy"],
        "le": ["Ứng viên Kết nạp"],
    }
    cards = {card.full_name: card for c in columns for card in c.cards}
    # the decision within 60 working days of the cell's resolution (1/3/2024), also after
    # the committee's resolution; the ceremony within 30 working days of the decision
    assert cards["Ứng viên Chi bộ"].due_on == date(2024, 5, 24)
    assert cards["Ứng viên Đảng ủy"].due_on == date(2024, 5, 24)
    assert cards["Ứng viên Kết nạp"].due_on == date(2024, 5, 13)
    assert cards["Ứng viên Kết nạp"].overdue and not cards["Ứng viên Chi bộ"].overdue
    assert cards["Ứng viên Mới"].due_on is None and not cards["Ứng viên Mới"].overdue
    assert cards["Ứng viên Hồ sơ"].next_stage == S.CELL_RESOLUTION
    assert cards["Ứng viên Học"].last_on == date(2023, 10, 2)
    everyone = candidates_board(city_tree["city"].pk, on=on)
    assert sum(len(c.cards) for c in everyone) == 7


def test_advance_one_step_and_refusals(city_tree, board):
    c = board["dossier"]
    candidate_advance(candidate=c, stage=S.CELL_RESOLUTION, on=date(2024, 3, 4), actor=ACTOR)
    c.refresh_from_db()
    assert c.stage == S.CELL_RESOLUTION and next_stage(c.stage) == S.COMMITTEE_RESOLUTION
    with pytest.raises(DomainError) as exc:  # a step skipped
        candidate_advance(candidate=c, stage=S.CEREMONY, on=date(2024, 3, 5), actor=ACTOR)
    assert "bước tiếp theo" in exc.value.message
    with pytest.raises(DomainError) as exc:  # before the last step
        candidate_advance(
            candidate=c, stage=S.COMMITTEE_RESOLUTION, on=date(2024, 3, 1), actor=ACTOR
        )
    assert exc.value.field == "effective_on"
    assert next_stage(S.CEREMONY) is None and next_stage(S.DROPPED) is None
