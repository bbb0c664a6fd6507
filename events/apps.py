from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from association.models import Topic
        from association.pagecache import register_version

        from .models import Event, EventDocument, Registration
        from .selectors import events_changed, events_version

        register_version(events_version)

        def on_commit_events_changed(**kwargs):
            transaction.on_commit(events_changed)

        # Topics are the list's filter choices and badges; registrations change the places left
        # that an event's page shows visitors.
        for sender in (Event, EventDocument, Registration, Topic):
            for signal in (post_save, post_delete):
                signal.connect(on_commit_events_changed, sender=sender, weak=False)
        m2m_changed.connect(on_commit_events_changed, sender=Event.topics.through, weak=False)
