"""The document register (sổ văn bản đi, đến) and the relations between documents (DOMAIN §9).

One :class:`Document` row per document, whoever holds it: a document one of our committees
issued (numbered through :func:`dangbo.documents.numbering.number_issue`, linked to its
:class:`IssuedNumber`, the register of numbers given out) or a document received from outside the
tree. Every committee that received a document has a :class:`DocumentReceipt`, so a
conclusion received by thirty wards is still one node of the implementation chain.

:class:`DocumentLink` relates two documents: ``from_doc`` *implements* / *replaces* /
*reports on* / *cites* ``to_doc``; the first two never form a cycle.
"""

from __future__ import annotations

from django.db import models

from dangbo.citations import Citation, DocumentNumber


class IssuedNumber(models.Model):  # sổ đăng ký số văn bản đi
    """A document number given out: runs from 01 per document type within one committee term;
    the congress opening a term numbers its own documents in one sequence of all types."""

    issuer = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey("organizations.Term", on_delete=models.PROTECT, related_name="numbers")
    type_code = models.CharField("loại văn bản", max_length=8)
    number = models.PositiveIntegerField()
    text = models.CharField("số, ký hiệu", max_length=40)  # "154-BC/ĐU"
    issued_on = models.DateField()
    title = models.CharField("trích yếu", max_length=300)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # a document of the congress that opens `term`: one sequence across all types (…/ĐH)
    congress_document = models.BooleanField("văn bản của đại hội", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "term", "type_code", "number"],
                condition=models.Q(congress_document=False),
                name="number_once_per_type_and_term",
            ),
            models.UniqueConstraint(
                fields=["issuer", "term", "number"],
                condition=models.Q(congress_document=True),
                name="congress_number_once_per_term",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Direction(models.TextChoices):
    ISSUED = "di", "Văn bản đi"
    RECEIVED = "den", "Văn bản đến"


class SecurityMark(models.TextChoices):  # độ mật
    NONE = "khong", "Không mật"
    SECRET = "mat", "Mật"
    TOP_SECRET = "toi_mat", "Tối mật"
    ULTRA_SECRET = "tuyet_mat", "Tuyệt mật"


class Relation(models.TextChoices):
    IMPLEMENTS = "thuc_hien", "Thực hiện, triển khai"
    REPLACES = "thay_the", "Thay thế"
    REPORTS_ON = "bao_cao_ve", "Báo cáo về"
    CITES = "trich_dan", "Trích dẫn"


#: Relations that point from a later document to an earlier one and never form a cycle.
ORDERED_RELATIONS = (Relation.IMPLEMENTS, Relation.REPLACES)


class Document(models.Model):  # văn bản
    """A registered document.

    `org` is the committee that issued it (direction "đi") or, for a document from outside
    the tree, the committee that registered it first (direction "đến", with `received_on`);
    every receiving committee, the first included, has a :class:`DocumentReceipt`.
    """

    direction = models.CharField("loại sổ", max_length=4, choices=Direction.choices)
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="documents"
    )
    number_text = models.CharField("số, ký hiệu", max_length=40)  # as written: "154-KH/TU"
    number = models.PositiveIntegerField("số thứ tự")
    type_code = models.CharField("ký hiệu loại văn bản", max_length=8)
    type_name = models.CharField("tên loại văn bản", max_length=40)  # "Kế hoạch", "Quy định"
    issuer_code = models.CharField("ký hiệu cơ quan ban hành", max_length=20)
    issuer_body = models.CharField("cơ quan ban hành", max_length=200)  # "Ban Thường vụ Thành ủy"
    issued_number = models.OneToOneField(
        IssuedNumber,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document",
    )
    issued_on = models.DateField("ngày ban hành")
    received_on = models.DateField("ngày đến", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=300)
    signer = models.CharField("người ký", max_length=120, blank=True, default="")
    security_mark = models.CharField(
        "độ mật", max_length=10, choices=SecurityMark.choices, default=SecurityMark.NONE
    )
    file_path = models.CharField("tệp (trong thư mục var/)", max_length=300, blank=True, default="")
    body_text = models.TextField("nội dung", blank=True, default="")
    # the signed scan (PDF, PNG, JPEG) in the default storage, carried by the interchange's
    # `document_scan` lines (the database default lets the importer's insert leave it out
    # and set it afterwards); served only through the register's page, which checks scope
    # and clearance
    scan = models.FileField(
        "bản ký (tệp quét)", upload_to="van_ban/%Y/", blank=True, default="", db_default=""
    )
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_body", "issuer_code", "number", "type_code", "issued_on"],
                name="document_once_per_issuer_number_date",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(direction="di", issued_number__isnull=False)
                    | models.Q(direction="den", received_on__isnull=False)
                ),
                name="document_issued_numbered_or_received_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["issuer_code", "type_code", "number", "issued_on"]),
            models.Index(fields=["org", "issued_on"]),
        ]

    @property
    def document_number(self) -> DocumentNumber:
        return DocumentNumber.parse(self.number_text)

    @property
    def is_secret(self) -> bool:
        return self.security_mark != SecurityMark.NONE

    def citation(self) -> Citation:
        return Citation(self.type_name, self.document_number, self.issued_on, self.issuer_body)

    def __str__(self) -> str:
        return f"{self.type_name} số {self.number_text}"


class DocumentReceipt(models.Model):  # vào sổ văn bản đến
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="receipts")
    org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="document_receipts"
    )
    received_on = models.DateField("ngày đến")
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "org"], name="document_received_once_per_org"
            ),
        ]
        indexes = [models.Index(fields=["org", "received_on"])]


class DocumentLink(models.Model):  # quan hệ giữa các văn bản
    """`from_doc` implements / replaces / reports on / cites `to_doc`."""

    from_doc = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    to_doc = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField("quan hệ", max_length=12, choices=Relation.choices)
    actor = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_doc", "to_doc", "relation"], name="document_link_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_doc=models.F("to_doc")), name="document_link_not_to_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["from_doc", "relation"]),
            models.Index(fields=["to_doc", "relation"]),
        ]
