"""The yearly party finance report on the dues page: the DOCX at once, the PDF through the
task queue."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document

from dangbo.accounts.permissions import Role
from dangbo.dues.services import dues_charges_compute, dues_fact_set, dues_pay
from tests.conftest import ACTOR
from tests.web.conftest import task_download


@pytest.fixture
def finance_world(web_world):
    """The member of P1-C1 on a salary of 8.000.000 (80.000 a month), computed for Jan–Mar
    2026 and paid for January and February."""
    t, m = web_world.tree, web_world.member_in
    dues_fact_set(
        member=m, valid_from=date(2024, 1, 5), category="luong", base_amount=8_000_000, actor=ACTOR
    )
    dues_charges_compute(org=t["w1c1"], start=date(2026, 1, 1), end=date(2026, 3, 31), actor=ACTOR)
    dues_pay(
        member=m,
        months=[date(2026, 1, 1), date(2026, 2, 1)],
        paid_on=date(2026, 2, 10),
        channel="tien_mat",
        actor=ACTOR,
    )
    return web_world


def test_the_dues_page_links_the_finance_report(finance_world):
    c = finance_world.client(Role.OFFICE)
    org = finance_world.tree["w1"]
    html = c.get(reverse("web:dues") + f"?org={org.pk}&nam=2026").content.decode()
    assert reverse("web:dues_finance_docx", args=[org.pk, 2026]) in html
    assert reverse("web:dues_finance_pdf", args=[org.pk, 2026]) in html


def test_the_finance_report_docx(finance_world):
    c = finance_world.client(Role.OFFICE)
    org = finance_world.tree["w1"]
    response = c.get(reverse("web:dues_finance_docx", args=[org.pk, 2026]))
    assert response.status_code == 200
    assert "bao-cao-tai-chinh-dang-" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "công tác tài chính Đảng năm 2026" in text
    assert "phải thu 240.000 đồng đảng phí, đã thu 160.000 đồng" in text
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert {"Cộng", "240.000", "160.000", "80.000"} <= cells
    assert c.get(reverse("web:dues_finance_docx", args=[org.pk, 3000])).status_code == 404


@pytest.mark.skipif(
    subprocess.run(["which", "soffice"], capture_output=True).returncode != 0,
    reason="LibreOffice absent",
)
def test_the_finance_report_pdf_through_the_task_queue(finance_world):
    c = finance_world.client(Role.OFFICE)
    org = finance_world.tree["w1"]
    url = reverse("web:dues_finance_pdf", args=[org.pk, 2026])
    before = DBTaskResult.objects.count()
    assert (
        c.get(url).status_code == 200 and DBTaskResult.objects.count() == before
    )  # a GET writes nothing
    name, pdf = task_download(c, c.post(url))
    assert name.endswith("-2026.pdf") and pdf[:4] == b"%PDF"
