"""The bad-input campaign: malformed import files and bad command lines, generated here.

Every case must end with a non-zero exit status, a Vietnamese message, no traceback, and
the database as it was (row counts unchanged). Cases run in-process through
``call_command``; the few that only a process shows (a closed standard output, an
unreachable or unmigrated database, an unknown DATABASE_URL scheme) run ``dangbo`` itself.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangbo.core.models import AuditEntry, Decision
from dangbo.interchange.kinds import RECORD_TYPES
from dangbo.interchange.trailer import seal
from dangbo.meetings.models import Meeting
from dangbo.membership.models import Member, MemberEvent, Person
from dangbo.organizations.models import Organization, OrgVersion
from dangbo.reports.models import ReviewReport
from tests import test_interchange as ti

#: letters only Vietnamese text has: a message without one is not Vietnamese
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ]", re.I)
MODELS = (
    Organization,
    OrgVersion,
    Person,
    Member,
    MemberEvent,
    Decision,
    AuditEntry,
    ReviewReport,
    Meeting,
)


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run a command in-process as the console script would: (exit status, stdout, stderr).

    A command line the parser refuses raises CommandError before the command runs; the
    console script prints it and exits with its status, so this does the same.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def assert_refused(code: int, out: str, err: str) -> None:
    assert code != 0, (out, err)
    assert VIETNAMESE.search(err), err
    assert "Traceback" not in out + err


# ---- malformed import files

HEADER = {"type": "dangbo", "format": 1}
GOOD = ti.GOOD  # the small valid file of the interchange tests: header, tree, two members
HUGE = "__HUGE__"  # replaced by an integer of 5000 digits (json.dumps cannot write one)


def deep(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def file_text(records: list) -> str:
    lines = []
    for r in records:
        line = r if isinstance(r, str) else json.dumps(r)  # ASCII: lone surrogates as \ud800
        lines.append(line.replace(f'"{HUGE}"', "1" + "0" * 5000))
    return "".join(line + "\n" for line in lines)


def changed(n: int, key: str, value) -> str:
    """GOOD with field `key` of line `n` (1-based) set to `value`."""
    records = [json.loads(json.dumps(r)) for r in GOOD]
    records[n - 1][key] = value
    return file_text(records)


def replaced(n: int, line: str) -> str:
    """GOOD with line `n` replaced by raw text."""
    records: list = [dict(r) for r in GOOD]
    records[n - 1] = line
    return file_text(records)


BAD_DATES = (
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2023-02-31",
    "31/2/2023",
    "hôm qua",
    "",
    20230101,
    "2023-06-3\uff10",  # a full-width digit
)
DATE_FIELDS = (
    (2, "issued_on"),
    (3, "founded_on"),
    (4, "founded_on"),
    (5, "birth_date"),
    (7, "effective_on"),
    (8, "effective_on"),
)
HOSTILE = {
    "nul": "A\x00B",
    "lone surrogate": "A\ud800B",
    "deep nesting": deep(60),
    "huge integer": HUGE,
    "list": ["x"],
}
TEXT_FIELDS = ((2, "number"), (2, "issuer"), (5, "full_name"), (3, "ref"), (6, "ref"))
RAW_LINES = {
    "cut short": json.dumps(GOOD[4])[:-7],
    "array": "[]",
    "null": "null",
    "bare huge integer": "1" + "0" * 5000,
    "nested arrays": "[" * 100_000 + "]" * 100_000,
    "nested objects": '{"a":' * 5_000 + "1" + "}" * 5_000,
    "raw control character": '{"type": "person", "ref": "x\x01"}',
    "not utf-8": "\udcff\udcfe",  # written as the bytes FF FE
    "byte order mark inside": "\ufeff" + json.dumps(GOOD[4]),
}
IMPORT_CASES: dict[str, tuple[str, int]] = {}
for _n, _key in DATE_FIELDS:
    for _value in BAD_DATES:
        IMPORT_CASES[f"line {_n} {_key}={_value!r}"] = (changed(_n, _key, _value), _n)
for _n, _key in TEXT_FIELDS:
    for _name, _value in HOSTILE.items():
        IMPORT_CASES[f"line {_n} {_key}: {_name}"] = (changed(_n, _key, _value), _n)
for _n in (5, 7):
    for _name, _line in RAW_LINES.items():
        IMPORT_CASES[f"line {_n}: {_name}"] = (replaced(_n, _line), _n)
IMPORT_CASES.update(
    {
        "empty file": ("", 1),
        "blank lines only": ("\n\n\n", 1),
        "header only": (file_text([HEADER]) + "\x00\n", 2),
        "format 2": (changed(1, "format", 2), 1),
        "format as a huge integer": (changed(1, "format", HUGE), 1),
        "a NUL key in the header": (changed(1, "\x00", 1), 1),
        "version valid_from in year 1": (
            file_text(
                [
                    *GOOD[:2],
                    {
                        **GOOD[2],
                        "versions": [{**GOOD[2]["versions"][0], "valid_from": "0001-01-01"}],
                    },
                    *GOOD[3:],
                ]
            ),
            3,
        ),
        "badge years as a huge integer": (
            file_text(
                [
                    *GOOD,
                    {
                        "type": "event",
                        "ref": "e3",
                        "member": "dv-an",
                        "kind": "huy_hieu",
                        "effective_on": "2021-01-01",
                        "badge_years": HUGE,
                    },
                ]
            ),  # noqa: E501
            9,
        ),
    }
)


def write_file(tmp_path: Path, text: str) -> Path:
    """The file sealed with its trailer, as export would, so that the case tested is the
    malformed record and not the missing trailer."""
    path = tmp_path / "tep.jsonl"
    path.write_bytes(seal(text.encode("utf-8", "surrogateescape"), RECORD_TYPES))
    return path


@pytest.mark.parametrize("case", IMPORT_CASES)
def test_a_malformed_import_file_is_refused_on_its_line(db, tmp_path, case):
    text, line = IMPORT_CASES[case]
    before = row_counts()
    code, out, err = run_cli("import", str(write_file(tmp_path, text)))
    assert_refused(code, out, err)
    assert "không có dữ liệu nào được ghi" in err
    assert re.search(rf"^Dòng {line}\b", err, re.M), err
    assert row_counts() == before


def test_import_cases_are_many():
    assert len(IMPORT_CASES) >= 80


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def with_codes(first: str, second: str) -> str:
    records = [json.loads(json.dumps(r)) for r in GOOD]
    records[2]["versions"][0]["code"] = first
    records[3]["versions"][0]["code"] = second
    return file_text(records)


def test_codes_that_differ_only_in_unicode_form_are_one_code(db, tmp_path):
    before = row_counts()
    code, out, err = run_cli(
        "import", str(write_file(tmp_path, with_codes("PHƯỜNG-1", nfd("PHƯỜNG-1"))))
    )
    assert_refused(code, out, err)
    assert re.search(r"^Dòng 4, trường «versions", err, re.M), err
    assert row_counts() == before


def test_text_is_stored_in_nfc_and_found_by_either_form(db, tmp_path):
    records = [json.loads(json.dumps(r)) for r in GOOD]
    records[4]["full_name"] = nfd("Nguyễn Văn An")
    records[2]["versions"][0]["code"] = nfd("PHƯỜNG-1")
    code, out, err = run_cli("import", str(write_file(tmp_path, file_text(records))))
    assert code == 0, err
    assert Person.objects.get().full_name == "Nguyễn Văn An"
    assert OrgVersion.objects.filter(code="PHƯỜNG-1").count() == 1
    code, out, err = run_cli("stats", nfd("PHƯỜNG-1"), "--period", "2020", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["members_end"] == 1


# ---- errors name the event's line, with sane numbers


def test_an_admission_before_birth_is_reported_on_the_admission_line(db, tmp_path):
    code, out, err = run_cli(
        "import", str(write_file(tmp_path, changed(5, "birth_date", "2150-01-01")))
    )
    assert_refused(code, out, err)
    errors = [line for line in err.splitlines() if line.startswith("Dòng")]
    assert len(errors) == 1, err
    assert errors[0].startswith("Dòng 7, trường «effective_on»: Nguyễn Văn An, kết nạp"), err
    assert "sinh ngày 01/01/2150" in errors[0]
    assert not re.search(r"-\d", errors[0].split("Quy định")[1]), errors[0]  # no negative age


def test_an_admission_too_young_names_the_admission_line_and_a_real_age(db, tmp_path):
    code, out, err = run_cli(
        "import", str(write_file(tmp_path, changed(5, "birth_date", "2010-03-01")))
    )
    assert_refused(code, out, err)
    assert "Dòng 7, trường «effective_on»" in err
    assert "mới 9 tuổi 0 tháng vào ngày 01/03/2019" in err


# ---- bad command lines

BAD_CLI_DATES = (
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/2/2023",
    "2023-02-30",
    "hôm qua",
    "",
    "1/1/1",
    "2023-06-3\uff10",
)
DATE_COMMANDS = (
    ("orgs", "--on", "{}"),
    ("verify", "--on", "{}"),
    ("stats", "P1", "--from", "{}", "--to", "2023-12-31"),
    ("stats", "P1", "--from", "2023-01-01", "--to", "{}"),
    ("report", "issue", "P1", "--period", "2023", "--date", "{}"),
)
COMMAND_CASES: dict[str, tuple[str, ...]] = {}
for _cmd in DATE_COMMANDS:
    for _value in BAD_CLI_DATES:
        _args = tuple(_value if a == "{}" else a for a in _cmd)
        COMMAND_CASES[" ".join(repr(a) for a in _args)] = _args
for _period in (
    "0000",
    "10000",
    "9999",
    "2100",
    "2010",
    "2023-H3",
    "2023-Q5",
    "hai nghìn",
    "",
    "２０２３",
):
    COMMAND_CASES[f"stats period {_period!r}"] = ("stats", "P1", "--period", _period)
for _period in ("0000", "10000", "9999-H1", "hai nghìn"):
    COMMAND_CASES[f"report review period {_period!r}"] = (
        "report", "review", "P1", "--period", _period, "--out", "{tmp}/bc.html",
    )  # fmt: skip
for _org in ("9" * 30, "XYZ", "P1\x00", "P\ud8001", "-1", ""):
    COMMAND_CASES[f"stats org {_org!r}"] = ("stats", _org, "--period", "2023")
for _meeting in ("abc", "9" * 30, "-1", "0", "1e3", "12345"):
    COMMAND_CASES[f"news {_meeting!r}"] = ("news", _meeting)
for _years in ("0", "-5", "1" + "0" * 30, "abc"):
    COMMAND_CASES[f"verify years {_years!r}"] = ("verify", "--years", _years)
OUT_PATHS = {
    "a folder": "{tmp}",
    "under a file": "{tmp}/tep.txt/bc.html",
    "a missing folder": "{tmp}/khong_co/bc.html",
    "an unwritable place": "/proc/dangbo-bc.html",
    "a wrong extension": "{tmp}/bc.txt",
    "a NUL in the name": "{tmp}/b\x00c.html",
}
for _name, _path in OUT_PATHS.items():
    COMMAND_CASES[f"report review out {_name}"] = (
        "report", "review", "P1", "--period", "2023", "--out", _path,
    )  # fmt: skip
COMMAND_CASES.update(
    {
        "news out a folder": ("news", "1", "--out", "{tmp}"),
        "news out a missing folder": ("news", "1", "--out", "{tmp}/khong_co/tin.txt"),
        "import a folder": ("import", "{tmp}"),
        "import a missing file": ("import", "{tmp}/khong_co.jsonl"),
        "import under a file": ("import", "{tmp}/tep.txt/a.jsonl"),
        "export to a folder": ("export", "{tmp}"),
        "export under a file": ("export", "{tmp}/tep.txt/a.jsonl"),
        "export to a missing folder": ("export", "{tmp}/khong_co/a.jsonl"),
        "orgs unknown option": ("orgs", "--bogus"),
        "orgs unknown format": ("orgs", "--format", "xml"),
        "rebuild unknown option": ("rebuild", "--bogus"),
        "demo unknown option": ("demo", "--bogus"),
        "stats without a period": ("stats", "P1"),
        "stats period and dates": ("stats", "P1", "--period", "2023", "--from", "2023-01-01"),
        "stats reversed dates": ("stats", "P1", "--from", "2023-12-31", "--to", "2023-01-01"),
        "stats without an organization": ("stats",),
        "report without an action": ("report",),
        "report render unknown number": ("report", "render", "99-BC/ĐU", "--out", "{tmp}/a.html"),
        "report issue unknown kind": (
            "report",
            "issue",
            "P1",
            "--period",
            "2023",
            "--date",
            "2024-01-05",
            "--kind",
            "x",
        ),  # fmt: skip
        "import progress not a number": ("import", "{tmp}/tep.txt", "--progress-every", "x"),
    }
)


@pytest.fixture
def workspace(city_tree, tmp_path):
    (tmp_path / "tep.txt").write_text("không phải thư mục\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("case", COMMAND_CASES)
def test_a_bad_command_line_is_refused_in_vietnamese(workspace, case):
    args = [a.replace("{tmp}", str(workspace)) for a in COMMAND_CASES[case]]
    files = sorted(p.name for p in workspace.iterdir())
    before = row_counts()
    assert_refused(*run_cli(*args))
    assert row_counts() == before
    assert sorted(p.name for p in workspace.iterdir()) == files  # no folder made, no file left


def test_command_cases_are_many():
    assert len(COMMAND_CASES) >= 60


def test_a_period_before_the_organization_existed_says_so(city_tree):
    code, out, err = run_cli("stats", "P1", "--period", "2017")
    assert_refused(code, out, err)
    assert "thành lập ngày 01/01/2018" in err


def test_a_period_in_the_future_says_so(city_tree):
    year = date.today().year + 1
    code, out, err = run_cli("stats", "P1", "--period", str(year))
    assert_refused(code, out, err)
    assert "chưa bắt đầu" in err


# ---- what only a process shows


def dangbo(*args: str, database_url: str, close_stdout: bool = False) -> tuple[int, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "dangbo.settings"}
    command = [sys.executable, "-c", "from dangbo.cli import main; main()", *args]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    if close_stdout:
        assert proc.stdout is not None
        proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory) -> Path:
    """A migrated SQLite database file, made once per module (its own process migrates it:
    the test database's connection holds its write lock inside the test's transaction)."""
    path = tmp_path_factory.mktemp("migrated") / "dangbo.sqlite3"
    code, err = dangbo("migrate", "-v", "0", database_url=f"sqlite:///{path}")
    assert code == 0, err
    return path


@pytest.fixture
def migrated(tmp_path, migrated_template) -> str:
    """A fresh copy of the migrated database for one test."""
    path = tmp_path / "dangbo.sqlite3"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("foo://x/y", "DATABASE_URL"),
        ("mysql://u@h/db", "chỉ hỗ trợ SQLite"),
        ("postgres://u@127.0.0.1:1/x", "Không kết nối được cơ sở dữ liệu"),
    ],
)
def test_an_unusable_database_url_is_a_message(url, expected):
    code, err = dangbo("orgs", database_url=url)
    assert code != 0
    assert expected in err
    assert "Traceback" not in err


def test_an_unmigrated_database_is_a_message(tmp_path):
    code, err = dangbo("orgs", database_url=f"sqlite:///{tmp_path / 'trong.sqlite3'}")
    assert code != 0
    assert "dangbo migrate" in err
    assert "Traceback" not in err


def test_a_closed_stdout_is_a_message_not_a_traceback(migrated):
    code, err = dangbo("orgs", database_url=migrated, close_stdout=True)
    assert code != 0
    assert "đầu ra đã bị đóng" in err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_bad_argument_from_the_shell_is_vietnamese(migrated):
    code, err = dangbo("verify", "--years", "abc", database_url=migrated)
    assert code == 2 and "không phải số nguyên" in err and "Traceback" not in err
