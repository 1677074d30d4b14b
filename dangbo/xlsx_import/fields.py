"""The kinds of sheet an office imports and the columns each holds.

A column is found by its Vietnamese header or one of its other usual spellings (compared
by :func:`~dangbo.xlsx_import.values.fold`); the template writes the first header.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dangbo.membership.models import EventKind, Gender, MemberStatus, Theory


class SheetKind(StrEnum):
    MEMBERS = "dang_vien"  # danh sách đảng viên: the opening balance
    ADMISSIONS = "ket_nap"
    TRANSFERS_IN = "chuyen_den"
    TRANSFERS_OUT = "chuyen_di"
    CARDS = "phat_the"
    BADGES = "huy_hieu"
    DUES = "dang_phi"  # khoản nộp đảng phí

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    SheetKind.MEMBERS: "Danh sách đảng viên (nhập sổ)",
    SheetKind.ADMISSIONS: "Kết nạp đảng viên",
    SheetKind.TRANSFERS_IN: "Tiếp nhận đảng viên chuyển đến",
    SheetKind.TRANSFERS_OUT: "Chuyển sinh hoạt đảng đi",
    SheetKind.CARDS: "Phát thẻ đảng viên",
    SheetKind.BADGES: "Trao tặng Huy hiệu Đảng",
    SheetKind.DUES: "Thu đảng phí",
}

#: the ledger event each kind of sheet writes (the dues sheet writes payments, no event)
EVENT_OF = {
    SheetKind.MEMBERS: EventKind.OPENING,
    SheetKind.ADMISSIONS: EventKind.ADMISSION,
    SheetKind.TRANSFERS_IN: EventKind.TRANSFER,
    SheetKind.TRANSFERS_OUT: EventKind.TRANSFER,
    SheetKind.CARDS: EventKind.CARD,
    SheetKind.BADGES: EventKind.BADGE,
}

#: kinds whose rows bring a new person in (the others name a member already in the register)
NEW_PEOPLE = {SheetKind.MEMBERS, SheetKind.ADMISSIONS, SheetKind.TRANSFERS_IN}

STATUS_CHOICES = {
    MemberStatus.OFFICIAL.value: "Chính thức",
    MemberStatus.PROBATIONARY.value: "Dự bị",
}
GENDER_CHOICES = dict(Gender.choices)
THEORY_CHOICES = dict(Theory.choices)
CHANNEL_CHOICES = {
    "tien_mat": "Tiền mặt",
    "chuyen_khoan": "Chuyển khoản",
    "dich_vu_cong": "Cổng dịch vụ công",
}
BADGE_CHOICES = {str(y): f"{y} năm" for y in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)}


@dataclass(frozen=True)
class Column:
    """A column of a sheet: the field it fills, its header, other headers it goes by, how
    its cells are read (text, date, choice, years) and whether a row needs it."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    type: str = "text"
    required: bool = False
    choices: dict[str, str] | None = None
    note: str = ""


PERSON = (
    Column(
        "full_name", "Họ và tên", ("Họ tên", "Tên đảng viên", "Họ và tên đảng viên"), required=True
    ),
    Column("gender", "Giới tính", ("Nam/Nữ", "Giới"), "choice", True, GENDER_CHOICES),
    Column("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Sinh ngày"), "date", True),
    Column(
        "citizen_id",
        "Số CCCD",
        ("CCCD", "Căn cước công dân", "Số căn cước", "Số định danh"),
        note="12 chữ số",
    ),
    Column("ethnicity", "Dân tộc", note="để trống: Kinh"),
    Column("religion", "Tôn giáo", note="để trống: Không"),
    Column("home_town", "Quê quán"),
    Column("education", "Giáo dục phổ thông", ("Trình độ văn hóa", "Văn hóa", "GDPT")),
    Column("qualification", "Chuyên môn nghiệp vụ", ("Chuyên môn", "Trình độ chuyên môn")),
    Column(
        "theory",
        "Lý luận chính trị",
        ("LLCT", "Trình độ lý luận"),
        "choice",
        choices=THEORY_CHOICES,
    ),
    Column("occupation", "Nghề nghiệp", ("Nghề nghiệp hiện nay",)),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT")),
    Column("address", "Nơi ở", ("Nơi ở hiện nay", "Địa chỉ", "Chỗ ở hiện nay")),
)
CELL = Column(
    "cell",
    "Chi bộ",
    ("Tên chi bộ", "Chi bộ sinh hoạt", "Mã chi bộ"),
    note="tên hoặc mã chi bộ; để trống khi nhập cho một chi bộ",
)
STANDING = (
    Column(
        "status",
        "Loại đảng viên",
        ("Trạng thái", "Chính thức/Dự bị", "Đảng viên"),
        "choice",
        True,
        STATUS_CHOICES,
    ),
    Column("admitted_on", "Ngày vào Đảng", ("Ngày kết nạp", "Ngày vào đảng"), "date", True),
    Column(
        "official_on",
        "Ngày chính thức",
        ("Ngày công nhận chính thức",),
        "date",
        note="bắt buộc với đảng viên chính thức",
    ),
)
CARD = Column("card_number", "Số thẻ đảng viên", ("Số thẻ", "Số thẻ ĐV", "Thẻ đảng"))
#: who an event list names: the card number, else the national ID, else name and birth date
IDENTITY = (
    Column("full_name", "Họ và tên", PERSON[0].aliases, required=True),
    Column("birth_date", "Ngày sinh", PERSON[2].aliases, "date"),
    Column("citizen_id", "Số CCCD", PERSON[3].aliases),
    CARD,
)

