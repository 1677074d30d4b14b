"""The import pages: upload, the mapping shown and confirmed, the preview, the write on the
task queue; a list with a wrong row gives the same workbook back with its error column."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from dangbo.core.models import AuditEntry
from dangbo.membership.models import Member, MemberEvent, Person
from dangbo.web.imports.uploads import upload_get
from tests.web.test_tasks import run_worker
from tests.xlsx_import.sheets import MEMBERS, workbook


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.TASKS_DIR = tmp_path / "tasks"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


FIELDS = [
    "full_name",
    "gender",
    "birth_date",
    "citizen_id",
    "cell",
    "status",
    "admitted_on",
    "official_on",
    "card_number",
]


def counts():
    return (
        Person.objects.count(),
        Member.objects.count(),
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
    )


def upload(client, org, data, kind="dang_vien"):
    response = client.post(
        reverse("web:imports"),
        {
            "kind": kind,
            "org": org.pk,
            "on": "2024-01-01",
            "file": SimpleUploadedFile("danh-sach.xlsx", data),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_upload_map_preview_confirm_and_import_on_the_queue(web_world):
    client = web_world.client(Role.OFFICE)
    register = client.get(reverse("web:register")).text
    assert reverse("web:imports") in register  # the register's toolbar links here
    url = upload(client, web_world.tree["w1"], workbook())
    page = client.get(url).text
    assert 'name="col_1"' in page and '<option value="full_name" selected>' in page
    assert "3</strong> dòng hợp lệ" in page and "Nguyễn Văn An" in page
    assert 'value="import"' not in page  # not confirmed yet
    before = counts()
    form = {f"col_{p}": f for p, f in enumerate(FIELDS, start=1)}
    assert client.post(url, {**form, "action": "preview"}).status_code == 302
    page = client.get(url).text
    assert 'value="import"' in page and "Ghi vào sổ (3 dòng)" in page
    task = client.post(url, {**form, "action": "import"})
    assert task.status_code == 302 and "/viec-nen/" in task["Location"]
    assert counts() == before  # queued, nothing written yet
    run_worker()
    assert Member.objects.count() == before[1] + 3
    assert "Hoàn thành" in client.get(task["Location"]).text
    assert upload_get(url.rstrip("/").rsplit("/", 1)[1]) is None  # the upload is removed


def test_a_wrong_row_shows_and_downloads_the_error_workbook_and_writes_nothing(web_world):
    client = web_world.client(Role.OFFICE)
    bad = (
        "Sai Ngày",
        "Nam",
        "31/02/1980",
        None,
        "P1-C1",
        "Chính thức",
        "1/1/2000",
        "1/1/2001",
        None,
    )
    url = upload(client, web_world.tree["w1"], workbook([*MEMBERS, bad]))
    before = counts()
    page = client.get(url).text
    assert "1</strong> trong 4 dòng có lỗi" in page and "không phải là ngày có thật" in page
    assert 'value="import"' not in page
    form = {f"col_{p}": f for p, f in enumerate(FIELDS, start=1)}
    kept = client.post(url, {**form, "action": "import"})  # not confirmed: the mapping is kept
    assert kept["Location"] == url
    response = client.get(reverse("web:import_errors", args=[url.rstrip("/").rsplit("/", 1)[1]]))
    assert response.status_code == 200
    assert 'filename="danh-sach-loi.xlsx"' in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(row=4, column=12).value == "Lỗi (chưa nhập)"
    assert ws.cell(row=5, column=12).value is None  # Nguyễn Văn An is fine
    assert "«31/02/1980» không phải là ngày có thật" in ws.cell(row=9, column=12).value
    assert counts() == before


def test_what_is_not_a_workbook_is_said_on_the_page(web_world):
    client = web_world.client(Role.OFFICE)
    url = upload(client, web_world.tree["w1"], b"not a workbook")
    assert "Tệp không phải là bảng tính Excel" in client.get(url).text


def test_the_templates_download(web_world):
    client = web_world.client(Role.OFFICE)
    members = client.get(reverse("web:import_template"))
    events = client.get(reverse("web:import_template"), {"loai": "su_kien"})
    assert load_workbook(io.BytesIO(members.content)).sheetnames[-1] == "Hướng dẫn"
    assert len(load_workbook(io.BytesIO(events.content)).sheetnames) == 6


def _bundle_form(data: bytes) -> dict[str, str]:
    from dangbo.xlsx_import.bundle import find_sheets, read_sheets
    from dangbo.xlsx_import.sheet import guess_mapping, sheet_names

    tables = read_sheets(data, find_sheets(sheet_names(data)))
    form = {f"sheet_{k.value}": t.sheet for k, t in tables.items()}
    for k, t in tables.items():
        form.update({f"{k.value}-col_{p}": f for p, f in guess_mapping(t, k).items()})
    return form


def test_a_workbook_of_event_lists_is_previewed_sheet_by_sheet_and_goes_in_whole(web_world):
    # the members the workbook names: An (by national ID) in P1-C1
    from tests.test_opening import open_member
    from tests.xlsx_import.test_bundle import good_book

    an = open_member(web_world.tree["w1c1"], admitted=date(1990, 2, 3), official=date(1991, 2, 3))
    an.person.full_name, an.person.citizen_id = "Nguyễn Văn An", "001085000001"
    an.person.save()
    client = web_world.client(Role.OFFICE)
    data = good_book()
    url = upload(client, web_world.tree["w1"], data, kind="su_kien")
    page = client.get(url).text
    assert "Kết nạp đảng viên — trang «Kết nạp»" in page and "trang «PHAT THE»" in page
    assert 'name="phat_the-col_0"' in page and "6</strong> dòng hợp lệ trên 5 trang" in page
    assert 'value="import"' not in page
    form = _bundle_form(data)
    assert client.post(url, {**form, "action": "preview"}).status_code == 302
    page = client.get(url).text
    assert "Ghi vào sổ (6 dòng)" in page
    before = counts()
    task = client.post(url, {**form, "action": "import"})
    assert task.status_code == 302 and "/viec-nen/" in task["Location"]
    assert counts() == before
    run_worker()
    assert Member.objects.count() == before[1] + 2
    assert MemberEvent.objects.count() == before[2] + 6
    assert Member.objects.get(pk=an.pk).badges == [30]


def test_a_workbook_of_event_lists_with_wrong_rows_comes_back_marked_on_every_sheet(web_world):
    from tests.xlsx_import.test_bundle import CARDS, book

    data = book(
        {
            "Kết nạp": (
                ["Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày kết nạp"],
                [["Sai Chi Bộ", "Nam", "2/3/2000", "P9", "5/3/2024"]],
            ),
            "Phát thẻ": (CARDS, [["Không Có Ai", "1/1/1970", None, "12341234", "1/4/2024"]]),
        }
    )
    client = web_world.client(Role.OFFICE)
    url = upload(client, web_world.tree["w1"], data, kind="su_kien")
    before = counts()
    page = client.get(url).text
    assert "2</strong> trong 2 dòng có lỗi" in page and "Không có chi bộ «P9»" in page
    token = url.rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("web:import_errors", args=[token]))
    wb = load_workbook(io.BytesIO(response.content))
    assert "Không có chi bộ «P9»" in wb["Kết nạp"].cell(row=4, column=6).value
    assert "Không Có Ai" in wb["Phát thẻ"].cell(row=4, column=6).value
    assert counts() == before


def test_a_dues_sheet_through_the_pages(web_world):
    from datetime import date

    from dangbo.dues.models import DuesPayment
    from dangbo.dues.services import dues_fact_set
    from tests.conftest import ACTOR
    from tests.xlsx_import.test_dues import _sheet

    m = web_world.member_in
    dues_fact_set(member=m, valid_from=date(2024, 1, 1), category="khac", region="I", actor=ACTOR)
    born = f"{m.person.birth_date:%d/%m/%Y}"
    row = (m.person.full_name, born, None, None, "3/2026", None, "20/3/2026", None, "BL-1")
    client = web_world.client(Role.OFFICE)
    url = upload(client, web_world.tree["w1"], _sheet([row]), kind="dang_phi")
    page = client.get(url).text
    assert "1</strong> dòng hợp lệ" in page and "3/2026" in page
    fields = ["full_name", "birth_date", "citizen_id", "card_number", "months", "amount"]
    fields += ["paid_on", "channel", "receipt_number"]
    form = {f"col_{p}": f for p, f in enumerate(fields, start=1)}
    assert client.post(url, {**form, "action": "preview"}).status_code == 302
    task = client.post(url, {**form, "action": "import"})
    assert task.status_code == 302 and not DuesPayment.objects.exists()
    run_worker()
    assert [(p.member_id, p.amount) for p in DuesPayment.objects.all()] == [(m.pk, 15_930)]


def test_a_dues_sheet_needs_the_right_to_record_dues(web_world):
    """The organization board records ledger events but not dues: its dues sheet is refused
    (as out of scope) and nothing is kept; the office, holding both rights, is let in."""
    from tests.xlsx_import.test_dues import _sheet

    m = web_world.member_in
    row = (m.person.full_name, f"{m.person.birth_date:%d/%m/%Y}", None, None, "3/2026")
    data = _sheet([row + (None, "20/3/2026", None, "BL-2")])
    form = {"kind": "dang_phi", "org": web_world.tree["w1"].pk, "on": "2024-01-01"}
    board = web_world.client(Role.ORGANIZATION)
    refused = board.post(
        reverse("web:imports"), {**form, "file": SimpleUploadedFile("dang-phi.xlsx", data)}
    )
    assert refused.status_code == 404
    office_url = upload(web_world.client(Role.OFFICE), web_world.tree["w1"], data, "dang_phi")
    assert board.get(office_url).status_code == 404
