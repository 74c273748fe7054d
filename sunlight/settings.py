"""Sunlight settings: one module, configured only through environment variables (docs/operator-guide.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from sunlight.core.env import env_bool, env_int, env_list, env_str, secret_key_from
from sunlight.core.ids import is_valid_region_code

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime data (SQLite database, secret key, files) lives under ./var of the working directory by default.
VAR_DIR = Path(env_str("SUNLIGHT_VAR_DIR", str(Path.cwd() / "var"))).resolve()

SECRET_KEY = secret_key_from(VAR_DIR)
DEBUG = env_bool("SUNLIGHT_DEBUG", False)
ALLOWED_HOSTS = env_list("SUNLIGHT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SUNLIGHT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "sunlight.core",
    "sunlight.org",
    "sunlight.accounts",
    "sunlight.registry",
    "sunlight.catalog",
    "sunlight.access",
    "sunlight.workbench",
    "sunlight.portal",
    "sunlight.evidence",
    "sunlight.cases",
    "sunlight.review",
    "sunlight.publicity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sunlight.core.middleware.OriginMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sunlight.accounts.middleware.IdleTimeoutMiddleware",
    "sunlight.accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sunlight.urls"
WSGI_APPLICATION = "sunlight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sunlight" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sunlight.workbench.context.workbench",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sunlight.sqlite3'}"),
        conn_max_age=env_int("SUNLIGHT_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
# The public decision page's query is prepared once per PostgreSQL session when connections are kept across requests
# (sunlight/publicity/selectors.py); off behind a transaction-mode connection pooler, which does not keep a session's
# prepared statements (operator guide 4.2).
SUNLIGHT_DB_PREPARED_STATEMENTS = env_bool("SUNLIGHT_DB_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database serve a few concurrent requests without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Local memory per process, nothing to run beside the application: the portal's header and footer and the frame of a
# decision page, rendered once per language and section. (Rendered decision pages are shared through the database:
# publicity.DecisionPage, sunlight/publicity/page_cache.py.)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sunlight-default"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# SYS-6: argon2 first; the others only verify old hashes during a migration.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "sunlight.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "sunlight.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# SYS-6 account controls (docs/operator-guide.md lists each variable).
SUNLIGHT_LOCKOUT_FAILURES = env_int("SUNLIGHT_LOCKOUT_FAILURES", 5, minimum=1)
SUNLIGHT_LOCKOUT_MINUTES = env_int("SUNLIGHT_LOCKOUT_MINUTES", 15, minimum=1)
SUNLIGHT_SESSION_IDLE_SECONDS = env_int("SUNLIGHT_SESSION_IDLE_SECONDS", 30 * 60, minimum=1)
SESSION_COOKIE_AGE = env_int("SUNLIGHT_SESSION_MAX_AGE_SECONDS", 12 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SUNLIGHT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/operator-guide.md).
if env_bool("SUNLIGHT_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
OTP_TOTP_ISSUER = "阳光执法"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "sunlight" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic's target; WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "sunlight" / "static"]
# The application serves its own scripts, styles and fonts (no CDN on closed intranets): WhiteNoise, straight from
# the source folders, so that nothing depends on a collectstatic step having run.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("SUNLIGHT_STORAGE", str(VAR_DIR / "files"))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Number of reverse proxies whose X-Forwarded-For entry is trusted for the audit trail's client address.
SUNLIGHT_TRUSTED_PROXIES = env_int("SUNLIGHT_TRUSTED_PROXIES", 0, minimum=0)

# SYS-3: the division code whose calendar applies when a deadline names no region and no agency ("" = nationwide).
SUNLIGHT_DEFAULT_REGION = env_str("SUNLIGHT_DEFAULT_REGION", "")
if SUNLIGHT_DEFAULT_REGION and not is_valid_region_code(SUNLIGHT_DEFAULT_REGION):
    raise ImproperlyConfigured("SUNLIGHT_DEFAULT_REGION must be a 6- or 9-digit division code")
SUNLIGHT_ANNUAL_REPORT_DUE = env_str("SUNLIGHT_ANNUAL_REPORT_DUE", "01-15")  # MM-DD after the year (PUB-10)

# REC-10: the Ed25519 private key that signs the ledger's tree heads (PEM, PKCS#8); created there on first use.
SUNLIGHT_SIGNING_KEY_FILE = Path(
    env_str("SUNLIGHT_SIGNING_KEY_FILE", "") or VAR_DIR / "ledger_signing_key.pem"
).resolve()

# REC-5, REC-6, REC-13: the evidence store (docs/operator-guide.md, "Evidence storage"). Each store is a directory
# or an s3://bucket/prefix URL (S3-compatible object storage through django-storages + boto3); the two must differ.
_FILES_DIR = Path(env_str("SUNLIGHT_STORAGE", str(VAR_DIR / "files")))


def _evidence_store(letter: str) -> dict[str, str]:
    prefix = f"SUNLIGHT_EVIDENCE_STORE_{letter}"
    url = env_str(prefix, str(_FILES_DIR / "evidence" / letter.lower())).strip()
    if not url:
        raise ImproperlyConfigured(f"{prefix} must be a directory or an s3://bucket/prefix URL")
    if "://" in url and not (url.startswith("s3://") and url[5:].split("/", 1)[0]):
        raise ImproperlyConfigured(f"{prefix} must be a directory or an s3://bucket/prefix URL, got {url!r}")
    return {
        "url": url,
        "endpoint_url": env_str(f"{prefix}_ENDPOINT", env_str("SUNLIGHT_S3_ENDPOINT", "")),
        "access_key": env_str(f"{prefix}_ACCESS_KEY", env_str("SUNLIGHT_S3_ACCESS_KEY", "")),
        "secret_key": env_str(f"{prefix}_SECRET_KEY", env_str("SUNLIGHT_S3_SECRET_KEY", "")),
        "region": env_str(f"{prefix}_REGION", env_str("SUNLIGHT_S3_REGION", "us-east-1")),
    }


SUNLIGHT_EVIDENCE_STORES = {"a": _evidence_store("A"), "b": _evidence_store("B")}
if SUNLIGHT_EVIDENCE_STORES["a"]["url"].rstrip("/") == SUNLIGHT_EVIDENCE_STORES["b"]["url"].rstrip("/"):
    raise ImproperlyConfigured("SUNLIGHT_EVIDENCE_STORE_A and SUNLIGHT_EVIDENCE_STORE_B must be two different stores")
# Partial (in-progress) uploads; shared by every app server in a multi-server deployment.
SUNLIGHT_EVIDENCE_UPLOAD_DIR = env_str("SUNLIGHT_EVIDENCE_UPLOAD_DIR", str(_FILES_DIR / "evidence" / "uploads"))
SUNLIGHT_EVIDENCE_MAX_BYTES = env_int("SUNLIGHT_EVIDENCE_MAX_BYTES", 8 * 1024**3, minimum=1)
SUNLIGHT_EVIDENCE_ALLOWED_TYPES = env_list(
    "SUNLIGHT_EVIDENCE_ALLOWED_TYPES",
    ["mp4", "mov", "avi", "mkv", "webm", "3gp", "ts", "mp3", "wav", "m4a", "amr", "jpg", "jpeg", "png"],
)
SUNLIGHT_EVIDENCE_CHUNK_BYTES = env_int("SUNLIGHT_EVIDENCE_CHUNK_BYTES", 8 * 1024**2, minimum=64 * 1024)
SUNLIGHT_EVIDENCE_UPLOAD_EXPIRY_HOURS = env_int("SUNLIGHT_EVIDENCE_UPLOAD_EXPIRY_HOURS", 72, minimum=1)
SUNLIGHT_EVIDENCE_UPLOAD_LEASE_SECONDS = env_int("SUNLIGHT_EVIDENCE_UPLOAD_LEASE_SECONDS", 30, minimum=1)
SUNLIGHT_EVIDENCE_RETENTION_DAYS = env_int("SUNLIGHT_EVIDENCE_RETENTION_DAYS", 180, minimum=1)
SUNLIGHT_EVIDENCE_CASE_RETENTION_YEARS = env_int("SUNLIGHT_EVIDENCE_CASE_RETENTION_YEARS", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SUNLIGHT_LOG_LEVEL", "WARNING")},
}
