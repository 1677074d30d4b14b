"""People, the membership ledger and its projections, candidates and training classes.

The ledger (:class:`MemberEvent`) is append-only. :class:`Member` (current state) and
:class:`MembershipSpell` (membership intervals, the basis of stocks) are projections
written in the same transaction as each event and rebuildable from the ledger.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import RegexValidator
from django.db import models

from dangbo.core.append_only import AppendOnlyModel
from dangbo.core.dates import FOREVER, months_between
from dangbo.membership.search import search_columns


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Theory(models.TextChoices):  # trình độ lý luận chính trị
    NONE = "khong", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class Person(models.Model):  # nhân thân (đảng viên hoặc quần chúng)
    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=40, default="Không")
    home_town = models.CharField("quê quán", max_length=120, blank=True, default="")
    citizen_id = models.CharField(
        "số CCCD",
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", "Số CCCD phải gồm đúng 12 chữ số.")],
    )
    education = models.CharField("giáo dục phổ thông", max_length=20, blank=True, default="")
    qualification = models.CharField("chuyên môn nghiệp vụ", max_length=40, blank=True, default="")
    theory = models.CharField(
        "lý luận chính trị", max_length=10, choices=Theory.choices, default=Theory.NONE
    )
    occupation = models.CharField("nghề nghiệp", max_length=40, blank=True, default="")
    phone = models.CharField("điện thoại", max_length=15, blank=True, default="")
    address = models.CharField("nơi ở", max_length=200, blank=True, default="")
    # derived from full_name by dangbo.membership.search on every write
    search_text = models.CharField(max_length=200, blank=True, default="", editable=False)
    sort_key = models.TextField(blank=True, default="", editable=False)

    class Meta:
        indexes = [models.Index(fields=["sort_key", "id"], name="person_sort_key")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save with the search columns recomputed from the name (see `membership.search`)."""
        self.search_text, self.sort_key = search_columns(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text", "sort_key"}
        super().save(*args, **kwargs)


class PersonAttribute(models.TextChoices):  # thông tin nhân thân thay đổi theo thời gian
    EDUCATION = "education", "Giáo dục phổ thông"
    QUALIFICATION = "qualification", "Chuyên môn nghiệp vụ"
    THEORY = "theory", "Lý luận chính trị"
    OCCUPATION = "occupation", "Nghề nghiệp"
    ETHNICITY = "ethnicity", "Dân tộc"
    RELIGION = "religion", "Tôn giáo"


class PersonAttributeChange(models.Model):  # lịch sử thay đổi thông tin nhân thân
    """From `valid_from` the person's `attribute` is `value`; before it, `previous`.

    The value of an attribute on a date D is the `previous` of the person's earliest change
    after D, or the current column of :class:`Person` when no change comes after D (so an
    edit of the current value without a date corrects it since the last change). One change
    per person, attribute and day; written by ``membership.attributes.person_attribute_change``,
    which keeps the chain (each `previous` the value before it) and the current column in step.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attribute_changes")
    attribute = models.CharField("thông tin", max_length=20, choices=PersonAttribute.choices)
    value = models.CharField("giá trị mới", max_length=40, blank=True, default="")
    previous = models.CharField("giá trị trước đó", max_length=40, blank=True, default="")
    valid_from = models.DateField("ngày hiệu lực")
    note = models.CharField("căn cứ, ghi chú", max_length=200, blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "attribute", "valid_from"], name="attribute_change_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["attribute", "valid_from"])]


class MemberStatus(models.TextChoices):
    PROBATIONARY = "du_bi", "Đảng viên dự bị"
    OFFICIAL = "chinh_thuc", "Đảng viên chính thức"
    OUT = "ra", "Không còn trong danh sách"


class Member(models.Model):  # đảng viên — projection of the ledger
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member")
    status = models.CharField(max_length=12, choices=MemberStatus.choices, null=True, blank=True)
    out_reason = models.CharField(max_length=20, blank=True, default="")
    cell = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_cell = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admitted_on = models.DateField("ngày vào Đảng", null=True, blank=True)
    last_admitted_on = models.DateField(null=True, blank=True)
    # the start of the probation: the last admission's ceremony (its decision when unknown)
    probation_from = models.DateField("ngày bắt đầu dự bị", null=True, blank=True)
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True, default="")
    badges = models.JSONField("huy hiệu đã nhận", default=list)
    exempt = models.BooleanField("miễn sinh hoạt", default=False)
    party_anchor = models.DateField(null=True, blank=True)
    out_since = models.DateField(null=True, blank=True)
    readmissions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["cell", "status"])]

    def __str__(self) -> str:
        return self.person.full_name

    def party_age_months(self, on: date) -> int | None:
        """Party age (tuổi Đảng) in whole months on `on`.

        Counted from the admission date moved forward by every period outside the Party
        (the anchor kept by the ledger fold); frozen while the member is off the rolls.
        """
        if self.party_anchor is None or on < self.party_anchor:
            return None
        end = min(on, self.out_since) if self.out_since else on
        return months_between(self.party_anchor, end)


class EventKind(models.TextChoices):
    OPENING = "nhap_so", "Nhập sổ (số dư đầu kỳ)"
    ADMISSION = "ket_nap", "Kết nạp"
    READMISSION = "ket_nap_lai", "Kết nạp lại"
    RECOGNITION = "chinh_thuc", "Công nhận đảng viên chính thức"
    TRANSFER = "chuyen_sinh_hoat", "Chuyển sinh hoạt đảng chính thức"
    TEMPORARY_OUT = "tam_di", "Chuyển sinh hoạt tạm thời"
    TEMPORARY_BACK = "tam_ve", "Kết thúc sinh hoạt tạm thời"
    CARD = "phat_the", "Phát thẻ đảng viên"
    BADGE = "huy_hieu", "Trao tặng Huy hiệu Đảng"
    EXEMPTION = "mien", "Miễn công tác và sinh hoạt đảng"
    EXEMPTION_END = "mien_ket_thuc", "Thôi miễn công tác và sinh hoạt đảng"
    DISCIPLINE = "ky_luat", "Kỷ luật"
    REMOVAL = "xoa_ten", "Xóa tên"
    LEAVING = "ra_khoi_dang", "Xin ra khỏi Đảng"
    DEATH = "tu_tran", "Từ trần"
    REORGANIZATION = "to_chuc_lai", "Sắp xếp tổ chức"
    REVERSAL = "huy_bo", "Hủy bỏ sự kiện ghi sai"


class DisciplineForm(models.TextChoices):
    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    DISMISSAL = "cach_chuc", "Cách chức"
    EXPULSION = "khai_tru", "Khai trừ"


class MemberEvent(AppendOnlyModel):  # sự kiện trong sổ đảng viên — append-only
    """One fact of a member's life in the Party.

    `from_org`/`to_org` are the member's cell before and after; for events that do not
    move the member both are the current cell, and for leaving/entering one is empty
    (outside the system). `from_on` is the date on which `from_org`'s place in the tree
    is read: the day before for reorganizations (the tree changes that day), else the
    event's own date. Append-only (`core.append_only`): a wrong event is reversed, never
    changed or deleted.
    """

    append_only_label = "sự kiện trong sổ đảng viên"

    # the single-column indexes of member, from_org and to_org are covered by the composite
    # ones below; the mostly-empty decision and reorganization references get partial ones
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    effective_on = models.DateField("ngày hiệu lực")
    from_on = models.DateField()
    from_org = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_org = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    form = models.CharField("hình thức / lý do", max_length=30, blank=True, default="")
    card_number = models.CharField(max_length=20, blank=True, default="")
    badge_years = models.PositiveSmallIntegerField(null=True, blank=True)
    posthumous = models.BooleanField(default=False)
    early = models.BooleanField("trao sớm (ốm nặng)", default=False)
    until = models.DateField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    decision = models.ForeignKey(
        "core.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    exception_decision = models.ForeignKey(
        "core.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    waived_rules = models.JSONField(default=list, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reorganization = models.ForeignKey(
        "organizations.Reorganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_events",
        db_index=False,
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["to_org", "effective_on"]),
            models.Index(fields=["from_org", "effective_on"]),
            models.Index(fields=["member", "effective_on"]),
            models.Index(fields=["effective_on", "kind"]),
            models.Index(
                fields=["decision"],
                condition=models.Q(decision__isnull=False),
                name="memberevent_decision",
            ),
            models.Index(
                fields=["exception_decision"],
                condition=models.Q(exception_decision__isnull=False),
                name="memberevent_exc_decision",
            ),
            models.Index(
                fields=["reorganization"],
                condition=models.Q(reorganization__isnull=False),
                name="memberevent_reorganization",
            ),
        ]


class MembershipSpell(models.Model):
    """Derived: over [valid_from, valid_to) the member was in `cell` with this status.

    `person` repeats the member's person (one-to-one, never changes), so stocks and
    breakdowns reach the person without the member table."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="spells")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    status = models.CharField(max_length=12, choices=MemberStatus.choices)
    exempt = models.BooleanField(default=False)
    party_anchor = models.DateField()
    valid_from = models.DateField()
    valid_to = models.DateField(default=FOREVER)

    class Meta:
        indexes = [
            models.Index(fields=["cell", "valid_from"]),
            models.Index(fields=["valid_from", "valid_to"]),
        ]


class FigureDelta(models.Model):
    """Aggregates of the figures: what changed on `day` for organization `org`'s subtree.

    ``part`` S: stock changes (``key`` status|women|exempt; the stock on D is the sum of
    the rows up to D); F: flows on that day (``key`` the event's kind, form, milestone,
    posthumous and whether it entered / left the subtree; candidate steps ``C|stage``).
    Rows exist for the organization and each ancestor as the tree stood on the date, are
    maintained in the same transaction as each ledger write (`membership.aggregates`) and
    rebuilt in bulk after an import; `dangbo verify` compares them with the ledger."""

    org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    part = models.CharField(max_length=1)
    day = models.DateField()
    key = models.CharField(max_length=60)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "part", "day", "key"], name="figuredelta_key")
        ]


