from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self):
        from association.pagecache import register_version

        from . import signals  # noqa: F401 - connects the receivers
        from .services import advocacy_version

        register_version(advocacy_version)
