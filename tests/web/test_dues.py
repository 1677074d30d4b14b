"""The dues pages: the month grid of a cell, the quick entry of a cell's month, the
collection book, the organization's page with its alerts."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from dangbo.dues.models import DuesPayment
from dangbo.dues.services import dues_charges_compute, dues_fact_set
from tests.conftest import ACTOR, admit
from tests.web.conftest import task_download


@pytest.fixture
def dues_world(web_world):
    """P1-C1 with its member and two more, all on "others" in region I, computed for Jan–Apr
    2026; the member of P2-C1 likewise."""
    t = web_world.tree
    members = [
        web_world.member_in,
        admit(t["w1c1"], date(2024, 1, 5)),
        admit(t["w1c1"], date(2024, 1, 5)),
    ]
    for m in [*members, web_world.member_out]:
        dues_fact_set(
            member=m, valid_from=date(2024, 1, 5), category="khac", region="I", actor=ACTOR
        )
    dues_charges_compute(org=t["city"], start=date(2026, 1, 1), end=date(2026, 4, 30), actor=ACTOR)
    web_world.extra["dues_members"] = members
    return web_world


def test_quick_entry_of_a_cell_month(dues_world):
    cell = dues_world.org_in
    members = dues_world.extra["dues_members"]
    c = dues_world.client(Role.CELL_SECRETARY)
    url = reverse("web:dues_cell_month", args=[cell.pk, 2026, 3])
    page = c.get(url)
    assert page.status_code == 200 and "15.930" in page.content.decode()
    r = c.post(
        url,
        {"paid_on": "2026-03-20", "channel": "tien_mat", "members": [members[0].pk, members[1].pk]},
    )
    assert r.status_code == 302
    paid = DuesPayment.objects.filter(month=date(2026, 3, 1)).order_by("member_id")
    assert [(p.member_id, p.amount, p.cell_id) for p in paid] == [
        (members[0].pk, 15_930, cell.pk),
        (members[1].pk, 15_930, cell.pk),
    ]
    # the month offers only the member still owing
    assert c.get(url).content.decode().count('name="members"') == 1
    # the secretary of P1-C1 cannot record P2-C1's month
    assert (
        c.get(reverse("web:dues_cell_month", args=[dues_world.org_out.pk, 2026, 3])).status_code
        == 404
    )


def test_grid_and_book(dues_world, django_assert_num_queries):
    cell = dues_world.org_in
    c = dues_world.client(Role.OFFICE)
    c.post(
        reverse("web:dues_cell_month", args=[cell.pk, 2026, 2]),
        {
            "paid_on": "2026-02-20",
            "channel": "chuyen_khoan",
            "members": [dues_world.extra["dues_members"][2].pk],
        },
    )
    url = reverse("web:dues_cell", args=[cell.pk]) + "?nam=2026"
    c.get(url)
    with django_assert_num_queries(9):
        page = c.get(url)
    html = page.content.decode()
    assert html.count('class="num unpaid"') == 11 and html.count('class="num paid"') == 1
    book = c.get(reverse("web:dues_book", args=[cell.pk]) + "?nam=2026")
    ws = load_workbook(io.BytesIO(book.content)).active
    rows = list(ws.iter_rows(values_only=True))
    total = next(r for r in rows if r[1] == "Cộng")
    members = [r for r in rows if isinstance(r[0], int)]
    assert total[-2] == sum(r[-2] for r in members) == 3 * (5_000 + 3 * 15_930)
    assert total[-1] == sum(r[-1] for r in members) == 15_930
    shares = rows[rows.index(next(r for r in rows if r[1] == "Cấp")) + 1 :]
    assert sum(r[4] for r in shares) + shares[-1][5] == 15_930
    doc = c.get(reverse("web:dues_book_docx", args=[cell.pk]) + "?nam=2026")
    text = "\n".join(
        cell.text
        for t in Document(io.BytesIO(doc.content)).tables
        for r in t.rows
        for cell in r.cells
    )
    assert "15.930" in text and "Cộng" in text
    assert c.get(reverse("web:dues_book_docx", args=[cell.pk]) + "?thang=13").status_code == 404


def test_organization_page(dues_world, django_assert_num_queries):
    c = dues_world.client(Role.LEADERSHIP)
    c.get(reverse("web:dues") + "?nam=2026")
    with django_assert_num_queries(12):
        page = c.get(reverse("web:dues") + "?nam=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Không đóng đảng phí 3 tháng trong năm" in html
    assert "Tính đảng phí" not in html


def test_the_cell_page_posts_for_the_book_pdf(dues_world):
    c = dues_world.client(Role.OFFICE)
    cell = dues_world.org_in
    html = c.get(reverse("web:dues_cell", args=[cell.pk]) + "?nam=2026").content.decode()
    url = reverse("web:dues_book_pdf", args=[cell.pk]) + "?nam=2026"
    assert f'<form class="inline" method="post" action="{url}">' in html
    assert reverse("web:dues_book_docx", args=[cell.pk]) + "?nam=2026" in html


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_the_book_pdf_through_the_task_queue(dues_world):
    c = dues_world.client(Role.OFFICE)
    url = reverse("web:dues_book_pdf", args=[dues_world.org_in.pk]) + "?nam=2026&thang=3"
    before = DBTaskResult.objects.count()
    page = c.get(url)
    assert page.status_code == 200 and "Tạo tệp PDF" in page.content.decode()
    assert DBTaskResult.objects.count() == before  # a GET writes nothing
    name, pdf = task_download(c, c.post(url))
    assert name.endswith("-2026-03.pdf") and pdf[:4] == b"%PDF"