class CandidateStage(models.TextChoices):  # các bước phát triển đảng viên
    IDENTIFIED = "xac_dinh", "Đưa vào diện cảm tình"
    TRAINED = "hoc_lop", "Học lớp bồi dưỡng nhận thức về Đảng"
    SPONSORED = "phan_cong", "Phân công đảng viên giúp đỡ"
    VERIFIED = "tham_tra", "Hoàn thành thẩm tra lý lịch"
    DOSSIER = "ho_so", "Hoàn thiện hồ sơ"
    CELL_RESOLUTION = "nq_chi_bo", "Nghị quyết đề nghị của chi bộ"
    COMMITTEE_RESOLUTION = "nq_dang_uy", "Nghị quyết của đảng ủy cơ sở"
    ADMITTED = "ket_nap", "Có quyết định kết nạp"
    CEREMONY = "le_ket_nap", "Tổ chức lễ kết nạp"
    DROPPED = "dung", "Dừng xem xét"


STAGE_ORDER = [
    CandidateStage.IDENTIFIED,
    CandidateStage.TRAINED,
    CandidateStage.SPONSORED,
    CandidateStage.VERIFIED,
    CandidateStage.DOSSIER,
    CandidateStage.CELL_RESOLUTION,
    CandidateStage.COMMITTEE_RESOLUTION,
    CandidateStage.ADMITTED,
    CandidateStage.CEREMONY,
]


