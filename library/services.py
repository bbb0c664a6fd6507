"""The library's writes that do more than save a form: its search text, its cache version and
the files left behind."""

import uuid

from django.core.cache import cache
from django.db import connection

from members.search import document as search_document

from .models import LibraryItem

LIBRARY_VERSION_KEY = "library:version"


def refresh_library_search(item_ids):
    """Recompute the stored search vectors of these items, normalised like the directory's
    (case and diacritics folded in Python: the embedded PostgreSQL has no unaccent)."""
    rows = LibraryItem.objects.filter(pk__in=list(item_ids)).values_list(
        "pk", "title", "description"
    )
    updates = [(search_document(title), search_document(text), pk) for pk, title, text in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE library_libraryitem SET search_vector ="
            " setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'B') WHERE id = %s",
            updates,
        )


def library_version():
    # A random token, as for the directory and the projects: cached pages are keyed by it.
    return cache.get_or_set(LIBRARY_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def library_changed():
    cache.set(LIBRARY_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def delete_stored_file(storage, name):
    """Remove a file no item points to any more (replaced or its item deleted)."""
    if name:
        storage.delete(name)
