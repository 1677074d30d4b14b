"""A draft news item about a meeting, in the style of a ward website report.

Paragraphs: who held what, when and where (the committee with its "khóa"), the guests
with their titles and the chair; the reports presented and — for a review conference —
the key membership figures of the period it reviews (from
:func:`dangbo.figures.membership_figures`), the cell-meeting figures, and — for a review
conference or a plenum — the targets achieved and the grading the records hold, and the
review of earlier tasks; the presentations, documents adopted with who presented them and
the number of opinions in the discussion; the concluding remarks and the tasks set. A
person's titles are closed by a comma before a verb ("đồng chí A, Bí thư Đảng ủy, trình
bày"). A sentence whose data is missing is left out, never written with a placeholder.
"""

from __future__ import annotations

from datetime import date

from dangbo.core.errors import InvalidInput
from dangbo.figures import membership_figures
from dangbo.grading.figures import grading_figures
from dangbo.meetings.models import (
    REVIEW_KINDS,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingPerson,
    MeetingRole,
    Session,
    TaskStatus,
)
from dangbo.meetings.selectors import cell_meeting_figures, review_period, task_owner, term_of
from dangbo.organizations.models import OrgVersion
from dangbo.organizations.naming import committee_name
from dangbo.organizations.selectors import org_version_shown
from dangbo.targets.figures import target_figures
from dangbo.vn_format import (
    count_of,
    date_short,
    number,
    percent,
    person_with_titles,
    ratio,
    span_phrase,
    term_phrase,
)

