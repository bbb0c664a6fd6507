"""The test suite: embedded servers stand in for missing URLs, exactly as in development."""

from association.devstack import ensure_services

ensure_services()

from .base import *  # noqa: E402,F403

DEBUG = False
SECRET_KEY = "test-secret-key-that-is-only-used-by-the-test-suite"  # noqa: S105
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Fast hashing: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests share the Redis server with a developer's `make run`: keep their keys and tasks apart.
CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = "portal-test"
# Pages are built on every request, so that query counts and behaviour are what they test; the
# page cache has tests of its own.
PAGE_CACHE_SECONDS = 0
MEDIA_ROOT = BASE_DIR / ".devdata" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".devdata" / "test-private"  # noqa: F405
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
