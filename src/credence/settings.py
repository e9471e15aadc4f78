"""Django settings, read from the environment (12-factor).

DATABASE_URL   default: SQLite file under var/ (embedded); postgres://... for PostgreSQL
SECRET_KEY     default: a random key kept in var/secret_key (created on first use)
ALLOWED_HOSTS  comma-separated, default "127.0.0.1,localhost"
DEBUG          "1"/"true" to enable, default off
EMAIL_URL      not used; e-mail is set with EMAIL_BACKEND / EMAIL_HOST / EMAIL_PORT /
               EMAIL_HOST_USER / EMAIL_HOST_PASSWORD / EMAIL_USE_TLS / DEFAULT_FROM_EMAIL.
               Default: written as files to var/mail, never sent.
CREDENCE_VAR_DIR  where the SQLite file, the secret key and outgoing mail live
CREDENCE_PUBLIC_URL / CREDENCE_ISSUER_DOMAIN  the site's public address (scheme://host[:port],
                  every absolute link in mails, certificates, feeds and calendar files) and the
                  credential issuer's did:web domain (default: what `credence demo` or
                  `credence serve` kept in var/public_url)
CREDENCE_HTTPS    "1" when the site is served over TLS: secure cookies, HSTS, redirect to
                  https (docs/security.md); CREDENCE_TRUST_PROXY_HTTPS_HEADER, CREDENCE_HSTS_*
                  and CREDENCE_SESSION_* tune it
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = PACKAGE_DIR.parents[1]


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_var_dir() -> Path:
    # An editable install (src layout) keeps its data beside the checkout; an installed
    # package keeps it in the working directory.
    if (_REPO_ROOT / "pyproject.toml").exists():
        return _REPO_ROOT / "var"
    return Path.cwd() / "var"


VAR_DIR = Path(os.environ.get("CREDENCE_VAR_DIR") or _default_var_dir())
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "axes",  # failed logins and lockouts (docs/security.md)
    "django_tasks",
    "django_tasks_db",
    "credence.core",
    "credence.audit",
    "credence.accounts",
    "credence.catalog",
    "credence.exams",
    "credence.credentials",
    "credence.learning",
    "credence.recognition",
    "credence.billing",
    "credence.portfolios",
    "credence.appeals",
    "credence.accommodations",
    "credence.challenges",
    "credence.items",
    "credence.privacy",
    "credence.psychometrics",
    "credence.webapi",  # the JSON API under /api/v1/ (docs/api.md)
    "credence.demo",  # the demo data and `credence demo`
    "django_htmx",
    "rules",  # object permissions (docs/decisions/0020)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so that static files carry the policy headers too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Outside the body limit, so that its 413 under /api/ becomes problem details too.
    "credence.webapi.problems.ApiProblemMiddleware",
    # Before anything reads the body (CSRF reads the form), after the language is known.
    "credence.core.middleware.RequestSizeLimitMiddleware",
    "credence.core.middleware.Utf8RequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "credence.core.middleware.SessionIdleTimeoutMiddleware",
    # axes wants to be last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "credence.urls"
WSGI_APPLICATION = "credence.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'credence.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at the
    # start of a transaction, so concurrent writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out (e-mail, IP) is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Object permissions as predicates (credence/<app>/permissions.py, docs/permissions.md).
    "rules.permissions.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learning:my-path"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: e-mail is the login; a full name is asked for because it goes on certificates.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_SIGNUP_FORM_CLASS = "credence.accounts.forms.SignupForm"
ACCOUNT_LOGOUT_ON_GET = False
# allauth's mails (confirmation, password reset) take their links from CREDENCE_PUBLIC_URL and
# their subjects' "[Credence] " from this adapter, like every other mail (decision 0033).
ACCOUNT_ADAPTER = "credence.accounts.adapter.AccountAdapter"
# allauth limits failed logins per IP (a burst from one address against many accounts); the
# per-account lockout is django-axes' (AXES_* below), kept in the database so that every web
# process sees it. docs/decisions/0024.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
# allauth's sign-up and password change apply AUTH_PASSWORD_VALIDATORS above (12 characters,
# not common, not all digits, not like the e-mail or name); its own minimum is then unused.

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One style for dates and times in both languages (decision 0036).
FORMAT_MODULE_PATH = ["credence.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Berlin"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when serving from finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Without collectstatic (demo, tests) whitenoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Credence <noreply@credence.invalid>")

# HTTP hardening (docs/security.md, docs/decisions/0024). CREDENCE_HTTPS=1 when the site is
# served over TLS (directly or behind a proxy that terminates it).
HTTPS = _env_bool("CREDENCE_HTTPS", _env_bool("HTTPS"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A login lasts at most a working day, and ends after CREDENCE_SESSION_IDLE_SECONDS without a
# request (core.middleware.SessionIdleTimeoutMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("CREDENCE_SESSION_SECONDS", str(12 * 60 * 60)))
CREDENCE_SESSION_IDLE_SECONDS = int(os.environ.get("CREDENCE_SESSION_IDLE_SECONDS", "7200"))
# How long the test page waits after the candidate's last input before it autosaves: long
# enough to send one request per answer, not one per keystroke.
CREDENCE_AUTOSAVE_DELAY_MS = int(os.environ.get("CREDENCE_AUTOSAVE_DELAY_MS", "500"))
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = (
    int(os.environ.get("CREDENCE_HSTS_SECONDS", str(365 * 24 * 60 * 60))) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("CREDENCE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is hard to undo (browsers ship the list), so only on request.
SECURE_HSTS_PRELOAD = _env_bool("CREDENCE_HSTS_PRELOAD")
# ...and `check --deploy` is not asked to nag about that choice.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Only a proxy that sets this header itself (and strips it from clients) may be trusted.
if _env_bool("CREDENCE_TRUST_PROXY_HTTPS_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): no inline script or style anywhere, nothing from
# other origins; pages that need less set their own stricter header.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Powerful browser features the platform never uses are switched off for every page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one e-mail address
# from one IP, that pair is locked out for the cool-off, even with the right password.
AXES_FAILURE_LIMIT = int(os.environ.get("CREDENCE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("CREDENCE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "credence.accounts.throttling.login_of"
AXES_LOCKOUT_CALLABLE = "credence.accounts.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Behind a trusted proxy the client's address is the last X-Forwarded-For entry (the one the
# proxy appended); the same switch that trusts the proxy's https header trusts this one.
AXES_CLIENT_IP_CALLABLE = "credence.accounts.throttling.client_ip"
CREDENCE_TRUST_PROXY = _env_bool("CREDENCE_TRUST_PROXY_HTTPS_HEADER")

# Request bodies (docs/security.md): form fields and a JSON body at most 8 MiB in all (an
# employer's bulk check of 1,000 signed credentials is about 3.3 MB), uploads above 2.5 MB
# go to a temporary file, and no request body may exceed CREDENCE_MAX_REQUEST_BYTES (the
# largest upload, a claim's evidence, plus room for the form) -- answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# Background tasks (django-tasks backport of django.tasks): a database queue worked by
# `credence worker`. Tests switch to the immediate backend where they need it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Verifiable credentials (docs/decisions/0016). The issuer is did:web on this domain; its DID
# document is served at /.well-known/did.json. Private signing keys live in files under
# CREDENCE_KEYS_DIR (0600), encrypted with CREDENCE_KEY_PASSPHRASE when it is set.
# One identity for every process (web, worker, CLI): the public address comes from
# CREDENCE_PUBLIC_URL, else https://CREDENCE_ISSUER_DOMAIN, else the address `credence demo`
# or `credence serve` recorded in var/public_url for the local server it set up, else
# https://<first allowed host>, or http://<host>:<PORT or 8000> when that host is this
# machine's loopback (a local server speaks plain HTTP on a port);
# the did:web domain from CREDENCE_ISSUER_DOMAIN, else the public address's host and port.
# Every absolute link (mails, LinkedIn, QR codes, feeds, calendar files) is built from the
# public address (credence.core.public, decision 0033), never from a request's Host header.
PUBLIC_URL_FILE = VAR_DIR / "public_url"
_recorded_url = PUBLIC_URL_FILE.read_text().strip() if PUBLIC_URL_FILE.is_file() else ""
_first_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS and ALLOWED_HOSTS[0] != "*" else "localhost"
CREDENCE_PUBLIC_URL = (
    os.environ.get("CREDENCE_PUBLIC_URL")
    or (
        f"https://{os.environ['CREDENCE_ISSUER_DOMAIN']}"
        if os.environ.get("CREDENCE_ISSUER_DOMAIN")
        else ""
    )
    or _recorded_url
    or (
        f"http://{_first_host}:{os.environ.get('PORT', '8000')}"
        if _first_host in ("127.0.0.1", "localhost", "[::1]")
        else f"https://{_first_host}"
    )
).rstrip("/")
CREDENCE_ISSUER_DOMAIN = (
    os.environ.get("CREDENCE_ISSUER_DOMAIN") or urlsplit(CREDENCE_PUBLIC_URL).netloc
)
CREDENCE_KEYS_DIR = Path(os.environ.get("CREDENCE_KEYS_DIR") or VAR_DIR / "private" / "keys")
CREDENCE_KEY_PASSPHRASE = os.environ.get("CREDENCE_KEY_PASSPHRASE", "")

# The program file loaded by `credence demo` and by `credence program check` without a FILE.
CREDENCE_DEFAULT_PROGRAM = PACKAGE_DIR / "catalog" / "programs" / "ai-engineer.toml"

# Partial-credit claims (R10): evidence files live here, outside MEDIA_ROOT and STATIC_ROOT,
# and are served only by the recognition app's permission-checked download view.
CREDENCE_CLAIM_EVIDENCE_DIR = Path(
    os.environ.get("CREDENCE_CLAIM_EVIDENCE_DIR") or VAR_DIR / "private" / "claim-evidence"
)
CREDENCE_CLAIM_EVIDENCE_MAX_BYTES = int(
    os.environ.get("CREDENCE_CLAIM_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024))
)
# Accommodations (decision 0052): supporting documents live here, outside MEDIA_ROOT and
# STATIC_ROOT, served only by the accommodations app's permission-checked download view.
CREDENCE_ACCOMMODATION_DOCUMENTS_DIR = Path(
    os.environ.get("CREDENCE_ACCOMMODATION_DOCUMENTS_DIR")
    or VAR_DIR / "private" / "accommodation-documents"
)
CREDENCE_ACCOMMODATION_DOCUMENT_MAX_BYTES = int(
    os.environ.get("CREDENCE_ACCOMMODATION_DOCUMENT_MAX_BYTES", str(5 * 1024 * 1024))
)
CREDENCE_MAX_REQUEST_BYTES = int(
    os.environ.get("CREDENCE_MAX_REQUEST_BYTES", str(CREDENCE_CLAIM_EVIDENCE_MAX_BYTES + 2**20))
)
# An employer's bulk check (POST /api/v1/verifications, the /verify/ page): requests per
# minute from one client address, each of up to 1,000 items. Counted in the cache: per
# process with the default cache (docs/deployment.md).
CREDENCE_VERIFICATIONS_RATE = os.environ.get("CREDENCE_VERIFICATIONS_RATE", "30/m")

# Billing (R7-R9, docs/decisions/0008). The fee is a gross price; "exempt" prints the legal
# note instead of VAT, "included" shows the VAT the fee contains at CREDENCE_VAT_RATE percent.
CREDENCE_VAT_TREATMENT = os.environ.get("CREDENCE_VAT_TREATMENT", "exempt")
CREDENCE_VAT_RATE = os.environ.get("CREDENCE_VAT_RATE", "19")
CREDENCE_VAT_EXEMPT_NOTE = os.environ.get(
    "CREDENCE_VAT_EXEMPT_NOTE",
    "Exempt from VAT under section 4 no. 21 UStG (examination services).",
)
# Cancellation policy: free (a credit note for the whole fee) until this many days before the
# session; later cancellations keep the fee.
CREDENCE_FREE_CANCELLATION_DAYS = int(os.environ.get("CREDENCE_FREE_CANCELLATION_DAYS", "7"))
# Online payment through Stripe Checkout (docs/decisions/0035, docs/deployment.md): offered
# only when both the secret key and the webhook's signing secret are set; bank transfer stays
# the default. The API address is a setting so that tests can point it at a local server.
CREDENCE_STRIPE_SECRET_KEY = os.environ.get("CREDENCE_STRIPE_SECRET_KEY", "")
CREDENCE_STRIPE_WEBHOOK_SECRET = os.environ.get("CREDENCE_STRIPE_WEBHOOK_SECRET", "")
CREDENCE_STRIPE_API_BASE = os.environ.get("CREDENCE_STRIPE_API_BASE", "https://api.stripe.com")
# What an excellence refund leaves after settling open fees is transferred to the candidate
# within this many days of the fund paying it; the candidate is told the day (decision 0034).
# The account candidates pay into is the program file's [issuer] table.
CREDENCE_REFUND_TRANSFER_DAYS = int(os.environ.get("CREDENCE_REFUND_TRANSFER_DAYS", "14"))

# Portfolio repositories (issue 4, docs/portfolio-report.md). Hosts a candidate may submit from,
# the git protocols a clone may use, and what one analysis may cost (gitsafe.Limits fields).
CREDENCE_PORTFOLIO_HOSTS = [
    h.strip() for h in os.environ.get("CREDENCE_PORTFOLIO_HOSTS", "github.com").split(",") if h
]
CREDENCE_PORTFOLIO_PROTOCOLS = ["https"]
# any of gitsafe.Limits' fields by name, each with its type (seconds, bytes, counts)
CREDENCE_PORTFOLIO_LIMITS: dict[str, Any] = {}
# Examiners whose weighted percents differ by more than this many points reconcile first.
CREDENCE_PORTFOLIO_RECONCILE_MARGIN = os.environ.get("CREDENCE_PORTFOLIO_RECONCILE_MARGIN", "15")

# Data protection (docs/data-protection.md, docs/decisions/0023). How many days each kind of
# personal data is kept; ``credence privacy purge`` removes what is older. Each can be set with
# CREDENCE_RETENTION_<KIND>_DAYS (e.g. CREDENCE_RETENTION_EXAM_RESPONSES_DAYS=365). "audit" is
# None: the application never deletes audit events (append-only); archiving them is the
# database operator's task. "erasure_grace" is how long an erasure request can be withdrawn.
_RETENTION_DEFAULT_DAYS: dict[str, int | None] = {
    "exam_responses": 3 * 365,  # answers, after the result's release: appeals and reviews
    "claims_evidence": 365,  # uploaded certificates, after the claim's decision
    # supporting documents, after the accommodation's validity ends or its refusal
    "accommodation_documents": 365,
    "portfolio_reports": 3 * 365,  # evidence reports and git identities, after the result
    "invoices": 3653,  # archived invoice copies of erased persons: ten years (§147 AO, §257 HGB)
    "audit": None,
    "erasure_grace": 14,
}
CREDENCE_RETENTION: dict[str, int | None] = {
    kind: (
        int(os.environ[f"CREDENCE_RETENTION_{kind.upper()}_DAYS"])
        if os.environ.get(f"CREDENCE_RETENTION_{kind.upper()}_DAYS")
        else days
    )
    for kind, days in _RETENTION_DEFAULT_DAYS.items()
}
# Invoices of erased persons, filed as issued (PDF) for the statutory period; never served.
CREDENCE_INVOICE_ARCHIVE_DIR = Path(
    os.environ.get("CREDENCE_INVOICE_ARCHIVE_DIR") or VAR_DIR / "private" / "invoice-archive"
)

# Psychometrics (docs/decisions/0019, 0041): staff pages warn where a form's classification
# accuracy at the cut for the session's own candidates (the lower of Rudner's and the
# simulated figure, or Livingston-Lewis's for a raw-scored form) falls below this share.
CREDENCE_DECISION_ACCURACY_MIN = float(os.environ.get("CREDENCE_DECISION_ACCURACY_MIN", "0.85"))
# Item screening (docs/decisions/0042): a calibrated item seen by fewer candidates than this
# is flagged and counts for nothing until a psychometrician accepts it.
CREDENCE_ITEM_MIN_RESPONSES = int(os.environ.get("CREDENCE_ITEM_MIN_RESPONSES", "30"))
# The public transparency page (docs/decisions/0045) publishes no figure computed from fewer
# candidates than this: a session with fewer released results shows no pass rate, so that
# nobody in a small group can be told apart by it.
CREDENCE_TRANSPARENCY_MIN_GROUP = int(os.environ.get("CREDENCE_TRANSPARENCY_MIN_GROUP", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
