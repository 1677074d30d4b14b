"""Issuing a review report: once per period unless issued again with a reason, never in the
future or before the period ends, and never a number without its report or a half-written
file — even when the process is killed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from dangbo.core.errors import DomainError, InvalidInput
from dangbo.core.models import AuditEntry
from dangbo.documents.models import IssuedNumber
from dangbo.organizations.services import term_open
from dangbo.reports.error_codes import ReportErrorCode
from dangbo.reports.management.commands import report as report_command
from dangbo.reports.models import ReportStatus, ReviewReport
from dangbo.reports.rules import check_issue_date, check_reissue
from dangbo.reports.services import report_draft, report_issue
from tests.conftest import ACTOR, admit, run
from tests.test_interchange import export_text, lines_of
from tests.test_interchange_rules import import_error, one

ROOT = Path(__file__).resolve().parent.parent
SIGNER = "Lê Thị Hoa"


@pytest.fixture
def ward(city_tree):
    """Ward 1 with a term from 1/7/2020 and one member admitted in 2022."""
    term_open(org=city_tree["w1"], label="2020–2025", starts_on=date(2020, 7, 1), actor=ACTOR)
    admit(city_tree["w1c1"], date(2022, 3, 1))
    return city_tree["w1"]


def issue(org, period="2022", on=date(2023, 1, 10), **kwargs):
    report = report_draft(org=org, period_code=period, actor=ACTOR, signer_name=SIGNER)
    return report_issue(report=report, on=on, actor=ACTOR, **kwargs)


# -- the rules


def test_issue_date_rule_names_each_broken_condition():
    codes = lambda **kw: [v.rule for v in check_issue_date(**kw)]  # noqa: E731
    end, today = date(2023, 12, 31), date(2024, 1, 15)
    assert codes(issued_on=date(2024, 1, 10), period_end=end, today=today) == []
    assert codes(issued_on=end, period_end=end, today=end) == []
    assert codes(issued_on=date(2024, 1, 16), period_end=end, today=today) == [
        ReportErrorCode.NGAY_BAN_HANH_TUONG_LAI
    ]
    assert codes(issued_on=date(2023, 12, 30), period_end=end, today=date(2023, 12, 30)) == [
        ReportErrorCode.KY_CHUA_KET_THUC,
        ReportErrorCode.NGAY_BAN_HANH,
    ]
    # without today only the period's end is checked, as before
    assert codes(issued_on=date(2030, 1, 1), period_end=end) == []
    assert check_reissue(existing=None, reason="") == []
    assert check_reissue(existing="số 01-BC/ĐU", reason="  sửa số liệu ") == []
    [v] = check_reissue(existing="số 01-BC/ĐU", reason=" ")
    assert v.rule == ReportErrorCode.DA_CO_BAO_CAO and "số 01-BC/ĐU" in v.message


# -- the service


def test_a_second_issue_of_the_same_period_is_refused_naming_the_first(ward):
    first = issue(ward)
    assert first.number.text == "01-BC/ĐU"
    with pytest.raises(DomainError) as caught:
        issue(ward, on=date(2023, 2, 1))
    assert caught.value.code == ReportErrorCode.DA_CO_BAO_CAO
    assert "đã có báo cáo số 01-BC/ĐU" in caught.value.message
    assert IssuedNumber.objects.count() == 1
    assert ReviewReport.objects.filter(status=ReportStatus.ISSUED).count() == 1
    # another period is not a second issue
    assert issue(ward, period="2022-H1", on=date(2022, 7, 5)).number.text == "02-BC/ĐU"


def test_issuing_again_with_a_reason_gives_a_new_number_and_keeps_the_reason(ward):
    issue(ward)
    again = issue(ward, on=date(2023, 2, 1), reason="  Bổ sung số liệu kết nạp  ")
    assert again.number.text == "02-BC/ĐU"
    again.refresh_from_db()
    assert again.reissue_reason == "Bổ sung số liệu kết nạp"
    entry = AuditEntry.objects.filter(action="report_issue").order_by("pk").last()
    assert entry.after == {
        "number": "02-BC/ĐU",
        "again_of": "01-BC/ĐU",
        "reason": "Bổ sung số liệu kết nạp",
    }
    # the first issue keeps no reason
    assert ReviewReport.objects.get(number__text="01-BC/ĐU").reissue_reason == ""
    with pytest.raises(InvalidInput, match="dài quá"):
        issue(ward, on=date(2023, 3, 1), reason="x" * 501)


@pytest.mark.parametrize(
    "period, on, today, code",
    [
        ("2022", date(2023, 1, 10), date(2023, 1, 9), ReportErrorCode.NGAY_BAN_HANH_TUONG_LAI),
        ("2023", date(2023, 12, 31), date(2023, 6, 30), ReportErrorCode.KY_CHUA_KET_THUC),
        ("2022", date(2022, 12, 30), date(2023, 1, 9), ReportErrorCode.NGAY_BAN_HANH),
    ],
)
def test_a_future_date_or_an_unfinished_period_is_refused(ward, period, on, today, code):
    with pytest.raises(InvalidInput) as caught:
        issue(ward, period=period, on=on, today=today)
    assert caught.value.code == code
    assert IssuedNumber.objects.count() == 0
    assert not ReviewReport.objects.filter(status=ReportStatus.ISSUED).exists()


def test_the_importer_refuses_what_the_service_refuses(ward):
    issue(ward)
    issue(ward, on=date(2023, 2, 1), reason="Bổ sung")
    text = export_text()
    records = lines_of(text)
    assert one(records, "review_report", 2)["reissue_reason"] == "Bổ sung"
    # a second issue of the period without a reason
    del one(records, "review_report", 2)["reissue_reason"]
    error = import_error(records, ReportErrorCode.DA_CO_BAO_CAO)
    assert error.field == "reissue_reason" and "cùng kỳ đã ban hành" in error.message
    # an issue date after today
    records = lines_of(text)
    one(records, "review_report", 2)["issued_on"] = "2199-01-01"
    error = import_error(records, ReportErrorCode.NGAY_BAN_HANH_TUONG_LAI)
    assert error.field == "issued_on"


# -- the command


def test_command_refuses_a_second_issue_and_says_how_to_go_on(ward, tmp_path):
    args = ("report", "issue", "P1", "--period", "2022", "--date", "2023-01-10")
    code, _, err = run(*args, "--signer", SIGNER, "--again", "--reason", "Sửa")
    assert code == 1 and "chưa có báo cáo nào ban hành" in err
    assert (IssuedNumber.objects.count(), ReviewReport.objects.count()) == (0, 0)
    code, out, _ = run(*args, "--signer", SIGNER)
    assert code == 0 and "Báo cáo số 01-BC/ĐU" in out
    code, out, err = run(*args, "--signer", SIGNER, "--out", str(tmp_path / "lai.html"))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "đã có báo cáo số 01-BC/ĐU" in err
    assert "dangbo report render 01-BC/ĐU --org P1" in err and "--again --reason" in err
    assert not (tmp_path / "lai.html").exists() and list(tmp_path.iterdir()) == []
    code, _, err = run(*args, "--signer", SIGNER, "--again")
    assert code == 1 and "cần ghi rõ lý do" in err
    code, _, err = run(*args, "--signer", SIGNER, "--reason", "Sửa")
    assert code == 1 and "chỉ dùng cùng --again" in err
    assert (IssuedNumber.objects.count(), ReviewReport.objects.count()) == (1, 1)
    code, out, _ = run(*args, "--signer", SIGNER, "--again", "--reason", "Sửa số liệu")
    assert code == 0 and "Báo cáo số 02-BC/ĐU" in out
    assert ReviewReport.objects.get(number__text="02-BC/ĐU").reissue_reason == "Sửa số liệu"


def test_command_refuses_a_future_date_with_today_fixed(ward, monkeypatch):
    monkeypatch.setenv("DANGBO_TODAY", "2023-01-05")
    code, _, err = run(
        "report", "issue", "P1", "--period", "2022", "--date", "2023-01-10", "--signer", SIGNER
    )
    assert code == 1 and "sau ngày hôm nay 05/01/2023" in err
    code, _, err = run(
        "report", "issue", "P1", "--period", "2023", "--date", "2023-01-05", "--signer", SIGNER
    )
    assert code == 1 and "Kỳ báo cáo chưa kết thúc" in err
    monkeypatch.setenv("DANGBO_TODAY", "5/1/2023")
    code, _, err = run(
        "report", "issue", "P1", "--period", "2022", "--date", "2023-01-05", "--signer", SIGNER
    )
    assert code == 1 and "DANGBO_TODAY" in err
    assert (IssuedNumber.objects.count(), ReviewReport.objects.count()) == (0, 0)


def test_command_checks_the_output_path_before_issuing(ward, tmp_path):
    base = ("report", "issue", "P1", "--period", "2022", "--date", "2023-01-10", "--signer", "A")
    code, _, err = run(*base, "--out", str(tmp_path / "khong-co" / "bc.html"))
    assert code == 1 and "không tồn tại" in err
    (tmp_path / "thu-muc.html").mkdir()
    code, _, err = run(*base, "--out", str(tmp_path / "thu-muc.html"))
    assert code == 1 and "là một thư mục" in err
    assert (IssuedNumber.objects.count(), ReviewReport.objects.count()) == (0, 0)


def test_a_failed_render_consumes_no_number(ward, tmp_path, monkeypatch):
    def broken(doc, path):
        raise DomainError("Không chuyển được sang PDF.")

    monkeypatch.setattr(report_command, "render_bytes", broken)
    target = tmp_path / "bc.pdf"
    code, _, err = run(
        "report", "issue", "P1", "--period", "2022", "--date", "2023-01-10", "--signer", SIGNER,
        "--out", str(target),
    )  # fmt: skip
    assert code == 1 and "Không chuyển được" in err
    assert (IssuedNumber.objects.count(), ReviewReport.objects.count()) == (0, 0)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rename_after_the_commit_says_how_to_render_again(ward, tmp_path, monkeypatch):
    def broken(tmp, path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(report_command, "publish", broken)
    target = tmp_path / "bc.html"
    code, out, err = run(
        "report", "issue", "P1", "--period", "2022", "--date", "2023-01-10", "--signer", SIGNER,
        "--out", str(target),
    )  # fmt: skip
    assert code == 1 and "Báo cáo số 01-BC/ĐU" in out and "Traceback" not in err
    assert "đã ban hành nhưng không ghi được tệp" in err
    command = f"dangbo report render 01-BC/ĐU --org P1 --out {target}"
    assert command in err
    assert list(tmp_path.iterdir()) == []  # the staged file is removed
    monkeypatch.undo()
    code, _, _ = run(*command.split()[1:])
    assert code == 0 and SIGNER in target.read_text()


# -- kill -9 at several points of `report issue`, in a separate process and database

DRIVER = r"""
import json, os, signal, sys, tempfile
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")
import django

