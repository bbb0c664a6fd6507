from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from association.pagecache import register_version

        from . import signals  # noqa: F401 - connects the receivers
        from .services import projects_version

        register_version(projects_version)
