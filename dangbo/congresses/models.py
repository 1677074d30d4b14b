"""Committees over time, congresses and their elections (DOMAIN §2, §4).

:class:`CommitteeSeat` is one person's position on an organization's committee over
``[starts_on, ends_on)`` with the decision that made it. A congress (:class:`Congress`)
belongs to the term it opens (``organizations.Term``); its elections
(:class:`Election`) keep the candidate list, every ballot round and each candidate's
votes. Who won is computed by :mod:`dangbo.congresses.elections` and stored on the
candidate (``elected_in_round``) in the same transaction as the round.
"""

from __future__ import annotations

from django.db import models

from dangbo.congresses.elections import Attendance, RoundOutcome, votes_needed
from dangbo.core.dates import FOREVER


class Position(models.TextChoices):  # chức vụ trong cấp ủy, ủy ban kiểm tra
    SECRETARY = "bi_thu", "Bí thư"
    STANDING_DEPUTY = "pho_bi_thu_thuong_truc", "Phó Bí thư Thường trực"
    DEPUTY = "pho_bi_thu", "Phó Bí thư"
    STANDING = "uy_vien_btv", "Ủy viên Ban Thường vụ"
    COMMITTEE = "uy_vien_bch", "Ủy viên Ban Chấp hành"
    INSPECTION_CHAIR = "chu_nhiem_ubkt", "Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION_DEPUTY = "pho_chu_nhiem_ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION = "uy_vien_ubkt", "Ủy viên Ủy ban Kiểm tra"


#: Display order of positions (lower first).
POSITION_RANK: dict[str, int] = {p: i for i, p in enumerate(Position.values)}
#: Positions on the committee itself (cấp ủy); the rest are on the inspection commission.
COMMITTEE_POSITIONS = (
    Position.SECRETARY,
    Position.STANDING_DEPUTY,
    Position.DEPUTY,
    Position.STANDING,
    Position.COMMITTEE,
)
INSPECTION_POSITIONS = (Position.INSPECTION_CHAIR, Position.INSPECTION_DEPUTY, Position.INSPECTION)
#: Positions one person holds at a time on a committee.
SINGLE_HOLDER = (Position.SECRETARY, Position.STANDING_DEPUTY, Position.INSPECTION_CHAIR)


class SeatStatus(models.TextChoices):
    PENDING = "cho_chuan_y", "Trúng cử, chờ chuẩn y"
    APPROVED = "da_chuan_y", "Đã chuẩn y, chỉ định"


