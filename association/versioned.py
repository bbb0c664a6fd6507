"""Values derived from content (counts, totals, filter choices), kept in the cache under the
content's version token, so that any change to that content leaves them behind at once."""

import hashlib

from django.core.cache import cache

CACHE_SECONDS = 60 * 60


def cached(prefix, version, name, build):
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return cache.get_or_set(f"{prefix}:{digest}:{version()}", build, CACHE_SECONDS)
