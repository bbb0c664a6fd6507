"""Shared by the registration tests: events to register for, and emails sent at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from events.tasks import send_registration_email
from tests.factories import make_event

REGISTER = "/en/events/{}/register/"


def open_event(**fields):
    """A published event, open for registration, starting in a week."""
    return make_event(**fields)


def form_data(**changes):
    data = {
        "name": "Ona Linaitė",
        "email": "ona@example.org",
        "organisation_name": "Kauno choras",
        "needs": "Vegetarian lunch",
        "consent": "on",
    }
    return data | changes


@pytest.fixture
def mail_at_once(monkeypatch, django_capture_on_commit_callbacks):
    """Without a worker: each queued email is built and sent to the locmem outbox when its
    registration commits. Returns a function that runs a callable that way."""
    monkeypatch.setattr(send_registration_email, "delay", send_registration_email.run)

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def soon(hours):
    return (timezone.now() + timedelta(hours=hours)).replace(microsecond=0)


__all__ = ["REGISTER", "Event", "form_data", "mail_at_once", "open_event", "soon"]
