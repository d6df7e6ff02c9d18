"""Settings for Grannsamverkan, read from the environment (see README, "Configuration").

With nothing set the project runs on its embedded default: SQLite, Celery tasks
executed eagerly in-process, e-mail and SMS printed to the console, DEBUG on.
``DJANGO_ENV=production`` switches to the production stack and refuses to start
without the secrets it needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.beat import BEAT_SCHEDULE
from config.env import (
    envbool,
    envchoice,
    envdb,
    envemail,
    envfloat,
    envint,
    envlist,
    envstr,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Environment -----------------------------------------------------------------------

DJANGO_ENV = envchoice("DJANGO_ENV", ("development", "production"), "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = envbool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must not be on when DJANGO_ENV=production")

_secret_key = envstr("SECRET_KEY")
if _secret_key is None:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required in production")
    _secret_key = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = _secret_key

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", () if PRODUCTION else ("localhost", "127.0.0.1", "[::1]"))
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production (comma-separated)")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "Grannsamverkan")

# --- Applications ----------------------------------------------------------------------

DJANGO_APPS = [
    # The admin without autodiscovery: see config/admin.py for why.
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "leaflet",
]
LOCAL_APPS = [
    "accounts",
    "watch",
    "notifications",
    "official",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Swedish unless the visitor chose English: not the browser's Accept-Language.
    "accounts.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.security.NulCharacterMiddleware",
    # Whose inbox the service worker may keep offline, on every page.
    "notifications.push.offline.InboxOwnerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "watch.dashboards.navigation.site",
                "official.public_warnings.context_processors.public_warnings",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------

if PRODUCTION and envstr("DATABASE_URL") is None:
    raise ImproperlyConfigured("DATABASE_URL is required in production (postgres://…)")
DATABASES = {"default": envdb("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A statement run again is planned once per connection, from its sixth use: planning
    # was most of what a page's small queries cost the database (README "Signed-in pages,
    # a fifth round"). Off behind a pooler that cannot keep prepared statements.
    if envbool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )
else:
    # WAL and a busy timeout let the web process and an eager task share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and the shared cache -----------------------------------------

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL is not None and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// or rediss:// URL, not {REDIS_URL!r}")
if PRODUCTION and REDIS_URL is None:
    raise ImproperlyConfigured("REDIS_URL is required in production (Celery broker and cache)")

# The cache fails open while Redis is unreachable (config/cache.py); the short timeouts
# keep a request from hanging on a Redis that does not answer.
REDIS_CACHE_OPTIONS = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
# What an outage made the cache ignore is logged, as errors with their cause.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    # One cache for every process, so allauth's rate limits hold across gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gsv",
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
    # Sessions read from Redis, written to both, read from the database when Redis
    # misses or is down: one query less on every signed-in page, and members stay signed
    # in through a Redis outage or restart. Only with a cache every process shares, or a
    # logout in one process would not end the session in another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# base.html's header, asset links and footer and the area page's empty invitation form
# ({% cache %}), kept by each process: keyed by all they show but static URLs, never stale.
CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# --- Celery ----------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", default=REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Stockholm"
# Tasks are idempotent (they claim database rows before acting), so a task whose
# worker died is redelivered rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up reconnects to the database around every task unless told to
# reuse the connection: a worker then keeps it as a web process does, closed when
# CONN_MAX_AGE or a failed health check says so (config.celery_app), and in any case
# every 1,000 tasks (the fix-up's own count).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No task runs longer than the hard limit, so a row a worker claimed longer ago than
# this can only belong to a worker that died: the sweep releases it (the margin covers
# the claim's own transaction and clock skew between machines).
DELIVERY_STALE_CLAIM_SECONDS = CELERY_TASK_TIME_LIMIT + 30
# Redis redelivers a message that no worker acknowledged after this long. With late
# acknowledgement a message is acknowledged when its task ends: at most one hard limit
# after it was taken, plus at most one hard limit waiting behind the task before it
# (prefetch 1), plus the longest countdown the pipeline uses (60 s, notifications).
# A killed worker's tasks are therefore redelivered within minutes, not an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT + 60}
# Dispatch has a queue of its own, which every worker also consumes (Redis takes from
# the queues in turn): a slice's continuation does not wait behind the thousands of send
# tasks the slices before it queued, so every member's deliveries exist within minutes
# while sending goes on. `celery worker -Q dispatch` runs dispatch alone.
# Send tasks have one too, so the sweep can tell whether a message's task may still be
# waiting (notifications.outbox.pipeline.sweep) without counting beat's own tasks.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("dispatch"), Queue("send"))
CELERY_TASK_ROUTES = {
    "notifications.tasks.dispatch_alert": {"queue": "dispatch"},
    "notifications.tasks.dispatch_slice": {"queue": "dispatch"},
    "notifications.tasks.send_deliveries": {"queue": "send"},
    "notifications.tasks.send_outbound_emails": {"queue": "send"},
    "watch.tasks.send_paper_texts": {"queue": "send"},
}
# An alert's recipients are split into ranges of user ids of about this many members
# (at most DISPATCH_MAX_RANGES), dispatched in parallel; a task does one slice of a
# range, this many members, a few seconds, well inside the soft time limit.
DISPATCH_RANGE_MEMBERS = 25_000
DISPATCH_MAX_RANGES = 64
# At least 1,000: with eager tasks (development) each continuation runs inside the one
# before it, and a range of 25,000 members must stay well within Python's stack.
DISPATCH_SLICE_MEMBERS = envint("DISPATCH_SLICE_MEMBERS", 10_000, minimum=1000)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# --- Authentication --------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "watch:home"
LOGOUT_REDIRECT_URL = "watch:home"

# allauth's e-mails greet from SITE_NAME, not from the host of the request (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Links in allauth's e-mails use the scheme of the public address.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so they are visible and reviewed.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
}
# The per-address limits above must count clients, not the TLS proxy in front (README
# "Production stack"), which appends the client's address to X-Forwarded-For. With no proxy
# the header is the client's own and must not be trusted: set 0.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0, minimum=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = SITE_NAME
# Passkeys (WebAuthn): a second factor, and a login and sign-up without a password. The
# browser's origin must be https, or http://localhost in development (not 127.0.0.1: an
# IP address cannot be a passkey's site). The passkey's site is the host of the request.
# Sign-up with a passkey is wired in accounts/passkey_urls.py, not with allauth's
# MFA_PASSKEY_SIGNUP_ENABLED: that one requires confirming the address by a typed code
# instead of the link, for every sign-up (README "Passkeys").
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {
    "authenticate": "accounts.passkeys.AuthenticateCodeForm",
    "authenticate_webauthn": "accounts.passkeys.AuthenticatePasskeyForm",
    "add_webauthn": "accounts.passkeys.AddPasskeyForm",
    "signup_webauthn": "accounts.passkeys.SignupPasskeyForm",
    "edit_webauthn": "accounts.passkeys.EditPasskeyForm",
}
# allauth's default, written out: a passkey login has no password to guess per account.
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}

# --- Internationalisation --------------------------------------------------------------

LANGUAGE_CODE = envchoice("LANGUAGE_CODE", ("sv", "en"), "sv")
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The languages an alert may carry versions in besides Swedish (notifications.alerts.
# languages knows each code; an unknown one stops the process at start-up).
ALERT_LANGUAGES = envlist("ALERT_LANGUAGES", ("en", "sv-x-lattlast", "ar", "so", "fi", "fa", "ti"))
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
# Observation photos: larger files are refused, larger images (in pixels) too, so a
# small file that decodes to a huge bitmap (a decompression bomb) is refused unread.
OBSERVATION_PHOTO_MAX_BYTES = envint("OBSERVATION_PHOTO_MAX_BYTES", 5_242_880, minimum=1024)
OBSERVATION_PHOTO_MAX_PIXELS = envint("OBSERVATION_PHOTO_MAX_PIXELS", 40_000_000, minimum=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail and SMS --------------------------------------------------------------------

_email = envemail("EMAIL_URL", "consolemail://")
# Any SMTP URL selects Django's SMTP backend, but for how it writes the envelope.
EMAIL_BACKEND = {
    "django.core.mail.backends.smtp.EmailBackend": "notifications.emails.SMTPBackend"
}.get(_email["EMAIL_BACKEND"], _email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", _email.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
_from_email = envstr("DEFAULT_FROM_EMAIL")
if _from_email is None:
    if PRODUCTION:
        # Mail from noreply@localhost is refused or filed as spam by real mail servers.
        raise ImproperlyConfigured(
            "DEFAULT_FROM_EMAIL is required in production, e.g. "
            "'Grannsamverkan Mariestad <grannsamverkan@mariestad.se>'"
        )
    _from_email = f"{SITE_NAME} <noreply@localhost>"
DEFAULT_FROM_EMAIL = _from_email
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Bounces (notifications.bounces): with a domain, every alert and account e-mail goes out
# with its own return path, BOUNCE_LOCAL_PART+<signed id>@BOUNCE_ADDRESS_DOMAIN, whose
# MX is `manage.py receive_bounces`; unset, the envelope sender is DEFAULT_FROM_EMAIL's.
BOUNCE_ADDRESS_DOMAIN = (envstr("BOUNCE_ADDRESS_DOMAIN", "") or "").strip().lower()
BOUNCE_LOCAL_PART = envstr("BOUNCE_LOCAL_PART", "bounces").strip().lower()
if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,19}", BOUNCE_LOCAL_PART):
    raise ImproperlyConfigured("BOUNCE_LOCAL_PART: 1-20 letters, digits, '.', '_' or '-'")
if BOUNCE_ADDRESS_DOMAIN and not re.fullmatch(
    r"[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+", BOUNCE_ADDRESS_DOMAIN
):
    raise ImproperlyConfigured("BOUNCE_ADDRESS_DOMAIN: a domain name, e.g. bounce.example.org")
# Hard bounces after which an address is suspended: no more mail to it.
BOUNCE_SUSPEND_AFTER = envint("BOUNCE_SUSPEND_AFTER", 3, minimum=1)
# The receiver refuses a larger message (552) without keeping it.
BOUNCE_MAX_MESSAGE_BYTES = envint("BOUNCE_MAX_MESSAGE_BYTES", 1024 * 1024, minimum=10_000)

# --- Alert delivery ------------------------------------------------------------------

# A temporary failure is retried after base * 2^(attempt-1) seconds, capped, at most
# DELIVERY_MAX_ATTEMPTS times in all; then the delivery is marked failed.
DELIVERY_BACKOFF_BASE_SECONDS = envint("DELIVERY_BACKOFF_BASE_SECONDS", 30, minimum=1)
DELIVERY_BACKOFF_CAP_SECONDS = envint("DELIVERY_BACKOFF_CAP_SECONDS", 3600, minimum=1)
DELIVERY_MAX_ATTEMPTS = envint("DELIVERY_MAX_ATTEMPTS", 5, minimum=1)
# Retention (README "Personal data"): who was told what answers questions about an
# incident for a year; the audit log of officials' and contacts' decisions is kept
# two years, long enough for a complaint or review of a decision.
DELIVERY_RETENTION_DAYS = envint("DELIVERY_RETENTION_DAYS", 365, minimum=1)
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", 730, minimum=1)
# Observations (with their photos) are kept two years: long enough to see a pattern of
# graffiti or vandalism in a place, after which they are only personal data.
OBSERVATION_RETENTION_DAYS = envint("OBSERVATION_RETENTION_DAYS", 730, minimum=1)
SMS_BACKEND = envstr("SMS_BACKEND", "notifications.sms.backends.ConsoleBackend")
SMS_SENDER = envstr("SMS_SENDER", "Grannsamv")
SMS_MAX_SEGMENTS = envint("SMS_MAX_SEGMENTS", 3, minimum=1)
SMS_TIMEOUT = envfloat("SMS_TIMEOUT", 10.0)
ELKS_API_USERNAME = envstr("ELKS_API_USERNAME")
ELKS_API_PASSWORD = envstr("ELKS_API_PASSWORD")
ELKS_API_URL = envstr("ELKS_API_URL", "https://api.46elks.com/a1")
# 46elks accepts the message but sends nothing: for trying a new account end to end.
ELKS_DRY_RUN = envbool("ELKS_DRY_RUN", default=False)
# Ask the SMS provider to report each message's delivery to the phone, at
# SITE_URL/notifications/sms/receipts/<signed id>/ (notifications.channels.sms): SITE_URL must
# then be reachable from the provider.
SMS_DELIVERY_RECEIPTS = envbool("SMS_DELIVERY_RECEIPTS", default=True)
VAPID = {key: envstr(f"VAPID_{key}", "") for key in ("PUBLIC_KEY", "PRIVATE_KEY", "SUBJECT")}

# --- Maps ------------------------------------------------------------------------------

MAP_TILES_URL = envstr("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = envstr(
    "MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# Address search (watch.areas.geocoding), the map's alternative for people who cannot use one.
# Off unless configured: it sends home addresses to a third party, which a municipality
# decides on (and writes into its data-processing records) before switching it on.
# --- The police's events and public warnings (VMA): "off", "recorded" or "live" ----------
# The police allow 60 calls an hour, 1,440 a day: hence the minimum of 60 s (official.fetching).
POLICE_EVENTS_BACKEND = envstr("POLICE_EVENTS_BACKEND", "off")
POLICE_EVENTS_URL = envstr("POLICE_EVENTS_URL", "https://polisen.se/api/events")
POLICE_EVENTS_RECORDED_FILE = envstr("POLICE_EVENTS_RECORDED_FILE", "")
POLICE_EVENTS_INTERVAL_SECONDS = envint("POLICE_EVENTS_INTERVAL_SECONDS", 300, minimum=60)
POLICE_EVENTS_KEEP_DAYS = envint("POLICE_EVENTS_KEEP_DAYS", 30, minimum=1)
PUBLIC_WARNINGS_BACKEND = envstr("PUBLIC_WARNINGS_BACKEND", "off")
PUBLIC_WARNINGS_URL = envstr("PUBLIC_WARNINGS_URL", "https://vmaapi.sr.se/api/v3/alerts")
PUBLIC_WARNINGS_RECORDED_FILE = envstr("PUBLIC_WARNINGS_RECORDED_FILE", "")
PUBLIC_WARNINGS_INTERVAL_SECONDS = envint("PUBLIC_WARNINGS_INTERVAL_SECONDS", 60, minimum=30)
CRISIS_NEWS_BACKEND = envstr("CRISIS_NEWS_BACKEND", "off")
CRISIS_NEWS_URL = envstr("CRISIS_NEWS_URL", "https://api.krisinformation.se/v3/news")
CRISIS_NEWS_RECORDED_FILE = envstr("CRISIS_NEWS_RECORDED_FILE", "")
CRISIS_NEWS_INTERVAL_SECONDS = envint("CRISIS_NEWS_INTERVAL_SECONDS", 300, minimum=60)
OFFICIAL_FEEDS_TIMEOUT_SECONDS = envfloat("OFFICIAL_FEEDS_TIMEOUT_SECONDS", 10.0)

GEOCODER_BACKEND = envstr("GEOCODER_BACKEND", "watch.areas.geocoding.DisabledGeocoder")
GEOCODER_URL = envstr("GEOCODER_URL", "https://nominatim.openstreetmap.org/search")
GEOCODER_TIMEOUT_SECONDS = envfloat("GEOCODER_TIMEOUT_SECONDS", 5.0)
LEAFLET_CONFIG = {
    # Default: between Mariestad, Töreboda and Gullspång.
    "DEFAULT_CENTER": (
        envfloat("MAP_CENTER_LATITUDE", 58.71),
        envfloat("MAP_CENTER_LONGITUDE", 13.95),
    ),
    "DEFAULT_ZOOM": 10,
    "TILES": [(_("Map"), MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})],
    "RESET_VIEW": False,
}

# --- Security --------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=True)
    # The proxy in front of gunicorn answers the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]

# --- Health -----------------------------------------------------------------------------

# /healthz answers 503 once the last worker heartbeat (beat schedules one a minute) is
# older than this: alerts are then not going out, whatever the web process says.
HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS = envint("HEALTHZ_HEARTBEAT_MAX_AGE_SECONDS", 180, minimum=60)

# --- Logging ---------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
