"""Exports prove they are whole and let personal data out only on purpose.

The trailer (counts and SHA-256) is checked on import: a file cut short, even at a line
end, is refused and nothing is written. Export writes a temporary file and renames it,
so a process killed (SIGKILL) at any point never leaves a partial file at the target
path. National IDs, phones, addresses and the bodies of secret documents are left out
unless asked; the file is readable by its owner only; every export is audited.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from dangbo.core.models import AuditEntry
from dangbo.documents.models import Document, SecurityMark
from dangbo.interchange.importer import interchange_import
from dangbo.interchange.kinds import RECORD_TYPES
from dangbo.interchange.reader import MAX_DEPTH, InterchangeInvalid
from dangbo.interchange.trailer import TRAILER_TYPE, seal
from dangbo.membership.models import Member, Person
from tests import test_interchange as ti

from .conftest import ACTOR

# the hand-built city of the interchange tests, with every kind of record
office = ti.office
office_full = ti.office_full
office_work = ti.office_work

CUT = "tệp không có dòng kết thúc"
NOTHING_WRITTEN = "không có dữ liệu nào được ghi"
CLEARED = "Chánh Văn phòng Thành ủy"


def run(*args: str) -> tuple[int, str]:
    """(exit status, stderr) of a dangbo command run in this process."""
    err = io.StringIO()
    try:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()


def unsealed(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def refused(data: bytes) -> list[tuple[int, str]]:
    """(line, field) of the errors of importing `data`, which must be refused."""
    with pytest.raises(InterchangeInvalid) as caught:
        interchange_import(io.BytesIO(data), actor=ACTOR)
    assert NOTHING_WRITTEN in caught.value.message
    assert Member.objects.count() == 0
    return [(e.line, e.field) for e in caught.value.errors]


# ---- the trailer


def test_a_file_cut_at_a_line_end_is_refused_by_the_command_and_nothing_is_written(
    office_work, tmp_path
):
    lines = ti.export_text().splitlines(keepends=True)
    ti.wipe()
    empty = ti.row_counts()
    for keep in (len(lines) // 3, len(lines) // 2, len(lines) - 1):  # the last: all but the trailer
        path = tmp_path / f"cut-{keep}.jsonl"
        path.write_text("".join(lines[:keep]), encoding="utf-8")
        status, err = run("import", str(path))
        assert status == 1
        assert CUT in err and "bị cắt cụt" in err
        assert f"Dòng {keep}: {CUT}" in err
        assert "Tệp có 1 lỗi; không có dữ liệu nào được ghi." in err
        assert "Traceback" not in err
        assert ti.row_counts() == empty


def test_a_missing_or_changed_line_under_a_valid_looking_trailer_is_refused(office_work):
    lines = ti.export_text().splitlines(keepends=True)
    ti.wipe()
    n = len(lines)
    # the last record dropped (nothing refers to it): the counts and the checksum see it
    last = json.loads(lines[-2])["type"]
    dropped = "".join(lines[:-2] + lines[-1:]).encode("utf-8")
    assert refused(dropped) == [(n - 1, f"counts.{last}"), (n - 1, "sha256")]
    # a record changed in place: only the checksum sees it
    changed = "".join(lines).replace("Nguyễn Văn An", "Nguyễn Văn Ân", 1).encode("utf-8")
    assert refused(changed) == [(n, "sha256")]


def test_the_trailer_is_checked_field_by_field(db):
    good = seal(unsealed(ti.GOOD), RECORD_TYPES)
    body, trailer_text = good.rsplit(b"\n", 2)[0] + b"\n", good.splitlines()[-1]
    trailer = json.loads(trailer_text)
    assert trailer["counts"] == {
        "decision": 1,
        "organization": 2,
        "person": 1,
        "member": 1,
        "event": 2,
    }
    last = len(ti.GOOD) + 1

    def with_trailer(**change) -> bytes:
        return body + json.dumps({**trailer, **change}).encode() + b"\n"

    assert refused(with_trailer(counts={**trailer["counts"], "event": 3})) == [
        (last, "counts.event")
    ]
    assert refused(with_trailer(counts={**trailer["counts"], "meeting": 1})) == [
        (last, "counts.meeting")
    ]
    assert refused(with_trailer(counts=[7])) == [(last, "counts")]
    assert refused(with_trailer(sha256="0" * 64)) == [(last, "sha256")]
    assert refused(with_trailer(sha256="abc")) == [(last, "sha256")]
    assert refused(with_trailer(note="x")) == [(last, "note")]
    # a line after the trailer (the records of a file that is not whole are not checked)
    assert refused(good + b'{"type": "member", "ref": "m2", "person": "an"}\n') == [
        (last, "counts.member"),
        (last + 1, ""),
    ]
    # a file of the earlier format 1 without trailer
    assert refused(unsealed(ti.GOOD)) == [(len(ti.GOOD), "")]
    # blank lines after the trailer are allowed; the sealed file imports
    assert interchange_import(io.BytesIO(good + b"\n\n"), actor=ACTOR).counts["event"] == 2


def nested(levels: int) -> dict:
    deep: dict = {}
    inner = deep
    for _ in range(levels):
        inner["a"] = {}
        inner = inner["a"]
    return deep


def test_a_value_nested_as_deep_as_import_accepts_exports_and_round_trips(db, tmp_path):
    records = [dict(r) for r in ti.GOOD]
    for levels in range(MAX_DEPTH, 0, -1):  # the deepest `details` the importer accepts
        records[-1] = {**records[-1], "details": nested(levels)}
        try:
            interchange_import(io.BytesIO(seal(unsealed(records), RECORD_TYPES)), actor=ACTOR)
        except InterchangeInvalid:
            continue
        break
    assert levels >= MAX_DEPTH - 4
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    status, err = run("export", str(first), "--with-personal-data")
    assert status == 0, err
    ti.wipe()
    status, err = run("import", str(first))
    assert status == 0, err
    assert run("export", str(second), "--with-personal-data")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text("utf-8").count('{"a": ') == levels


# ---- personal data and secrets


@pytest.fixture
def private_office(office_work):
    """office_work with An's national ID, phone and address, and one secret document with
    a body next to an ordinary one."""
    Person.objects.filter(full_name="Nguyễn Văn An").update(
        citizen_id="079085001234", phone="0903123456", address="12 Lê Lợi, phường 1"
    )
    secret, plain = Document.objects.order_by("pk")[:2]
    Document.objects.filter(pk=secret.pk).update(
        security_mark=SecurityMark.SECRET, body_text="Nội dung mật"
    )
    Document.objects.filter(pk=plain.pk).update(body_text="Nội dung thường")
    return office_work


PRIVATE = ("079085001234", "0903123456", "12 Lê Lợi")


def test_personal_data_and_secret_bodies_leave_only_when_asked(private_office, tmp_path):
    path = tmp_path / "out.jsonl"
    status, err = run("export", str(path), "--actor", "Văn phòng")
    assert status == 0, err
    assert "Không xuất: số định danh, điện thoại, nơi ở; nội dung văn bản mật" in err
    text = path.read_text("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not any(value in text for value in PRIVATE)
    assert "Nội dung mật" not in text and "Nội dung thường" in text
    assert '"security_mark": "mat"' in text
    audit = AuditEntry.objects.filter(action="interchange_export").latest("pk")
    assert audit.actor == "Văn phòng" and audit.object_id == str(path)[:40]
    assert audit.after["options"] == {"with_personal_data": False, "with_secret": False}
    assert audit.after["counts"]["person"] == text.count('"type": "person"') > 0

    status, err = run("export", str(path), "--with-personal-data")
    assert status == 0, err
    text = path.read_text("utf-8")
    assert all(value in text for value in PRIVATE) and "Nội dung mật" not in text
    options = AuditEntry.objects.filter(action="interchange_export").latest("pk").after["options"]
    assert options == {"with_personal_data": True, "with_secret": False}


def test_secret_bodies_need_a_cleared_actor(private_office, tmp_path, settings):
    path = tmp_path / "out.jsonl"
    audits = AuditEntry.objects.count()
    status, err = run("export", str(path), "--with-secret", "--actor", "Văn phòng")
    assert status == 1
    assert "không được phép xuất nội dung văn bản mật" in err and "Traceback" not in err
    assert not path.exists() and AuditEntry.objects.count() == audits
    settings.DANGBO_CLEARED_ACTORS = [CLEARED]
    status, err = run("export", str(path), "--with-secret", "--actor", CLEARED)
    assert status == 0, err
    text = path.read_text("utf-8")
    assert "Nội dung mật" in text and not any(value in text for value in PRIVATE)
    audit = AuditEntry.objects.filter(action="interchange_export").latest("pk")
    assert (audit.actor, audit.after["options"]) == (
        CLEARED,
        {"with_personal_data": False, "with_secret": True},
    )


def test_a_full_export_round_trips_byte_for_byte_and_a_redacted_one_imports(
    private_office, tmp_path, settings
):
    settings.DANGBO_CLEARED_ACTORS = [CLEARED]
    full, again, redacted = (tmp_path / n for n in ("full.jsonl", "again.jsonl", "red.jsonl"))
    flags = ("--with-personal-data", "--with-secret", "--actor", CLEARED)
    assert run("export", str(full), *flags)[0] == 0
    assert run("export", str(redacted))[0] == 0
    ti.wipe()
    assert run("import", str(full))[0] == 0
    assert run("export", str(again), *flags)[0] == 0
    assert again.read_bytes() == full.read_bytes()
    assert Person.objects.get(full_name="Nguyễn Văn An").citizen_id == "079085001234"
    ti.wipe()
    status, err = run("import", str(redacted))
    assert status == 0, err
    an = Person.objects.get(full_name="Nguyễn Văn An")
    assert (an.citizen_id, an.phone, an.address) == (None, "", "")
    assert not Document.objects.filter(body_text="Nội dung mật").exists()
    assert Document.objects.filter(body_text="Nội dung thường").exists()


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(
    office, tmp_path, monkeypatch
):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"previous\n")

    def disk_full(self, record):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("dangbo.interchange.export.Writer.write", disk_full)
    status, err = run("export", str(path))
    assert status == 1
    assert "Không ghi được tệp" in err and "Traceback" not in err
    assert path.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    status, err = run("export", str(tmp_path / "missing" / "out.jsonl"))
    assert status == 1 and "không tồn tại" in err and "Traceback" not in err


# ---- kill -9


KILLER = r"""
import json, os, signal, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connections
import dangbo.interchange.export as export

