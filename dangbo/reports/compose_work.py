"""Report sentences about training classes and the targets adopted for the next period.

As real reports write them: classes totalled by kind ("Tổ chức 03 lớp bồi dưỡng nhận thức
về Đảng cho 150 quần chúng ưu tú; 01 lớp bồi dưỡng lý luận chính trị cho 45 đảng viên
mới"), each class listed only when the office's wording asks for it; the targets a plenum
adopted and nobody has evaluated yet, counted by category in the directions part.
"""

from __future__ import annotations

from dangbo import vn_format as vf
from dangbo.membership.models import ClassKind
from dangbo.reports.data import ClassRow, ReviewData
from dangbo.reports.document import Block, Paragraph
from dangbo.targets.models import Category

#: Per class kind: what the class is (after "lớp") and who attends it (after the count).
CLASS_PHRASES = {
    ClassKind.AWARENESS.value: ("bồi dưỡng nhận thức về Đảng", "quần chúng ưu tú"),
    ClassKind.NEW_MEMBER.value: ("bồi dưỡng lý luận chính trị", "đảng viên mới"),
    ClassKind.OTHER.value: ("bồi dưỡng khác", "học viên"),
}
#: Target categories as the directions part names them ("chỉ tiêu về …").
CATEGORY_PHRASES = {
    Category.PARTY_BUILDING.value: "xây dựng Đảng",
    Category.SOCIO_ECONOMIC.value: "kinh tế – xã hội",
    Category.DEFENCE_SECURITY.value: "quốc phòng – an ninh",
    Category.CULTURE_SOCIETY.value: "văn hóa – xã hội",
    Category.OTHER.value: "lĩnh vực khác",
}


def class_totals(d: ReviewData) -> str:
    """ "Tổ chức 03 lớp bồi dưỡng nhận thức về Đảng cho 150 quần chúng ưu tú; 01 lớp bồi
    dưỡng lý luận chính trị cho 45 đảng viên mới." — kinds in their fixed order, a kind
    without attendees recorded without "cho …"; "" when no class was held."""
    w = d.wording
    parts = []
    for kind, (what, who) in CLASS_PHRASES.items():
        rows = [c for c in d.classes if c.kind == kind]
        if not rows:
            continue
        attendees = sum(c.attendees for c in rows)
        text = f"{w.count(len(rows))} lớp {what}"
        parts.append(text + (f" cho {w.count_of(attendees, who)}" if attendees else ""))
    return f"Tổ chức {'; '.join(parts)}." if parts else ""


def _class_line(d: ReviewData, c: ClassRow) -> str:
    w = d.wording
    name = c.name.strip()
    named = name if name.casefold().startswith("lớp") else f"Lớp {name}"
    return (
        f"- {named}, từ {w.date_short(c.starts_on)} đến {w.date_short(c.ends_on)}: "
        f"{w.count_of(c.attendees, 'học viên')}, {w.count(c.certified)} được cấp giấy chứng nhận."
    )


def _development_edition1(d: ReviewData) -> list[Block]:
    """The first wording (reports issued before the office settings): every class listed."""
    w = d.wording
    f = d.figures

    def n(key: str) -> str:
        return w.count(f.count(key)) + ("(*)" if key in d.overrides else "")

    target = ""
    if d.admission_target:
        done = f.admitted + f.readmitted
        target = (
            f" Kết nạp {vf.ratio(done, d.admission_target)} đảng viên so với chỉ tiêu, đạt "
            f"{w.percent(done, d.admission_target)}."
        )
    blocks: list[Block] = [
        Paragraph(
            f"Có {n('candidates_trained')} quần chúng ưu tú hoàn thành lớp bồi dưỡng nhận thức "
            f"về Đảng; hoàn thành thẩm tra lý lịch {n('candidates_verified')} quần chúng; hoàn "
            f"thiện {n('dossiers_completed')} hồ sơ đề nghị kết nạp.{target}"
        )
    ]
    for c in d.classes:
        blocks.append(
            Paragraph(
                f"- Mở lớp «{c.name}» ({ClassKind(c.kind).label.lower()}) từ "
                f"{w.date_short(c.starts_on)} đến {w.date_short(c.ends_on)} cho "
                f"{w.count(c.attendees)} học viên, {w.count(c.certified)} học viên được cấp "
                "giấy chứng nhận."
            )
        )
    return blocks


def development_classes(d: ReviewData) -> list[Block]:
    """The development paragraph: classes by kind, candidates verified and dossiers, the
    admission target; then each class when the office lists them."""
    w = d.wording
    if w.edition == 1:
        return _development_edition1(d)
    f = d.figures
    mark = "(*)"

    def n(key: str) -> str:
        return w.count(f.count(key)) + (mark if key in d.overrides else "")

    held = class_totals(d)
    awareness = any(c.kind == ClassKind.AWARENESS for c in d.classes)
    trained = (
        f"có {n('candidates_trained')} quần chúng ưu tú được cấp giấy chứng nhận"
        if awareness
        else f"có {n('candidates_trained')} quần chúng ưu tú hoàn thành lớp bồi dưỡng nhận thức về Đảng"
    )
    text = (
        f"{trained}; hoàn thành thẩm tra lý lịch {n('candidates_verified')} quần chúng; hoàn "
        f"thiện {n('dossiers_completed')} hồ sơ đề nghị kết nạp."
    )
    text = f"{held} {text[:1].upper()}{text[1:]}" if held else text[:1].upper() + text[1:]
    if d.admission_target:
        done = f.admitted + f.readmitted
        text += (
            f" Kết nạp {vf.ratio(done, d.admission_target)} đảng viên so với chỉ tiêu, đạt "
            f"{w.percent(done, d.admission_target)}."
        )
    blocks: list[Block] = [Paragraph(text)]
    if w.class_list:
        blocks += [Paragraph(_class_line(d, c)) for c in d.classes]
    return blocks


def adopted_targets(d: ReviewData) -> list[Block]:
    """ "Ban Chấp hành đã thông qua 26 chỉ tiêu năm 2024: 05 chỉ tiêu về xây dựng Đảng, 18
    chỉ tiêu về kinh tế – xã hội, 03 chỉ tiêu về quốc phòng – an ninh." (none: nothing)."""
    a = d.targets_adopted
    if a is None or not a.total:
        return []
    w = d.wording
    periods = [
        vf.term_phrase(p) if not p.isdigit() else f"năm {p}" for p in a.periods
    ]  # "năm 2024", "nhiệm kỳ 2025–2030"
    by = ", ".join(
        f"{w.count(n)} chỉ tiêu về {CATEGORY_PHRASES.get(c, c)}" for c, n in a.by_category.items()
    )
    return [
        Paragraph(
            f"Đã thông qua {w.count(a.total)} chỉ tiêu {' và '.join(periods)}"
            + (
                f": {by}."
                if len(a.by_category) > 1
                else f" về {CATEGORY_PHRASES.get(next(iter(a.by_category)), '')}."
            )
        )
    ]
