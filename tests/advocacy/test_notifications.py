"""Member staff hear of positions open for their input: the email when one opens and the
reminder before its deadline go through a real Celery worker to a real SMTP server, to exactly
the people who want them, and the reminder goes once however often (and however concurrently)
Celery beat runs its task."""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import formats, timezone

from advocacy import services, tasks
from advocacy.models import Position
from association.celery import app
from association.tasks import send_email
from members.models import Role
from tests.factories import (
    make_organisation,
    make_position,
    make_secretariat_user,
    make_user,
)
from tests.helpers import committed_db

WANT_IT = ["ausra@centras.example.org", "jonas@filialas.example.org", "ona@centras.example.org"]


def build_people():
    """Member staff who want the emails (one of them with roles in two organisations), and
    people who must not get them: who turned them off, whose address is not confirmed (or is
    not the one confirmed), who is deactivated, who holds no role (the secretariat included)."""
    centre = make_organisation(name="Kaimo kultūros centras")
    branch = make_organisation(name="Filialas", parent=None)

    def staff(email, organisation=centre, level="editor", **fields):
        user = make_user(email=email, **fields)
        Role.objects.create(user=user, organisation=organisation, level=level)
        return user

    ona = staff("ona@centras.example.org", level="admin")
    Role.objects.create(user=ona, organisation=branch, level="editor")
    staff("jonas@filialas.example.org", organisation=branch)
    staff("ausra@centras.example.org")
    staff("declines@centras.example.org", notify_advocacy=False)
    staff("unconfirmed@centras.example.org", verified=False)
    staff("gone@centras.example.org", is_active=False)
    moved = staff("moved@centras.example.org")
    moved.email = "moved-to@elsewhere.example.org"  # the new address is not confirmed yet
    moved.save()
    make_user(email="no-role@example.org")
    make_secretariat_user(email="desk@example.org")


def _deadline_text(deadline):
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")


# --- Without a worker -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_audience_is_exactly_who_wants_it_in_a_stable_order():
    build_people()
    assert list(tasks.audience().values_list("email", flat=True)) == WANT_IT


@pytest.mark.django_db
def test_the_opening_email_says_what_when_and_where(
    monkeypatch, django_capture_on_commit_callbacks
):
    build_people()
    monkeypatch.setattr(send_email, "delay", send_email.run)
    deadline = timezone.now() + timedelta(days=10)
    position = make_position(
        status="input",
        title="Kultūros & meno įstatymas",
        slug="kulturos-istatymas",
        summary="The ministry asks about <the new law>.",
        input_deadline=deadline,
    )
    # Each message is queued once its row would be committed; here they are sent at once.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_input_opened(position.pk) == 3
    assert [message.to for message in mail.outbox] == [[email] for email in WANT_IT]
    message = mail.outbox[0]
    # Plain text: nothing is escaped as for HTML.
    assert message.subject == "Open for your input: Kultūros & meno įstatymas"
    assert "is preparing “Kultūros & meno įstatymas”" in message.body
    assert f"Input is open until: {_deadline_text(deadline)}\n" in message.body
    assert "The ministry asks about <the new law>." in message.body
    assert f"{settings.SITE_URL}/en/my/advocacy/kulturos-istatymas/input/" in message.body
    assert f"{settings.SITE_URL}/en/my/advocacy/notifications/" in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["draft", "drafting", "published"])
