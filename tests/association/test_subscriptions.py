"""Newsletter subscriptions without an account: the double opt-in through a real Celery worker
and SMTP server, consent on record, the same answer whoever the address belongs to, rate limits,
signed links that fail with a clear page, preferences, unsubscribing (never by a GET, at once by
a POST, by one click per RFC 8058 without cookies), the suppression list, bad input, and the
secretariat's GDPR export and erasure."""

import email
import email.policy
import json
import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from association import subscriptions
from association.mail import queue_email
from association.models import ConsentRecord, Subscriber, Suppression
from association.models.newsletters import is_suppressed
from association.tasks import send_email
from tests.factories import (
    make_region,
    make_secretariat_user,
    make_subscriber,
    make_topic,
)
from tests.helpers import committed_db

SUBSCRIBE = "/en/newsletter/"
SENT = "/en/newsletter/check-your-inbox/"
CONFIRM_LINK = re.compile(r"https?://\S+/newsletter/confirm/\S+/")


def form_data(**changes):
    data = {"email": "ona@example.org", "name": "Ona", "language": "en", "consent": "on"}
    return data | changes


def path_of(url):
    return urlsplit(url).path


@pytest.fixture
def sent_at_once(monkeypatch, django_capture_on_commit_callbacks):
    """Without a worker: each queued message goes to the locmem outbox when its row commits."""
    monkeypatch.setattr(send_email, "delay", send_email.run)

    def post(client, path, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data, **extra)

    return post


def confirmation_link(text):
    return CONFIRM_LINK.search(text).group(0)


# --- The double opt-in, through the worker and the SMTP server --------------------------------