COLUMNS: dict[SheetKind, tuple[Column, ...]] = {
    SheetKind.MEMBERS: (
        *PERSON,
        CELL,
        *STANDING,
        CARD,
        Column(
            "badges",
            "Huy hiệu đã nhận",
            ("Huy hiệu Đảng", "Huy hiệu"),
            "years",
            note="số năm, vd. 30 hoặc 30, 40",
        ),
    ),
    SheetKind.ADMISSIONS: (
        *PERSON,
        CELL,
        Column("on", "Ngày kết nạp", ("Ngày quyết định kết nạp", "Ngày vào Đảng"), "date", True),
        Column("ceremony_on", "Ngày lễ kết nạp", ("Ngày tổ chức lễ kết nạp",), "date"),
    ),
    SheetKind.TRANSFERS_IN: (
        *PERSON,
        CELL,
        Column("on", "Ngày tiếp nhận", ("Ngày chuyển đến", "Ngày đến"), "date", True),
        *STANDING,
        Column("origin", "Nơi chuyển đi", ("Chuyển từ", "Đảng bộ chuyển đi")),
    ),
    SheetKind.TRANSFERS_OUT: (
        *IDENTITY,
        Column("on", "Ngày chuyển đi", ("Ngày chuyển", "Ngày đi"), "date", True),
        Column("destination", "Nơi chuyển đến", ("Chuyển đến", "Đảng bộ chuyển đến")),
        Column("letter_number", "Số giấy giới thiệu", ("Số giới thiệu", "Giấy giới thiệu")),
    ),
    SheetKind.CARDS: (
        *IDENTITY[:3],
        Column("card_number", "Số thẻ đảng viên", CARD.aliases, required=True),
        Column("on", "Ngày phát thẻ", ("Ngày nhận thẻ", "Ngày cấp thẻ"), "date", True),
    ),
    SheetKind.BADGES: (
        *IDENTITY,
        Column(
            "badge_years",
            "Loại huy hiệu",
            ("Huy hiệu", "Huy hiệu Đảng", "Số năm"),
            "choice",
            True,
            BADGE_CHOICES,
        ),
        Column("on", "Ngày trao tặng", ("Ngày trao", "Ngày tặng", "Ngày quyết định"), "date", True),
    ),
    SheetKind.DUES: (
        Column("full_name", "Họ và tên", PERSON[0].aliases),
        *IDENTITY[1:],
        Column(
            "months",
            "Tháng",
            ("Nộp cho tháng", "Tháng nộp", "Kỳ nộp", "Các tháng"),
            required=True,
            note="vd. 3/2026; nhiều tháng: 1-3/2026 hoặc 1/2026, 2/2026",
        ),
        Column(
            "amount",
            "Số tiền",
            ("Số tiền nộp", "Số tiền (đồng)", "Thành tiền", "Đảng phí"),
            note="đồng, cả dòng; để trống: đúng số phải đóng",
        ),
        Column("paid_on", "Ngày nộp", ("Ngày thu", "Ngày nộp tiền"), "date", True),
        Column(
            "channel",
            "Hình thức",
            ("Hình thức nộp", "Kênh nộp"),
            "choice",
            choices=CHANNEL_CHOICES,
            note="để trống: tiền mặt",
        ),
        Column("receipt_number", "Số biên lai", ("Biên lai", "Số chứng từ", "Số phiếu thu")),
    ),
}


def column(kind: SheetKind, field: str) -> Column:
    """The column of `kind` filling `field`."""
    return next(c for c in COLUMNS[kind] if c.field == field)
