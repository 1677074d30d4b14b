"""The one permission table: which role may do what (within the organizations it is
assigned to).

A role is held over an organization and its whole subtree for a span of dates
(:class:`dangbo.accounts.models.RoleAssignment`); this table says what each role may do
there. Views ask :func:`dangbo.accounts.scope.can` and fetch objects through the
``get_<thing>_for_user`` helpers, which answer 404 for an object outside the scope.
docs/permissions.md shows the table (a test keeps it equal to this module).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OFFICE = "office"  # văn phòng cấp ủy
    ORGANIZATION = "organization"  # ban tổ chức
    INSPECTION = "inspection"  # ủy ban kiểm tra
    CELL_SECRETARY = "cell_secretary"  # bí thư chi bộ
    LEADERSHIP = "leadership"  # lãnh đạo cấp ủy
    ADMIN = "admin"  # quản trị hệ thống

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.OFFICE: "Văn phòng cấp ủy",
    Role.ORGANIZATION: "Ban Tổ chức",
    Role.INSPECTION: "Ủy ban Kiểm tra",
    Role.CELL_SECRETARY: "Bí thư chi bộ",
    Role.LEADERSHIP: "Lãnh đạo cấp ủy",
    Role.ADMIN: "Quản trị hệ thống",
}


class Action(StrEnum):
    VIEW_ORGS = "view_orgs"
    MANAGE_ORGS = "manage_orgs"
    VIEW_FIGURES = "view_figures"
    VIEW_MEMBERS = "view_members"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EXPORT_MEMBERS = "export_members"
    RECORD_EVENTS = "record_events"
    RECORD_DISCIPLINE = "record_discipline"
    PROPOSE_EVENTS = "propose_events"
    CONFIRM_PROPOSALS = "confirm_proposals"
    VIEW_CANDIDATES = "view_candidates"
    MANAGE_CANDIDATES = "manage_candidates"
    RECEIVE_TRANSFERS = "receive_transfers"
    ISSUE_REPORTS = "issue_reports"
    RECORD_MEETINGS = "record_meetings"
    MANAGE_INSPECTIONS = "manage_inspections"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_PARTY_WORK = "view_party_work"
    MANAGE_CONGRESSES = "manage_congresses"
    MANAGE_GRADING = "manage_grading"
    MANAGE_TARGETS = "manage_targets"
    MANAGE_DOCUMENTS = "manage_documents"
    VIEW_SECRET = "view_secret"
    DRAFT_REPORTS = "draft_reports"
    RECORD_DUES = "record_dues"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.VIEW_ORGS: "Xem cây tổ chức và trang tổ chức",
    Action.MANAGE_ORGS: "Thành lập, đổi tên, sáp nhập, chia tách, giải thể tổ chức",
    Action.VIEW_FIGURES: "Xem số liệu thống kê",
    Action.VIEW_MEMBERS: "Xem danh sách và hồ sơ đảng viên",
    Action.VIEW_PERSONAL_DATA: "Xem đầy đủ số CCCD, điện thoại",
    Action.EXPORT_MEMBERS: "Xuất danh sách đảng viên ra Excel",
    Action.RECORD_EVENTS: "Ghi sự kiện vào sổ đảng viên, hủy bỏ sự kiện ghi sai",
    Action.RECORD_DISCIPLINE: "Ghi kỷ luật đảng viên",
    Action.PROPOSE_EVENTS: "Đề xuất sự kiện của đảng viên chi bộ mình",
    Action.CONFIRM_PROPOSALS: "Xác nhận hoặc trả lại đề xuất của chi bộ",
    Action.VIEW_CANDIDATES: "Xem quần chúng ưu tú, phát triển đảng viên",
    Action.MANAGE_CANDIDATES: "Ghi các bước phát triển đảng viên",
    Action.RECEIVE_TRANSFERS: "Tiếp nhận đảng viên chuyển đến",
    Action.ISSUE_REPORTS: "Ban hành báo cáo",
    Action.RECORD_MEETINGS: "Ghi hội nghị, sinh hoạt chi bộ, điểm danh",
    Action.MANAGE_INSPECTIONS: "Kiểm tra, giám sát, thi hành kỷ luật",
    Action.MANAGE_ACCOUNTS: "Quản lý tài khoản và phân quyền",
    Action.VIEW_AUDIT: "Xem nhật ký thao tác",
    Action.VIEW_PARTY_WORK: "Xem đại hội, xếp loại, chỉ tiêu, kiểm tra, văn bản, hội nghị, báo cáo",
    Action.MANAGE_CONGRESSES: "Ghi đại hội, bầu cử, chuẩn y",
    Action.MANAGE_GRADING: "Đánh giá, xếp loại chất lượng hằng năm",
    Action.MANAGE_TARGETS: "Ghi chỉ tiêu nghị quyết và đánh giá thực hiện",
    Action.MANAGE_DOCUMENTS: "Vào sổ văn bản đi, đến; tải bản ký",
    Action.VIEW_SECRET: "Xem văn bản mật",
    Action.DRAFT_REPORTS: "Soạn báo cáo sơ kết, tổng kết",
    Action.RECORD_DUES: "Ghi thu đảng phí, căn cứ và quyết định miễn, giảm",
}

_READ = {Action.VIEW_ORGS, Action.VIEW_FIGURES, Action.VIEW_MEMBERS, Action.VIEW_PARTY_WORK}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    # all records in scope
    Role.OFFICE: frozenset(
        {
            *_READ,
            Action.MANAGE_ORGS,
            Action.VIEW_PERSONAL_DATA,
            Action.EXPORT_MEMBERS,
            Action.RECORD_EVENTS,
            Action.RECORD_DISCIPLINE,
            Action.CONFIRM_PROPOSALS,
            Action.VIEW_CANDIDATES,
            Action.MANAGE_CANDIDATES,
            Action.RECEIVE_TRANSFERS,
            Action.ISSUE_REPORTS,
            Action.RECORD_MEETINGS,
            Action.MANAGE_CONGRESSES,
            Action.MANAGE_GRADING,
            Action.MANAGE_TARGETS,
            Action.MANAGE_DOCUMENTS,
            Action.VIEW_SECRET,
            Action.DRAFT_REPORTS,
            Action.RECORD_DUES,
        }
    ),
    # members, organizations, candidates
    Role.ORGANIZATION: frozenset(
        {
            *_READ,
            Action.MANAGE_ORGS,
            Action.VIEW_PERSONAL_DATA,
            Action.EXPORT_MEMBERS,
            Action.RECORD_EVENTS,
            Action.CONFIRM_PROPOSALS,
            Action.VIEW_CANDIDATES,
            Action.MANAGE_CANDIDATES,
            Action.RECEIVE_TRANSFERS,
            Action.MANAGE_CONGRESSES,
            Action.MANAGE_GRADING,
        }
    ),
    # cases and discipline
    Role.INSPECTION: frozenset(
        {*_READ, Action.RECORD_DISCIPLINE, Action.MANAGE_INSPECTIONS, Action.VIEW_SECRET}
    ),
    # the own cell: reads its members, records its meetings, proposes events
    Role.CELL_SECRETARY: frozenset(
        {
            *_READ,
            Action.PROPOSE_EVENTS,
            Action.VIEW_CANDIDATES,
            Action.RECORD_MEETINGS,
            Action.RECORD_DUES,
        }
    ),
    # reads everything in scope (personal data masked), issues reports
    Role.LEADERSHIP: frozenset(
        {
            *_READ,
            Action.VIEW_CANDIDATES,
            Action.EXPORT_MEMBERS,
            Action.ISSUE_REPORTS,
            Action.DRAFT_REPORTS,
            Action.VIEW_SECRET,
        }
    ),
    # accounts and settings; no member records
    Role.ADMIN: frozenset({Action.VIEW_ORGS, Action.MANAGE_ACCOUNTS, Action.VIEW_AUDIT}),
}


def role_allows(role: str, action: Action) -> bool:
    """Whether `role` may do `action` somewhere (an unknown role may do nothing)."""
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def permission_table_markdown() -> str:
    """The table as Markdown (docs/permissions.md shows it)."""
    roles = list(Role)
    lines = [
        "| quyền | " + " | ".join(f"{r.label} (`{r.value}`)" for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action in Action:
        marks = " | ".join("✓" if action in PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| {action.label} (`{action.value}`) | {marks} |")
    return "\n".join(lines) + "\n"
