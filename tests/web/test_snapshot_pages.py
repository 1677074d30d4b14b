"""The organization page of a large subtree shows the breakdowns of the latest snapshot with
its date; the stats command shows that of the period's end."""

from __future__ import annotations

from datetime import date

from django.test import override_settings
from django.urls import reverse

from dangbo.accounts.permissions import Role
from dangbo.figures_snapshot import snapshot_refresh
from dangbo.membership.models import BreakdownCount
from tests.conftest import run
from tests.web.conftest import task_download


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=1)
def test_org_page_says_the_date_of_the_snapshot_it_shows(web_world):
    ward = web_world.tree["w1"]
    snapshot_refresh(date(2024, 6, 30))
    # a marked count: the page shows the snapshot, not a live count
    BreakdownCount.objects.filter(org=ward, dim="gender", value="nam").update(n=77)
    client = web_world.client(Role.OFFICE)
    page = client.get(reverse("web:org", args=[ward.pk]), {"period": "2024"}).content.decode()
    assert "Cơ cấu đảng viên tính đến ngày 30/06/2024" in page and ">77<" in page
    page = client.get(reverse("web:org", args=[ward.pk]), {"period": "2024-H1"}).content.decode()
    assert "Cơ cấu đảng viên ngày 30/06/2024" in page and ">77<" in page
    # before the snapshot: counted live (one member, admitted 1/3/2021)
    page = client.get(reverse("web:org", args=[ward.pk]), {"period": "2023"}).content.decode()
    assert "Cơ cấu đảng viên ngày 31/12/2023" in page and ">77<" not in page
    # the stats command wants exact figures: the snapshot is not of 31/12/2024, so live
    code, out, _ = run("stats", "P1", "--period", "2024")
    assert code == 0 and "Cơ cấu đảng viên ngày 31/12/2024" in out and "77" not in out


@override_settings(DANGBO_SNAPSHOT_MIN_MEMBERS=1)
def test_an_administrator_recomputes_the_snapshot_through_the_queue(web_world, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2024-06-30")
    client = web_world.client(Role.ADMIN)
    assert "Tính lại cơ cấu đảng viên" in client.get(reverse("web:accounts")).content.decode()
    url = reverse("web:task_breakdown_snapshot")
    assert "Tính lại" in client.get(url).content.decode()
    assert not BreakdownCount.objects.exists()  # a GET starts nothing
    name, data = task_download(client, client.post(url))
    assert name == "co-cau-dang-vien-20240630.txt"
    # the city, both wards and both first cells hold one member each
    assert "tính đến ngày 30/06/2024 của 5 tổ chức" in data.decode()
    assert BreakdownCount.objects.filter(as_of=date(2024, 6, 30), dim="gender").count() == 5