@committed_db
def test_double_opt_in_through_the_worker_and_a_real_smtp_server(smtp_sink, celery_worker):
    culture, youth = make_topic(name="Culture policy"), make_topic(name="Youth")
    north = make_region(name="Šiaurė")
    client = Client()

    response = client.post(
        SUBSCRIBE,
        form_data(
            email="Ona.Linaite@Example.org",
            name="Ona Linaitė",
            language="lt",
            topics=[culture.pk, youth.pk],
            regions=[north.pk],
        ),
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response["Location"] == SENT
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ona.linaite@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert not Subscriber.objects.sendable().exists()

    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "ona.linaite@example.org"
    # Confirmation mail is not list mail: no List-Unsubscribe.
    assert message["List-Unsubscribe"] is None
    text = smtp_sink.text(message)
    link = confirmation_link(text)
    # In the language chosen, and without the name typed (a stranger's words to anyone).
    assert path_of(link).startswith("/lt/newsletter/confirm/")
    assert "Ona Linait" not in text

    # Opening the link only asks: mail scanners open links too.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert b"ona.linaite@example.org" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    confirmed = client.post(path_of(link), REMOTE_ADDR="198.51.100.4")
    assert confirmed.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert (subscriber.name, subscriber.language) == ("Ona Linaitė", "lt")
    assert set(subscriber.topics.all()) == {culture, youth}
    assert list(subscriber.regions.all()) == [north]
    consent = ConsentRecord.objects.get()
    assert consent.subscriber == subscriber
    assert consent.ip_address == "198.51.100.4"
    assert consent.text_version == subscriptions.CONSENT_TEXT_VERSION
    assert consent.form == subscriptions.SUBSCRIBE_FORM
    assert consent.given_at == subscriber.confirmed_at
    assert list(Subscriber.objects.sendable()) == [subscriber]

    # The preferences link on the page works; confirming again changes nothing.
    preferences = re.search(rb'href="(http[^"]+/preferences/[^"]+)"', confirmed.content)
    assert client.get(path_of(preferences.group(1).decode())).status_code == 200
    again = client.post(path_of(link), REMOTE_ADDR="198.51.100.4")
    # The page speaks the subscriber's language (Lithuanian here).
    with translation.override("lt"):
        assert translation.gettext("You are already subscribed").encode() in again.content
    assert ConsentRecord.objects.count() == 1
    time.sleep(1)
    assert len(smtp_sink.messages) == 1


@committed_db
def test_list_unsubscribe_headers_arrive_intact_and_their_link_unsubscribes(
    smtp_sink, celery_worker, settings
):
    settings.DEFAULT_FROM_EMAIL = "Kultūros namai <news@union.example.org>"
    subscriber = make_subscriber(email="jonas@example.org")
    headers = subscriptions.list_unsubscribe_headers(subscriptions.one_click_url(subscriber))
    with transaction.atomic():
        queue_email(
            EmailMessage(subject="Newsletter", body="Hello", to=[subscriber.email], headers=headers)
        )
    (message,) = smtp_sink.wait_for(1)
    assert " ".join(message["List-Unsubscribe"].split()) == headers["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_url = re.search(r"<(http[^>]+)>", message["List-Unsubscribe"]).group(1)
    assert "<mailto:news@union.example.org?subject=unsubscribe>" in message["List-Unsubscribe"]

    # What a mail provider does with it: a POST without cookies or a CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        path_of(https_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert is_suppressed("JONAS@example.org")


# --- The same answer for everyone -------------------------------------------------------------


@pytest.mark.django_db
def test_the_answer_is_the_same_whoever_the_address_belongs_to(client, sent_at_once):
    culture, youth = make_topic(), make_topic()
    make_subscriber(email="pending@example.org", status="pending")
    confirmed = make_subscriber(
        email="confirmed@example.org", name="Confirmed", topics=[culture], language="sv"
    )
    make_subscriber(email="left@example.org", status="unsubscribed")
    answers = []
    for address in [
        "unknown@example.org",
        "pending@example.org",
        "CONFIRMED@example.org",
        "left@example.org",
    ]:
        response = sent_at_once(
            client,
            SUBSCRIBE,
            form_data(email=address, name="Stranger", topics=[youth.pk]),
        )
        followed = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], followed.content))
    assert len(set(answers)) == 1
    assert answers[0][:2] == (302, SENT)
    assert b"Check your inbox" in answers[0][2]

    # One email each: a confirmation, or, to the confirmed subscriber, a note with their links.
    assert [message.to for message in mail.outbox] == [
        ["unknown@example.org"],
        ["pending@example.org"],
        ["confirmed@example.org"],
        ["left@example.org"],
    ]
    note = mail.outbox[2]
    assert CONFIRM_LINK.search(note.body) is None
    assert "/sv/newsletter/preferences/" in note.body
    assert "/sv/newsletter/unsubscribe/" in note.body
    for message in [mail.outbox[0], mail.outbox[1], mail.outbox[3]]:
        assert CONFIRM_LINK.search(message.body)
    # A stranger's request changes nothing of a confirmed subscription, nor lifts an
    # unsubscription before the owner of the address confirms.
    confirmed.refresh_from_db()
    assert confirmed.name == "Confirmed"
    assert list(confirmed.topics.all()) == [culture]
    assert Subscriber.objects.get(email="left@example.org").status == "unsubscribed"
    assert is_suppressed("left@example.org")


@pytest.mark.django_db
def test_confirming_again_after_unsubscribing_lifts_the_suppression(client, sent_at_once):
    make_subscriber(email="left@example.org", status="unsubscribed")
    sent_at_once(client, SUBSCRIBE, form_data(email="left@example.org"))
    link = confirmation_link(mail.outbox[0].body)
    client.post(path_of(link), REMOTE_ADDR="192.0.2.1")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed" and subscriber.unsubscribed_at is None
    assert not is_suppressed("left@example.org")
    assert list(Subscriber.objects.sendable()) == [subscriber]


