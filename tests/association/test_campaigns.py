"""Newsletter campaigns go out through a real Celery worker to a real SMTP server: every
confirmed, matching, unsuppressed subscriber gets exactly one message, whatever runs twice, and
PostgreSQL rows (not the broker) say what was sent."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from association import campaigns
from association.models import Campaign, Delivery, Subscriber, Suppression
from tests.factories import make_region, make_secretariat_user, make_topic
from tests.helpers import committed_db


@pytest.fixture(autouse=True)
def _fast_sending(settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.NEWSLETTER_RETRY_SECONDS = 0
    settings.NEWSLETTER_DRAINS = 2
    settings.SITE_URL = "https://portal.example.org"
    yield
    campaigns.smtp_close()


@pytest.fixture
def no_worker(monkeypatch):
    """The test drains itself: no drain task is queued for a later test's worker to find."""
    monkeypatch.setattr(campaigns, "queue_drains", lambda *args, **kwargs: None)


def make_subscriber(email, status="confirmed", language="en", topics=(), regions=()):
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        email=email,
        status=status,
        language=language,
        confirmed_at=now if status == "confirmed" else None,
        unsubscribed_at=now if status == "unsubscribed" else None,
    )
    subscriber.topics.set(topics)
    subscriber.regions.set(regions)
    return subscriber


def make_campaign(**fields):
    topics = fields.pop("topics", ())
    regions = fields.pop("regions", ())
    fields.setdefault("subject", "Spring news")
    fields.setdefault("intro", "Hello & welcome <friends>.")
    campaign = Campaign.objects.create(**fields)
    campaign.topics.set(topics)
    campaign.regions.set(regions)
    return campaign


def build_audience():
    """Three who must get it (topic and region match, or they chose none), and people who
    must not."""
    culture, sport = make_topic(name="Culture"), make_topic(name="Sport")
    north, south = make_region(name="North"), make_region(name="South")
    make_subscriber("south@example.org", topics=[culture], regions=[south])
    make_subscriber("ona@example.org", topics=[culture])
    make_subscriber("jonas@example.org", regions=[north])
    make_subscriber("ausra@example.org", topics=[culture, sport], regions=[north])
    make_subscriber("sport-only@example.org", topics=[sport])
    make_subscriber("pending@example.org", status="pending", topics=[culture])
    make_subscriber("left@example.org", status="unsubscribed", topics=[culture])
    make_subscriber("bounced@example.org", topics=[culture])
    Suppression.objects.create(email="bounced@example.org", reason="hard-bounce")
    make_subscriber("swede@example.org", language="sv", topics=[culture])
    return make_campaign(language="en", topics=[culture], regions=[north])


WANT_IT = ["ausra@example.org", "jonas@example.org", "ona@example.org"]


def _settle(sink, count, wait=1.5):
    sink.wait_for(count, timeout=30)
    time.sleep(wait)
    assert len(sink.messages) == count, sorted(message["To"] for message in sink.messages)
    return sink.messages


def _statuses(campaign):
    return dict(campaign.deliveries.values_list("email", "status"))


