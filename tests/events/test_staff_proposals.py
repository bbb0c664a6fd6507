"""Member staff propose events of their own organisations; the secretariat publishes them."""

import pytest

from events.models import Event
from members.models import Role
from tests.events.registration_helpers import soon
from tests.factories import make_event, make_organisation, make_type, make_user

pytestmark = pytest.mark.django_db
PROPOSE = "/en/my/events/propose/"
LIST = "/en/my/events/"
QUERIES = 5


@pytest.fixture
def staff(client):
    choir = make_organisation(name="Vilnius Choir")
    unit = make_organisation(
        name="Youth choir", parent=choir, type=make_type(allowed_parents=[choir.type])
    )
    user = make_user()
    Role.objects.create(user=user, organisation=choir, level="editor")
    client.force_login(user)
    return client, user, choir, unit


def data(organisation, **changes):
    values = {
        "organiser": str(organisation.pk),
        "kind": "training",
        "title": "Choir leading for beginners",
        "summary": "Two days of practice.",
        "description": "Day one: breathing.\n\nDay two: <script>alert(1)</script>singing.",
        "starts_at": soon(24 * 10).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": soon(24 * 10 + 6).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Choir hall",
        "address": "Gedimino pr. 1, Vilnius",
        "capacity": "20",
        "audience": "public",
    }
    return values | changes


def test_staff_propose_an_event_of_their_organisation(staff):
    client, user, choir, unit = staff
    page = client.get(PROPOSE).content.decode()
    assert "Vilnius Choir" in page and "Youth choir" in page
    response = client.post(
        PROPOSE, data(unit, status="published", slug="mine", registration_open="")
    )
    assert response.status_code == 302 and response["Location"] == LIST
    event = Event.objects.get()
    assert event.status == "proposed"
    assert event.proposed_by == user
    assert event.organiser == unit
    assert event.slug == "choir-leading-for-beginners"
    assert "<script>" not in event.description and "breathing" in event.description
    assert event.capacity == 20 and event.registration_open

    listing = client.get(LIST).content.decode()
    assert "Choir leading for beginners" in listing
    assert "Proposed, awaiting the secretariat" in listing

    client.post(PROPOSE, data(choir))
    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "choir-leading-for-beginners",
        "choir-leading-for-beginners-2",
    ]


def test_staff_cannot_propose_for_another_organisation(staff):
    client, *_ = staff
    other = make_organisation(name="Someone else")
    response = client.post(PROPOSE, data(other))
    assert response.status_code == 200
    assert "Choose from the list" in response.content.decode()
    assert not Event.objects.exists()
    assert "Someone else" not in client.get(PROPOSE).content.decode()


def test_the_list_shows_only_their_organisations_events(staff):
    client, _, choir, _ = staff
    make_event(title="Ours", organiser=choir, status="published")
    make_event(title="Theirs", organiser=make_organisation(), status="proposed")
    page = client.get(LIST).content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_people_without_a_role_are_told_what_the_page_is_for(client):
    client.force_login(make_user())
    response = client.get(PROPOSE)
    assert response.status_code == 403
    assert "For member organisations" in response.content.decode()
    assert client.post(PROPOSE, {}).status_code == 403
    assert client.get(LIST).status_code == 200


def test_anonymous_visitors_sign_in_first(client):
    for url in (PROPOSE, LIST):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": soon(24 * 9).strftime("%Y-%m-%dT%H:%M")}, "ends_at", "cannot end before"),
        ({"starts_at": soon(-2).strftime("%Y-%m-%dT%H:%M")}, "starts_at", "not started yet"),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
        ({"starts_at": "2026-13-45T99:99"}, "starts_at", "Enter a valid date/time."),
        ({"venue": "", "online": ""}, "venue", "tick “Online event”"),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "Two\r\nlines"}, "title", "cannot contain line breaks"),
        ({"capacity": "0"}, "capacity", "at least one place"),
        ({"capacity": "-3"}, "capacity", ""),
        ({"capacity": "lots"}, "capacity", "Enter a whole number."),
        ({"capacity": "99999999999999"}, "capacity", ""),
        ({"kind": "party"}, "kind", "Choose one of the kinds"),
        ({"audience": "vip"}, "audience", "Choose one of the options"),
        ({"organiser": "abc"}, "organiser", "Choose from the list"),
        ({"summary": "x" * 601}, "summary", "at most 600 characters"),
        ({"description": "x" * 20_001}, "description", "at most 20000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(staff, changes, field, message):
    client, _, choir, _ = staff
    response = client.post(PROPOSE, data(choir, **changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert "Please correct the following" in response.content.decode()
    assert not Event.objects.exists()


def test_an_online_event_needs_no_venue(staff):
    client, _, choir, _ = staff
    response = client.post(PROPOSE, data(choir, venue="", address="", online="on"))
    assert response.status_code == 302
    assert Event.objects.get().online


def test_the_staff_dashboard_links_to_the_events(staff):
    client, *_ = staff
    assert 'href="/en/my/events/"' in client.get("/en/my/").content.decode()


@pytest.mark.parametrize("total", [3, 25])
def test_the_list_reads_the_same_number_of_queries_for_3_and_25_events(
    staff, django_assert_num_queries, total
):
    client, _, choir, _ = staff
    for _number in range(total):
        make_event(organiser=choir)
    # Session and user, the organisations held, the count, the page of events with organisers.
    with django_assert_num_queries(QUERIES):
        assert client.get(LIST).status_code == 200


def test_a_slug_taken_at_the_last_moment_moves_on_to_the_next(staff, monkeypatch):
    from events import services

    _, user, choir, _ = staff
    make_event(title="Taken", slug="open-day")
    # The first check saw the address free; someone else saved it before this save.
    slugs = iter(["open-day", "open-day-2"])
    monkeypatch.setattr(services, "_unique_slug", lambda title: next(slugs))
    event = Event(organiser=choir, title="Open day", starts_at=soon(48), ends_at=soon(50),
                  venue="Hall")  # fmt: skip
    services.event_propose(event=event, user=user)
    assert Event.objects.get(pk=event.pk).slug == "open-day-2"
