"""The public events pages through Django's test client: the upcoming list (soonest first, its
filters, paging, bad parameters), the archive, an event's page (never a draft or a proposal; a
cancelled one with its notice; never the link to join), its schema.org JSON-LD, what the pages
cost in queries, the page cache, a member organisation's upcoming events on its profile, and the
secretariat publishing a proposed event."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, EventDocument
from tests.factories import (
    make_event,
    make_event_document,
    make_municipality,
    make_organisation,
    make_region,
    make_secretariat_user,
    make_topic,
    make_user,
)
from tests.members.pages import json_ld, text, warnings

pytestmark = pytest.mark.django_db

EVENTS = "/en/events/"
PAST = "/en/events/past/"
SECRET_LINK = "https://meet.example.org/secret-room"


def event_titles(response):
    return [
        html.unescape(name)
        for name in re.findall(
            r'<li class="result-card event-card">.*?<h3><a href="[^"]*">([^<]*)</a></h3>',
            text(response),
            re.S,
        )
    ]


def result_count(response):
    heading = re.search(r'<h2 id="results-count"[^>]*>\s*([\d,]+) ', text(response))
    return int(heading.group(1).replace(",", ""))


# --- The list and the archive -----------------------------------------------------------------


def test_the_list_shows_upcoming_events_soonest_first_and_never_drafts_or_proposals(client):
    make_event(title="Later", starts_in=timedelta(days=20))
    make_event(title="Soon", starts_in=timedelta(days=2))
    make_event(title="Going on now", starts_in=timedelta(hours=-1), hours=3)
    make_event(title="Called off", starts_in=timedelta(days=5), status="cancelled")
    make_event(title="Over", starts_in=timedelta(days=-3))
    make_event(title="Not ready", status="draft")
    make_event(title="A member's idea", status="proposed")

    response = client.get(EVENTS)

    assert response.status_code == 200
    assert event_titles(response) == ["Going on now", "Soon", "Called off", "Later"]
    assert result_count(response) == 4
    cards = text(response).split('<li class="result-card')[1:]
    assert ["Cancelled" in card for card in cards] == [False, False, True, False]


def test_the_archive_shows_past_events_newest_first(client):
    make_event(title="Long ago", starts_in=timedelta(days=-300))
    make_event(title="Last week", starts_in=timedelta(days=-7))
    make_event(title="Next week")
    make_event(title="Past draft", starts_in=timedelta(days=-2), status="draft")

    response = client.get(PAST)

    assert event_titles(response) == ["Last week", "Long ago"]
    assert result_count(response) == 2


def test_the_list_has_pages_of_twelve(client):
    for day in range(14):
        make_event(title=f"Day {day + 1:02}", starts_in=timedelta(days=day + 1))

    first, second = client.get(EVENTS), client.get(EVENTS, {"page": 2})

    assert event_titles(first) == [f"Day {n:02}" for n in range(1, 13)]
    assert event_titles(second) == ["Day 13", "Day 14"]
    assert result_count(second) == 14
    # Out of range or not a number: the nearest page, not an error.
    assert event_titles(client.get(EVENTS, {"page": 99})) == ["Day 13", "Day 14"]
    assert event_titles(client.get(EVENTS, {"page": "x"}))[0] == "Day 01"


@pytest.fixture
def places():
    north = make_region(name="North", slug="north")
    south = make_region(name="South", slug="south")
    return {
        "north": north,
        "south": south,
        "north_town": make_municipality(name="Northtown", region=north),
        "south_town": make_municipality(name="Southtown", region=south),
    }


def test_the_filters_narrow_the_list(client, places):
    heritage = make_topic(name="Heritage", slug="heritage")
    southern = make_organisation(name="Southern centre", municipality=places["south_town"])
    make_event(title="Heritage training", kind="training", topics=[heritage],
               municipality=places["north_town"])  # fmt: skip
    make_event(title="Webinar", kind="webinar", online=True, organiser=southern)
    make_event(title="Members' meeting", kind="meeting", audience="members",
               municipality=places["south_town"])  # fmt: skip

    def titles(**params):
        return sorted(event_titles(client.get(EVENTS, params)))

    assert titles(kind="training") == ["Heritage training"]
    assert titles(topic="heritage") == ["Heritage training"]
    assert titles(region="north") == ["Heritage training"]
    # In the region, or organised by one of its organisations.
    assert titles(region="south") == ["Members' meeting", "Webinar"]
    assert titles(audience="members") == ["Members' meeting"]
    assert titles(online="yes") == ["Webinar"]
    assert titles(online="no") == ["Heritage training", "Members' meeting"]
    assert titles(kind="meeting", region="south") == ["Members' meeting"]
    response = client.get(EVENTS, {"region": "south", "online": "yes"})
    assert result_count(response) == 1
    assert "Webinar" in text(response)
    assert "/en/events/?online=yes" in html.unescape(text(response))  # the region chip's removal


@pytest.mark.parametrize("path", [EVENTS, PAST])
@pytest.mark.parametrize(
    "params",
    [
        {"kind": "party"},
        {"topic": "<script>alert(1)</script>"},
        {"region": "atlantis"},
        {"audience": "vip"},
        {"online": "maybe"},
        {"kind": "party\x00", "page": "-1"},
        {"kind": ["party", "training"], "topic": "x" * 5000},
        {"page": "9999999999999999999999"},
    ],
)
def test_garbage_in_the_address_is_a_warning_never_an_error(client, path, params):
    make_event(title="Upcoming")
    make_event(title="Past", starts_in=timedelta(days=-5))

    response = client.get(path, params)

    assert response.status_code == 200
    assert event_titles(response) == (["Past"] if path == PAST else ["Upcoming"])
    if set(params) - {"page"}:
        assert any("That filter was left out." in message for message in warnings(response))
    assert "<script>alert" not in text(response)


# --- An event's page --------------------------------------------------------------------------


def test_an_event_page_shows_what_a_visitor_needs(client, places):
    centre = make_organisation(name="Northern centre", municipality=places["north_town"])
    heritage = make_topic(name="Heritage", slug="heritage")
    event = make_event(
        title="Singing workshop",
        kind="training",
        venue="Old Manor",
        address="Main street 1",
        municipality=places["north_town"],
        latitude=55.1,
        longitude=24.2,
        organiser=centre,
        topics=[heritage],
        price_note="Free for members",
        capacity=30,
        audience="members",
        description='<p>Bring water.</p><script>alert("x")</script>',
    )

    response = client.get(event.get_absolute_url())
    content = text(response)

    assert response.status_code == 200
    for shown in ["Singing workshop", "Training", "Old Manor", "Main street 1", "Northtown",
                  "Free for members", "Members only", "Heritage", "30", "<p>Bring water.</p>",
                  centre.get_absolute_url(), f"{event.get_absolute_url()}event.ics"]:  # fmt: skip
        assert shown in content
    assert "<script>alert" not in content
    assert 'data-map="place"' in content
    assert "vendor/leaflet/leaflet.js" in content


def test_an_event_of_the_association_names_it(client):
    from association.models import AssociationProfile

    event = make_event(title="Annual meeting")
    assert AssociationProfile.load().name in text(client.get(event.get_absolute_url()))


@pytest.mark.parametrize("status", ["draft", "proposed"])
def test_a_draft_or_a_proposal_has_no_page(client, status):
    event = make_event(status=status)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(f"{event.get_absolute_url()}event.ics").status_code == 404


def test_an_unknown_event_is_not_found(client):
    assert client.get(f"{EVENTS}no-such-event/").status_code == 404
    assert client.get(f"{EVENTS}%00%3Cx%3E/").status_code == 404


def test_a_cancelled_event_says_so(client):
    event = make_event(title="Summer school", status="cancelled")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "This event will not take place." in text(response)
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_the_link_to_join_is_never_on_public_pages(client):
    event = make_event(
        title="Webinar", online=True, online_url=SECRET_LINK, kind="webinar", slug="webinar"
    )
    for path in [EVENTS, event.get_absolute_url(), f"{EVENTS}calendar.ics",
                 f"{EVENTS}webinar/event.ics"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200
        assert b"secret-room" not in response.content, path
    assert "Online" in text(client.get(event.get_absolute_url()))


def test_the_json_ld_describes_the_event(client, places, settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    centre = make_organisation(name="Northern centre", municipality=places["north_town"])
    starts = timezone.make_aware(timezone.datetime(2030, 7, 1, 10, 0))
    event = make_event(
        title='Workshop "</script><script>alert(1)</script>"',
        starts_at=starts,
        hours=3,
        venue="Old Manor",
        address="Main street 1",
        municipality=places["north_town"],
        latitude=55.1,
        longitude=24.2,
        online=True,
        online_url=SECRET_LINK,
        organiser=centre,
        language="lt",
        summary="Learn to sing.",
    )

    response = client.get(event.get_absolute_url())
    data = json_ld(response)

    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == "2030-07-01T10:00:00+03:00"
    assert data["endDate"] == "2030-07-01T13:00:00+03:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["@type"] == "Place" and place["name"] == "Old Manor"
    assert place["address"]["streetAddress"] == "Main street 1"
    assert place["address"]["addressLocality"] == "Northtown"
    assert place["address"]["addressRegion"] == "North"
    assert virtual == {"@type": "VirtualLocation", "name": "Online"}
    assert data["organizer"]["name"] == "Northern centre"
    assert data["organizer"]["url"].endswith(centre.get_absolute_url())
    assert data["url"] == f"http://testserver{event.get_absolute_url()}"
    assert data["description"] == "Learn to sing."
    assert data["inLanguage"] == "lt"
    assert "secret-room" not in str(data)
    assert "</script><script>" not in text(response)


def test_an_online_event_has_a_virtual_location_only(client):
    event = make_event(online=True, online_url=SECRET_LINK)
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "name": "Online"}


def test_a_members_only_events_material_is_listed_to_member_staff_only(client):
    event = make_event(audience="members", starts_in=timedelta(days=-3))
    make_event_document(event, title="Slides of the day", link="https://example.org/slides")

    assert "Slides of the day" not in text(client.get(event.get_absolute_url()))
    assert "sign in" in text(client.get(event.get_absolute_url()))
    client.force_login(make_secretariat_user())
    assert "Slides of the day" in text(client.get(event.get_absolute_url()))


def test_a_public_events_material_is_listed_to_everyone(client):
    event = make_event(starts_in=timedelta(days=-3))
    make_event_document(event, title="Slides of the day", link="https://example.org/slides")
    assert 'href="https://example.org/slides"' in text(client.get(event.get_absolute_url()))


# --- Queries ----------------------------------------------------------------------------------


def _events(count):
    topics = [make_topic() for _ in range(3)]
    organiser = make_organisation()
    for number in range(count):
        event = make_event(
            starts_in=timedelta(days=number + 1),
            topics=topics,
            organiser=organiser if number % 2 else None,
        )
        make_event(starts_in=timedelta(days=-number - 1), topics=topics)
    for _ in range(count):
        make_event_document(event)
    return event


# path params, queries: the page of events and their topics (the count and the filters' choices
# are cached).
LIST_QUERIES = {
    "list": (EVENTS, {}, 2),
    "filtered": (EVENTS, {"kind": "training", "online": "no"}, 2),
    "second page": (EVENTS, {"page": "2"}, 2),
    "archive": (PAST, {}, 2),
}


@pytest.mark.parametrize("count", [3, 25])
@pytest.mark.parametrize("name", LIST_QUERIES)
def test_a_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count, name):
    _events(count)
    path, params, queries = LIST_QUERIES[name]
    client.get(path, params)
    with django_assert_num_queries(queries):
        assert client.get(path, params).status_code == 200


@pytest.mark.parametrize("count", [3, 25])
def test_an_event_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    event = _events(count)
    client.get(event.get_absolute_url())
    # The event with its organiser and place, its topics, its documents.
    with django_assert_num_queries(3):
        assert client.get(event.get_absolute_url()).status_code == 200


# --- The page cache ---------------------------------------------------------------------------


class TestPageCache:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600

    def test_a_second_visit_costs_no_query(self, client, django_assert_num_queries):
        make_event()
        first = client.get(EVENTS)
        with django_assert_num_queries(0):
            second = client.get(EVENTS)
        assert second.content == first.content

    def test_a_change_shows_at_once(self, client, django_capture_on_commit_callbacks):
        event = make_event(title="First")
        assert event_titles(client.get(EVENTS)) == ["First"]
        with django_capture_on_commit_callbacks(execute=True):
            make_event(title="Second", starts_in=timedelta(days=9))
        assert event_titles(client.get(EVENTS)) == ["First", "Second"]
        with django_capture_on_commit_callbacks(execute=True):
            event.status = Event.Status.CANCELLED
            event.save()
        assert "Cancelled" in text(client.get(EVENTS))

    def test_an_event_that_ends_leaves_the_list_with_nothing_written(self, client):
        make_event(title="Almost over", starts_in=timedelta(hours=-1), hours=1.001)
        assert event_titles(client.get(EVENTS)) == ["Almost over"]
        # Its end passes: the version kept beside its time is due.
        Event.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
        from django.core.cache import cache

        from events.selectors import EVENTS_VERSION_KEY

        state = cache.get(EVENTS_VERSION_KEY)
        cache.set(EVENTS_VERSION_KEY, state | {"due": 0}, timeout=None)
        assert event_titles(client.get(EVENTS)) == []
        assert event_titles(client.get(PAST)) == ["Almost over"]

    def test_an_event_page_is_kept_for_visitors_and_built_for_a_signed_in_person(
        self, client, django_assert_num_queries
    ):
        from events.models import Registration
        from tests.factories import make_user

        event = make_event()
        client.get(event.get_absolute_url())
        with django_assert_num_queries(0):
            client.get(event.get_absolute_url())
        # Their own registration shows to a signed-in person, never to the next visitor.
        person = make_user(email="ona@example.org")
        Registration.objects.create(
            event=event, name="Ona", email=person.email, status="confirmed",
            consent_at=timezone.now(), user=person,
        )  # fmt: skip
        signed_in = Client()
        signed_in.force_login(person)
        assert "You are registered." in signed_in.get(event.get_absolute_url()).content.decode()
        assert "You are registered." not in client.get(event.get_absolute_url()).content.decode()


# --- A member organisation's profile ----------------------------------------------------------


def test_a_profile_lists_the_organisations_next_three_events(client):
    centre = make_organisation(name="Centre")
    other = make_organisation(name="Other")
    for day in (9, 3, 6, 12):
        make_event(title=f"In {day} days", starts_in=timedelta(days=day), organiser=centre)
    make_event(title="Past one", starts_in=timedelta(days=-2), organiser=centre)
    make_event(title="Draft one", status="draft", organiser=centre)
    make_event(title="Someone else's", organiser=other)

    content = text(client.get(centre.get_absolute_url()))

    box = content.split('id="events-heading"')[1].split("</section>")[0]
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', box) == [
        "In 3 days",
        "In 6 days",
        "In 9 days",
    ]
    assert "In 3 days" not in text(client.get(other.get_absolute_url()))


def test_a_profile_without_events_has_no_box(client):
    centre = make_organisation(name="Quiet centre")
    assert 'id="events-heading"' not in text(client.get(centre.get_absolute_url()))


# --- The administration -----------------------------------------------------------------------
# A superuser: the Secretariat group has no permissions on events yet (they come with a data
# migration, as for the other apps).


def admin_user():
    return make_user(is_staff=True, is_superuser=True)


def test_the_secretariat_publishes_proposed_events(client):
    client.force_login(admin_user())
    proposed = make_event(status="proposed")
    draft = make_event(status="draft")
    response = client.post(
        "/admin/events/event/",
        {"action": "publish", "_selected_action": [proposed.pk, draft.pk]},
        follow=True,
    )
    assert "1 event published." in text(response)
    proposed.refresh_from_db()
    draft.refresh_from_db()
    assert (proposed.status, draft.status) == ("published", "draft")


def test_the_admin_list_and_form_open(client):
    client.force_login(admin_user())
    make_event()
    assert client.get("/admin/events/event/").status_code == 200
    assert client.get("/admin/events/event/add/").status_code == 200
    assert client.get("/admin/events/event/?q=%00zz").status_code == 200


# --- The demo ---------------------------------------------------------------------------------


def test_the_demo_events_load_once_and_their_pages_open(settings, client):
    from django.core.management import call_command

    from events.demo import EVENTS as DEMO_EVENTS
    from events.demo import load_demo_events

    settings.DEBUG = True
    call_command("seed_demo")
    assert Event.objects.count() == len(DEMO_EVENTS)
    assert load_demo_events() == 0
    assert Event.objects.filter(organiser__external_id="demo-1").exists()
    assert Event.objects.filter(capacity=3).exists()
    assert Event.objects.filter(status="cancelled").count() == 1
    with_files = EventDocument.objects.exclude(file="").filter(event__in=Event.objects.past())
    assert with_files.values("event").distinct().count() == 3
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
    upcoming = event_titles(client.get(EVENTS))
    assert "Webinar: accessible culture events" in upcoming
    assert len(event_titles(client.get(PAST))) == 3
    # The demo's files in the private storage are removed.
    for document in EventDocument.objects.exclude(file=""):
        document.file.delete(save=False)
