"""The reminder the day before: to confirmed registrations of published events starting in the
window, once, even when the task runs twice, or twice at the same moment."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Registration
from events.tasks import send_event_reminders, send_registration_email
from tests.events.registration_helpers import mail_at_once, open_event
from tests.helpers import committed_db

__all__ = ["mail_at_once"]  # a fixture used by name


def register(event, email):
    registration, _ = services.registration_create(event=event, name="Ona", email=email)
    return registration


def test_the_task_runs_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["event-reminders"]
    assert entry == {"task": "events.tasks.send_event_reminders", "schedule": 3600}


@pytest.mark.django_db
def test_confirmed_people_of_tomorrows_events_are_reminded_once(mail_at_once):
    tomorrow = open_event(title="Costume making", starts_in=timedelta(hours=24), capacity=1,
                          online=True, online_url="https://meet.example.org/c")  # fmt: skip
    confirmed = mail_at_once(register, tomorrow, "yes@example.org")
    mail_at_once(register, tomorrow, "waiting@example.org")
    gone = mail_at_once(register, open_event(starts_in=timedelta(hours=20)), "gone@example.org")
    mail_at_once(services.registration_cancel, registration=gone)
    mail_at_once(register, open_event(starts_in=timedelta(days=3)), "later@example.org")
    mail_at_once(register, open_event(starts_in=timedelta(hours=6)), "today@example.org")
    cancelled_event = open_event(starts_in=timedelta(hours=24))
    mail_at_once(register, cancelled_event, "off@example.org")
    cancelled_event.status = "cancelled"
    cancelled_event.save()
    mail.outbox.clear()

    assert mail_at_once(send_event_reminders.run) == 1
    (message,) = mail.outbox
    assert message.to == ["yes@example.org"]
    assert message.subject.startswith("Reminder: Costume making, ")
    assert "https://meet.example.org/c" in message.body
    assert "/events/registration/" in message.body
    confirmed.refresh_from_db()
    assert confirmed.reminded_at is not None

    assert mail_at_once(send_event_reminders.run) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_someone_who_moves_up_after_the_reminders_is_reminded_at_the_next_run(mail_at_once):
    event = open_event(starts_in=timedelta(hours=30), capacity=1)
    holder = mail_at_once(register, event, "holder@example.org")
    mail_at_once(register, event, "next@example.org")
    mail_at_once(send_event_reminders.run)
    mail_at_once(services.registration_cancel, registration=holder)
    mail.outbox.clear()
    assert mail_at_once(send_event_reminders.run) == 1
    assert mail.outbox[0].to == ["next@example.org"]


@committed_db
def test_two_runs_at_the_same_moment_remind_each_person_once(monkeypatch):
    queued = []
    monkeypatch.setattr(
        send_registration_email, "delay", lambda pk, kind: queued.append((pk, kind))
    )
    event = open_event(starts_in=timedelta(hours=24))
    for number in range(40):
        register(event, f"p{number}@example.org")
    queued.clear()
    start = threading.Barrier(3)

    def run():
        try:
            start.wait()
            services.claim_reminders()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reminders = [pk for pk, kind in queued if kind == "reminder"]
    assert len(reminders) == 40
    assert len(set(reminders)) == 40
    assert not Registration.objects.filter(reminded_at__isnull=True).exists()
    assert services.claim_reminders(timezone.now()) == []
