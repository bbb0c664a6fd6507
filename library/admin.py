from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.urls import reverse

from .models import LibraryItem


class _StoredFile:
    """What the file widget shows of the stored file: its name, linked to the download view."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class PrivateFileWidget(AdminFileWidget):
    # The private storage's own url() would be a public media address, where the file is not.
    download_url = None

    def format_value(self, value):
        value = super().format_value(value)
        return _StoredFile(value.name, self.download_url) if value and self.download_url else None


@admin.register(LibraryItem)
class LibraryItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "visibility", "language", "published", "published_at"]
    list_filter = ["published", "visibility", "kind", "language", "topics"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    date_hierarchy = "published_at"
    formfield_overrides = {
        LibraryItem._meta.get_field("file").__class__: {"widget": PrivateFileWidget}
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.file:
            form.base_fields["file"].widget.download_url = reverse("library:file", args=[obj.slug])
        return form
