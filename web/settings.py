"""Settings of docgen's web layer, from the environment, with embedded defaults that need no set-up.

DATABASE_URL   the database (PostgreSQL: postgresql://user:password@host:5432/name); SQLite in the data folder
               when unset
DOCGEN_DATA_DIR  where the SQLite database and the generated secret key live (default ~/.local/share/docgen)
DOCGEN_SECRET_KEY  Django's secret key (default: generated once, kept in the data folder)
DOCGEN_DEBUG   1 for development only
DOCGEN_ALLOWED_HOSTS  comma-separated host names the server answers to (default localhost, 127.0.0.1)
DOCGEN_CSRF_TRUSTED_ORIGINS  comma-separated origins (https://docgen.example.gov.cn) whose forms may post here:
               needed behind an HTTPS proxy whose public name differs from the host the server sees
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("DOCGEN_DATA_DIR") or Path.home() / ".local/share/docgen")


def _secret_key() -> str:
    if os.environ.get("DOCGEN_SECRET_KEY"):
        return os.environ["DOCGEN_SECRET_KEY"]
    path = DATA_DIR / "secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        database["TEST"] = {"NAME": f"test_{database['NAME']}_{os.getpid()}"}  # test runs side by side never meet
        return database
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so concurrent writers queue (up to the
    # timeout) instead of failing mid-transaction; WAL lets readers go on meanwhile.
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "docgen.sqlite3",
            "TEST": {"NAME": DATA_DIR / f"test-docgen-{os.getpid()}.sqlite3"},  # a file: test threads share real locks
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}}


BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DOCGEN_DEBUG") == "1"


def _listed(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


ALLOWED_HOSTS = _listed("DOCGEN_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = _listed("DOCGEN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "web.registry",
    "web.documents",
    "web.accounts",
    "web.jobs",
    "web.pages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.accounts.signals.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "web.wsgi.application"
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"

# Logins go through the throttled backend (web.accounts.throttle: 5 failures per user name and address in
# 15 minutes lock further attempts); passwords are hashed by Django (PBKDF2 by default), never kept in clear.
AUTHENTICATION_BACKENDS = ["web.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "pages:login"  # the pages' login (web/pages); the admin keeps its own

# What one request may carry (docgen.records.limits): a JSON record, and the number of uploaded files
from docgen.records import limits as _limits  # noqa: E402

DATA_UPLOAD_MAX_MEMORY_SIZE = _limits.RECORD_BYTES.maximum
DATA_UPLOAD_MAX_NUMBER_FILES = _limits.FOLDER_FILES.maximum

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The pages (web/pages): where a login ends, and the bureau that drafts by default.
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:login"
DOCGEN_ISSUER_ORGAN = os.environ.get("DOCGEN_ISSUER_ORGAN", "焦作市市场监督管理局")
DOCGEN_ISSUER_CODE = os.environ.get("DOCGEN_ISSUER_CODE", "焦市监")
