"""Files only some visitors may have: kept in the "private" storage (settings.STORAGES), which
has no public URL, and streamed by views that check the visitor's right first."""

import mimetypes
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.http import FileResponse


def private_storage():
    # A callable, so that migrations name this function rather than a storage's settings. A
    # FileField calls it once, when its model loads: tests that want another place swap the
    # field's storage (tests/library/conftest.py).
    return storages["private"]


def private_file_response(field_file, *, download_name=None):
    """The file as an attachment, with its content type, from whatever the storage is."""
    name = download_name or PurePosixPath(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