# --- Rate limits ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_subscription_requests_are_limited_per_ip_address(client, sent_at_once, settings):
    settings.NEWSLETTER_SUBSCRIBE_PER_IP = 5
    for number in range(5):
        response = sent_at_once(
            client, SUBSCRIBE, form_data(email=f"p{number}@example.org"), REMOTE_ADDR="192.0.2.9"
        )
        assert response.status_code == 302
    response = sent_at_once(
        client, SUBSCRIBE, form_data(email="sixth@example.org"), REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
    assert "Too many subscription requests have come from your connection" in (
        response.content.decode()
    )
    assert len(mail.outbox) == 5
    assert not Subscriber.objects.filter(email="sixth@example.org").exists()
    # Another connection is not held back.
    response = sent_at_once(
        client, SUBSCRIBE, form_data(email="sixth@example.org"), REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_requests_for_one_address_are_limited_alike_whether_it_is_known_or_not(
    client, sent_at_once, settings
):
    settings.NEWSLETTER_SUBSCRIBE_PER_ADDRESS = 3
    make_subscriber(email="known@example.org")
    pages = []
    for address in ["known@example.org", "unknown@example.org"]:
        for number in range(3):
            response = sent_at_once(
                client, SUBSCRIBE, form_data(email=address), REMOTE_ADDR=f"198.51.100.{number}"
            )
            assert response.status_code == 302
        response = sent_at_once(
            client, SUBSCRIBE, form_data(email=address), REMOTE_ADDR="198.51.100.99"
        )
        assert response.status_code == 429
        text = response.content.decode()
        assert "Several confirmation emails have been sent to this address" in text
        pages.append(
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text).replace(
                address, "ADDRESS"
            )
        )
    assert pages[0] == pages[1]
    assert len(mail.outbox) == 6


# --- Links that cannot be used ----------------------------------------------------------------


def _token_from(mail_body):
    return path_of(confirmation_link(mail_body)).rstrip("/").rsplit("/", 1)[1]


@pytest.mark.django_db
def test_an_expired_confirmation_link_says_so(client, monkeypatch):
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 8 * 24 * 60 * 60)
    token = subscriptions.confirmation_token(
        email="late@example.org",
        name="",
        language="en",
        topics=[],
        regions=[],
        form=subscriptions.SUBSCRIBE_FORM,
        version=subscriptions.CONSENT_TEXT_VERSION,
    )
    monkeypatch.setattr(signing.time, "time", real_time)
    for method in (client.get, client.post):
        response = method(f"/en/newsletter/confirm/{token}/")
        assert response.status_code == 410
        assert b"This link has expired" in response.content
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_a_confirmation_link_from_before_an_unsubscription_no_longer_subscribes(
    client, sent_at_once
):
    sent_at_once(client, SUBSCRIBE, form_data())
    link = path_of(confirmation_link(mail.outbox[0].body))
    client.post(link)
    subscriber = Subscriber.objects.get()
    client.post(f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/")
    response = client.post(link)
    assert response.status_code == 410
    assert Subscriber.objects.get().status == "unsubscribed"


def _tampered(token):
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["confirm", "preferences", "unsubscribe"])
def test_altered_or_made_up_links_get_a_clear_page_never_an_error(client, kind):
    subscriber = make_subscriber()
    genuine = {
        "confirm": subscriptions.confirmation_token(
            email=subscriber.email,
            name="",
            language="en",
            topics=[],
            regions=[],
            form="f",
            version="1",
        ),
        "preferences": subscriptions.preferences_token(subscriber),
        "unsubscribe": subscriptions.unsubscribe_token(subscriber),
    }[kind]
    wrong_salt = signing.Signer(salt="something.else").sign(subscriber.key.hex)
    not_a_uuid = signing.Signer(salt=subscriptions.PREFERENCES_SALT).sign("not-a-uuid")
    not_a_dict = signing.TimestampSigner(salt=subscriptions.CONFIRM_SALT).sign_object([1, 2])
    for token in [
        _tampered(genuine),
        "abc",
        "x" * 10_000,
        wrong_salt,
        not_a_uuid,
        not_a_dict,
    ]:
        for method in (client.get, client.post):
            response = method(f"/en/newsletter/{kind}/{token}/")
            assert response.status_code == 400, (token, response.status_code)
            assert b"This link does not work" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_an_altered_one_click_link_is_refused_in_plain_text():
    subscriber = make_subscriber()
    token = _tampered(subscriptions.unsubscribe_token(subscriber))
    response = Client(enforce_csrf_checks=True).post(
        f"/newsletter/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert Client().get(f"/newsletter/unsubscribe/{token}/").status_code == 400
    assert Subscriber.objects.get().status == "confirmed"


@pytest.mark.django_db
def test_links_of_an_erased_subscriber_say_there_is_no_subscription(client):
    subscriber = make_subscriber()
    preferences = f"/en/newsletter/preferences/{subscriptions.preferences_token(subscriber)}/"
    unsubscribe = f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/"
    one_click = f"/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/"
    subscriber.delete()
    for path in [preferences, unsubscribe]:
        response = client.get(path)
        assert response.status_code == 404
        assert b"No subscription for this link" in response.content
    assert client.post(unsubscribe)["Location"] == "/en/newsletter/unsubscribed/"
    response = Client(enforce_csrf_checks=True).post(
        one_click, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200


# --- Preferences ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_change_by_their_link_without_signing_in(client):
    culture, youth = make_topic(name="Culture"), make_topic(name="Youth")
    north, south = make_region(name="North"), make_region(name="South")
    subscriber = make_subscriber(name="Ona", topics=[culture], regions=[north])
    token = subscriptions.preferences_token(subscriber)
    path = f"/en/newsletter/preferences/{token}/"

    page = client.get(path)
    assert page.status_code == 200
    assert subscriber.email.encode() in page.content
    assert page.context["form"]["name"].value() == "Ona"
    assert page["Cache-Control"].startswith("max-age=0")
    assert b'<meta name="robots" content="noindex, nofollow">' in page.content

    response = client.post(
        path,
        {"name": "Ona Linaitė", "language": "lt", "topics": [youth.pk], "regions": [south.pk]},
    )
    # Back to the page, in the language chosen for the emails.
    assert response.status_code == 302
    assert response["Location"] == f"/lt/newsletter/preferences/{token}/"
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language) == ("Ona Linaitė", "lt")
    assert list(subscriber.topics.all()) == [youth]
    assert list(subscriber.regions.all()) == [south]
    assert subscriber.status == "confirmed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Ona\r\nBcc: all@example.org"}, "This cannot contain line breaks."),
        ({"name": "x" * 10_000}, "at most 150 characters (it has 10000)"),
        ({"language": "xx"}, "Choose one of the languages on the list."),
        ({"topics": ["999999"]}, "Choose from the list: one of the choices is not on it"),
        ({"regions": ["abc"]}, "Choose from the list: one of the choices is not on it"),
    ],
)
def test_bad_preferences_are_answered_with_a_clear_message(client, changes, message):
    subscriber = make_subscriber(name="Ona")
    path = f"/en/newsletter/preferences/{subscriptions.preferences_token(subscriber)}/"
    response = client.post(path, {"name": "Ona", "language": "en"} | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert b'class="error-summary"' in response.content
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language) == ("Ona", "en")


