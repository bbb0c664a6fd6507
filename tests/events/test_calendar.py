"""The events as iCalendar, read back with the icalendar package: the public feed (upcoming and
last month's events open to everyone, cancelled ones marked, never members-only ones), the feed
of one topic, and one event's .ics; times in the portal's time zone with its VTIMEZONE."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.factories import make_event, make_topic

pytestmark = pytest.mark.django_db

FEED = "/en/events/calendar.ics"


@pytest.fixture(autouse=True)
def vilnius(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar):
    return [str(item["summary"]) for item in calendar.walk("VEVENT")]


def test_the_feed_has_public_events_to_come_and_of_last_month(client):
    make_event(title="Next week")
    make_event(title="Last week", starts_in=timedelta(days=-7))
    make_event(title="Long ago", starts_in=timedelta(days=-60))
    make_event(title="For members", audience="members")
    make_event(title="Draft", status="draft")
    make_event(title="Proposal", status="proposed")
    make_event(title="Called off", status="cancelled", starts_in=timedelta(days=3))

    calendar = read(client.get(FEED))

    assert summaries(calendar) == ["Last week", "Called off", "Next week"]
    cancelled = next(item for item in calendar.walk("VEVENT") if item["summary"] == "Called off")
    assert cancelled["status"] == "CANCELLED"
    assert str(calendar["x-wr-timezone"]) == "Europe/Vilnius"


def test_times_are_in_the_portals_time_zone(client):
    # 07:30 UTC in summer is 10:30 in Vilnius (UTC+3); in winter 09:30 (UTC+2).
    summer = make_event(title="Summer", starts_at=datetime(2031, 7, 1, 7, 30, tzinfo=UTC), hours=2)
    make_event(title="Winter", starts_at=datetime(2031, 1, 15, 7, 30, tzinfo=UTC), hours=26)

    response = client.get(FEED)
    calendar = read(response)

    assert b"DTSTART;TZID=Europe/Vilnius:20310701T103000" in response.content
    assert b"DTSTART;TZID=Europe/Vilnius:20310115T093000" in response.content
    assert [item["tzid"] for item in calendar.walk("VTIMEZONE")] == ["Europe/Vilnius"]
    events = {str(item["summary"]): item for item in calendar.walk("VEVENT")}
    start = events["Summer"].decoded("dtstart")
    assert start == summer.starts_at
    assert start.utcoffset() == timedelta(hours=3)
    assert events["Summer"].decoded("dtend") == summer.ends_at
    assert events["Winter"].decoded("dtend") == datetime(
        2031, 1, 16, 11, 30, tzinfo=ZoneInfo("Europe/Vilnius")
    )
    assert str(events["Summer"]["url"]).endswith(summer.get_absolute_url())


def test_a_topics_feed_has_that_topics_events_only(client):
    heritage = make_topic(name="Heritage", slug="heritage")
    youth = make_topic(name="Youth", slug="youth")
    make_event(title="Heritage day", topics=[heritage])
    make_event(title="Both", topics=[heritage, youth])
    make_event(title="Youth day", topics=[youth])
    make_event(title="Members' heritage", topics=[heritage], audience="members")

    calendar = read(client.get("/en/events/topics/heritage/calendar.ics"))

    assert sorted(summaries(calendar)) == ["Both", "Heritage day"]
    assert "Heritage" in str(calendar["x-wr-calname"])


@pytest.mark.parametrize("slug", ["no-such-topic", "%3Cscript%3E", "x" * 300])
def test_an_unknown_topics_feed_is_not_found(client, slug):
    assert client.get(f"/en/events/topics/{slug}/calendar.ics").status_code == 404


def test_an_events_ics(client):
    event = make_event(
        title="Workshop",
        starts_at=datetime(2031, 3, 3, 8, 0, tzinfo=UTC),
        venue="Old Manor",
        address="Main street 1",
        latitude=55.1,
        longitude=24.2,
        online=True,
        online_url="https://meet.example.org/secret-room",
        audience="members",
    )

    response = client.get(f"{event.get_absolute_url()}event.ics")
    calendar = read(response)

    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (item,) = calendar.walk("VEVENT")
    assert item["summary"] == "Workshop"
    assert item["location"] == "Old Manor, Main street 1"
    assert b"DTSTART;TZID=Europe/Vilnius:20310303T100000" in response.content
    assert b"secret-room" not in response.content
