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
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
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
    "dangbo.dues",
    "dangbo.interchange",
    "dangbo.xlsx_import",
    "dangbo.demo",
    "dangbo.accounts",
    "dangbo.web",
    "dangbo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a session that signed in with the password but owes its TOTP code sees only that page
    "dangbo.web.accounts.middleware.SecondFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangbo.web.middleware.RequestContextMiddleware",
    # last: a locked-out login attempt is answered before any view runs
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "dangbo.urls"
WSGI_APPLICATION = "dangbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangbo.web.context.navigation",
            ],
            "builtins": ["dangbo.web.templatetags.vn"],
        },
    }
]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing folder before `serve` fills it
# Uploaded files (signed scans of documents): never served as static files, only through
# pages that check scope and clearance; any Django storage by DANGBO_FILE_STORAGE
MEDIA_ROOT = Path(os.environ.get("DANGBO_MEDIA_DIR", VAR_DIR / "media"))
DANGBO_UPLOAD_MAX_BYTES = int(float(os.environ.get("DANGBO_UPLOAD_MAX_MB", "20")) * 1024 * 1024)
# breakdowns of a subtree with at least this many members come from the dated snapshot
DANGBO_SNAPSHOT_MIN_MEMBERS = int(os.environ.get("DANGBO_SNAPSHOT_MIN_MEMBERS", "20000"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DANGBO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": {"location": str(MEDIA_ROOT)} if "DANGBO_FILE_STORAGE" not in os.environ else {},
    },
    # hashed, compressed files collected by `dangbo serve`; plain finders in tests and runserver
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DANGBO_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# WhiteNoise serves the app's own files from the finders when nothing was collected (tests)
WHITENOISE_USE_FINDERS = True

# Accounts, sign-in, sessions
AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out username/address before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Django's validators, with Vietnamese messages
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangbo.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "dangbo.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "dangbo.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "dangbo.accounts.passwords.NumericPasswordValidator"},
]
# a session lasts a working day from sign-in; closing the browser ends it too. (Not renewed
# on each request: that would make every page a database write, which on SQLite takes the
# write lock.)
SESSION_COOKIE_AGE = int(os.environ.get("DANGBO_SESSION_SECONDS", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind HTTPS (production): secure cookies, HSTS, redirect to https. Off by default so
# the demo works on http://localhost.
DANGBO_SECURE = os.environ.get("DANGBO_SECURE", "0") == "1"
if DANGBO_SECURE:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DANGBO_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DANGBO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DANGBO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Login throttling (django-axes): after 5 failures for a username from one address, that
# pair is locked for 15 minutes
AXES_FAILURE_LIMIT = int(os.environ.get("DANGBO_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DANGBO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "dangbo"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangbo.sqlite3'}")
try:
    # `dangbo serve` keeps each worker's connection open (DANGBO_CONN_MAX_AGE=60): a new
    # PostgreSQL connection per request costs more than the register's queries
    DATABASES = {
        "default": dj_database_url.parse(
            _DATABASE_URL,
            conn_max_age=int(os.environ.get("DANGBO_CONN_MAX_AGE", "0")),
            conn_health_checks=True,
        )
    }
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

# Long work (reports of all units, large workbooks) runs on the database queue of
# django-tasks: `dangbo worker` takes the tasks, `dangbo serve` starts one worker beside
# gunicorn. A task keeps its progress and result file under TASKS_DIR.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASKS_DIR = VAR_DIR / "tasks"
