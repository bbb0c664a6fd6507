from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationConfig(AppConfig):
    name = "association"
    verbose_name = _("Association")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .models import NewsPost, profile_version
        from .news import news_changed, news_version
        from .pagecache import register_version

        register_version(profile_version)
        register_version(news_version)

        def on_commit_news_changed(**kwargs):
            transaction.on_commit(news_changed)

        for signal in (post_save, post_delete):
            signal.connect(on_commit_news_changed, sender=NewsPost, weak=False)
        for relation in ("topics", "organisations", "projects", "positions"):
            m2m_changed.connect(
                on_commit_news_changed,
                sender=getattr(NewsPost, relation).through,
                weak=False,
            )
