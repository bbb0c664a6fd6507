"""Development: `make run` and manage.py on a laptop. Embedded servers stand in for missing URLs."""

from association.devstack import ensure_services

ensure_services()

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, EMAIL_HOST, env_bool, env_int  # noqa: E402

DEBUG = env_bool("DEBUG", True)
# Nothing leaves a development machine: every message lands in the outbox at /dev/outbox/,
# unless the developer points EMAIL_HOST at a mail server on purpose.
if not EMAIL_HOST:
    EMAIL_BACKEND = "association.mail.OutboxBackend"
MEDIA_ROOT = BASE_DIR / ".devdata" / "media"
# A developer changing a template wants to see it at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