django.setup()
from django.core.management import call_command, execute_from_command_line
from django.db import connections


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def seed():
    from dangbo.membership.admission import member_admit
    from dangbo.membership.people import person_create
    from dangbo.organizations.models import OrgKind
    from dangbo.organizations.services import org_found, term_open

    call_command("migrate", verbosity=0)
    on = date(2018, 1, 1)
    kind = lambda code: OrgKind.objects.get(code=code)
    city = org_found(kind=kind("tinh"), name="Đảng bộ thành phố Thử", code="TP", doc_code="TU",
                     on=on, actor="seed")
    ward = org_found(kind=kind("co_so"), name="Đảng bộ phường 1", code="P1", doc_code="ĐU",
                     parent=city, on=on, actor="seed")
    cell = org_found(kind=kind("chi_bo"), name="Chi bộ 1", code="P1-C1", parent=ward, on=on,
                     actor="seed")
    term_open(org=ward, label="2020–2025", starts_on=date(2020, 7, 1), actor="seed")
    person = person_create(actor="seed", full_name="Nguyễn Văn An", gender="nam",
                           birth_date=date(1990, 1, 1))
    member_admit(person=person, cell=cell, on=date(2022, 3, 1), decision=None, actor="seed")


from dangbo.reports import services
from dangbo.reports.management.commands import report as command