class Candidate(models.Model):  # quần chúng ưu tú (đối tượng phát triển đảng)
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="candidate")
    cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=12, choices=CandidateStage.choices)
    sponsor = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsored"
    )
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="as_candidate"
    )


class CandidateStep(models.Model):  # một bước trong quy trình phát triển đảng — append-only
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="steps")
    stage = models.CharField(max_length=12, choices=CandidateStage.choices)
    effective_on = models.DateField()
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    sponsor = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, default="")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["org", "effective_on"])]


class ClassKind(models.TextChoices):
    AWARENESS = "nhan_thuc", "Bồi dưỡng nhận thức về Đảng"
    NEW_MEMBER = "dang_vien_moi", "Bồi dưỡng lý luận chính trị cho đảng viên mới"
    OTHER = "khac", "Bồi dưỡng khác"


class TrainingClass(models.Model):  # lớp bồi dưỡng
    kind = models.CharField(max_length=16, choices=ClassKind.choices)
    name = models.CharField(max_length=200)
    organizer = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()


class ClassAttendance(models.Model):  # học viên của lớp
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="attendees"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="classes")
    certificate_number = models.CharField(max_length=30, blank=True, default="")
    certified_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "person"], name="attendance_once")
        ]


class TransferStatus(models.TextChoices):
    PENDING = "cho_nhan", "Chờ tiếp nhận"
    RECEIVED = "da_nhan", "Đã tiếp nhận"


