"""Funding calls: their state from the dates, the calls page with its sections, the archive,
a call's page, and the deadlines as an iCalendar feed."""

import html
import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from icalendar import Calendar

from projects.models import CLOSING_SOON_DAYS, FundingCall
from projects.views import ARCHIVE_PAGE_SIZE
from tests.factories import make_call, make_funder, make_programme, make_topic

pytestmark = pytest.mark.django_db

CALLS = "/en/projects/calls/"
ARCHIVE = "/en/projects/calls/archive/"
FEED = "/en/projects/calls/deadlines.ics"
DAY = timedelta(days=1)


def text(response):
    return response.content.decode()


def listed(content):
    """[(title, state)] of the calls listed in some HTML, in order."""
    return [
        (html.unescape(name), state)
        for state, name in re.findall(
            r'<li class="result-card call-([a-z-]+)">\s*<h3><a href="[^"]*">([^<]*)</a></h3>',
            content,
        )
    ]


def section(response, heading_id):
    """The HTML of the calls page's section whose heading has this id ("" when absent)."""
    content = text(response)
    start = content.find(f'<h2 id="{heading_id}">')
    if start < 0:
        return ""
    return content[start : content.find("</section>", start)]


def badges(content):
    return re.findall(r'<span class="badge[^"]*">([^<]*)</span>', content)


