"""The leadership dashboard: years side by side, units with a total that adds up, charts as
inline SVG, each downloadable as xlsx and PNG; query counts pinned."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangbo.accounts.permissions import Role
from tests.conftest import admit
from tests.web.conftest import task_download

URL = reverse("web:dashboards")


def ward(world):
    return world.tree["w1"]


def test_the_ward_s_units_side_by_side_with_a_total_that_adds_up(web_world):
    admit(web_world.tree["w1c2"], date(2021, 6, 1), name="Lê Văn Cường")
    admit(web_world.tree["w1c2"], date(2021, 9, 1), name="Phạm Thị Dung")
    client = web_world.client(Role.LEADERSHIP)
    page = client.get(URL, {"org": ward(web_world).pk, "nam": 2021})
    assert page.status_code == 200
    text = page.text
    assert text.count('<svg class="dash-chart"') == 4
    assert "Chi bộ TDP 1 phường 1" in text and "Chi bộ TDP 2 phường 1" in text
    assert "Chi bộ TDP 1 phường 2" not in text  # another ward
    board = page.context["board"]
    assert [u.members for u in board.units] == [1, 2]
    assert board.total.members == 3 == board.years[-1].members
    assert board.total.admissions == 3 == board.years[-1].admissions
    assert [r.label for r in board.years] == ["2018", "2019", "2020", "2021"]

    name, xlsx = task_download(
        client,
        client.post(
            reverse("web:dashboard_xlsx", kwargs={"pk": ward(web_world).pk, "key": "don-vi"})
            + "?nam=2021"
        ),
    )
    assert name == "tong-hop-don-vi-2021.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx)).active
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    assert [r[0] for r in rows] == ["Chi bộ TDP 1 phường 1", "Chi bộ TDP 2 phường 1", "Cộng"]
    assert rows[-1][2] == rows[0][2] + rows[1][2] == 3


@pytest.mark.parametrize("key", ["dang-vien", "ket-nap", "xep-loai", "chi-tieu"])
def test_each_chart_downloads_as_xlsx_and_png(web_world, key):
    client = web_world.client(Role.OFFICE)
    kwargs = {"pk": ward(web_world).pk, "key": key}
    png = client.get(reverse("web:dashboard_png", kwargs=kwargs))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    _name, xlsx = task_download(client, client.post(reverse("web:dashboard_xlsx", kwargs=kwargs)))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["A5"].value == "Năm" and sheet.freeze_panes == "A6"


def test_an_unknown_chart_is_not_found(web_world):
    client = web_world.client(Role.OFFICE)
    url = reverse("web:dashboard_png", kwargs={"pk": ward(web_world).pk, "key": "khac"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_query_count_of_the_page(web_world, django_assert_num_queries, extra):
    for i in range(extra):
        admit(web_world.tree[f"w1c{i % 2 + 1}"], date(2020, 1 + i, 1), name=f"Người {i}")
    client = web_world.client(Role.LEADERSHIP)
    client.get(URL)  # sessions and scope warmed
    with django_assert_num_queries(QUERIES):
        assert client.get(URL, {"org": ward(web_world).pk}).status_code == 200


#: 5 years × (grading, targets) and 2 units × (grading, targets, admissions) dominate.
QUERIES = 49