class TransferOut(models.Model):  # giấy giới thiệu chuyển sinh hoạt đảng đến tổ chức trong hệ thống
    """An official transfer to another organization of this system, waiting for its receipt.

    The sender's ledger event (`out_event`, a `chuyen_sinh_hoat` out of the system) is
    written on `sent_on`; the receiving organization (`to_org`, a committee) writes the
    entering event (`in_event`) on `received_on` into a cell of its subtree. Between the
    two dates the member is in no organization's stock. A transfer whose out event was
    reversed is no longer waiting.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers_out")
    from_cell = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField("ngày chuyển đi")
    letter_number = models.CharField("số giấy giới thiệu", max_length=40, blank=True, default="")
    out_event = models.OneToOneField(
        MemberEvent, on_delete=models.PROTECT, related_name="transfer_out"
    )
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    received_on = models.DateField("ngày tiếp nhận", null=True, blank=True)
    received_cell = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_event = models.OneToOneField(
        MemberEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_in",
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["to_org", "status"])]


class ProposalStatus(models.TextChoices):
    PENDING = "cho_xac_nhan", "Chờ xác nhận"
    CONFIRMED = "da_xac_nhan", "Đã xác nhận"
    REJECTED = "tu_choi", "Bị từ chối"


class EventProposal(models.Model):  # đề xuất của chi bộ, chờ cấp ủy xác nhận
    """An event a cell secretary proposes for a member of the cell, waiting for the office.

    `fields` holds the event's values as plain JSON (dates as ISO text, organizations by id,
    decisions as their reference); confirming records the event through the ledger with the
    same rules, and links it in `event`.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField("loại sự kiện", max_length=20, choices=EventKind.choices)
    fields = models.JSONField(default=dict)
    note = models.CharField("ghi chú của chi bộ", max_length=300, blank=True, default="")
    proposer = models.CharField("người đề xuất", max_length=150)
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField("lý do từ chối", max_length=300, blank=True, default="")
    event = models.OneToOneField(
        MemberEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "member"])]


class BreakdownSnapshot(models.Model):
    """A dated snapshot of the breakdowns of the large subtrees (``figures_snapshot``).

    One header per `as_of` date. The ``last_*_id`` are the newest ledger event, closure row
    and attribute change when it was computed: a later one dated on or before `as_of` (or a
    reversal) may have made it stale; a person's corrected gender or birth date is only seen
    by `dangbo verify`."""

    as_of = models.DateField(unique=True)
    computed_at = models.DateTimeField()
    min_members = models.IntegerField()
    orgs = models.IntegerField(default=0)
    last_event_id = models.BigIntegerField(default=0)
    last_closure_id = models.BigIntegerField(default=0)
    last_attribute_id = models.BigIntegerField(default=0)


class BreakdownCount(models.Model):
    """One count of a snapshot: `org`'s stock on `as_of` whose `dim` has `value`."""

    as_of = models.DateField()
    org = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    dim = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "as_of", "dim", "value"], name="breakdowncount_key"
            )
        ]