class CommitteeSeat(models.Model):  # chức vụ trong cấp ủy theo thời gian
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="committee_seats"
    )
    person = models.ForeignKey(
        "membership.Person", on_delete=models.PROTECT, related_name="committee_seats"
    )
    position = models.CharField("chức vụ", max_length=24, choices=Position.choices)
    term = models.ForeignKey("organizations.Term", on_delete=models.PROTECT, related_name="seats")
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày", default=FOREVER)
    status = models.CharField(
        max_length=12, choices=SeatStatus.choices, default=SeatStatus.APPROVED
    )
    decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    congress = models.ForeignKey(
        "Congress", null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )

    class Meta:
        ordering = ["org_id", "starts_on", "id"]
        indexes = [
            models.Index(fields=["org", "starts_on"]),
            models.Index(fields=["person", "org"]),
            models.Index(fields=["term", "position"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("ends_on")), name="seat_nonempty_interval"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_position_display()}"


class CongressKind(models.TextChoices):
    ALL_MEMBER = "all_member", "Đại hội đảng viên"
    DELEGATE = "delegate", "Đại hội đại biểu"


class Congress(models.Model):  # đại hội
    """A congress of `org` opening `term`, with its attendance and its approval."""

    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="congresses"
    )
    term = models.ForeignKey(
        "organizations.Term", on_delete=models.PROTECT, related_name="congresses"
    )
    kind = models.CharField("hình thức", max_length=12, choices=CongressKind.choices)
    number = models.PositiveSmallIntegerField("đại hội lần thứ", null=True, blank=True)
    starts_on = models.DateField("ngày khai mạc")
    ends_on = models.DateField("ngày bế mạc")
    summoned = models.PositiveIntegerField("số được triệu tập")
    present = models.PositiveIntegerField("số có mặt")
    temporarily_elsewhere = models.PositiveIntegerField("sinh hoạt tạm thời nơi khác", default=0)
    absent_exempt = models.PositiveIntegerField("miễn sinh hoạt, vắng mặt", default=0)
    suspended_detained = models.PositiveIntegerField("bị đình chỉ sinh hoạt, tạm giam", default=0)
    absent_approved = models.PositiveIntegerField("vắng mặt được cấp ủy đồng ý", default=0)
    absent_delegates_no_substitute = models.PositiveIntegerField(
        "đại biểu chính thức vắng mặt không có người thay thế", default=0
    )
    absent_convening_committee = models.PositiveIntegerField(
        "ủy viên cấp ủy triệu tập vắng mặt suốt thời gian đại hội", default=0
    )
    documents = models.JSONField("văn kiện trình đại hội", default=list)
    approval_decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField("ngày chuẩn y", null=True, blank=True)

    class Meta:
        ordering = ["org_id", "starts_on"]
        indexes = [models.Index(fields=["starts_on", "org"])]
        constraints = [
            models.UniqueConstraint(fields=["org", "term"], name="congress_one_per_term"),
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="congress_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} nhiệm kỳ {self.term.label}"

    @property
    def exclusions(self) -> int:
        return self.attendance.exclusions

    @property
    def threshold_base(self) -> int:
        """Summoned minus those not counted (the base "more than half" is taken of)."""
        return self.attendance.base

    @property
    def threshold(self) -> int:
        """Votes a candidate needs: more than half of the threshold base."""
        return votes_needed(self.threshold_base)

    @property
    def attendance(self):
        return Attendance(
            kind=self.kind,
            summoned=self.summoned,
            present=self.present,
            temporarily_elsewhere=self.temporarily_elsewhere,
            absent_exempt=self.absent_exempt,
            suspended_detained=self.suspended_detained,
            absent_approved=self.absent_approved,
            absent_delegates_no_substitute=self.absent_delegates_no_substitute,
            absent_convening_committee=self.absent_convening_committee,
        )


class ElectionWhat(models.TextChoices):
    COMMITTEE = "committee", "Bầu Ban Chấp hành (cấp ủy)"
    STANDING = "standing", "Bầu Ban Thường vụ"
    SECRETARY = "secretary", "Bầu Bí thư"
    DEPUTY = "deputy", "Bầu Phó Bí thư"
    INSPECTION = "inspection", "Bầu Ủy ban Kiểm tra"
    INSPECTION_CHAIR = "inspection_chair", "Bầu Chủ nhiệm Ủy ban Kiểm tra"
    DELEGATES = "delegates", "Bầu đại biểu dự đại hội cấp trên"


#: The seat an election fills (delegates fill none).
WHAT_POSITION: dict[str, str] = {
    ElectionWhat.COMMITTEE: Position.COMMITTEE,
    ElectionWhat.STANDING: Position.STANDING,
    ElectionWhat.SECRETARY: Position.SECRETARY,
    ElectionWhat.DEPUTY: Position.DEPUTY,
    ElectionWhat.INSPECTION: Position.INSPECTION,
    ElectionWhat.INSPECTION_CHAIR: Position.INSPECTION_CHAIR,
}


class Election(models.Model):  # một cuộc bầu cử tại đại hội
    """One election at a congress.

    `summoned`/`present` override the congress's figures when the electing body is not
    the congress itself (a secretary elected by the new committee at its first meeting);
    when empty, the congress's threshold base and attendance apply.
    """

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="elections")
    what = models.CharField("bầu", max_length=20, choices=ElectionWhat.choices)
    seats = models.PositiveSmallIntegerField("số lượng cần bầu")
    summoned = models.PositiveIntegerField(
        "số được triệu tập (hội nghị bầu)", null=True, blank=True
    )
    present = models.PositiveIntegerField("số có mặt (hội nghị bầu)", null=True, blank=True)
    stopped = models.BooleanField("dừng bầu khi chưa đủ số lượng", default=False)
    appointed_person = models.ForeignKey(
        "membership.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointment_decision = models.ForeignKey(
        "core.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["congress_id", "id"]

    def __str__(self) -> str:
        return self.get_what_display()


class ProposedBy(models.TextChoices):
    COMMITTEE = "committee", "Cấp ủy giới thiệu"
    NOMINEE = "nominee", "Được đề cử tại đại hội"
    SELF = "self", "Ứng cử"


class ElectionCandidate(models.Model):  # người trong danh sách bầu cử
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("membership.Person", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.CharField(
        max_length=10, choices=ProposedBy.choices, default=ProposedBy.COMMITTEE
    )
    nominee_agreement_pct = models.DecimalField(
        "tỷ lệ đồng ý đưa vào danh sách (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    elected_in_round = models.PositiveSmallIntegerField("trúng cử ở lần bầu", null=True, blank=True)

    class Meta:
        ordering = ["election_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class BallotRound(models.Model):  # một lần bỏ phiếu
    #: The winners and ties of the round, set on the instance the recording service returns.
    outcome: RoundOutcome

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("lần bầu")
    held_on = models.DateField("ngày bầu")
    issued = models.PositiveIntegerField("số phiếu phát ra")
    cast = models.PositiveIntegerField("số phiếu thu vào")
    valid = models.PositiveIntegerField("số phiếu hợp lệ")
    invalid = models.PositiveIntegerField("số phiếu không hợp lệ")

    class Meta:
        ordering = ["election_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_number_once")
        ]


class Vote(models.Model):  # số phiếu bầu của một người trong một lần bầu
    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(ElectionCandidate, on_delete=models.CASCADE, related_name="votes")
    votes = models.PositiveIntegerField("số phiếu")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="vote_once")]
