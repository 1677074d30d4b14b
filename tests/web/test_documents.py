"""The document register's pages: secret documents hidden without clearance everywhere
(list, search, export, page, scan, chain, citation links), the signed scan's type and size
limits, issue and receive through the services, and pinned query counts."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from dangbo.documents.models import Document, Relation, SecurityMark
from dangbo.documents.services import document_issue, document_link, document_receive
from dangbo.organizations.services import term_open
from tests.conftest import ACTOR

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
BTV_TU = "Ban Thường vụ Thành ủy"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def receive(org, number, title="Kế hoạch thử", mark=SecurityMark.NONE, body="", on=None):
    on = on or date(2024, 3, 1)
    return document_receive(
        org=org,
        number=number,
        issued_on=on,
        received_on=date(on.year, on.month, 25),
        issuer_body=BTV_TU,
        title=title,
        security_mark=mark,
        body_text=body,
        actor=ACTOR,
    )


@pytest.fixture
def docs(web_world):
    w1, c1 = web_world.tree["w1"], web_world.org_in
    term_open(org=w1, label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    plain = receive(c1, "10-KH/TU", "Kế hoạch công khai", on=date(2024, 1, 10))
    secret = receive(c1, "11-KH/TU", "Kế hoạch tuyệt mật", SecurityMark.SECRET, on=date(2024, 2, 1))
    web_world.extra.update(plain=plain, secret=secret)
    return web_world


def _texts(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("role", [Role.ORGANIZATION, Role.CELL_SECRETARY])
def test_without_clearance_secret_documents_are_nowhere(docs, role):
    c = docs.client(role)
    plain, secret = docs.extra["plain"], docs.extra["secret"]
    page = _texts(c.get(reverse("web:documents")))
    assert "10-KH/TU" in page and "11-KH/TU" not in page
    for q in ("11-KH", "tuyệt"):
        found = _texts(c.get(reverse("web:documents") + f"?q={q}"))
        assert "<strong>0</strong> văn bản" in found and "Kế hoạch tuyệt mật" not in found
    wb = load_workbook(BytesIO(c.get(reverse("web:documents_xlsx")).content))
    cells = [str(v) for row in wb.active.iter_rows(values_only=True) for v in row]
    assert "10-KH/TU" in cells and "11-KH/TU" not in cells
    assert c.get(reverse("web:document", args=[secret.pk])).status_code == 404
    assert c.get(reverse("web:document_scan", args=[secret.pk])).status_code == 404
    assert c.get(reverse("web:document", args=[plain.pk])).status_code == 200


def test_cleared_users_see_secret_documents_marked(docs):
    c = docs.client(Role.LEADERSHIP)
    page = _texts(c.get(reverse("web:documents")))
    assert "11-KH/TU" in page and "Mật</span>" in page
    assert c.get(reverse("web:document", args=[docs.extra["secret"].pk])).status_code == 200


def test_chain_and_citations_leave_out_what_the_reader_may_not_see(docs):
    c1 = docs.org_in
    plain, secret = docs.extra["plain"], docs.extra["secret"]
    impl = receive(
        c1,
        "12-KH/TU",
        "Kế hoạch thực hiện",
        body="Thực hiện Kế hoạch số 10-KH/TU, ngày 10/01/2024 của Ban Thường vụ Thành ủy "
        "và Kế hoạch số 11-KH/TU, ngày 01/02/2024 của Ban Thường vụ Thành ủy.",
        on=date(2024, 3, 1),
    )
    document_link(from_doc=impl, to_doc=plain, relation=Relation.IMPLEMENTS, actor=ACTOR)
    document_link(from_doc=secret, to_doc=plain, relation=Relation.IMPLEMENTS, actor=ACTOR)
    url = reverse("web:document", args=[plain.pk])
    page = _texts(docs.client(Role.CELL_SECRETARY).get(url))
    assert "12-KH/TU" in page and "11-KH/TU" not in page
    page = _texts(docs.client(Role.OFFICE).get(url))
    assert "12-KH/TU" in page and "11-KH/TU" in page
    body = _texts(docs.client(Role.CELL_SECRETARY).get(reverse("web:document", args=[impl.pk])))
    assert f'href="{url}"' in body
    assert reverse("web:document", args=[secret.pk]) not in body
    assert "11-KH/TU" in body  # the words stay, the link does not


def test_upload_checks_content_not_name_and_size(docs, settings):
    c = docs.client(Role.OFFICE)
    doc = docs.extra["plain"]
    url = reverse("web:document_scan_upload", args=[doc.pk])
    fake = SimpleUploadedFile("ban-ky.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    r = c.post(url, {"scan": fake})
    assert r.status_code == 200
    assert "phải là PDF, PNG hoặc JPEG" in _texts(r)
    doc.refresh_from_db()
    assert not doc.scan
    settings.DANGBO_UPLOAD_MAX_BYTES = 40
    r = c.post(url, {"scan": SimpleUploadedFile("a.pdf", PDF + b"x" * 64)})
    assert "vượt quá giới hạn" in _texts(r)
    settings.DANGBO_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    r = c.post(url, {"scan": SimpleUploadedFile("anh.pdf", PNG)})  # a PNG named .pdf
    assert r.status_code == 302
    doc.refresh_from_db()
    assert doc.scan.name.endswith(".png")
    got = docs.client(Role.CELL_SECRETARY).get(reverse("web:document_scan", args=[doc.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert b"".join(got.streaming_content) == PNG
    r = c.post(url, {"scan": SimpleUploadedFile("ky.pdf", PDF)})
    doc.refresh_from_db()
    assert doc.scan.name.endswith(".pdf") and doc.scan.storage.exists(doc.scan.name)


def test_issue_numbers_and_links_citations(docs):
    c = docs.client(Role.OFFICE)
    w1 = docs.tree["w1"]
    data = {
        "org": w1.pk,
        "type_code": "KH",
        "issued_on": "2024-03-10",
        "title": "Kế hoạch thực hiện Kế hoạch số 10-KH/TU, ngày 10/01/2024 của Ban Thường vụ Thành ủy",
        "issuer_body": "Ban Thường vụ Đảng ủy phường 1",
        "security_mark": SecurityMark.NONE,
        "scan": SimpleUploadedFile("k.pdf", PDF),
    }
    r = c.post(reverse("web:document_issue"), data)
    assert r.status_code == 302, _texts(r)
    doc = Document.objects.get(title__startswith="Kế hoạch thực hiện")
    assert doc.number_text.startswith("01-KH/") and doc.scan
    assert doc.links_out.filter(relation=Relation.CITES, to_doc=docs.extra["plain"]).exists()
    # a bad scan refuses the whole registration
    data.update(title="Kế hoạch khác", scan=SimpleUploadedFile("k.pdf", b"hello"))
    r = c.post(reverse("web:document_issue"), data)
    assert r.status_code == 200 and "phải là PDF" in _texts(r)
    assert not Document.objects.filter(title="Kế hoạch khác").exists()


def test_receive_refusal_beside_its_field(docs):
    c = docs.client(Role.OFFICE)
    r = c.post(
        reverse("web:document_receive"),
        {
            "org": docs.org_in.pk,
            "number": "10-KH/TU",
            "issued_on": "2024-03-10",
            "received_on": "2024-03-02",
            "title": "Ngày đến trước ngày ban hành",
            "issuer_body": BTV_TU,
            "security_mark": SecurityMark.NONE,
        },
    )
    assert r.status_code == 200
    assert 'id="id_received_on-errors"' in _texts(r)


@pytest.mark.parametrize("extra", [0, 12])
def test_query_counts(docs, extra, django_assert_num_queries):
    for i in range(extra):
        receive(docs.org_in, f"{20 + i}-KH/TU", mark=SecurityMark.SECRET if i % 2 else "khong")
    c = docs.client(Role.CELL_SECRETARY)
    c.get(reverse("web:documents"))  # session, scope caches warm on the server side alike
    with django_assert_num_queries(9):
        c.get(reverse("web:documents"))
    with django_assert_num_queries(11):
        c.get(reverse("web:document", args=[docs.extra["plain"].pk]))


def test_registers_are_those_of_the_chosen_committee(docs):
    c = docs.client(Role.OFFICE)
    w1 = docs.tree["w1"]

    document_issue(
        org=w1,
        type_code="KH",
        issued_on=date(2024, 4, 1),
        title="Kế hoạch của phường",
        issuer_body="Ban Thường vụ Đảng ủy phường 1",
        actor=ACTOR,
    )
    issued = _texts(c.get(reverse("web:documents") + "?so=di"))
    received = _texts(c.get(reverse("web:documents") + "?so=den"))
    assert "Kế hoạch của phường" in issued and "10-KH/TU" not in issued
    assert "Kế hoạch của phường" not in received and "10-KH/TU" in received
