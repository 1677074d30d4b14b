"""The home page: the year's figures, the chart, what needs action; the organization switch;
a query count that does not grow with the ward."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.membership.admission import candidate_create
from dangbo.membership.models import EventKind, TransferOut
from dangbo.membership.transfers import transfer_send
from dangbo.web.home.chart import ChartData, chart_svg, month_ends
from tests.conftest import ACTOR, admit, make_person, receive, record

TODAY = "2024-06-10"
# the membership figures' stocks, flows and steps in one query from the aggregates, with the
# opening date (nhập sổ)
HOME_QUERIES = 20


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", TODAY)


def _fill(tree, n: int) -> None:
    """`n` members of each kind the home page lists, in ward P1."""
    for i in range(n):
        admit(tree["w1c2"], date(2023, 7, 1), name=f"Dự bị {i}")  # recognition due 1/7/2024
        old = receive(
            tree["w1c1"], date(2019, 1, 1), admitted=date(1994, 1, 1), born=date(1940, 1, 1)
        )
        if i % 2:
            record(old, EventKind.BADGE, date(2024, 2, 3), badge_years=30)
        admit(tree["w1c1"], date(2024, 2, 1))
        transfer_send(
            member=receive(tree["w2c2"], date(2020, 1, 1), admitted=date(2015, 1, 1)),
            to_org=tree["w1"],
            on=date(2024, 5, 2),
            actor=ACTOR,
        )
        candidate_create(person=make_person(), cell=tree["w1c1"], on=date(2024, 1, 2), actor=ACTOR)


def test_the_office_sees_figures_chart_and_what_needs_action(web_world):
    tree = web_world.tree
    _fill(tree, 1)
    page = web_world.client(Role.OFFICE).get(reverse("web:home")).content.decode()
    assert "Đảng bộ phường 1" in page
    assert "Số liệu năm 2024" in page and "<svg" in page and "12 tháng gần nhất" in page
    assert "Dự bị 0" in page  # recognition due on 1/7/2024
    assert "01/07/2024" in page
    assert "Đợt 02/09/2024" in page  # the next badge ceremony
    assert "30 năm" in page
    assert "Kỳ rà soát tiếp theo: <strong>30/06/2024</strong>" in page
    assert "Chuyển sinh hoạt chờ tiếp nhận" in page
    waiting = TransferOut.objects.get()
    assert reverse("web:transfer_receive", kwargs={"pk": waiting.pk}) in page


def test_the_query_count_does_not_grow_with_the_ward(web_world, django_assert_num_queries):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:home")
    _fill(web_world.tree, 1)
    with django_assert_num_queries(HOME_QUERIES):
        small = c.get(url)
    _fill(web_world.tree, 12)
    with django_assert_num_queries(HOME_QUERIES):
        large = c.get(url)
    assert small.status_code == large.status_code == 200
    assert "Dự bị 11" in large.content.decode()


def test_the_organization_switch_stays_in_scope(web_world):
    c = web_world.client(Role.OFFICE)
    url = reverse("web:home")
    cell = web_world.tree["w1c1"]
    assert "Chi bộ TDP 1 phường 1" in c.get(f"{url}?org={cell.pk}").content.decode()
    assert c.get(f"{url}?org={web_world.tree['w2'].pk}").status_code == 404
    assert c.get(f"{url}?org=abc").status_code == 404
    # the cell secretary's home is the cell
    page = web_world.client(Role.CELL_SECRETARY).get(url).content.decode()
    assert "Chi bộ TDP 1 phường 1" in page


def test_what_a_role_does_not_read_is_left_out(web_world):
    page = web_world.client(Role.ADMIN).get(reverse("web:home")).content.decode()
    assert "Số liệu năm" not in page and "Việc cần làm" not in page
    page = web_world.client(Role.CELL_SECRETARY).get(reverse("web:home")).content.decode()
    assert "Chuyển sinh hoạt chờ tiếp nhận" not in page


def test_month_ends_and_the_chart():
    ends = month_ends(date(2024, 6, 10))
    assert (
        ends[0] == date(2023, 7, 31)
        and ends[7] == date(2024, 2, 29)
        and ends[-1] == date(2024, 6, 10)
    )
    assert len(ends) == 12
    svg = chart_svg(ChartData(ends, [1200 + i for i in range(12)], [0, 3, 1200, *[0] * 9]))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "1.211" in svg and "1.200" in svg  # Vietnamese thousands
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    flat = chart_svg(ChartData(ends[:1], [0], [0]))
    assert "<polyline" in flat