def test_a_position_no_longer_open_sends_nothing(monkeypatch, status):
    build_people()
    monkeypatch.setattr(send_email, "delay", send_email.run)
    position = make_position(status=status)
    assert tasks.notify_input_opened(position.pk) == 0
    assert tasks.notify_input_opened(999_999_999) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_only_positions_closing_within_two_days_are_reminded_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    build_people()
    monkeypatch.setattr(send_email, "delay", send_email.run)
    now = timezone.now()
    due = make_position(status="input", title="Due", input_deadline=now + timedelta(hours=40))
    for title, status, deadline, reminded in [
        ("Later", "input", now + timedelta(days=3), None),
        ("Passed", "input", now - timedelta(minutes=1), None),
        ("Reminded", "input", now + timedelta(hours=20), now - timedelta(hours=1)),
        ("Drafting", "drafting", now + timedelta(hours=20), None),
    ]:
        make_position(
            status=status, title=title, input_deadline=deadline, input_reminded_at=reminded
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_input_deadlines() == 3
        assert tasks.remind_input_deadlines() == 0
    assert {message.subject for message in mail.outbox} == {"Input closes soon: Due"}
    assert len(mail.outbox) == 3
    due.refresh_from_db()
    assert due.input_reminded_at is not None
    assert f"Input is open until: {_deadline_text(due.input_deadline)}" in mail.outbox[0].body


def test_celery_beat_runs_the_reminder_every_half_hour():
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "advocacy.tasks.remind_input_deadlines"
    ]
    assert entry["schedule"] == 30 * 60
    app.loader.import_default_modules()
    assert "advocacy.tasks.remind_input_deadlines" in app.tasks
    assert "advocacy.tasks.notify_input_opened" in app.tasks


# --- Through the worker and the SMTP server ---------------------------------------------------


def _settle(sink, count, wait=1.5):
    """The `count` messages, and proof that no more come."""
    sink.wait_for(count)
    time.sleep(wait)
    assert len(sink.messages) == count, [message["To"] for message in sink.messages]
    return sink.messages


@committed_db
def test_opening_for_input_emails_exactly_the_staff_who_want_it(smtp_sink, celery_worker):
    build_people()
    deadline = timezone.now() + timedelta(days=14)
    position = make_position(
        status="draft",
        title="Atsakymas į konsultaciją",
        slug="atsakymas",
        input_deadline=deadline,
    )
    with transaction.atomic():
        services.position_move(position=position, to=Position.Status.INPUT)

    messages = _settle(smtp_sink, 3)
    assert sorted(message["To"] for message in messages) == WANT_IT
    for message in messages:
        assert message["Subject"].strip() == "Open for your input: Atsakymas į konsultaciją"
        text = smtp_sink.text(message)
        assert f"Input is open until: {_deadline_text(deadline)}" in text
        assert f"{settings.SITE_URL}/en/my/advocacy/atsakymas/input/" in text


@committed_db
def test_the_reminder_goes_once_however_often_beat_runs(smtp_sink, celery_worker):
    build_people()
    make_position(
        status="input",
        title="Closing soon",
        input_deadline=timezone.now() + timedelta(hours=30),
    )
    # Twice through the worker, one after the other.
    tasks.remind_input_deadlines.delay()
    tasks.remind_input_deadlines.delay()
    messages = _settle(smtp_sink, 3)
    assert sorted(message["To"] for message in messages) == WANT_IT
    subjects = {message["Subject"].strip() for message in messages}
    assert subjects == {"Input closes soon: Closing soon"}


@committed_db
def test_concurrent_beats_claim_each_position_once(smtp_sink, celery_worker):
    build_people()
    for number in range(5):
        make_position(
            status="input",
            title=f"Closing {number}",
            input_deadline=timezone.now() + timedelta(hours=10 + number),
        )
    runners = 6
    start = threading.Barrier(runners)
    claimed = []

    def beat():
        try:
            start.wait()
            claimed.append(tasks.claim_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Between them the runs claimed each position exactly once.
    ids = sorted(pk for run in claimed for pk in run)
    assert ids == sorted(Position.objects.values_list("pk", flat=True))
    assert Position.objects.filter(input_reminded_at=None).count() == 0

    # And the whole task, run concurrently, sends nothing more: everything is claimed.
    threads = [
        threading.Thread(target=lambda: (tasks.remind_input_deadlines(), connection.close()))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(1)
    assert smtp_sink.messages == []


@committed_db
def test_concurrent_reminder_tasks_send_each_message_once(smtp_sink, celery_worker):
    build_people()
    make_position(
        status="input",
        title="Closing tonight",
        input_deadline=timezone.now() + timedelta(hours=6),
    )
    start = threading.Barrier(4)

    def beat():
        try:
            start.wait()
            tasks.remind_input_deadlines()
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = _settle(smtp_sink, 3)
    assert sorted(message["To"] for message in messages) == WANT_IT
