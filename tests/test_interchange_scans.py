"""The signed scans of documents travel in the interchange file (`document_scan` lines):
export → import into an empty database and an empty storage → export gives the same bytes
and the same files; the scan of a secret document only with the secret bodies; a scan
whose bytes do not match its checksum is refused with nothing written."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
from datetime import date

import pytest
from django.core.files.storage import default_storage

from dangbo.documents.models import Document, SecurityMark
from dangbo.documents.scan_interchange import _store
from dangbo.documents.scans import document_attach_scan
from dangbo.documents.services import document_receive
from dangbo.interchange.export import interchange_export
from dangbo.interchange.reader import InterchangeInvalid
from tests.conftest import ACTOR
from tests.test_interchange import _edit, export_text, import_text, wipe

PDF = b"%PDF-1.4\n% ban ky\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def scanned(city_tree, media):
    """Two received documents of ward 1 with their scans, the second one secret."""
    docs = []
    for i, (mark, data) in enumerate(((SecurityMark.NONE, PDF), (SecurityMark.SECRET, PNG))):
        doc = document_receive(
            org=city_tree["w1"],
            number=f"{i + 10}-KH/TU",
            issued_on=date(2021, 1, 10),
            received_on=date(2021, 1, 15),
            issuer_body="Ban Thường vụ Thành ủy",
            title=f"Kế hoạch {i}",
            security_mark=mark,
            body_text="Nội dung",
            actor=ACTOR,
        )
        docs.append(
            document_attach_scan(doc=doc, upload=io.BytesIO(data), size=len(data), actor=ACTOR)
        )
    return docs


def _scans(text: str) -> list[dict]:
    return [r for r in map(json.loads, text.splitlines()) if r["type"] == "document_scan"]


def test_the_scans_survive_the_round_trip(scanned, media):
    first = export_text()
    lines = _scans(first)
    assert [base64.b64decode(r["data"]) for r in lines] == [PDF, PNG]
    assert lines[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    names = [d.scan.name for d in scanned]
    wipe()
    shutil.rmtree(media)  # the storage is empty too
    import_text(first)
    restored = {d.number_text: d for d in Document.objects.all()}
    assert [restored[d.number_text].scan.name for d in scanned] == names
    with restored["10-KH/TU"].scan.open("rb") as f:
        assert f.read() == PDF
    assert export_text() == first


def test_a_secret_document_s_scan_only_with_the_secret_bodies(scanned):
    out = io.StringIO()
    interchange_export(out, actor=ACTOR)  # secret bodies withheld (the default)
    lines = _scans(out.getvalue())
    assert len(lines) == 1 and base64.b64decode(lines[0]["data"]) == PDF


def test_a_scan_not_matching_its_checksum_is_refused_with_nothing_written(scanned, media):
    text = _edit(
        export_text(),
        "document_scan",
        lambda r: r.update(data=base64.b64encode(PDF[:-1] + b"x").decode()),
    )
    wipe()
    shutil.rmtree(media)
    with pytest.raises(InterchangeInvalid) as refused:
        import_text(text)
    assert [e.field for e in refused.value.errors] == ["sha256"]
    assert not Document.objects.exists() and not media.exists()


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda r: r.update(data="không phải base64"), "data"),
        (lambda r: r.update(name="../ngoai-kho.pdf"), "name"),
        (
            lambda r: r.update(
                data=base64.b64encode(b"GIF89a").decode(),
                sha256=hashlib.sha256(b"GIF89a").hexdigest(),
            ),
            "data",
        ),
    ],
)
def test_a_bad_scan_line_is_refused(scanned, edit, field):
    text = _edit(export_text(), "document_scan", edit)
    wipe()
    with pytest.raises(InterchangeInvalid) as refused:
        import_text(text)
    assert field in [e.field for e in refused.value.errors]


def test_a_stored_file_with_the_same_bytes_is_reused_another_is_not_overwritten(media):
    assert _store("van_ban/a.pdf", PDF) == "van_ban/a.pdf"
    assert _store("van_ban/a.pdf", PDF) == "van_ban/a.pdf"
    other = _store("van_ban/a.pdf", PNG)
    assert other != "van_ban/a.pdf"
    assert default_storage.open("van_ban/a.pdf").read() == PDF
    assert default_storage.open(other).read() == PNG