@pytest.mark.django_db
def test_an_unsubscribed_person_sees_so_and_changes_nothing(client):
    subscriber = make_subscriber(status="unsubscribed", name="Ona")
    path = f"/en/newsletter/preferences/{subscriptions.preferences_token(subscriber)}/"
    page = client.get(path)
    assert b"You are unsubscribed" in page.content
    client.post(path, {"name": "Changed", "language": "en"})
    subscriber.refresh_from_db()
    assert subscriber.name == "Ona"


# --- Unsubscribing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_get_never_unsubscribes_a_post_does_at_once(client):
    subscriber = make_subscriber(email="ona@example.org")
    token = subscriptions.unsubscribe_token(subscriber)
    path = f"/en/newsletter/unsubscribe/{token}/"

    for _ in range(3):  # a link scanner, a preview, the person
        page = client.get(path)
        assert page.status_code == 200
    assert f'action="{path}"'.encode() in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed"
    assert not is_suppressed("ona@example.org")

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/en/newsletter/unsubscribed/"
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert subscriber.unsubscribed_at is not None
    assert Suppression.objects.get().reason == "unsubscribed"
    assert not Subscriber.objects.sendable().exists()
    assert b"You are unsubscribed" in client.get(response["Location"]).content
    # Again: nothing more happens, nothing breaks.
    assert client.post(path).status_code == 302
    assert Suppression.objects.count() == 1
    assert b"You are unsubscribed" in client.get(path).content


