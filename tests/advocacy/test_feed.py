"""The Atom feed of published positions, read the way a feed reader reads it (feedparser): its
title, its entries newest first with links that lead to the positions' pages, their dates,
summaries and kinds; nothing unpublished; at most 50 entries; text that survives XML."""

import calendar
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest
from django.test import override_settings
from django.utils import timezone

from advocacy.models import Position
from association.models import AssociationProfile
from tests.factories import make_consultation, make_endorsement, make_input, make_position
from tests.members.pages import text

pytestmark = pytest.mark.django_db

FEED = "/en/advocacy/positions/feed/"
INPUT_MARK = "Konfidenciali-įvestis-7Q"


def read_feed(client, path=FEED):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"the feed is not well-formed: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    return feed


def timestamp(parsed):
    """A feedparser date (a struct_time in UTC) as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def whole_seconds(value):
    return value.astimezone(UTC).replace(microsecond=0)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.tags = [], []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def as_reader_shows(detail):
    """(text, tags) of a feed text construct as a reader shows it: HTML is rendered."""
    if detail.type != "text/html":
        return detail.value, []
    reader = _Reader()
    reader.feed(detail.value)
    reader.close()
    return "".join(reader.parts), reader.tags


def newest_first(positions):
    return sorted(positions, key=lambda p: (p.published_at, p.pk), reverse=True)


@pytest.fixture
def positions():
    """Published positions of several kinds, one without a summary, and positions at every
    earlier step of the workflow; member input on two of them."""
    base = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    consultation = make_consultation(title="Kultūros įstatymo pakeitimai")
    published = [
        make_position(
            status="published", kind="response", title="Kultūros centrų finansavimas",
            consultation=consultation, summary="What culture centres need from the budget.",
            published_at=base,
        ),
        make_position(
            status="published", kind="statement", title="Statement on VAT for concerts",
            summary="Concert tickets should carry the lower rate.",
            published_at=base + timedelta(days=40, hours=3),
        ),
        make_position(
            status="published", kind="letter", title="Open letter to municipalities",
            summary="", published_at=base + timedelta(days=400),
        ),
        # Published at the same moment as the statement, made later: it comes first.
        make_position(
            status="published", kind="proposal", title="Proposal for a law on amateur arts",
            summary="A law of its own for amateur arts.",
            published_at=base + timedelta(days=40, hours=3),
        ),
    ]  # fmt: skip
    unpublished = [
        make_position(status=status, title=f"Unpublished {status} position")
        for status in ("draft", "input", "drafting", "submitted")
    ]
    make_input(position=published[0], text=f"{INPUT_MARK}: our budget fell.")
    make_input(position=unpublished[1], text=f"{INPUT_MARK}: please mention us.")
    make_endorsement(position=published[0])
    return published, unpublished


def test_the_feed_and_its_title(positions, client):
    feed = read_feed(client)
    assert feed.feed.title == f"{AssociationProfile.load().name}: positions"
    assert feed.feed.subtitle == "Positions, consultation responses and statements, newest first."
    assert feed.feed.link == "http://testserver/en/advocacy/positions/"
    assert feed.feed.language == "en"


def test_entries_newest_first_and_nothing_unpublished(positions, client):
    published, unpublished = positions
    feed = read_feed(client)
    assert [entry.title for entry in feed.entries] == [p.title for p in newest_first(published)]
    titles = {entry.title for entry in feed.entries}
    for position in unpublished:
        assert position.title not in titles
        assert position.title not in text(client.get(FEED))


def test_each_link_leads_to_the_positions_page(positions, client):
    published, _unpublished = positions
    by_title = {p.title: p for p in published}
    feed = read_feed(client)
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    for entry in feed.entries:
        link = urlsplit(entry.link)
        assert (link.scheme, link.netloc) == ("http", "testserver")
        assert link.path == by_title[entry.title].get_absolute_url()
        page = client.get(link.path)
        assert page.status_code == 200
        assert f"<h1>{entry.title}</h1>" in text(page)


def test_dates_are_the_positions_dates_in_utc(positions, client):
    published, _unpublished = positions
    # A later edit moves "updated" but not "published".
    edited = Position.objects.get(pk=published[0].pk)
    edited.summary = "What culture centres need from the state budget."
    edited.save()
    by_title = {p.title: p for p in Position.objects.published()}
    assert by_title[edited.title].updated_at > by_title[edited.title].published_at
    for entry in read_feed(client).entries:
        position = by_title[entry.title]
        assert timestamp(entry.published_parsed) == whole_seconds(position.published_at)
        assert timestamp(entry.updated_parsed) == whole_seconds(position.updated_at)


def test_dates_are_utc_whatever_the_portals_time_zone(positions, client, settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    published, _unpublished = positions
    by_title = {p.title: p for p in published}
    for entry in read_feed(client).entries:
        assert timestamp(entry.published_parsed) == whole_seconds(
            by_title[entry.title].published_at
        )


def test_the_feed_is_updated_when_its_newest_entry_is(positions, client):
    latest = max(Position.objects.published(), key=lambda p: p.updated_at)
    assert timestamp(read_feed(client).feed.updated_parsed) == whole_seconds(latest.updated_at)


def test_summaries_and_kinds(positions, client):
    published, _unpublished = positions
    by_title = {p.title: p for p in published}
    for entry in read_feed(client).entries:
        position = by_title[entry.title]
        assert as_reader_shows(entry.summary_detail) == (position.summary, [])
        assert [tag.term for tag in entry.tags] == [position.get_kind_display()]
    kinds = {entry.title: entry.tags[0].term for entry in read_feed(client).entries}
    assert kinds["Statement on VAT for concerts"] == "Statement"
    assert kinds["Kultūros centrų finansavimas"] == "Consultation response"


def test_member_input_is_not_in_the_feed(positions, client):
    assert INPUT_MARK not in text(client.get(FEED))


def test_a_title_with_ampersand_and_angle_brackets_comes_through_intact(client):
    title = "Art & <Culture> of Žemaitija: “quotes” & 'apostrophes' > 5 €"
    position = make_position(status="published", title=title)
    (entry,) = read_feed(client).entries
    assert entry.title == title
    assert entry.title_detail.type == "text/plain"
    assert urlsplit(entry.link).path == position.get_absolute_url()


def test_a_summary_with_markup_characters_reads_as_typed(client):
    summary = "Fees < 5 € & a <b>bold</b> claim: <script>alert(1)</script>"
    make_position(status="published", summary=summary)
    (entry,) = read_feed(client).entries
    assert as_reader_shows(entry.summary_detail) == (summary, [])


def test_a_summary_with_an_ampersand(client):
    make_position(status="published", summary="Music & dance for all ages")
    (entry,) = read_feed(client).entries
    assert as_reader_shows(entry.summary_detail)[0] == "Music & dance for all ages"


def test_at_most_the_50_newest(client):
    base = datetime(2023, 1, 1, 12, tzinfo=UTC)
    made = [
        make_position(
            status="published", title=f"Pozicija {n:02d}", published_at=base + timedelta(days=n)
        )
        for n in range(53)
    ]
    feed = read_feed(client)
    assert len(feed.entries) == 50
    assert [entry.title for entry in feed.entries] == [p.title for p in newest_first(made)[:50]]
    assert {"Pozicija 00", "Pozicija 01", "Pozicija 02"}.isdisjoint(
        entry.title for entry in feed.entries
    )


def test_an_empty_feed_is_a_valid_feed(client):
    make_position(status="draft", title="Only a draft")
    feed = read_feed(client)
    assert feed.entries == []
    assert "Only a draft" not in text(client.get(FEED))


def test_a_newly_published_position_leads_the_feed(positions, client):
    from advocacy.services import position_move

    draft = positions[1][0]
    position_move(position=Position.objects.get(pk=draft.pk), to="published")
    entry = read_feed(client).entries[0]
    assert entry.title == draft.title
    published_at = Position.objects.get(pk=draft.pk).published_at
    assert timestamp(entry.published_parsed) == whole_seconds(published_at)
    assert abs(timezone.now() - published_at) < timedelta(minutes=1)


@pytest.mark.parametrize("size", [3, 60])
def test_the_feed_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    base = datetime(2023, 1, 1, 12, tzinfo=UTC)
    for n in range(size):
        make_position(status="published", published_at=base + timedelta(days=n))
    client.get(FEED)  # the association's profile is then kept in the process
    # the 50 latest positions
    with django_assert_num_queries(1):
        feed = read_feed(client)
    assert len(feed.entries) == min(size, 50)


def test_the_feed_kept_for_visitors_is_still_atom_and_follows_a_new_position(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    make_position(status="published", title="First position")
    with override_settings(PAGE_CACHE_SECONDS=600):
        first = client.get(FEED)
        with django_assert_num_queries(0):
            again = client.get(FEED)
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Content-Type"].startswith("application/atom+xml")
        assert again.content == first.content
        with django_capture_on_commit_callbacks(execute=True):
            make_position(status="published", title="Second position")
        titles = [entry.title for entry in feedparser.parse(client.get(FEED).content).entries]
    assert titles[0] == "Second position"