source, runs = sys.argv[1], json.loads(sys.argv[2])
call_command("migrate", verbosity=0)
call_command("import", source, verbosity=0, stdout=open(os.devnull, "w"))
connections.close_all()

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

for directory, point, line in runs:
    pid = os.fork()
    if pid == 0:
        if point == "line":
            write = export.Writer._line
            def counted(self, text):
                if self.lines + 1 == line:
                    die()
                write(self, text)
            export.Writer._line = counted
        elif point == "fsync":
            os.fsync = die
        elif point == "replace":
            os.replace = die
        elif point == "after":
            replace = os.replace
            def then_die(*args):
                replace(*args)
                die()
            os.replace = then_die
        call_command("export", os.path.join(directory, "out.jsonl"), "--with-personal-data")
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print(json.dumps([directory, os.WIFSIGNALED(status) and os.WTERMSIG(status)]))
"""


@pytest.mark.slow
def test_an_export_killed_at_any_point_never_leaves_a_file_that_imports(office_work, tmp_path):
    """One process loads the city into its own SQLite file, then forks an export per point,
    each killed with SIGKILL there: a target absent stays absent, a previous file stays as
    it was, leftovers are refused on import; only a kill after the rename leaves the file."""
    source = tmp_path / "source.jsonl"
    source.write_text(ti.export_text(), encoding="utf-8")
    n = len(source.read_text("utf-8").splitlines())
    points = [("line", 2), ("line", n // 2), ("line", n), ("fsync", 0), ("replace", 0)]
    runs = []
    for i, (point, line) in enumerate([*points, *points, ("after", 0)]):
        directory = tmp_path / f"run-{i}"
        directory.mkdir()
        if i >= len(points) and point != "after":  # the second time, over a previous file
            (directory / "out.jsonl").write_bytes(b"previous\n")
        runs.append((str(directory), point, line))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        "DANGBO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangbo.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(source), json.dumps(runs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    killed = dict(json.loads(line) for line in done.stdout.splitlines())
    assert set(killed.values()) == {9}, killed
    ti.wipe()
    leftovers = 0
    for directory, point, _ in runs:
        target = Path(directory) / "out.jsonl"
        if point == "after":
            assert interchange_import(target.open("rb"), actor=ACTOR).counts["person"] > 0
            assert json.loads(target.read_text("utf-8").splitlines()[-1])["type"] == TRAILER_TYPE
            ti.wipe()
            continue
        if target.exists():
            assert target.read_bytes() == b"previous\n"
        for temporary in Path(directory).glob(".out.jsonl.*.tmp"):
            leftovers += 1
            assert stat.S_IMODE(temporary.stat().st_mode) == 0o600
            if point == "line":  # killed while writing: the leftover is refused
                with pytest.raises(InterchangeInvalid) as caught:
                    interchange_import(temporary.open("rb"), actor=ACTOR)
                assert CUT in str(caught.value.errors[-1])
                assert Member.objects.count() == 0
    assert leftovers == 2 * len(points)  # every kill before the rename leaves its temporary file


IMPORT_KILLER = r"""
import json, os, signal, sys
import django
django.setup()
from django.apps import apps
from django.core.management import call_command
from django.db import connections
import dangbo.interchange.bulk as bulk
import dangbo.interchange.importer as importer

