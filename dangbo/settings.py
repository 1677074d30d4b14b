"""One env-driven settings module; every variable is listed in .env.example.

With no environment at all the product runs on SQLite in ``var/``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGBO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("DANGBO_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("DANGBO_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DANGBO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

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
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"init_command": "PRAGMA journal_mode=WAL;"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
