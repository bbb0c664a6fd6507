from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Members' library")

    def ready(self):
        from association.pagecache import register_version

        from . import signals  # noqa: F401 - connects the receivers
        from .services import library_version

        register_version(library_version)