source, runs = sys.argv[1], json.loads(sys.argv[2])
call_command("migrate", verbosity=0)
connections.close_all()

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def rows():  # every row of the product's tables (the migrations seed the organization kinds)
    return sum(m._default_manager.count() for m in apps.get_models() if m.__module__.startswith("dangbo."))

print(json.dumps(["migrated", 0, 0, rows()]))
connections.close_all()
for point, n in runs:
    pid = os.fork()
    if pid == 0:
        if point == "checked":  # after the file is read and checked, before anything is written
            importer.Importer = die
        elif point == "insert":  # during the bulk writes: after the n-th batch of rows
            insert, seen = bulk.Table.insert, [0]
            def counted(self, rows_):
                seen[0] += 1
                if seen[0] > n:
                    die()
                return insert(self, rows_)
            bulk.Table.insert = counted
        elif point == "commit":  # everything written, the transaction not yet committed
            write = bulk.Importer.write
            def then_die(self):
                write(self)
                die()
            bulk.Importer.write = then_die
        call_command("import", source, verbosity=0, stdout=open(os.devnull, "w"))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print(json.dumps([point, n, os.WIFSIGNALED(status) and os.WTERMSIG(status), rows()]))
    connections.close_all()
"""


@pytest.mark.slow
def test_an_import_killed_at_any_point_leaves_nothing_written(office_work, tmp_path):
    """Imports forked from one process into its own SQLite file, each killed with SIGKILL at
    a point of the import: after the check, after some batches of rows, after the last row
    before the commit. Every time the database holds exactly the rows it held before."""
    source = tmp_path / "source.jsonl"
    source.write_text(ti.export_text(), encoding="utf-8")
    runs = [["checked", 0], ["insert", 1], ["insert", 5], ["insert", 12], ["commit", 0]]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill-import.sqlite3'}",
        "DANGBO_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dangbo.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_KILLER, str(source), json.dumps(runs)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    migrated, *results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(point, n) for point, n, _, _ in results] == [tuple(r) for r in runs]
    assert {signal_ for _, _, signal_, _ in results} == {9}, results
    assert migrated[3] > 0  # the organization kinds the migrations seed
    assert {rows for _, _, _, rows in results} == {migrated[3]}, results
