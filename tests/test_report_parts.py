"""Parts of the review report as real reports write them (REPORTS §3): the targets a plenum
adopted for the next year, counted by category in the directions part and in `stats`;
training classes totalled by kind (Hướng dẫn 12-HD/BTCTW on the awareness and new-member
classes), each class listed only when the office asks."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import docx
import pytest

from dangbo.core.services import decision_get_or_create
from dangbo.membership.admission import class_certify, class_create, class_enroll
from dangbo.reports.builder import build_review
from dangbo.reports.compose import compose_review
from dangbo.reports.render_docx import render_docx
from dangbo.reports.services import report_draft
from dangbo.reports.wording import setting_set
from dangbo.targets.figures import adopted_targets, target_figures
from dangbo.targets.services import evaluation_record, target_adopt
from tests.conftest import ACTOR, make_person, run


def _text(report) -> str:
    d = docx.Document(BytesIO(render_docx(compose_review(build_review(report)))))
    return "\n".join(p.text for p in d.paragraphs)


@pytest.fixture
def plenum_targets(city_tree):
    """Ward 1: for 2024 the December 2023 plenum adopts 2 party-building, 3 socio-economic and
    1 defence targets; a 2023 target (evaluated) and a 2025 target adopted in 2024."""
    w1 = city_tree["w1"]
    source = decision_get_or_create(
        number="15-NQ/ĐU", issued_on=date(2023, 12, 20), issuer="Ban Chấp hành Đảng bộ phường 1"
    )
    plan = {"xay_dung_dang": 2, "kinh_te_xa_hoi": 3, "quoc_phong_an_ninh": 1}
    for category, n in plan.items():
        for i in range(n):
            target_adopt(
                org=w1,
                source_kind="chuong_trinh_cong_tac",
                source=source,
                category=category,
                name=f"Chỉ tiêu {category} {i + 1} năm 2024",
                direction="at_least",
                planned=10,
                adopted_on=date(2023, 12, 20),
                year=2024,
                actor=ACTOR,
            )
    done = target_adopt(
        org=w1,
        source_kind="chuong_trinh_cong_tac",
        source=decision_get_or_create(
            number="01-CTr/ĐU", issued_on=date(2023, 1, 5), issuer="Đảng ủy phường 1"
        ),
        category="xay_dung_dang",
        name="Chỉ tiêu năm 2023",
        direction="at_least",
        planned=5,
        adopted_on=date(2023, 1, 10),
        year=2023,
        actor=ACTOR,
    )
    evaluation_record(
        target=done,
        kind="nam",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        actual=6,
        actor=ACTOR,
    )
    target_adopt(
        org=w1,
        source_kind="chuong_trinh_cong_tac",
        source=source,
        category="kinh_te_xa_hoi",
        name="Chỉ tiêu năm 2025",
        direction="at_least",
        planned=5,
        adopted_on=date(2024, 12, 20),
        year=2025,
        actor=ACTOR,
    )
    return city_tree


def test_targets_adopted_for_next_year_are_counted_by_category(plenum_targets):
    """DOMAIN §5: the targets a plenum adopts for the next year are not evaluated yet; the
    year-end report and `stats` count them by category (hand count: 2 + 3 + 1 = 6)."""
    w1 = plenum_targets["w1"]
    adopted = adopted_targets(w1, date(2023, 1, 1), date(2023, 12, 31))
    assert dict(adopted.by_category) == {
        "xay_dung_dang": 2,
        "kinh_te_xa_hoi": 3,
        "quoc_phong_an_ninh": 1,
    }
    assert adopted.total == 6 and adopted.periods == ("2024",)
    # the 2023 H1 report: none adopted yet (the plenum sat in December)
    assert adopted_targets(w1, date(2023, 1, 1), date(2023, 6, 30)).total == 0
    # a 2024 report: the 2024 targets are the year's own, the 2025 one is next
    assert dict(adopted_targets(w1, date(2024, 1, 1), date(2024, 12, 31)).by_category) == {
        "kinh_te_xa_hoi": 1
    }
    figures = target_figures(w1, date(2023, 1, 1), date(2023, 12, 31))
    assert (figures["targets_adopted"], figures["targets_total"]) == (6, 1)
    code, out, _ = run("stats", "P1", "--period", "2023", "--format", "json")
    assert code == 0
    stats = json.loads(out)
    assert stats["targets_adopted"] == 6
    assert stats["targets_adopted_by_category"] == {
        "xay_dung_dang": 2,
        "kinh_te_xa_hoi": 3,
        "quoc_phong_an_ninh": 1,
    }
    text = _text(report_draft(org=w1, period_code="2023", actor=ACTOR, save=False))
    directions = text[text.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ") :]
    assert (
        "Đã thông qua 06 chỉ tiêu năm 2024: 02 chỉ tiêu về xây dựng Đảng, 03 chỉ tiêu về kinh "
        "tế – xã hội, 01 chỉ tiêu về quốc phòng – an ninh." in directions
    )


@pytest.fixture
def classes(city_tree):
    """Ward 1 in 2023: three awareness classes (50, 60, 40 attendees: 150) and one class for
    new members (12), organized by the ward and one of its cells."""
    w1, c1 = city_tree["w1"], city_tree["w1c1"]
    plan = [
        ("nhan_thuc", "Lớp bồi dưỡng nhận thức về Đảng khóa 1", w1, date(2023, 3, 1), 50),
        ("nhan_thuc", "Lớp bồi dưỡng nhận thức về Đảng khóa 2", w1, date(2023, 6, 1), 60),
        ("nhan_thuc", "Bồi dưỡng nhận thức về Đảng (chi bộ)", c1, date(2023, 9, 1), 40),
        ("dang_vien_moi", "Lớp lý luận chính trị cho đảng viên mới", w1, date(2023, 10, 2), 12),
    ]
    for kind, name, org, starts, n in plan:
        tc = class_create(
            kind=kind, name=name, organizer=org, starts_on=starts, ends_on=starts, actor=ACTOR
        )
        for i in range(n):
            person = make_person()
            if i < 2:
                class_certify(
                    training_class=tc,
                    person=person,
                    certificate_number=f"{name[-3:]}-{i}",
                    on=starts,
                    actor=ACTOR,
                )
            else:
                class_enroll(training_class=tc, person=person, actor=ACTOR)
    return city_tree


def test_classes_are_totalled_by_kind_and_listed_only_when_asked(classes):
    """Real reports: "Tổ chức 03 lớp bồi dưỡng nhận thức về Đảng cho 150 quần chúng ưu tú;
    01 lớp bồi dưỡng lý luận chính trị cho 12 đảng viên mới" — the Party's capital kept, no
    word repeated, no class list unless the office's setting asks for one."""
    w1 = classes["w1"]
    text = _text(report_draft(org=w1, period_code="2023", actor=ACTOR, save=False))
    assert (
        "Tổ chức 03 lớp bồi dưỡng nhận thức về Đảng cho 150 quần chúng ưu tú; 01 lớp bồi "
        "dưỡng lý luận chính trị cho 12 đảng viên mới." in text
    )
    assert "về đảng" not in text and "Mở lớp" not in text and "khóa 1" not in text
    for line in text.splitlines():
        words = line.split()
        assert all(a.lower() != b.lower() for a, b in zip(words, words[1:], strict=False)), line
    setting_set(org=w1, key="class_list", value="co", valid_from=date(2020, 1, 1), actor=ACTOR)
    text = _text(report_draft(org=w1, period_code="2023", actor=ACTOR, save=False))
    assert (
        "- Lớp bồi dưỡng nhận thức về Đảng khóa 1, từ ngày 1/3/2023 đến ngày 1/3/2023: "
        "50 học viên, 02 được cấp giấy chứng nhận." in text
    )
    assert "- Lớp Bồi dưỡng nhận thức về Đảng (chi bộ), từ ngày 1/9/2023" in text
