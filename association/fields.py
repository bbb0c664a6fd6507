from django.db import models


class URLField(models.URLField):
    """A URL field whose forms read "example.org" as https://example.org (Django 6's default)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
