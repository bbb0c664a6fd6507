"""Whole pages kept for visitors without a session, until any content they may show changes.

Each app registers the function that gives its content's version token (the directory, the
projects, the association's profile); a page is keyed by all of them, so a change anywhere
refreshes every cached page (a profile lists projects, a project names organisations).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

_versions = []


def register_version(version):
    if version not in _versions:
        _versions.append(version)


def cached_for_visitors(view):
    """The page as a visitor without a session sees it. Anyone with a session or a pending
    message gets it fresh: their page differs (a user menu, a message)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal = request.COOKIES.keys() & {settings.SESSION_COOKIE_NAME, "messages"}
        if request.method != "GET" or personal or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        variant = "|".join(
            str(part)
            for part in [
                *(version() for version in _versions),
                get_language(),
                request.headers.get("HX-Request", ""),
                request.headers.get("HX-History-Restore-Request", ""),
                request.get_full_path(),
            ]
        )
        key = "page:" + hashlib.sha256(variant.encode()).hexdigest()
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            kept = (response.content, response["Content-Type"])
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
