from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from association.pagecache import register_version

        from . import signals  # noqa: F401 - connects the receivers
        from .services import directory_version

        register_version(directory_version)