def _wait_for_status(campaign, *statuses, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        campaign.refresh_from_db()
        if campaign.status in statuses:
            return campaign
        time.sleep(0.1)
    raise AssertionError(f"campaign still {campaign.status}")


# --- Without a worker -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_deliveries_are_filled_once_with_the_matching_audience():
    campaign = build_audience()
    assert campaigns.campaign_start(campaign=campaign) == 3
    assert campaigns.campaign_start(campaign=campaign) == 0
    assert sorted(campaign.deliveries.values_list("email", flat=True)) == WANT_IT
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    assert campaign.started_at is not None
    # Rendered once, with each recipient's links left to fill in.
    assert "Hello &amp; welcome &lt;friends&gt;." in campaign.html
    assert '<h1 style="' in campaign.html  # CSS inlined, and the dark-mode rules kept
    assert "prefers-color-scheme: dark" in campaign.html
    assert "Hello & welcome <friends>." in campaign.text
    assert campaigns.PLACEHOLDERS["unsubscribe_url"] in campaign.text


@pytest.mark.django_db
def test_an_empty_audience_means_every_sendable_subscriber():
    build_audience()
    campaign = make_campaign()
    assert campaigns.campaign_start(campaign=campaign) == 6


@pytest.mark.django_db
def test_the_reaper_never_resends_an_interrupted_send(django_capture_on_commit_callbacks):
    campaign = make_campaign(status=Campaign.Status.SENDING)
    past = timezone.now() - timedelta(seconds=1)
    sending = Delivery.objects.create(
        campaign=campaign, email="a@example.org", status="sending", lease_expires_at=past
    )
    claimed = Delivery.objects.create(
        campaign=campaign, email="b@example.org", status="claimed", lease_expires_at=past
    )
    fresh = Delivery.objects.create(
        campaign=campaign,
        email="c@example.org",
        status="sending",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert campaigns.reap() == {"unknown": 1, "released": 1}
    assert len(callbacks) == 1  # drains queued: a row is pending again
    for row in (sending, claimed, fresh):
        row.refresh_from_db()
    assert (sending.status, claimed.status, fresh.status) == ("unknown", "pending", "sending")

    # Only the secretariat sends the uncertain one again.
    Delivery.objects.filter(pk__in=[claimed.pk, fresh.pk]).update(status="sent")
    assert campaigns.campaign_finish_if_done(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FAILED
    assert campaigns.resend_unknown(campaign=campaign) == 1
    sending.refresh_from_db()
    campaign.refresh_from_db()
    assert (sending.status, campaign.status) == ("pending", Campaign.Status.SENDING)


@pytest.mark.django_db
def test_the_reaper_starts_a_scheduled_campaign_when_its_time_comes(
    django_capture_on_commit_callbacks,
):
    make_subscriber("ona@example.org")
    soon = make_campaign(status="scheduled", scheduled_at=timezone.now() + timedelta(hours=1))
    due = make_campaign(status="scheduled", scheduled_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks():
        campaigns.reap()
    soon.refresh_from_db()
    due.refresh_from_db()
    assert (soon.status, due.status) == ("scheduled", "sending")
    assert due.deliveries.count() == 1


@pytest.mark.django_db
def test_the_secretariat_sends_itself_a_test_from_the_list(
    client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from association.tasks import send_email

    monkeypatch.setattr(send_email, "delay", send_email.run)
    make_subscriber("ona@example.org")
    client.force_login(make_secretariat_user(email="desk@example.org"))
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/association/campaign/",
            {"action": "send_test", "_selected_action": [campaign.pk]},
        )
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["desk@example.org"]]
    assert mailoutbox[0].subject == "[TEST] Spring news"
    campaign.refresh_from_db()
    assert campaign.status == "draft" and not campaign.deliveries.exists()


def test_celery_beat_runs_the_reaper_every_minute():
    from django.conf import settings

    from association.celery import app

    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "association.tasks.reap_campaigns"
    ]
    assert entry["schedule"] == 60
    app.loader.import_default_modules()
    assert {"association.tasks.drain_campaign", "association.tasks.reap_campaigns"} <= set(
        app.tasks
    )


@pytest.mark.django_db
def test_the_progress_view_counts_and_refreshes_itself(client):
    client.force_login(make_secretariat_user())
    campaign = make_campaign(status=Campaign.Status.SENDING)
    for number, status in enumerate(["pending", "sent", "sent", "failed", "unknown"]):
        Delivery.objects.create(
            campaign=campaign,
            email=f"p{number}@example.org",
            status=status,
            sent_at=timezone.now() if status == "sent" else None,
        )
    progress = campaigns.progress(campaign)
    assert {key: progress[key] for key in ("pending", "sent", "failed", "unknown")} == {
        "pending": 1,
        "sent": 2,
        "failed": 1,
        "unknown": 1,
    }
    page = client.get(f"/admin/association/campaign/{campaign.pk}/progress/")
    assert page.status_code == 200
    assert b'<meta http-equiv="refresh" content="5">' in page.content
    assert b"Resend 1 uncertain message" in page.content
    preview = client.get(f"/admin/association/campaign/{campaign.pk}/preview/")
    assert preview.status_code == 200
    assert b"Spring news" in preview.content
    assert "script-src" not in preview["Content-Security-Policy"]
    assert "default-src 'none'" in preview["Content-Security-Policy"]


# --- Through the worker and the SMTP server ---------------------------------------------------


@committed_db
def test_every_matching_subscriber_gets_exactly_one_message(smtp_sink, celery_worker):
    campaign = build_audience()
    campaigns.campaign_start(campaign=campaign)
    campaigns.campaign_start(campaign=campaign)  # a second click changes nothing
    messages = _settle(smtp_sink, 3)
    assert sorted(message["To"] for message in messages) == WANT_IT
    ids = dict(campaign.deliveries.values_list("email", "pk"))
    for message in messages:
        email = message["To"]
        assert message["Message-ID"] == (
            f"<campaign-{campaign.pk}.delivery-{ids[email]}@portal.example.org>"
        )
        assert message["List-Unsubscribe"].strip().startswith("<https://portal.example.org/")
        assert "mailto:" in message["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
        text = smtp_sink.text(message)
        assert "Hello & welcome <friends>." in text
        assert "invalid/" not in text  # each recipient's own links
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "invalid/" not in html
    _wait_for_status(campaign, Campaign.Status.FINISHED)
    assert set(_statuses(campaign).values()) == {"sent"}


@committed_db
def test_two_drains_at_once_send_nobody_twice(smtp_sink, no_worker):
    for number in range(60):
        make_subscriber(f"person{number:02}@example.org")
    campaign = make_campaign()
    campaigns.campaign_start(campaign=campaign)
    campaigns.campaign_start(campaign=campaign)
    start = threading.Barrier(3)

    def drain():
        try:
            start.wait()
            campaigns.drain(campaign.pk)
        finally:
            campaigns.smtp_close()
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = _settle(smtp_sink, 60, wait=0.5)
    recipients = [message["To"] for message in messages]
    assert len(set(recipients)) == 60
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED


def _answer(sink, codes):
    """The server refuses some recipients: codes maps an address to the answers it gives, in
    turn, before it accepts the address."""
    calls = {}

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        answers = codes.get(address, [])
        calls[address] = calls.get(address, 0) + 1
        if calls[address] <= len(answers):
            return answers[calls[address] - 1]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    sink.handle_RCPT = handle_RCPT
    return calls


@committed_db
def test_a_temporary_failure_is_retried_and_a_hard_bounce_is_suppressed(smtp_sink, celery_worker):
    calls = _answer(
        smtp_sink,
        {
            "busy@example.org": ["451 Try again later", "451 Try again later"],
            "nobody@example.org": ["550 No such user"],
        },
    )
    for email in ["busy@example.org", "nobody@example.org", "fine@example.org"]:
        make_subscriber(email)
    campaign = make_campaign()
    campaigns.campaign_start(campaign=campaign)
    messages = _settle(smtp_sink, 2)
    assert sorted(message["To"] for message in messages) == [
        "busy@example.org",
        "fine@example.org",
    ]
    _wait_for_status(campaign, Campaign.Status.FAILED)
    assert _statuses(campaign) == {
        "busy@example.org": "sent",
        "nobody@example.org": "failed",
        "fine@example.org": "sent",
    }
    busy = campaign.deliveries.get(email="busy@example.org")
    assert busy.attempts == 3
    assert calls["busy@example.org"] == 3
    assert calls["nobody@example.org"] == 1
    assert Suppression.objects.get(email="nobody@example.org").reason == "hard-bounce"


@committed_db
def test_after_five_temporary_failures_a_delivery_fails(smtp_sink, no_worker):
    _answer(smtp_sink, {"full@example.org": ["452 Mailbox full"] * 10})
    make_subscriber("full@example.org")
    campaign = make_campaign()
    campaigns.campaign_start(campaign=campaign)
    campaigns.drain(campaign.pk)
    row = campaign.deliveries.get()
    assert (row.status, row.attempts) == ("failed", 5)
    assert "452" in row.last_error
    assert not Suppression.objects.filter(email="full@example.org").exists()


@committed_db
def test_pause_stops_sending_and_resume_finishes(smtp_sink, celery_worker, settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 20
    settings.NEWSLETTER_BATCH = 10
    for number in range(80):
        make_subscriber(f"reader{number:02}@example.org")
    campaign = make_campaign()
    campaigns.campaign_start(campaign=campaign)
    smtp_sink.wait_for(5)
    assert campaigns.campaign_pause(campaign=campaign)
    time.sleep(2.5)  # what was being sent when the pause came has arrived
    paused_at = len(smtp_sink.messages)
    time.sleep(1.5)
    assert len(smtp_sink.messages) == paused_at < 80
    assert campaign.deliveries.filter(status="pending").count() == 80 - paused_at

    assert campaigns.campaign_resume(campaign=campaign)
    messages = _settle(smtp_sink, 80)
    assert len({message["To"] for message in messages}) == 80
    _wait_for_status(campaign, Campaign.Status.FINISHED)


@committed_db
def test_the_rate_limit_is_shared(smtp_sink, settings, no_worker):
    settings.NEWSLETTER_RATE_PER_SECOND = 10
    for number in range(25):
        make_subscriber(f"slow{number:02}@example.org")
    campaign = make_campaign()
    campaigns.campaign_start(campaign=campaign)
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=lambda: (
                campaigns.drain(campaign.pk),
                campaigns.smtp_close(),
                connection.close(),
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 25 messages at 10 a second, whatever the number of drains: they span three one-second
    # windows, so more than one second.
    assert time.monotonic() - started > 1.0
    assert len(smtp_sink.wait_for(25)) == 25


# --- Fault test: a sending process killed with SIGKILL ----------------------------------------

DRAIN_SCRIPT = """
import sys
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST = "127.0.0.1"
settings.EMAIL_PORT = int(sys.argv[2])
settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
settings.NEWSLETTER_RATE_PER_SECOND = 0
settings.NEWSLETTER_RETRY_SECONDS = 0
settings.SITE_URL = "https://portal.example.org"
from association.campaigns import drain
drain(int(sys.argv[1]))
"""


def _drain_process(campaign, port):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "association.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
    }
    return subprocess.Popen(
        [sys.executable, "-c", DRAIN_SCRIPT, str(campaign.pk), str(port)], env=env
    )


@committed_db
def test_a_killed_sender_mails_nobody_twice(smtp_sink, settings, no_worker):
    if not connection.settings_dict["HOST"]:
        pytest.skip("needs PostgreSQL over TCP (DATABASE_URL) for the other processes")
    hard = [f"hard{number}@example.org" for number in range(5)]
    soft = [f"soft{number}@example.org" for number in range(5)]
    _answer(
        smtp_sink,
        {**{email: ["550 No such user"] for email in hard}, **{e: ["451 Later"] for e in soft}},
    )
    now = timezone.now()
    emails = [f"member{number:04}@example.org" for number in range(1990)] + hard + soft
    Subscriber.objects.bulk_create(
        Subscriber(email=email, status="confirmed", confirmed_at=now) for email in emails
    )
    campaign = make_campaign()
    assert campaigns.campaign_start(campaign=campaign) == 2000
    port = settings.EMAIL_PORT

    first = _drain_process(campaign, port)
    smtp_sink.wait_for(300, timeout=60)
    first.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    assert len(smtp_sink.messages) < 2000  # killed in the middle
    # The dead process's leases run out.
    later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS + 1)
    reaped = campaigns.reap(now=later)
    assert reaped["unknown"] <= 1

    second = _drain_process(campaign, port)
    assert second.wait(timeout=120) == 0
    received = [message["To"] for message in smtp_sink.messages]
    assert len(received) == len(set(received))  # nobody twice
    rows = _statuses(campaign)
    assert list(rows.values()).count("unknown") <= 1
    for email, status in rows.items():
        assert status in ("sent", "failed", "unknown"), (email, status)
        if status == "sent":
            assert received.count(email) == 1
    assert {email: rows[email] for email in hard} == dict.fromkeys(hard, "failed")
    assert Suppression.objects.filter(email__in=hard, reason="hard-bounce").count() == 5
    assert all(rows[email] in ("sent", "unknown") for email in soft)
    assert received.count(hard[0]) == 0
    assert sum(status == "sent" for status in rows.values()) >= 1994