def wrap(module, name, when):
    original = getattr(module, name)

    def wrapped(*a, **k):
        if when == "before":
            die()
        result = original(*a, **k)
        if when == "after":
            die()
        return result

    setattr(module, name, wrapped)


def half(data, path):
    fd, _ = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.write(fd, data[: len(data) // 2])
    die()


POINTS = {
    "draft": (command, "report_issue", "before"),
    "number": (services, "number_issue", "after"),
    "issued": (command, "render_bytes", "before"),
    "staged": (command, "stage", "after"),
    "committed": (command, "publish", "before"),
}


def child(point, name, args, log):
    # a fresh process image of the warmed-up parent: its own database, output and patches
    connections["default"].settings_dict["NAME"] = name
    out = os.open(log + ".out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    err = os.open(log + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    sys.stderr = os.fdopen(2, "w", buffering=1)
    if point in POINTS:
        wrap(*POINTS[point])
    elif point == "half":
        command.stage = half
    try:
        execute_from_command_line(["dangbo", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if sys.argv[1] == "seed":
    seed()
    sys.exit(0)
results = []
for point, name, args, log in json.loads(sys.argv[2]):
    connections.close_all()
    pid = os.fork()
    if pid == 0:
        child(point, name, args, log)
    status = os.waitpid(pid, 0)[1]
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    results.append({"code": code, "out": open(log + ".out").read(), "err": open(log + ".err").read()})
print(json.dumps(results))
"""

#: where the process dies → whether the report is committed
KILL_POINTS = {
    "draft": False,  # the draft saved, nothing issued
    "number": False,  # the number taken, the report not yet issued
    "issued": False,  # issued inside the transaction, nothing rendered
    "half": False,  # half the file written to the temporary file
    "staged": False,  # the whole file staged, the transaction not committed
    "committed": True,  # committed, the file not yet renamed into place
}


class Database:
    """A throw-away database for the subprocesses: a SQLite file, or a PostgreSQL database
    made from a seeded template on the test server."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg = connection.vendor == "postgresql"
        self.made: list[str] = []

    def path(self, name: str) -> str:
        """The database's NAME setting."""
        return name if self.pg else str(self.tmp / f"{name}.sqlite3")

    def url(self, name: str) -> str:
        if not self.pg:
            return f"sqlite:///{self.path(name)}"
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT']}/{name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            dbname="postgres", user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"],
            autocommit=True,
        ) as conn:  # fmt: skip
            conn.execute(sql)

    def create(self, name: str, template: str | None = None) -> str:
        if self.pg:
            self._admin(f"DROP DATABASE IF EXISTS {name}")
            self._admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
            self.made.append(name)
        elif template:
            shutil.copy(self.tmp / f"{template}.sqlite3", self.tmp / f"{name}.sqlite3")
        return self.url(name)

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self._admin(f"DROP DATABASE IF EXISTS {name}")


def driver(tmp: Path, url: str, *argv: str) -> subprocess.CompletedProcess:
    script = tmp / "driver.py"
    if not script.exists():
        script.write_text(DRIVER)
    env = {**os.environ, "DATABASE_URL": url, "DANGBO_TODAY": "2024-06-01"}
    return subprocess.run(
        [sys.executable, str(script), *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


STATE_SQL = (
    "SELECT n.text, r.status FROM documents_issuednumber n "
    "LEFT JOIN reports_reviewreport r ON r.number_id = n.id "
    "UNION ALL SELECT NULL, r.status FROM reports_reviewreport r WHERE r.number_id IS NULL"
)


def state(db: Database, name: str) -> list[tuple]:
    """(number, status of its report) for every number given out and every unnumbered report,
    read straight from the subprocess's database."""
    if db.pg:
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            dbname=name, user=s["USER"], host=s["HOST"] or "127.0.0.1", port=s["PORT"]
        ) as conn:
            rows = conn.execute(STATE_SQL).fetchall()
    else:
        import sqlite3

        conn = sqlite3.connect(db.tmp / f"{name}.sqlite3")
        try:
            rows = conn.execute(STATE_SQL).fetchall()
        finally:
            conn.close()
    return sorted((tuple(r) for r in rows), key=str)


@pytest.mark.slow
def test_report_issue_killed_at_any_point_leaves_nothing_partial(tmp_path):
    db = Database(tmp_path)
    tag = os.getpid()
    seed = f"kill_seed_{tag}"
    issue = ("report", "issue", "P1", "--period", "2022", "--date", "2023-01-10")
    issue += ("--signer", SIGNER)
    try:
        seed_url = db.create(seed)
        done = driver(tmp_path, seed_url, "seed")
        assert done.returncode == 0, done.stderr
        plan, targets = [], {}
        for point in [*KILL_POINTS, "none"]:
            name = f"kill_{point}_{tag}"
            db.create(name, template=seed)
            folder = tmp_path / point
            folder.mkdir()
            targets[point] = folder / "bc.html"
            run_ = [*issue, "--out", str(targets[point])]
            plan.append([point, db.path(name), run_, str(tmp_path / point)])
        # after the kill once committed: issuing again is refused, rendering by number works
        name, target = db.path(f"kill_committed_{tag}"), str(targets["committed"])
        plan.append(["again", name, [*issue, "--out", target], str(tmp_path / "again")])
        again_file = tmp_path / "lai.html"
        render = ["report", "render", "01-BC/ĐU", "--out", str(again_file)]
        plan.append(["render", name, render, str(tmp_path / "render")])
        done = driver(tmp_path, seed_url, "batch", json.dumps(plan))
        assert done.returncode == 0, done.stderr
        results = dict(zip([p[0] for p in plan], json.loads(done.stdout), strict=True))
        for point, committed in KILL_POINTS.items():
            target = targets[point]
            assert results[point]["code"] == -signal.SIGKILL, (point, results[point])
            # never a file at the target path; at most a hidden staged file beside it
            assert not target.exists(), point
            assert all(p.name.startswith(".bc.html.") for p in target.parent.iterdir()), point
            after = state(db, f"kill_{point}_{tag}")
            # no number consumed without its issued report, and no draft left behind
            assert after == ([("01-BC/ĐU", "ban_hanh")] if committed else []), point
        again = results["again"]
        assert again["code"] == 1 and "Traceback" not in again["err"], again
        assert "dangbo report render 01-BC/ĐU --org P1" in again["err"]
        assert results["render"]["code"] == 0, results["render"]
        whole = results["none"]
        assert whole["code"] == 0 and "Báo cáo số 01-BC/ĐU" in whole["out"], whole
        assert state(db, f"kill_none_{tag}") == [("01-BC/ĐU", "ban_hanh")]
        # the file rendered again by number is the file the uninterrupted issue wrote
        rendered = targets["none"].read_text()
        assert SIGNER in rendered and again_file.read_text() == rendered
        assert [p.name for p in targets["none"].parent.iterdir()] == ["bc.html"]
    finally:
        if db.pg:
            db.drop_all()
