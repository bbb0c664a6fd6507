"""Reads of the public events pages: which events a visitor sees, the version token of the
cached pages that show events, and the values kept under it."""

import time
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone

from association import versioned
from association.models import Topic

from .models import Event

EVENTS_VERSION_KEY = "events:version"
PROFILE_EVENTS = 3
FEED_PAST = timedelta(days=30)


def events_version():
    """A random token, as for the news: cached pages that show events are keyed by it. It
    changes with every change to the events, and when the next listed event ends (kept beside
    it), since that event then leaves the upcoming list for the archive with nothing written."""
    state = cache.get(EVENTS_VERSION_KEY)
    if state is None or (state["due"] is not None and state["due"] <= time.time()):
        due = listed().upcoming().aggregate(due=Min("ends_at"))["due"]
        state = {"token": uuid.uuid4().hex, "due": due.timestamp() if due else None}
        cache.set(EVENTS_VERSION_KEY, state, timeout=None)
    return state["token"]


def events_changed(**kwargs):
    cache.delete(EVENTS_VERSION_KEY)


def cached(name, build):
    """A value derived from events (a count, a profile's next events), kept until they change."""
    return versioned.cached("events", events_version, name, build)


def listed():
    """The events anyone may see: published ones, and cancelled ones (with a notice), so that
    people who planned to come learn of it where they found the event."""
    return Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])


def for_list(queryset):
    """What a list of events shows: its organiser and place; topics are prefetched."""
    return (
        queryset.select_related("organiser", "municipality")
        .defer("description", "online_url", "organiser__description")
        .prefetch_related("topics")
    )


def public_feed(now=None):
    """The events of the public calendar feeds: open to everyone, upcoming or ended in the last
    30 days (so that a subscribed calendar keeps what just happened), cancelled ones marked."""
    now = now or timezone.now()
    return (
        listed()
        .filter(audience=Event.Audience.PUBLIC)
        .upcoming(now - FEED_PAST)
        .order_by("starts_at", "id")
    )


def topics():
    """The topics, for the filter's choices and the feeds: few, kept until events change (a
    topic's change counts as one)."""
    return cached("topics", lambda: list(Topic.objects.all()))


def organisation_events(organisation):
    """An organisation's next published events, for its profile (kept until events change)."""
    return cached(
        f"organisation:{organisation.pk}",
        lambda: list(
            Event.objects.published()
            .upcoming()
            .filter(organiser=organisation)
            .defer("description", "online_url")
            .order_by("starts_at", "id")[:PROFILE_EVENTS]
        ),
    )
