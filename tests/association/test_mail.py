import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from association.mail import message_from_dict, message_to_dict, outbox_messages, queue_email
from association.tasks import send_email
from tests.helpers import committed_db


def make_message(**overrides):
    fields = {
        "subject": "Invitation to the portal",
        "body": "Follow https://portal.example.org/accept/abc/ to join.",
        "from_email": "Portal <portal@example.org>",
        "to": ["rasa@example.org"],
        "headers": {"List-Id": "news.example.org"},
    } | overrides
    message = EmailMultiAlternatives(**fields)
    message.attach_alternative("<p>Follow the link to join.</p>", "text/html")
    return message


def test_a_message_survives_the_trip_through_the_queue():
    original = make_message(cc=["cc@example.org"], reply_to=["office@example.org"])
    copy = message_from_dict(message_to_dict(original))
    for attribute in ("subject", "body", "from_email", "to", "cc", "reply_to", "extra_headers"):
        assert getattr(copy, attribute) == getattr(original, attribute)
    assert copy.alternatives == original.alternatives


@committed_db
def test_queued_mail_is_sent_by_the_worker_after_commit(smtp_sink, celery_worker):
    queue_email(make_message())  # autocommit: the task is queued at once
    (received,) = smtp_sink.wait_for(1)
    assert received["Subject"] == "Invitation to the portal"
    assert received["To"] == "rasa@example.org"
    assert received["List-Id"] == "news.example.org"
    assert "https://portal.example.org/accept/abc/" in smtp_sink.text(received)
    assert received.get_body(preferencelist=("html",)) is not None


@pytest.mark.django_db
def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue_email(make_message())
    assert len(callbacks) == 1  # runs only on commit; a rollback drops it


def test_send_email_task_sends_through_the_configured_backend():
    send_email.run(message_to_dict(make_message()))
    assert [message.subject for message in mail.outbox] == ["Invitation to the portal"]


def test_outbox_backend_keeps_each_message(settings, tmp_path):
    settings.EMAIL_BACKEND = "association.mail.OutboxBackend"
    settings.OUTBOX_DIR = tmp_path
    make_message().send()
    make_message(subject="Second").send()
    subjects = [message.subject for message in outbox_messages()]
    assert sorted(subjects) == ["Invitation to the portal", "Second"]
    assert outbox_messages()[0].html.strip() == "<p>Follow the link to join.</p>"


@pytest.mark.django_db
def test_outbox_page_lists_and_shows_messages_in_development(client, settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "association.mail.OutboxBackend"
    settings.OUTBOX_DIR = tmp_path
    make_message().send()
    listing = client.get("/dev/outbox/").content.decode()
    assert "Invitation to the portal" in listing
    (message,) = outbox_messages()
    detail = client.get(f"/dev/outbox/{message.id}/").content.decode()
    # Links in the text are clickable, so a developer can follow a sign-in or reset link.
    assert '<a href="https://portal.example.org/accept/abc/"' in detail
    html = client.get(f"/dev/outbox/{message.id}/html/")
    assert html["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.django_db
def test_outbox_is_not_there_outside_development(client, settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path
    settings.DEBUG = False
    assert client.get("/dev/outbox/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("message_id", ["../../etc/passwd", "nope", "%2e%2e", "a" * 300])
def test_outbox_answers_404_to_garbage_ids(client, settings, tmp_path, message_id):
    settings.DEBUG = True
    settings.OUTBOX_DIR = tmp_path
    assert client.get(f"/dev/outbox/{message_id}/").status_code == 404
