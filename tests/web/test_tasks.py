"""The task queue: the reports of all units run as a task, its page polls without blocking,
the result is downloaded; a task failing half-way leaves no result and its retry works.

The worker runs in-process (`run_worker`): `dangbo worker --batch` takes every waiting task
and exits.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dangbo.accounts.permissions import Role
from dangbo.organizations import services as org_services
from dangbo.web.tasks import jobs
from dangbo.web.tasks.api import enqueue
from dangbo.web.tasks.store import RESULT, task_dir
from dangbo.web.tasks.views import STALE_AFTER
from tests.conftest import ACTOR, kind
from tests.web.conftest import run_worker


def start(client, ward, period="2024", fmt="docx"):
    url = reverse("web:task_unit_reports", kwargs={"pk": ward.pk})
    return client.post(url, {"period": period, "fmt": fmt})


def test_reports_of_all_units_run_as_a_task(web_world):
    client = web_world.client(Role.OFFICE)
    response = start(client, web_world.tree["w1"])
    assert response.status_code == 302
    task_url = response["Location"]
    page = client.get(task_url)
    assert "Đang chờ" in page.text and 'hx-trigger="every 2s"' in page.text
    fragment = client.get(task_url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="task-status"' in fragment.text

    run_worker()

    done = client.get(task_url, headers={"HX-Request": "true"})
    assert "Hoàn thành" in done.text and "hx-trigger" not in done.text
    row = DBTaskResult.objects.get()
    download = client.get(reverse("web:task_download", kwargs={"task_id": row.pk}))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["01-P1-C1.docx", "02-P1-C2.docx"]


def test_a_task_failing_half_way_leaves_nothing_and_is_retried(web_world, monkeypatch):
    client = web_world.client(Role.OFFICE)
    calls = []
    real = jobs.render_bytes

    def crash_on_second(doc, path):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(doc, path)

    monkeypatch.setattr(jobs, "render_bytes", crash_on_second)
    task_url = start(client, web_world.tree["w1"])["Location"]
    run_worker()
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert not (task_dir(str(failed.pk)) / RESULT).exists()
    page = client.get(task_url)
    assert "Không thành công" in page.text and "Chạy lại" in page.text
    assert (
        client.get(reverse("web:task_download", kwargs={"task_id": failed.pk})).status_code == 404
    )

    monkeypatch.setattr(jobs, "render_bytes", real)
    retried = client.post(reverse("web:task_retry", kwargs={"task_id": failed.pk}))
    assert retried.status_code == 302 and retried["Location"] != task_url
    run_worker()
    again = DBTaskResult.objects.exclude(pk=failed.pk).get()
    assert again.status == "SUCCESSFUL"
    assert "Tải về" in client.get(retried["Location"]).text


def test_a_period_the_reports_do_not_know_is_refused_beside_its_field(web_world):
    response = start(web_world.client(Role.OFFICE), web_world.tree["w1"], period="năm ngoái")
    assert response.status_code == 200
    assert 'id="id_period-errors"' in response.text
    assert not DBTaskResult.objects.exists()


def test_someone_else_s_task_out_of_scope_is_not_found(web_world):
    task_url = start(web_world.client(Role.OFFICE), web_world.tree["w1"])["Location"]
    assert web_world.client(Role.LEADERSHIP).get(task_url).status_code == 200  # same ward
    assert web_world.client(Role.CELL_SECRETARY).get(task_url).status_code == 404


def test_the_figures_workbook_runs_as_a_task(web_world):
    user = web_world.users[Role.OFFICE]
    task_id = enqueue(
        jobs.org_figures_workbook,
        web_world.tree["w1"].pk,
        "2021-01-01",
        "2021-12-31",
        owner_id=user.pk,
        title="Số liệu",
    )
    run_worker()
    row = DBTaskResult.objects.get(pk=task_id)
    assert row.status == "SUCCESSFUL" and row.return_value == "so-lieu-P1-20210101-20211231.xlsx"
    response = web_world.client(Role.OFFICE).get(
        reverse("web:task_download", kwargs={"task_id": task_id})
    )
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_task_whose_worker_died_long_ago_may_be_retried(web_world):
    client = web_world.client(Role.OFFICE)
    task_url = start(client, web_world.tree["w1"])["Location"]
    row = DBTaskResult.objects.get()
    row.claim("gone")
    assert "Chạy lại" not in client.get(task_url).text
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - STALE_AFTER * 2)
    assert "Chạy lại" in client.get(task_url).text


@pytest.mark.parametrize("units", [2, 4])
def test_query_count_of_the_task_page(web_world, django_assert_num_queries, units):
    for i in range(units - 2):
        org_services.org_found(
            kind=kind("chi_bo"),
            name=f"Chi bộ thêm {i}",
            code=f"P1-X{i}",
            parent=web_world.tree["w1"],
            on=date(2018, 1, 1),
            actor=ACTOR,
        )
    client = web_world.client(Role.OFFICE)
    task_url = start(client, web_world.tree["w1"])["Location"]
    run_worker()
    client.get(task_url)
    with django_assert_num_queries(TASK_PAGE_QUERIES):
        assert client.get(task_url).status_code == 200


#: the session, the user, the task row and the scope of its action.
TASK_PAGE_QUERIES = 4