#: Openings of concluding remarks that already carry their verb (no "đề nghị" added).
_SPEECH_VERBS = (
    "đề nghị",
    "yêu cầu",
    "nhấn mạnh",
    "ghi nhận",
    "biểu dương",
    "chỉ đạo",
    "đánh giá",
    "khẳng định",
    "lưu ý",
    "giao",
    "chỉ rõ",
    "quán triệt",
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def _bare(text: str) -> str:
    return text.strip().rstrip(".;").strip()


def _roman(n: int) -> str:
    """12 → "XII"."""
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def committee_term(meeting: Meeting) -> str:
    """ "khóa VII, nhiệm kỳ 2020–2025" for the committee's term on the meeting day (the
    congress that elected it numbers the "khóa"); "nhiệm kỳ …" when the number is not
    recorded; "" without a term."""
    term = term_of(meeting)
    if term is None:
        return ""
    label = _term_label(meeting)
    return f"khóa {_roman(term.congress_number)}, {label}" if term.congress_number else label


def _term_label(meeting: Meeting) -> str:
    term = term_of(meeting)
    if term is None:
        return ""
    try:
        return term_phrase(term.label)
    except InvalidInput:
        return f"nhiệm kỳ {term.label}"


def meeting_name(meeting: Meeting, version: OrgVersion | None = None) -> str:
    """The meeting's name as written in text: "Hội nghị sơ kết công tác xây dựng Đảng 6 tháng
    đầu năm 2023, triển khai nhiệm vụ 6 tháng cuối năm".

    A `title` beginning "Hội nghị" is the whole name; any other title is a topic written
    after the name derived from the kind ("về công tác phát triển đảng viên").
    """
    title = meeting.title.strip()
    if title.casefold().startswith("hội nghị"):
        return title
    version = version or org_version_shown(meeting.org, meeting.held_on)
    y = meeting.held_on.year
    kind = meeting.kind
    nth = f" lần thứ {meeting.number}" if meeting.number else ""
    if kind == MeetingKind.REVIEW_6M:
        name = f"Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm {y}, triển khai nhiệm vụ 6 tháng cuối năm"
    elif kind == MeetingKind.REVIEW_9M:
        name = f"Hội nghị sơ kết công tác xây dựng Đảng 9 tháng đầu năm {y}, triển khai nhiệm vụ 3 tháng cuối năm"
    elif kind == MeetingKind.YEAR_END:
        period = review_period(meeting)
        assert period is not None  # a year-end conference reviews its year
        start = period[0]
        name = (
            f"Hội nghị tổng kết công tác xây dựng Đảng năm {start.year}, triển khai nhiệm vụ năm "
            f"{start.year + 1}"
        )
    elif kind in (MeetingKind.MID_TERM, MeetingKind.END_OF_TERM):
        term = _term_label(meeting) or "nhiệm kỳ"
        name = (
            f"Hội nghị sơ kết giữa {term}"
            if kind == MeetingKind.MID_TERM
            else f"Hội nghị tổng kết {term}"
        )
    elif kind == MeetingKind.PLENUM:
        khoa = committee_term(meeting)
        name = f"Hội nghị{nth} Ban Chấp hành {version.name}" + (f" {khoa}" if khoa else "")
    elif kind == MeetingKind.STANDING:
        khoa = committee_term(meeting)
        name = f"Hội nghị{nth} Ban Thường vụ {committee_name(version.name, version.kind.code)}"
        name += f" {khoa}" if khoa else ""
    elif kind == MeetingKind.THEMATIC:
        name = "Hội nghị chuyên đề"
    else:
        name = f"sinh hoạt chi bộ thường kỳ tháng {meeting.held_on.month}/{y}"
    return f"{name} {title}" if title else name


def _who(p: MeetingPerson) -> str:
    return person_with_titles(p.name, p.titles)


def _who_acts(p: MeetingPerson) -> str:
    """The person before a verb: titles are closed by a comma ("đồng chí Nguyễn Văn A, Bí
    thư Đảng ủy, trình bày"), so the verb never runs into a title."""
    text = _who(p)
    return f"{text}," if any(t and t.strip() for t in p.titles) else text


def _opening(
    meeting: Meeting, version: OrgVersion, people: list[MeetingPerson], noun: str
) -> list[str]:
    when = date_short(meeting.held_on)
    when = f"{Session(meeting.session).label} {when}" if meeting.session else _cap(when)
    place = f", tại {meeting.place}" if meeting.place else ""
    committee = committee_name(version.name, version.kind.code)
    term = term_of(meeting)
    if meeting.kind in REVIEW_KINDS and term is not None and term.congress_number:
        committee += f" khóa {_roman(term.congress_number)}"
    out = [f"{when}{place}, {committee} tổ chức {meeting_name(meeting, version)}."]
    present = [_who(p) for p in people if p.role == MeetingRole.GUEST]
    present += [_who(p) for p in people if p.role == MeetingRole.ATTENDEE]
    also = meeting.attendees_note
    if not also and meeting.present and meeting.kind != MeetingKind.CELL:
        also = f"{number(meeting.present)} đại biểu"
    if present:
        out.append(f"Dự {noun} có " + "; ".join(present) + (f"; cùng {also}" if also else "") + ".")
    elif also:
        out.append(f"Dự {noun} có {also}.")
    chairs = [p for p in people if p.role == MeetingRole.CHAIR]
    if len(chairs) == 1:
        out.append(f"{_cap(_who_acts(chairs[0]))} chủ trì {noun}.")
    elif chairs:
        names = "; ".join(_who(p) for p in chairs[:-1]) + "; " + _who_acts(chairs[-1])
        out.append(f"{_cap(names)} đồng chủ trì {noun}.")
    if (
        meeting.kind == MeetingKind.CELL
        and meeting.present is not None
        and meeting.members_expected
    ):
        text = (
            f"Buổi sinh hoạt có {ratio(meeting.present, meeting.members_expected)} đảng viên tham dự "
            f"(đạt {percent(meeting.present, meeting.members_expected)})"
        )
        if meeting.speakers_count:
            text += (
                f", {count_of(meeting.speakers_count, 'đảng viên')} phát biểu ý kiến "
                f"(đạt {percent(meeting.speakers_count, meeting.present)})"
            )
        out.append(text + ".")
    return out


def _presenter(text: str, people: list[MeetingPerson], *, acts: bool = False) -> str:
    """The presenter as written, or with their titles when they are among the people
    recorded; `acts`: a verb follows (titles closed by a comma)."""
    for p in people:
        if p.name.casefold() == text.casefold():
            return _who_acts(p) if acts else _who(p)
    return text


def _reports(items, people, noun: str, subject: str) -> list[str]:
    reports = [i for i in items if i.kind == ItemKind.REPORT]
    with_presenter = [
        f"{_presenter(i.presenter, people, acts=True)} trình bày {i.title}"
        for i in reports
        if i.presenter
    ]
    without = [i.title for i in reports if not i.presenter]
    out = []
    if with_presenter:
        out.append(f"Tại {noun}, " + "; ".join(with_presenter) + ".")
    if without:
        out.append(
            f"{subject} {'cũng ' if with_presenter else ''}đã nghe " + "; ".join(without) + "."
        )
    return out


def _period_phrase(meeting: Meeting, start: date, end: date) -> str:
    if meeting.kind == MeetingKind.MID_TERM:
        return f"từ đầu {_term_label(meeting)} đến {date_short(end)}"
    if meeting.kind == MeetingKind.END_OF_TERM:
        return f"trong {_term_label(meeting)}"
    phrase = span_phrase(start, end)
    return phrase if phrase.startswith("từ ") else f"trong {phrase}"


def _membership(
    meeting: Meeting, version: OrgVersion, start: date, end: date, after_report: bool
) -> list[str]:
    f = membership_figures(meeting.org, start, end, breakdowns=False)
    total = f.members_end
    split = ""
    if f.official_end and f.probationary_end:
        split = (
            f" ({count_of(f.official_end, 'đảng viên chính thức')}, "
            f"{count_of(f.probationary_end, 'đảng viên dự bị')})"
        )
    clauses, stock_said = [], False
    if f.admitted:
        text = f"kết nạp {count_of(f.admitted, 'đảng viên mới')}"
        if total > f.members_start:
            text += f", nâng tổng số đảng viên lên {count_of(total, 'đồng chí')}{split}"
            stock_said = True
        clauses.append(text)
    if f.readmitted:
        clauses.append(f"kết nạp lại {count_of(f.readmitted, 'đảng viên')}")
    if f.recognized_official:
        clauses.append(
            f"công nhận đảng viên chính thức cho {count_of(f.recognized_official, 'đồng chí')}"
        )
    if f.transferred_in:
        clauses.append(
            f"tiếp nhận {count_of(f.transferred_in, 'đảng viên')} chuyển sinh hoạt đảng đến"
        )
    if f.transferred_out:
        clauses.append(f"chuyển sinh hoạt đảng đi cho {count_of(f.transferred_out, 'đảng viên')}")
    if f.cards_issued:
        clauses.append(f"trao thẻ đảng viên cho {count_of(f.cards_issued, 'đồng chí')}")
    if f.badges_awarded:
        text = f"trao tặng Huy hiệu Đảng cho {count_of(f.badges_awarded, 'đồng chí')}"
        if f.badges_posthumous:
            text += f" (trong đó truy tặng {count_of(f.badges_posthumous, 'đồng chí')})"
        clauses.append(text)
    if f.candidates_trained:
        clauses.append(
            f"{count_of(f.candidates_trained, 'quần chúng ưu tú')} hoàn thành lớp bồi "
            "dưỡng nhận thức về Đảng"
        )
    if f.candidates_verified:
        clauses.append(
            f"thẩm tra lý lịch cho {count_of(f.candidates_verified, 'quần chúng ưu tú')}"
        )
    if f.dossiers_completed:
        clauses.append(f"hoàn thiện {count_of(f.dossiers_completed, 'hồ sơ')} đề nghị kết nạp Đảng")
    lead = ("theo báo cáo, " if after_report else "") + _period_phrase(meeting, start, end)
    if clauses:
        if not stock_said and total:
            clauses.append(
                f"đến {date_short(end)}, tổng số đảng viên là {count_of(total, 'đồng chí')}{split}"
            )
        return [_cap(f"{lead}, {version.name} đã " + "; ".join(clauses) + ".")]
    if total:
        return [
            _cap(
                f"{'theo báo cáo, ' if after_report else ''}đến {date_short(end)}, {version.name} có "
                f"{count_of(total, 'đảng viên')}{split}."
            )
        ]
    return []


def _cell_quality(meeting: Meeting, start: date, end: date) -> list[str]:
    c = cell_meeting_figures(meeting.org, start, end)
    if not c["meetings"] or not c["cells_alive"]:
        return []
    text = (
        f"có {c['cells_ratio']} chi bộ duy trì sinh hoạt thường kỳ hằng tháng; tỷ lệ đảng viên dự "
        f"sinh hoạt đạt {c['attendance']}"
    )
    if c["speakers"]:
        text += f", tỷ lệ đảng viên phát biểu ý kiến đạt {c['speaking']}"
    return [_cap(text) + "."]


def summary_period(meeting: Meeting) -> tuple[date, date] | None:
    """The period whose summary figures a review conference or a plenum states: the period
    a review conference reviews; for a plenum held in the first half of a year the year
    before, else the year up to the plenum's day; None for other kinds."""
    if meeting.kind in REVIEW_KINDS:
        return review_period(meeting)
    if meeting.kind != MeetingKind.PLENUM:
        return None
    held = meeting.held_on
    if held.month <= 6:
        return date(held.year - 1, 1, 1), date(held.year - 1, 12, 31)
    return date(held.year, 1, 1), held


def _summary_figures(meeting: Meeting, version: OrgVersion, start: date, end: date) -> list[str]:
    """The targets achieved ("đạt và vượt 13/13 chỉ tiêu") and, when the period is a whole
    year, the grading ("15/16 tổ chức cơ sở đảng, 120/130 đảng viên hoàn thành tốt nhiệm vụ
    trở lên") that the records hold; nothing for what is not recorded."""
    clauses = []
    t = target_figures(meeting.org, start, end)
    if t.targets_total:
        clauses.append(f"thực hiện đạt và vượt {ratio(t.done, t.targets_total)} chỉ tiêu")
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        g = grading_figures(meeting.org, end.year)
        graded = []
        if g.base_orgs_graded:
            graded.append(
                f"{ratio(g.base_orgs_good_or_better, g.base_orgs_graded)} tổ chức cơ sở đảng"
            )
        if g.members_graded:
            graded.append(f"{ratio(g.members_good_or_better, g.members_graded)} đảng viên")
        if graded:
            clauses.append(
                f"năm {end.year} có {', '.join(graded)} được đánh giá, xếp loại hoàn thành tốt "
                "nhiệm vụ trở lên"
            )
    if not clauses:
        return []
    return [_cap(f"{version.name} đã " + "; ".join(clauses)) + "."]


def _task_reviews(meeting: Meeting, subject: str) -> list[str]:
    statuses = list(meeting.task_reviews.values_list("status", flat=True))
    if not statuses:
        return []
    done = sum(1 for s in statuses if s == TaskStatus.DONE)
    text = (
        f"{subject} đã đánh giá kết quả thực hiện {count_of(len(statuses), 'nhiệm vụ')} đề ra tại "
        f"các hội nghị trước: {ratio(done, len(statuses))} nhiệm vụ đã hoàn thành"
    )
    going = sum(1 for s in statuses if s == TaskStatus.OPEN)
    if going:
        text += f", {count_of(going, 'nhiệm vụ')} đang tiếp tục thực hiện"
    return [text + "."]


def _discussion(meeting: Meeting, items, people, subject: str) -> list[str]:
    out = []
    talks = [i for i in items if i.kind == ItemKind.PRESENTATION]
    if talks:
        parts = [
            f"\u201c{_bare(i.title)}\u201d"
            + (f" của {_presenter(i.presenter, people)}" if i.presenter else "")
            for i in talks
        ]
        out.append(
            f"{subject} đã nghe {count_of(len(talks), 'tham luận')}: " + "; ".join(parts) + "."
        )
    if meeting.speakers_count and meeting.kind != MeetingKind.CELL:
        text = f"Trong phần thảo luận, có {count_of(meeting.speakers_count, 'ý kiến')} phát biểu"
        if any(i.kind == ItemKind.REPORT for i in items):
            text += ", đóng góp vào các báo cáo trình hội nghị"
        out.append(text + ".")
    adopted = [
        _bare(i.title)
        + (f", do {_presenter(i.presenter, people, acts=True)} trình bày" if i.presenter else "")
        for i in items
        if i.kind == ItemKind.ADOPTED
    ]
    if adopted:
        out.append(f"{subject} đã biểu quyết thông qua " + "; ".join(adopted) + ".")
    return out


def _conclusion(meeting: Meeting, people, tasks, noun: str, subject: str) -> list[str]:
    out = []
    who = meeting.concluded_by
    if who is None:
        chairs = [p for p in people if p.role == MeetingRole.CHAIR]
        who = chairs[0] if len(chairs) == 1 else None
    remarks = _bare(meeting.conclusion)
    if remarks:
        verb = "đề nghị "
        if remarks.casefold().startswith(_SPEECH_VERBS):
            verb, remarks = "", remarks[:1].lower() + remarks[1:]
        if who is not None:
            out.append(f"Phát biểu kết luận {noun}, {_who_acts(who)} {verb}{remarks}.")
        else:
            out.append(f"{subject} thống nhất {verb}{remarks}.")
    if tasks:
        intro = f"{subject} thống nhất giao nhiệm vụ cụ thể, rõ người, rõ việc, rõ trách nhiệm:"
        if not remarks and who is not None:
            intro = (
                f"Phát biểu kết luận {noun}, {_who_acts(who)} giao nhiệm vụ cụ thể, rõ người, rõ việc, "
                "rõ trách nhiệm:"
            )
        lines = [intro]
        for t in tasks:
            detail = []
            owner = task_owner(t)
            if owner:
                detail.append(f"{owner} thực hiện")
            if t.deadline:
                detail.append(f"hoàn thành trước {date_short(t.deadline)}")
            lines.append(f"- {_bare(t.text)}" + (f" ({', '.join(detail)})" if detail else "") + ".")
        out.append("\n".join(lines))
    return out


def news_draft(meeting: Meeting) -> str:
    """A draft news item about `meeting`, paragraphs separated by a blank line."""
    meeting = (
        Meeting.objects.select_related("org", "concluded_by")
        .prefetch_related("people", "items", "tasks__owner_org__versions")
        .get(pk=meeting.pk)
    )
    version = org_version_shown(meeting.org, meeting.held_on)
    people = list(meeting.people.all())
    items = list(meeting.items.all())
    tasks = list(meeting.tasks.all())
    noun = "buổi sinh hoạt" if meeting.kind == MeetingKind.CELL else "hội nghị"
    subject = "Chi bộ" if meeting.kind == MeetingKind.CELL else "Hội nghị"

    body = _reports(items, people, noun, subject)
    period = review_period(meeting) if meeting.kind in REVIEW_KINDS else None
    if period is not None:
        body += _membership(meeting, version, *period, after_report=bool(body))
        body += _cell_quality(meeting, *period)
    summary = summary_period(meeting)
    if summary is not None:
        body += _summary_figures(meeting, version, *summary)
    body += _task_reviews(meeting, subject)

    paragraphs = [
        " ".join(_opening(meeting, version, people, noun)),
        " ".join(body),
        " ".join(_discussion(meeting, items, people, subject)),
        *_conclusion(meeting, people, tasks, noun, subject),
    ]
    return "\n\n".join(p for p in paragraphs if p)
