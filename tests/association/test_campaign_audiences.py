"""Who a campaign goes to besides subscribers (member staff, by role and organisation type, with
their own opt-out), what its sections hold, and the message each recipient gets, read back
from a real SMTP server."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from association import campaigns
from association.models import Campaign, Suppression, User
from association.subscriptions import subscriber_links
from members.models import Role
from tests.factories import (
    make_call,
    make_organisation,
    make_position,
    make_subscriber,
    make_type,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sending(settings, monkeypatch):
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.SITE_URL = "https://portal.example.org"
    # The test drains itself: no drain task is queued for a later test's worker to find.
    monkeypatch.setattr(campaigns, "queue_drains", lambda *args, **kwargs: None)
    yield
    campaigns.smtp_close()


def staff(email, organisation, level="admin", **fields):
    user = make_user(email=email, **fields)
    Role.objects.create(user=user, organisation=organisation, level=level)
    return user


@pytest.fixture
def people():
    centre, club = make_type(name="Culture centre"), make_type(name="Club")
    in_centre, in_club = make_organisation(type=centre), make_organisation(type=club)
    staff("centre-admin@example.org", in_centre)
    staff("centre-editor@example.org", in_centre, level="editor")
    staff("club-admin@example.org", in_club)
    staff("opted-out@example.org", in_centre, receive_member_mailings=False)
    staff("gone@example.org", in_centre, is_active=False)
    staff("bounced@example.org", in_centre)
    Suppression.objects.create(email="bounced@example.org", reason="hard-bounce")
    make_user(email="no-role@example.org")
    make_subscriber(email="reader@example.org")
    return {"centre": centre, "club": club}


def start(**fields):
    types = fields.pop("organisation_types", ())
    campaign = Campaign.objects.create(**({"subject": "For members"} | fields))
    campaign.organisation_types.set(types)
    campaigns.campaign_start(campaign=campaign)
    return campaign


def recipients(campaign):
    return sorted(campaign.deliveries.values_list("email", flat=True))


def test_member_staff_are_chosen_by_role_and_organisation_type(people):
    everyone = start(audience="staff")
    assert recipients(everyone) == [
        "centre-admin@example.org",
        "centre-editor@example.org",
        "club-admin@example.org",
    ]
    assert all(row.user_id and not row.subscriber_id for row in everyone.deliveries.all())
    assert recipients(start(audience="staff", staff_level="admin")) == [
        "centre-admin@example.org",
        "club-admin@example.org",
    ]
    assert recipients(start(audience="staff", organisation_types=[people["club"]])) == [
        "club-admin@example.org"
    ]
    centre_admins = start(
        audience="staff", staff_level="admin", organisation_types=[people["centre"]]
    )
    assert recipients(centre_admins) == ["centre-admin@example.org"]
    # Subscribers are another audience.
    assert recipients(start()) == ["reader@example.org"]


def test_a_person_with_two_roles_gets_one_message(people):
    user = make_user(email="both@example.org")
    for kind in (people["centre"], people["club"]):
        Role.objects.create(user=user, organisation=make_organisation(type=kind), level="admin")
    campaign = start(audience="staff", staff_level="admin")
    assert recipients(campaign).count("both@example.org") == 1


def test_member_staff_get_their_own_footer_and_opt_out_with_one_click(people, smtp_sink):
    campaign = start(audience="staff", organisation_types=[people["club"]])
    campaigns.drain(campaign.pk)
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == "club-admin@example.org"
    one_click = message["List-Unsubscribe"].split(">")[0].lstrip("<")
    assert one_click.startswith("https://portal.example.org/newsletter/staff/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = smtp_sink.text(message)
    assert "you have a role in a member organisation" in text
    assert f"Stop these mailings: {one_click}" in text
    assert "https://portal.example.org/en/my/advocacy/notifications/" in text
    assert ".invalid/" not in text

    path = one_click.removeprefix("https://portal.example.org")
    mail_provider = Client(enforce_csrf_checks=True)
    page = mail_provider.get(path)  # a link scanner opening it changes nothing
    assert page.status_code == 200
    assert b"Stop these mailings" in page.content
    assert start(audience="staff", organisation_types=[people["club"]]).deliveries.count() == 1
    answer = mail_provider.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert answer.status_code == 200  # no cookie, no CSRF token, no redirect
    assert b"No more mailings for member staff" in answer.content
    assert start(audience="staff", organisation_types=[people["club"]]).deliveries.count() == 0
    assert User.objects.get(email="club-admin@example.org").receive_member_mailings is False


@pytest.mark.parametrize("token", ["nonsense", "1:forged", "%00", "9" * 300])
def test_a_bad_staff_opt_out_link_answers_clearly(client, token, people):
    for response in (
        client.get(f"/newsletter/staff/{token}/"),
        client.post(f"/newsletter/staff/{token}/"),
    ):
        assert response.status_code in (400, 404)
        assert b"link" in response.content.lower()
    assert (
        not Role.objects.filter(user__receive_member_mailings=False)
        .exclude(user__email="opted-out@example.org")
        .exists()
    )


def test_the_email_settings_page_turns_member_mailings_on_and_off(client, people):
    user = User.objects.get(email="centre-admin@example.org")
    client.force_login(user)
    page = client.get("/en/my/advocacy/notifications/")
    assert b"mailings for member staff" in page.content
    client.post("/en/my/advocacy/notifications/", {"notify_advocacy": "on"})
    user.refresh_from_db()
    assert (user.notify_advocacy, user.receive_member_mailings) == (True, False)
    client.post("/en/my/advocacy/notifications/", {"receive_member_mailings": "on"})
    user.refresh_from_db()
    assert (user.notify_advocacy, user.receive_member_mailings) == (False, True)


def test_sections_hold_positions_open_for_input_and_calls_closing_soon():
    now = timezone.now()
    open_position = make_position(status="input", title="Culture budget 2027")
    make_position(status="draft", title="A draft nobody sees")
    make_call(title="Closes in ten days", deadline=now + timedelta(days=10))
    make_call(title="Closes in two months", deadline=now + timedelta(days=60))
    make_call(title="Closed yesterday", deadline=now - timedelta(days=1))
    campaign = Campaign.objects.create(subject="Spring", include_news=False)
    html, text = campaigns.campaign_render(campaign)
    for rendered in (html, text):
        assert "Culture budget 2027" in rendered
        assert "Closes in ten days" in rendered
        for absent in ("A draft nobody sees", "Closes in two months", "Closed yesterday"):
            assert absent not in rendered
    assert f"https://portal.example.org{open_position.get_absolute_url()}" in html
    campaign.include_positions = campaign.include_calls = False
    html, _text = campaigns.campaign_render(campaign)
    assert "Culture budget 2027" not in html and "Closes in ten days" not in html


def test_each_message_is_well_formed_and_personal(smtp_sink):
    reader = make_subscriber(email="ona@example.org", language="lt")
    long_line = "Šventė " * 400  # 2,800 characters without a line break
    campaign = start(subject="Žinios: vasaros šventės — ir daugiau", intro=long_line, language="lt")
    campaigns.drain(campaign.pk)
    smtp_sink.wait_for(1)
    raw = smtp_sink.raw[0]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Žinios: vasaros šventės — ir daugiau"
    assert message["To"] == "ona@example.org"
    delivery = campaign.deliveries.get()
    assert (
        message["Message-ID"]
        == f"<campaign-{campaign.pk}.delivery-{delivery.pk}@portal.example.org>"
    )
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    links = subscriber_links(reader)
    for part in (html, text):
        assert long_line.strip() in " ".join(part.split()) + " "
        assert links["unsubscribe_url"] in part and links["preferences_url"] in part
        assert ".invalid/" not in part
    assert html.startswith("<!DOCTYPE html>")
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.sent_at is not None


def campaign_form(**values):
    return {
        "subject": "For members",
        "preheader": "",
        "intro": "",
        "include_news": "on",
        "audience": "subscribers",
        "language": "",
        "staff_level": "",
        **values,
    }


def test_the_secretariat_composes_a_campaign_for_member_staff(client, people):
    from tests.factories import make_secretariat_user

    client.force_login(make_secretariat_user())
    response = client.post(
        "/admin/association/campaign/add/",
        campaign_form(
            audience="staff", staff_level="admin", organisation_types=[people["centre"].pk]
        ),
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.audience, campaign.staff_level) == ("staff", "admin")
    assert list(campaign.organisation_types.all()) == [people["centre"]]
    campaigns.campaign_start(campaign=campaign)
    assert recipients(campaign) == ["centre-admin@example.org"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"subject": "News\r\nBcc: everyone@example.org"}, "This cannot contain line breaks."),
        ({"preheader": "Hello\nBcc: everyone@example.org"}, "This cannot contain line breaks."),
        ({"subject": "x" * 5000}, "Ensure this value has at most 200 characters"),
        ({"subject": ""}, "This field is required."),
        ({"audience": "everyone-ever"}, "Select a valid choice."),
        ({"staff_level": "king"}, "Select a valid choice."),
        ({"organisation_types": ["nonsense"]}, "“nonsense” is not a valid value."),
        ({"organisation_types": ["999999"]}, "Select a valid choice."),
        ({"scheduled_at_0": "tomorrow-ish", "scheduled_at_1": "25:99"}, "Enter a valid"),
        (
            {"audience": "staff", "topics": ["TOPIC"]},
            "Topics and regions choose subscribers: leave them empty for member staff.",
        ),
        (
            {"staff_level": "admin"},
            "A role and organisation types choose member staff: leave them empty for subscribers.",
        ),
    ],
)
def test_a_bad_campaign_is_refused_with_a_clear_message(client, people, values, message):
    from tests.factories import make_secretariat_user, make_topic

    client.force_login(make_secretariat_user())
    if values.get("topics") == ["TOPIC"]:
        values["topics"] = [make_topic().pk]
    response = client.post("/admin/association/campaign/add/", campaign_form(**values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()
