"""One env-driven settings module; every variable is listed in .env.example.

With no environment at all the product runs on SQLite in ``var/``.
"""

import os
import unicodedata
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGBO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DANGBO_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("DANGBO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DANGBO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
# Actors allowed to export the bodies of secret documents (`dangbo export --with-secret`),
# comma-separated; empty by default. Until accounts exist the actor is a name, not a login.
DANGBO_CLEARED_ACTORS = [
    unicodedata.normalize("NFC", name.strip())
    for name in os.environ.get("DANGBO_CLEARED_ACTORS", "").split(",")
    if name.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "dangbo.core",
    "dangbo.organizations",
    "dangbo.membership",
    "dangbo.grading",
    "dangbo.congresses",
    "dangbo.reports",
    "dangbo.documents",
    "dangbo.targets",
    "dangbo.inspections",
    "dangbo.meetings",
    "dangbo.interchange",
    "dangbo.demo",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "dangbo.urls"

_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangbo.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=0)}
except ValueError as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL «{_DATABASE_URL.split('://')[0]}://…» không dùng được ({exc}); "
        "dùng sqlite:///đường/dẫn.sqlite3 hoặc postgres://người_dùng@máy:cổng/tên."
    ) from None
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        f"DATABASE_URL «{_DATABASE_URL.split('://')[0]}://…»: chỉ hỗ trợ SQLite (sqlite:///…) "
        "và PostgreSQL (postgres://…)."
    )
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes write to one file: every transaction takes the write lock when it
    # begins (BEGIN IMMEDIATE) and a writer waits up to the busy timeout for another one
    # instead of failing with "database is locked"; readers never wait (WAL).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("DANGBO_SQLITE_TIMEOUT", "60")),
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
