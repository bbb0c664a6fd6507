"""Registering for an event: places and the waiting list, the confirmation email with its
calendar file, the same address twice, closed registration, members-only events, the signed
cancellation link, the registration box on the event's page, and bad input never a 500."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from events import services
from events.models import Event, Registration
from members.models import Role
from tests.events.registration_helpers import REGISTER, form_data, mail_at_once, open_event
from tests.factories import make_organisation, make_secretariat_user, make_user

__all__ = ["mail_at_once"]  # a fixture used by name

pytestmark = pytest.mark.django_db
CANCEL_LINK = re.compile(r"https?://\S+/events/registration/\S+/cancel/")


def post(client, mail_at_once, event, **changes):
    return mail_at_once(client.post, REGISTER.format(event.slug), form_data(**changes))


def test_registering_gives_a_place_and_sends_the_confirmation_with_the_calendar(
    client, mail_at_once, settings
):
    settings.TIME_ZONE = "Europe/Vilnius"
    event = open_event(title="Sound engineering", capacity=2, online=True, venue="Hall",
                       online_url="https://meet.example.org/sound")  # fmt: skip
    response = post(client, mail_at_once, event)
    assert response.status_code == 302
    assert response["Location"] == f"/en/events/{event.slug}/registered/confirmed/"
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert registration.organisation_name == "Kauno choras"
    assert registration.needs == "Vegetarian lunch"
    assert registration.language == "en"
    assert registration.consent_at is not None

    (message,) = mail.outbox
    assert message.to == ["ona@example.org"]
    assert message.subject == "You are registered: Sound engineering"
    assert "https://meet.example.org/sound" in message.body
    link = CANCEL_LINK.search(message.body).group(0)
    assert services.registration_for_token(link.split("/")[-3]) == registration
    ((filename, content, mimetype),) = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Sound engineering"
    assert vevent["dtstart"].params["TZID"] == "Europe/Vilnius"
    assert vevent.decoded("dtstart") == event.starts_at
    assert calendar.walk("VTIMEZONE")

    page = client.get(f"/en/events/{event.slug}/registered/confirmed/")
    assert page.status_code == 200
    assert "You are registered" in page.content.decode()


def test_places_run_out_and_later_people_wait(client, mail_at_once):
    event = open_event(capacity=2)
    outcomes = [
        post(Client(), mail_at_once, event, email=f"p{n}@example.org")["Location"] for n in range(4)
    ]
    assert [url.rstrip("/").rsplit("/", 1)[-1] for url in outcomes] == [
        "confirmed", "confirmed", "waiting", "waiting",
    ]  # fmt: skip
    assert services.places_left(event) == 0
    waiting = mail.outbox[2]
    assert waiting.subject.startswith("You are on the waiting list")
    assert not waiting.attachments
    assert CANCEL_LINK.search(waiting.body)


def test_no_limit_means_everyone_gets_a_place(mail_at_once):
    event = open_event(capacity=None)
    for number in range(5):
        mail_at_once(
            services.registration_create,
            event=event,
            name="X",
            email=f"x{number}@example.org",
        )
    assert set(event.registrations.values_list("status", flat=True)) == {"confirmed"}


def test_an_online_link_is_never_sent_to_the_waiting_list(mail_at_once):
    event = open_event(capacity=0, online=True, online_url="https://meet.example.org/secret")
    mail_at_once(services.registration_create, event=event, name="W", email="w@example.org")
    assert "meet.example.org" not in mail.outbox[0].body


def test_the_same_address_twice_resends_the_confirmation_and_registers_once(client, mail_at_once):
    event = open_event(capacity=5)
    post(client, mail_at_once, event, email="Ona@Example.org")
    response = post(Client(), mail_at_once, event, email="ona@example.org ", name="Someone else")
    assert response["Location"] == f"/en/events/{event.slug}/registered/again/"
    (registration,) = Registration.objects.all()
    assert registration.name == "Ona Linaitė"
    assert [message.to for message in mail.outbox] == [["ona@example.org"]] * 2
    assert mail.outbox[1].subject == mail.outbox[0].subject


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"registration_deadline": timezone.now() - timedelta(hours=1)}, "has closed"),
        ({"starts_in": timedelta(hours=-1)}, "has closed"),
        ({"status": "draft"}, None),
        ({"status": "proposed"}, None),
        ({"status": "cancelled"}, "is cancelled"),
        ({"registration_open": False}, "not on this site"),
    ],
)
def test_closed_registration_is_refused_with_a_reason(client, mail_at_once, fields, reason):
    event = open_event(**fields)
    response = post(client, mail_at_once, event)
    if reason is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert reason in response.content.decode()
        assert '<form method="post" action="/en/events/' not in response.content.decode()
        with pytest.raises(services.RegistrationClosed):
            services.registration_create(event=event, name="X", email="x@example.org")
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_the_service_refuses_when_the_deadline_passed_between_form_and_save(mail_at_once):
    event = open_event()
    Event.objects.filter(pk=event.pk).update(registration_deadline=timezone.now())
    with pytest.raises(services.RegistrationClosed, match="has closed"):
        services.registration_create(event=event, name="X", email="x@example.org")


# --- Members-only events ----------------------------------------------------------------------


def test_members_only_asks_anonymous_visitors_to_sign_in(client):
    event = open_event(audience="members")
    response = client.get(REGISTER.format(event.slug))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert f"next=/en/events/{event.slug}/register/" in response["Location"]


def test_members_only_refuses_people_without_a_role(client, mail_at_once):
    event = open_event(audience="members")
    client.force_login(make_user())
    response = client.get(REGISTER.format(event.slug))
    assert response.status_code == 403
    assert "This event is for member organisations" in response.content.decode()
    assert post(client, mail_at_once, event).status_code == 403
    assert not Registration.objects.exists()


def test_member_staff_register_prefilled_and_choose_their_organisation(client, mail_at_once):
    event = open_event(audience="members")
    choir, other = make_organisation(name="Vilnius Choir"), make_organisation(name="Not mine")
    user = make_user(email="staff@example.org", name="Rūta Staff")
    Role.objects.create(user=user, organisation=choir, level="editor")
    client.force_login(user)
    page = client.get(REGISTER.format(event.slug)).content.decode()
    assert 'value="Rūta Staff"' in page and 'value="staff@example.org"' in page
    assert "Vilnius Choir" in page and "Not mine" not in page

    response = post(client, mail_at_once, event, organisation=str(other.pk),
                    email="staff@example.org")  # fmt: skip
    assert response.status_code == 200
    assert "Choose from the list" in response.content.decode()
    assert not Registration.objects.exists()

    response = post(client, mail_at_once, event, organisation=str(choir.pk),
                    email="staff@example.org")  # fmt: skip
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.organisation == choir and registration.organisation_name == ""
    assert registration.user == user


def test_the_secretariat_may_register_for_members_only_events(client, mail_at_once):
    event = open_event(audience="members")
    client.force_login(make_secretariat_user())
    assert post(client, mail_at_once, event).status_code == 302


# --- Cancelling by the signed link ------------------------------------------------------------


def test_the_link_shows_a_button_and_the_post_cancels(client, mail_at_once):
    event = open_event(capacity=3)
    post(client, mail_at_once, event)
    registration = Registration.objects.get()
    url = f"/en/events/registration/{services.cancel_token(registration)}/cancel/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Cancel my registration" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"  # a GET changes nothing

    response = mail_at_once(client.post, url)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancelled_at
    assert "Your registration is cancelled" in client.get(url).content.decode()
    assert mail_at_once(client.post, url).status_code == 302  # twice is fine

    # Cancelled, the address may register again.
    assert post(Client(), mail_at_once, event)["Location"].endswith("/confirmed/")


@pytest.mark.parametrize(
    "token",
    ["garbage", "0" * 32, "a:b", "x" * 3000, "%00", "abc:def:ghi", "ünïcödé"],
)
def test_a_broken_link_gives_a_clear_page(client, token):
    for method in (client.get, client.post):
        response = method(f"/en/events/registration/{token}/cancel/")
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()


def test_a_link_to_a_deleted_registration_says_so(client, mail_at_once):
    post(client, mail_at_once, open_event())
    registration = Registration.objects.get()
    token = services.cancel_token(registration)
    registration.delete()
    response = client.get(f"/en/events/registration/{token}/cancel/")
    assert response.status_code == 404
    assert "No registration for this link" in response.content.decode()


def test_nothing_to_cancel_once_the_event_is_over(client, mail_at_once):
    event = open_event()
    post(client, mail_at_once, event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    url = f"/en/events/registration/{services.cancel_token(Registration.objects.get())}/cancel/"
    assert "has taken place" in client.get(url).content.decode()
    client.post(url)
    assert Registration.objects.get().status == "confirmed"


# --- The registration box on the event's page -------------------------------------------------


def _box(client, event):
    from django.template import Context, Template

    response = client.get("/en/")
    template = Template("{% load registration %}{% registration_box event %}")
    return template.render(Context({"request": response.wsgi_request, "event": event}))


def test_the_box_says_places_left_full_closed_and_the_visitors_own_status(client, mail_at_once):
    event = open_event(capacity=1, online=True, online_url="https://meet.example.org/x")
    box = _box(client, event)
    assert "1 place left." in box and f"/en/events/{event.slug}/register/" in box
    assert "meet.example.org" not in box

    user = make_user(email="me@example.org")
    client.force_login(user)
    post(client, mail_at_once, event, email="me@example.org")
    box = _box(client, event)
    assert "You are registered." in box and "https://meet.example.org/x" in box
    assert "/cancel/" in box

    client.logout()
    box = _box(client, event)
    assert "The event is full" in box and "Join the waiting list" in box
    assert "meet.example.org" not in box

    Event.objects.filter(pk=event.pk).update(registration_open=False)
    event.refresh_from_db()
    assert "not on this site" in _box(client, event)


def test_the_box_asks_anonymous_visitors_to_sign_in_for_members_only_events(client):
    event = open_event(audience="members")
    box = _box(client, event)
    assert "Sign in to register" in box
    assert f"/en/accounts/login/?next=/en/events/{event.slug}/register/" in box


def test_the_registered_page_takes_only_known_outcomes(client):
    event = open_event()
    for outcome in ("confirmed", "waiting", "again"):
        assert client.get(f"/en/events/{event.slug}/registered/{outcome}/").status_code == 200
    assert client.get(f"/en/events/{event.slug}/registered/<script>/").status_code == 404
    assert client.get("/en/events/no-such-event/registered/confirmed/").status_code == 404


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "Ona\r\nBcc: victim@example.org"}, "This cannot contain line breaks."),
        ({"name": "x" * 151}, "at most 150 characters"),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": "ona@example.org\nBcc: x@example.org"}, "cannot contain line breaks"),
        ({"email": "a" * 300 + "@example.org"}, "at most 254 characters"),
        ({"organisation_name": "Choir\nX-Header: y"}, "This cannot contain line breaks."),
        ({"organisation_name": "x" * 256}, "at most 255 characters"),
        ({"needs": "x" * 2001}, "at most 2000 characters"),
        ({"needs": "nul\x00byte"}, "Null characters are not allowed."),
        ({"consent": ""}, "Tick the box, or we cannot register you."),
        ({"organisation": "99999"}, None),  # not a field for anonymous visitors: ignored
    ],
)
def test_bad_input_answers_with_a_clear_message_and_saves_nothing(
    client, mail_at_once, changes, message
):
    event = open_event()
    response = post(client, mail_at_once, event, **changes)
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the following" in page
    assert message in page.replace("&#x27;", "'")
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_garbage_in_every_field_never_breaks_the_page(client, mail_at_once):
    event = open_event()
    garbage = {
        "name": ["a", "b"],
        "email": "\x00@\x01",
        "organisation": "not-a-number",
        "organisation_name": "\u202e" * 300,
        "needs": "x" * 100_000,
        "consent": "maybe",
        "status": "confirmed",
    }
    response = mail_at_once(client.post, REGISTER.format(event.slug), garbage)
    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert client.get(REGISTER.format("no-such-event")).status_code == 404
    assert client.get("/en/events/%00/register/").status_code == 404


def test_registrations_from_one_connection_are_limited(client, mail_at_once):
    event = open_event()
    for number in range(services.REGISTRATIONS_PER_IP):
        assert post(client, mail_at_once, event, email=f"p{number}@example.org").status_code == 302
    response = post(client, mail_at_once, event, email="one-more@example.org")
    assert response.status_code == 429
    assert "Too many registrations" in response.content.decode()
    assert not Registration.objects.filter(email="one-more@example.org").exists()


def test_emails_are_written_in_the_language_registered_in(mail_at_once):
    from django.utils import translation

    event = open_event(title="Choro dirbtuvės")
    with translation.override("lt"):
        mail_at_once(services.registration_create, event=event, name="Ona", email="ona@example.org")
    registration = Registration.objects.get()
    assert registration.language == "lt"
    assert "/lt/events/registration/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_visitors_cached_event_page_follows_the_places_left(
    client, settings, django_capture_on_commit_callbacks
):
    from events.services import registration_create
    from tests.factories import make_event

    settings.PAGE_CACHE_SECONDS = 600
    event = make_event(capacity=2)
    assert "2 places left." in client.get(event.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="Ona", email="ona@example.org")
    assert "1 place left." in client.get(event.get_absolute_url()).content.decode()