@pytest.mark.django_db
def test_one_click_unsubscribe_needs_no_cookie_nor_csrf_token_and_does_not_redirect():
    subscriber = make_subscriber(email="ona@example.org", language="lt")
    token = subscriptions.unsubscribe_token(subscriber)
    path = reverse("newsletter-one-click", args=[token])
    assert path == f"/newsletter/unsubscribe/{token}/"  # no language prefix

    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    # A GET only shows the page, in the subscriber's language, whose button posts with CSRF.
    assert page.status_code == 200
    assert b'<html lang="lt">' in page.content
    assert f'action="/lt/newsletter/unsubscribe/{token}/"'.encode() in page.content
    assert Subscriber.objects.get().status == "confirmed"

    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Location" not in response
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content
    assert not response.cookies
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert Suppression.objects.get(email="ona@example.org").reason == "unsubscribed"

    # Providers that post multipart/form-data, and repeats, are answered the same.
    again = provider.post(path, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert Suppression.objects.count() == 1


@pytest.mark.django_db
def test_the_page_buttons_need_their_csrf_token():
    subscriber = make_subscriber()
    browser = Client(enforce_csrf_checks=True)
    path = f"/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(subscriber)}/"
    assert browser.post(path).status_code == 403
    assert Subscriber.objects.get().status == "confirmed"


def test_list_unsubscribe_headers(settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.DEFAULT_FROM_EMAIL = "Union <news@union.example.org>"
    settings.UNSUBSCRIBE_MAILTO = ""
    subscriber = Subscriber(email="ona@example.org")
    token = subscriptions.unsubscribe_token(subscriber)
    assert subscriptions.list_unsubscribe_headers(subscriptions.one_click_url(subscriber)) == {
        "List-Unsubscribe": (
            f"<https://portal.example.org/newsletter/unsubscribe/{token}/>, "
            "<mailto:news@union.example.org?subject=unsubscribe>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    settings.UNSUBSCRIBE_MAILTO = "leave@union.example.org"
    headers = subscriptions.list_unsubscribe_headers(subscriptions.one_click_url(subscriber))
    assert headers["List-Unsubscribe"].endswith(
        "<mailto:leave@union.example.org?subject=unsubscribe>"
    )
    # Headers that survive a real message: one line each once unfolded.
    message = EmailMessage("s", "b", to=["ona@example.org"], headers=headers).message()
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert " ".join(parsed["List-Unsubscribe"].split()) == headers["List-Unsubscribe"]


# --- Bad input on the subscribe form ----------------------------------------------------------


@pytest.mark.django_db
def test_the_subscribe_form_shows_its_fields_with_labels(client):
    make_topic(name="Culture policy")
    make_region(name="Šiaurė")
    page = client.get(SUBSCRIBE)
    text = page.content.decode()
    assert page.status_code == 200
    for label in ["Email address", "Your name", "Language of the emails",
                  "Topics that interest you", "Regions that interest you",
                  "I agree to receive the association&#x27;s newsletter"]:  # fmt: skip
        assert label in text
    assert 'href="/en/privacy/"' in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"email": "ona@example.org\r\nBcc: all@example.org"}, "cannot contain line breaks"),
        ({"email": "ona@example.org\nBcc: all@example.org"}, "cannot contain line breaks"),
        ({"email": "a" * 10_000 + "@example.org"}, "An email address has at most 254 characters."),
        ({"name": "Ona\nBcc: all@example.org"}, "This cannot contain line breaks."),
        ({"name": "Ona\u2028Linaitė"}, "This cannot contain line breaks."),
        ({"name": "x" * 10_000}, "at most 150 characters (it has 10000)"),
        ({"name": "Ona\x00"}, "Null characters are not allowed."),
        ({"language": "xx"}, "Choose one of the languages on the list."),
        ({"language": "x" * 10_000}, "Choose one of the languages on the list."),
        ({"topics": ["999999"]}, "Choose from the list: one of the choices is not on it"),
        ({"topics": ["abc"]}, "Choose from the list: one of the choices is not on it"),
        ({"regions": ["1" * 10_000]}, "Choose from the list: one of the choices is not on it"),
        ({"consent": ""}, "Tick the box, or we cannot send you the newsletter."),
    ],
)
def test_bad_input_is_answered_with_a_clear_message_and_nothing_sent(
    client, sent_at_once, changes, message
):
    make_topic()
    make_region()
    data = form_data(**changes)
    if not data["consent"]:
        del data["consent"]
    response = sent_at_once(client, SUBSCRIBE, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'class="error-summary"' in text
    assert ".:" not in text  # a label that is a sentence takes no colon in the summary
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


# --- Queries and the suppression list ---------------------------------------------------------


@pytest.mark.django_db
def test_sendable_is_confirmed_and_not_suppressed_whatever_the_case():
    wanted = make_subscriber(email="ona@example.org")
    make_subscriber(email="pending@example.org", status="pending")
    make_subscriber(email="left@example.org", status="unsubscribed")
    make_subscriber(email="bounced@example.org")
    subscriptions.suppress(email="Bounced@Example.org", reason=Suppression.Reason.HARD_BOUNCE)
    assert list(Subscriber.objects.sendable()) == [wanted]
    assert is_suppressed("BOUNCED@example.org") and is_suppressed(" left@example.org ")
    assert not is_suppressed("ona@example.org")


# --- GDPR: export and erase -------------------------------------------------------------------


@pytest.fixture
def secretariat(client):
    client.force_login(make_secretariat_user())
    return client


def _confirmed_with_consent(client, sent_at_once, **changes):
    sent_at_once(client, SUBSCRIBE, form_data(**changes))
    link = path_of(confirmation_link(mail.outbox[-1].body))
    client.post(link, REMOTE_ADDR="203.0.113.50")
    return Subscriber.objects.get(email=changes.get("email", "ona@example.org"))


@pytest.mark.django_db
def test_the_secretariat_exports_everything_kept_about_a_subscriber(sent_at_once, secretariat):
    culture = make_topic(name="Culture policy")
    ona = _confirmed_with_consent(
        Client(), sent_at_once, name="Ona Linaitė", topics=[culture.pk], language="lt"
    )
    make_subscriber(email="other@example.org")
    changelist = secretariat.get("/admin/association/subscriber/?q=ona")
    assert changelist.status_code == 200
    assert b"ona@example.org" in changelist.content
    assert b"other@example.org" not in changelist.content
    assert b"Erase deletes the subscriber" in changelist.content

    response = secretariat.post(
        "/admin/association/subscriber/",
        {"action": "export_data", "_selected_action": [ona.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    (data,) = json.loads(response.content)["subscribers"]
    assert data["email"] == "ona@example.org"
    assert data["name"] == "Ona Linaitė"
    assert data["language"] == "lt"
    assert data["status"] == "confirmed"
    assert data["topics"] == ["Culture policy"]
    (consent,) = data["consents"]
    assert consent["ip_address"] == "203.0.113.50"
    assert consent["consent_text_version"] == subscriptions.CONSENT_TEXT_VERSION
    assert consent["form"] == subscriptions.SUBSCRIBE_FORM
    assert consent["given_at"]
    assert data["suppression"] is None


@pytest.mark.django_db
def test_erase_asks_then_removes_everything_but_a_suppression(sent_at_once, secretariat):
    ona = _confirmed_with_consent(Client(), sent_at_once)
    left = make_subscriber(email="left@example.org", status="unsubscribed")
    keep = make_subscriber(email="keep@example.org")
    # The secretariat edited Ona once: the history names her.
    secretariat.post(
        f"/admin/association/subscriber/{ona.pk}/change/",
        {
            "name": "Ona L.",
            "language": "en",
            "consents-TOTAL_FORMS": "1",
            "consents-INITIAL_FORMS": "1",
            "consents-MIN_NUM_FORMS": "0",
            "consents-MAX_NUM_FORMS": "1000",
            "consents-0-id": ConsentRecord.objects.get().pk,
            "consents-0-subscriber": ona.pk,
        },
    )
    assert LogEntry.objects.filter(object_repr="ona@example.org").exists()

    selected = {"action": "erase", "_selected_action": [ona.pk, left.pk]}
    page = secretariat.post("/admin/association/subscriber/", selected)
    assert page.status_code == 200
    assert b"ona@example.org" in page.content and b"This cannot be undone" in page.content
    assert Subscriber.objects.count() == 3

    response = secretariat.post("/admin/association/subscriber/", selected | {"confirm": "yes"})
    assert response.status_code == 302
    assert list(Subscriber.objects.all()) == [keep]
    assert not ConsentRecord.objects.exists()
    # The unsubscribed address stays suppressed, with nothing but its reason.
    assert list(Suppression.objects.values_list("email", "reason")) == [
        ("left@example.org", "unsubscribed")
    ]
    assert not LogEntry.objects.filter(object_repr__contains="@").exists()
    assert LogEntry.objects.filter(object_repr=f"#{ona.pk}").exists()


@pytest.mark.django_db
def test_the_secretariat_unsubscribes_someone_who_asked_by_mail(secretariat):
    ona = make_subscriber(email="ona@example.org")
    response = secretariat.post(
        "/admin/association/subscriber/",
        {"action": "unsubscribe", "_selected_action": [ona.pk]},
    )
    assert response.status_code == 302
    ona.refresh_from_db()
    assert ona.status == "unsubscribed"
    assert is_suppressed(ona.email)


@pytest.mark.django_db
def test_a_suppression_added_by_hand_is_checked_whatever_its_case(secretariat):
    Suppression.objects.create(email="ona@example.org", reason="complaint")
    response = secretariat.post(
        "/admin/association/suppression/add/", {"email": "ONA@Example.org", "reason": "complaint"}
    )
    assert response.status_code == 200
    assert b"already exists" in response.content
    response = secretariat.post(
        "/admin/association/suppression/add/", {"email": "Jonas@Example.org", "reason": "complaint"}
    )
    assert response.status_code == 302
    assert is_suppressed("jonas@example.org")


@pytest.mark.django_db
def test_subscribers_are_not_added_by_hand(secretariat):
    assert secretariat.get("/admin/association/subscriber/add/").status_code == 403


# --- Unconfirmed requests are forgotten -------------------------------------------------------


@pytest.mark.django_db
def test_requests_never_confirmed_are_forgotten_after_their_links_expire(client, sent_at_once):
    sent_at_once(client, SUBSCRIBE, form_data(email="never@example.org"))
    link = path_of(confirmation_link(mail.outbox[0].body))
    make_subscriber(email="kept@example.org")
    make_subscriber(email="left@example.org", status="unsubscribed")
    recent = make_subscriber(email="recent@example.org", status="pending")
    old = timezone.now() - timedelta(days=9)
    Subscriber.objects.exclude(pk=recent.pk).update(updated_at=old, created_at=old)

    assert subscriptions.forget_unconfirmed() == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "left@example.org",
        "recent@example.org",
    ]
    # A link still valid outlives its row: confirming makes it again.
    client.post(link)
    assert Subscriber.objects.get(email="never@example.org").status == "confirmed"
    schedule = settings.CELERY_BEAT_SCHEDULE["newsletter-forget-unconfirmed"]
    assert schedule["task"] == "association.tasks.forget_unconfirmed_subscribers"