def events(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, calendar.walk("VEVENT")


@pytest.fixture
def calls(db):
    """A call in each state, relative to now, and an unpublished call in each state. Deadlines
    are whole minutes, as people give them (iCalendar has no fractions of a second)."""
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    funder = make_funder(name="Kultūros taryba", slug="taryba")
    c = {
        "open": make_call(title="Open call", slug="open", funder=funder, deadline=now + 30 * DAY),
        "opened": make_call(
            title="Opened last week", slug="opened", funder=funder,
            opens_on=today - 7 * DAY, deadline=now + 40 * DAY,
        ),
        "opens today": make_call(
            title="Opens today", slug="opens-today", funder=funder, opens_on=today,
            deadline=now + 20 * DAY,
        ),
        "closing soon": make_call(
            title="Closing soon call", slug="closing-soon", funder=funder, deadline=now + 3 * DAY
        ),
        "last day of soon": make_call(
            title="Closes in 14 days", slug="closes-in-14-days", funder=funder,
            deadline=now + CLOSING_SOON_DAYS * DAY - timedelta(minutes=5),
        ),
        "upcoming": make_call(
            title="Upcoming call", slug="upcoming", funder=funder,
            opens_on=today + 10 * DAY, deadline=now + 60 * DAY,
        ),
        "closed": make_call(
            title="Closed call", slug="closed", funder=funder, deadline=now - 2 * DAY
        ),
        "hidden open": make_call(
            title="Hidden open call", slug="hidden-open", published=False, deadline=now + 5 * DAY
        ),
        "hidden upcoming": make_call(
            title="Hidden upcoming call", slug="hidden-upcoming", published=False,
            opens_on=today + 3 * DAY, deadline=now + 30 * DAY,
        ),
        "hidden closed": make_call(
            title="Hidden closed call", slug="hidden-closed", published=False,
            deadline=now - DAY,
        ),
    }  # fmt: skip
    return c


class TestState:
    @pytest.mark.parametrize(
        ("name", "state"),
        [
            ("open", "open"),
            ("opened", "open"),
            ("opens today", "open"),
            ("closing soon", "closing-soon"),
            ("last day of soon", "closing-soon"),
            ("upcoming", "upcoming"),
            ("closed", "closed"),
            ("hidden open", "closing-soon"),
            ("hidden upcoming", "upcoming"),
            ("hidden closed", "closed"),
        ],
    )
    def test_the_state_comes_from_the_dates(self, calls, name, state):
        assert FundingCall.objects.get(pk=calls[name].pk).state == state

    def test_the_boundaries(self, db):
        now = timezone.now()
        just_past = make_call(deadline=now - timedelta(seconds=1))
        assert just_past.state == "closed"
        beyond_soon = make_call(deadline=now + CLOSING_SOON_DAYS * DAY + timedelta(hours=1))
        assert beyond_soon.state == "open"
        tomorrow = make_call(opens_on=timezone.localdate() + DAY, deadline=now + 2 * DAY)
        assert tomorrow.state == "upcoming"

    def test_the_queryset_agrees_with_the_state(self, calls):
        published = FundingCall.objects.published()
        by_state = {call.slug: call.state for call in published}
        assert {c.slug for c in published.open()} == {
            slug for slug, state in by_state.items() if state in ("open", "closing-soon")
        }
        assert {c.slug for c in published.upcoming()} == {
            slug for slug, state in by_state.items() if state == "upcoming"
        }
        assert {c.slug for c in published.closed()} == {
            slug for slug, state in by_state.items() if state == "closed"
        }
        assert "hidden-open" not in by_state


class TestCallsPage:
    def test_open_calls_by_deadline_with_their_badges(self, calls, client):
        response = client.get(CALLS)
        assert response.status_code == 200
        open_calls = [
            calls[n] for n in ("open", "opened", "opens today", "closing soon", "last day of soon")
        ]
        by_deadline = sorted(open_calls, key=lambda c: c.deadline)
        assert listed(section(response, "open-heading")) == [
            (c.title, FundingCall.objects.get(pk=c.pk).state) for c in by_deadline
        ]
        assert f"{len(open_calls)} open calls</h2>" in section(response, "open-heading")
        open_badges = badges(section(response, "open-heading"))
        assert open_badges.count("Closing soon") == 2
        assert open_badges.count("Open") == 3

    def test_calls_not_yet_open_are_opening_soon(self, calls, client):
        response = client.get(CALLS)
        upcoming = section(response, "upcoming-heading")
        assert upcoming.startswith('<h2 id="upcoming-heading">Opening soon</h2>')
        assert listed(upcoming) == [("Upcoming call", "upcoming")]
        assert "Opens on" in upcoming
        assert "Upcoming call" not in section(response, "open-heading")

    def test_recently_closed_are_the_latest_five(self, calls, client):
        now = timezone.now()
        older = [
            make_call(title=f"Closed {n} weeks ago", deadline=now - timedelta(weeks=n))
            for n in range(1, 7)
        ]
        response = client.get(CALLS)
        closed = sorted([calls["closed"], *older], key=lambda c: c.deadline, reverse=True)
        assert listed(section(response, "closed-heading")) == [
            (c.title, "closed") for c in closed[:5]
        ]
        assert f'<a href="{ARCHIVE}">All closed calls</a>' in section(response, "closed-heading")

    def test_unpublished_calls_are_nowhere(self, calls, client):
        content = text(client.get(CALLS))
        for name in ("hidden open", "hidden upcoming", "hidden closed"):
            assert calls[name].title not in content

    def test_without_calls_the_page_says_so(self, db, client):
        response = client.get(CALLS)
        assert "0 open calls" in text(response)
        assert "No call is open at the moment." in text(response)
        assert section(response, "upcoming-heading") == ""
        assert section(response, "closed-heading") == ""

    def test_the_page_links_to_the_feed_and_the_archive(self, calls, client):
        content = text(client.get(CALLS))
        assert (
            f'<link rel="alternate" type="text/calendar" title="Funding call deadlines" '
            f'href="{FEED}">'
        ) in content
        assert f'<a href="{ARCHIVE}">Closed calls</a>' in content

    def test_amounts_are_shown_in_the_language_of_the_page(self, db, client):
        make_call(title="With amounts", amount_min=Decimal(1000), amount_max=Decimal("5000.50"))
        make_call(title="Up to", amount_max=Decimal(300), currency="SEK")
        content = text(client.get(CALLS))
        assert "Grants from €1,000.00 to €5,000.50" in content
        assert "Grants of up to SEK300.00" in content
        assert "1\xa0000,00\xa0€" in text(client.get("/lt/projects/calls/"))


class TestArchive:
    @pytest.fixture
    def many_closed(self, calls):
        now = timezone.now()
        return [calls["closed"]] + [
            make_call(title=f"Old call {n:02d}", deadline=now - timedelta(days=10 + n))
            for n in range(ARCHIVE_PAGE_SIZE + 2)
        ]

    def test_closed_calls_newest_first_in_pages(self, client, many_closed):
        everything = [c.title for c in sorted(many_closed, key=lambda c: c.deadline,
                                              reverse=True)]  # fmt: skip
        first, second = client.get(ARCHIVE), client.get(ARCHIVE, {"page": 2})
        assert [name for name, _state in listed(text(first))] == everything[:ARCHIVE_PAGE_SIZE]
        assert [name for name, _state in listed(text(second))] == everything[ARCHIVE_PAGE_SIZE:]
        assert {state for _name, state in listed(text(first))} == {"closed"}
        assert "Page 2 of 2" in text(second)
        assert "Hidden closed call" not in text(first) + text(second)
        assert "Open call" not in text(first) + text(second)

    @pytest.mark.parametrize(
        ("page", "shown"),
        [("zzz", 1), ("-1", 2), ("0", 2), ("999999", 2), ("", 1), ("1\x00", 1), ("1e3", 1)],
    )
    def test_a_bad_page_number_shows_a_real_page(self, client, many_closed, page, shown):
        response = Client(raise_request_exception=False).get(ARCHIVE, {"page": page})
        assert response.status_code == 200
        assert f"Page {shown} of 2" in text(response)

    def test_an_empty_archive(self, db, client):
        make_call(title="Still open")
        response = client.get(ARCHIVE)
        assert response.status_code == 200
        assert "No call has closed yet." in text(response)
        assert listed(text(response)) == []


class TestCallPage:
    def test_a_published_call(self, db, client):
        ministry = make_funder(name="Kultūros ministerija")
        programme = make_programme(funder=ministry, name="Living heritage")
        topic = make_topic(name="Heritage", slug="heritage")
        call = make_call(
            title="Call for heritage", funder=ministry, programme=programme, topics=[topic],
            summary="Money for heritage.", eligibility="Culture centres.",
            amount_min=Decimal(1000), amount_max=Decimal(5000), url="https://example.org/call",
            deadline=timezone.now() + 3 * DAY,
        )  # fmt: skip
        content = text(client.get(call.get_absolute_url()))
        assert "<h1>Call for heritage</h1>" in content
        assert badges(content)[:1] == ["Closing soon"]
        assert f"<dd>{ministry.name}</dd>" in content
        assert "<dd>Living heritage</dd>" in content
        assert "Grants from €1,000.00 to €5,000.00" in content
        assert '<a href="/en/projects/?topic=heritage">Heritage</a>' in content
        assert f'datetime="{call.deadline.isoformat()}"' in content
        assert '<a href="https://example.org/call">example.org/call</a>' in content

    def test_an_unpublished_or_unknown_call_answers_404(self, calls, client):
        for name in ("hidden open", "hidden upcoming", "hidden closed"):
            assert client.get(calls[name].get_absolute_url()).status_code == 404
        assert client.get(f"{CALLS}no-such-call/").status_code == 404

    @pytest.mark.parametrize("name", ["open", "upcoming", "closed"])
    def test_a_call_in_any_state_has_its_page(self, calls, client, name):
        assert client.get(calls[name].get_absolute_url()).status_code == 200


class TestCalendarFeed:
    def test_one_event_per_published_call_in_range(self, calls, client):
        now = timezone.now()
        year_ago = make_call(title="Closed 364 days ago", deadline=now - 364 * DAY)
        too_old = make_call(title="Closed 366 days ago", deadline=now - 366 * DAY)
        response = client.get(FEED)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        _calendar, found = events(response)
        expected = [c for c in calls.values() if c.published] + [year_ago]
        assert sorted(str(e["UID"]) for e in found) == sorted(
            f"funding-call-{c.pk}@testserver" for c in expected
        )
        assert too_old.title not in text(response)
        assert "Hidden" not in text(response)

    def test_uids_are_unique_and_stable(self, calls, client):
        _calendar, first = events(client.get(FEED))
        uids = [str(e["UID"]) for e in first]
        assert len(uids) == len(set(uids))
        # The call changes; its event keeps its UID.
        call = FundingCall.objects.get(pk=calls["open"].pk)
        call.title = "Renamed open call"
        call.save()
        _calendar, second = events(client.get(FEED))
        assert sorted(str(e["UID"]) for e in second) == sorted(uids)
        (renamed,) = [e for e in second if str(e["UID"]) == f"funding-call-{call.pk}@testserver"]
        assert str(renamed["SUMMARY"]) == "Deadline: Renamed open call"

    def test_the_event_says_what_when_and_where(self, calls, client):
        _calendar, found = events(client.get(FEED))
        by_uid = {str(e["UID"]): e for e in found}
        for call in (calls["open"], calls["closed"], calls["upcoming"]):
            event = by_uid[f"funding-call-{call.pk}@testserver"]
            assert event.decoded("DTSTART") == call.deadline
            assert str(event["SUMMARY"]) == f"Deadline: {call.title}"
            assert str(event["URL"]) == f"http://testserver/en/projects/calls/{call.slug}/"
            assert call.funder.name in str(event["DESCRIPTION"])

    def test_events_come_in_order_of_deadline(self, calls, client):
        _calendar, found = events(client.get(FEED))
        starts = [e.decoded("DTSTART") for e in found]
        assert starts == sorted(starts)

    def test_the_deadline_is_in_utc_by_default(self, db, client):
        call = make_call(deadline=timezone.now().replace(second=0, microsecond=0) + 10 * DAY)
        response = client.get(FEED)
        _calendar, (event,) = events(response)
        assert event.decoded("DTSTART") == call.deadline
        assert event.decoded("DTSTART").utcoffset() == timedelta(0)

    def test_the_deadline_is_in_the_portals_time_zone(self, db, client):
        vilnius = ZoneInfo("Europe/Vilnius")
        local = timezone.localtime(timezone.now() + 20 * DAY, vilnius)
        deadline = local.replace(hour=23, minute=59, second=0, microsecond=0)
        call = make_call(title="Vilnius midnight", deadline=deadline)
        with override_settings(TIME_ZONE="Europe/Vilnius"):
            response = client.get(FEED)
        calendar, (event,) = events(response)
        start = event.decoded("DTSTART")
        assert start == call.deadline  # the same instant
        assert getattr(start.tzinfo, "key", str(start.tzinfo)) == "Europe/Vilnius"
        assert (start.hour, start.minute) == (23, 59)
        assert f"DTSTART;TZID=Europe/Vilnius:{deadline:%Y%m%d}T235900" in text(response)
        zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
        assert zones == ["Europe/Vilnius"]
        assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Vilnius"

    def test_a_deadline_on_the_other_side_of_midnight(self, db, client):
        # 22:30 in UTC on 31 March is already 1 April in Vilnius (UTC+3 in summer).
        year = timezone.now().year + 1
        deadline = datetime(year, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC"))
        make_call(deadline=deadline)
        with override_settings(TIME_ZONE="Europe/Vilnius"):
            _calendar, (event,) = events(client.get(FEED))
        start = event.decoded("DTSTART")
        assert start == deadline
        assert (start.month, start.day, start.hour) == (4, 1, 1)

    def test_an_empty_feed_is_still_a_calendar(self, db, client):
        response = client.get(FEED)
        calendar, found = events(response)
        assert found == []
        assert str(calendar["VERSION"]) == "2.0"
