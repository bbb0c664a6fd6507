"""The waiting list: it moves up, in the order people registered, when someone cancels (the
person who moves up gets an email with the calendar file), and two people asking for the last
place at the same moment are served one after the other."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Event, Registration
from events.tasks import send_registration_email
from tests.events.registration_helpers import mail_at_once, open_event
from tests.helpers import committed_db

__all__ = ["mail_at_once"]  # a fixture used by name


def register(mail_at_once, event, email):
    registration, _ = mail_at_once(
        services.registration_create, event=event, name=email.split("@")[0], email=email
    )
    return registration


@pytest.mark.django_db
def test_a_cancellation_moves_the_first_waiting_person_up_and_tells_them(mail_at_once):
    event = open_event(title="Lighting workshop", capacity=2)
    first, _second = (register(mail_at_once, event, f"{n}@example.org") for n in ("a", "b"))
    waiting = [register(mail_at_once, event, f"{n}@example.org") for n in ("c", "d")]
    assert [r.status for r in waiting] == ["waiting", "waiting"]
    mail.outbox.clear()

    promoted = mail_at_once(services.registration_cancel, registration=first)
    assert promoted == [waiting[0]]
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "a@example.org": "cancelled",
        "b@example.org": "confirmed",
        "c@example.org": "confirmed",
        "d@example.org": "waiting",
    }
    waiting[0].refresh_from_db()
    assert waiting[0].promoted_at is not None
    (message,) = mail.outbox
    assert message.to == ["c@example.org"]
    assert message.subject == "A place is yours: Lighting workshop"
    assert message.attachments[0][2] == "text/calendar"
    assert "/events/registration/" in message.body


@pytest.mark.django_db
def test_leaving_the_waiting_list_moves_nobody_up(mail_at_once):
    event = open_event(capacity=1)
    register(mail_at_once, event, "a@example.org")
    waiting = register(mail_at_once, event, "b@example.org")
    mail.outbox.clear()
    assert mail_at_once(services.registration_cancel, registration=waiting) == []
    assert not mail.outbox
    assert services.places_left(event) == 0


@pytest.mark.django_db
def test_the_list_moves_in_the_order_people_registered(mail_at_once):
    event = open_event(capacity=1)
    holder = register(mail_at_once, event, "holder@example.org")
    late = register(mail_at_once, event, "late@example.org")
    early = register(mail_at_once, event, "early@example.org")
    Registration.objects.filter(pk=early.pk).update(created_at=late.created_at - timedelta(1))
    assert mail_at_once(services.registration_cancel, registration=holder) == [early]


@pytest.mark.django_db
def test_more_places_than_waiting_people_moves_everyone_up(mail_at_once):
    event = open_event(capacity=1)
    holder = register(mail_at_once, event, "holder@example.org")
    waiting = [register(mail_at_once, event, f"w{n}@example.org") for n in range(3)]
    Event.objects.filter(pk=event.pk).update(capacity=None)
    promoted = mail_at_once(services.registration_cancel, registration=holder)
    assert promoted == waiting


@pytest.mark.django_db
def test_once_the_event_has_started_nobody_moves_up(mail_at_once):
    event = open_event(capacity=1)
    holder = register(mail_at_once, event, "holder@example.org")
    register(mail_at_once, event, "waiting@example.org")
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert mail_at_once(services.registration_cancel, registration=holder) == []
    assert Registration.objects.get(email="waiting@example.org").status == "waiting"


@pytest.mark.django_db
def test_an_email_no_longer_true_is_not_sent(mail_at_once):
    event = open_event(capacity=1)
    registration = register(mail_at_once, event, "a@example.org")
    mail.outbox.clear()
    Registration.objects.filter(pk=registration.pk).update(
        status="cancelled", cancelled_at=timezone.now()
    )
    assert send_registration_email.run(registration.pk, "confirmation") is False
    assert send_registration_email.run(registration.pk + 1000, "confirmation") is False
    assert not mail.outbox


@committed_db
def test_two_registrations_racing_for_the_last_place_only_one_gets_it(monkeypatch):
    monkeypatch.setattr(send_registration_email, "delay", lambda *args: None)
    event = open_event(capacity=3)
    for number in range(2):
        services.registration_create(event=event, name="X", email=f"x{number}@example.org")
    # Widen the gap between counting the places and saving the registration: without the
    # event's row lock, both would count one place left and both would take it.
    counted = services.places_left

    def slow_places_left(event):
        left = counted(event)
        time.sleep(0.3)
        return left

    monkeypatch.setattr(services, "places_left", slow_places_left)
    start = threading.Barrier(2)
    errors = []

    def race(email):
        try:
            start.wait()
            services.registration_create(event=event, name="Racer", email=email)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(f"racer{n}@example.org",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    racers = Registration.objects.filter(name="Racer")
    assert sorted(racers.values_list("status", flat=True)) == ["confirmed", "waiting"]
    assert event.registrations.filter(status="confirmed").count() == 3


@committed_db
def test_the_same_address_racing_with_itself_registers_once(monkeypatch):
    sent = []
    monkeypatch.setattr(send_registration_email, "delay", lambda *args: sent.append(args))
    event = open_event(capacity=10)
    start = threading.Barrier(3)
    results = []

    def race():
        try:
            start.wait()
            results.append(
                services.registration_create(event=event, name="Twin", email="twin@example.org")[1]
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, True]
    assert Registration.objects.count() == 1
    assert len(sent) == 3  # the confirmation, then twice again


@pytest.mark.django_db
def test_more_places_move_the_waiting_list_up(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.contrib.admin.sites import site

    from tests.factories import make_secretariat_user

    event = open_event(capacity=1)
    for number in range(3):
        services.registration_create(event=event, name=f"P{number}", email=f"p{number}@example.org")
    assert list(event.registrations.values_list("status", flat=True)) == [
        "confirmed", "waiting", "waiting",
    ]  # fmt: skip
    # The admin's save with more places: the first on the list moves up, and is emailed.
    monkeypatch.setattr(send_registration_email, "delay", send_registration_email.run)
    admin = site._registry[Event]
    event.capacity = 2

    class Form:
        changed_data = ["capacity"]

    request = type("Request", (), {"user": make_secretariat_user(), "_messages": None})()
    monkeypatch.setattr(admin, "message_user", lambda *args, **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        admin.save_model(request, event, Form(), change=True)
    assert list(event.registrations.values_list("email", "status")) == [
        ("p0@example.org", "confirmed"),
        ("p1@example.org", "confirmed"),
        ("p2@example.org", "waiting"),
    ]
    assert [message.to for message in mail.outbox] == [["p1@example.org"]]
    # Fewer or the same places move nobody.
    assert services.event_places_changed(event=event) == []
