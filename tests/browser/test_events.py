"""The events pages in Chromium: axe-core finds no accessibility violation on the upcoming list
(as it is, filtered, with the warning of an unknown filter value), the archive and an event's
page (with its map, a cancelled one); filtering updates the list in place and keeps the address;
no page is wider than a 375 or a 1280 pixel screen."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from association.demo import load_association
from tests.conftest import ARTIFACTS
from tests.factories import (
    make_event,
    make_event_document,
    make_municipality,
    make_organisation,
    make_region,
    make_topic,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]


@pytest.fixture
def events():
    """The demo association; two regions and topics; 14 upcoming events (one members only, one
    online, one cancelled, one by a member centre at a place with a map) and 3 past ones."""
    load_association()
    heritage = make_topic(name="Living heritage", slug="heritage")
    youth = make_topic(name="Youth", slug="youth")
    north = make_region(name="Utenos apskritis", slug="utena")
    town = make_municipality(name="Anykščių rajono savivaldybė", region=north)
    centre = make_organisation(name="Anykščių kultūros centras", municipality=town)
    featured = make_event(
        title="Volunteer training for village centres: organising a summer festival together",
        slug="volunteer-training",
        kind="training",
        starts_in=timedelta(days=3),
        hours=5,
        summary="A day on planning, volunteers and safety for small festivals.",
        description="<p>We will cover:</p><ul><li>planning</li><li>volunteers</li></ul>",
        venue="Anykščiai Manor",
        address="Vilniaus g. 36",
        municipality=town,
        latitude=55.525,
        longitude=25.103,
        organiser=centre,
        topics=[heritage, youth],
        price_note="Free for members, 20 € for others",
        capacity=30,
    )
    make_event(title="Webinar: accessible culture events", kind="webinar", online=True,
               online_url="https://meet.example.org/secret", starts_in=timedelta(days=1),
               topics=[youth])  # fmt: skip
    make_event(title="Members' consultation on the culture strategy", kind="meeting",
               audience="members", starts_in=timedelta(days=2))  # fmt: skip
    make_event(title="Conference on heritage in small towns", kind="conference",
               status="cancelled", starts_in=timedelta(days=4), slug="conference",
               topics=[heritage])  # fmt: skip
    for day in range(10):
        make_event(title=f"Regional meeting {day + 1}", kind="meeting",
                   starts_in=timedelta(days=5 + day), municipality=town)  # fmt: skip
    for day in range(3):
        past = make_event(title=f"Training: reporting, part {day + 1}",
                          starts_in=timedelta(days=-20 - day))  # fmt: skip
        make_event_document(past, title="Slides", link="https://example.org/slides.pdf")
    return featured


PAGES = {
    "list": "/en/events/",
    "list filtered": "/en/events/?kind=meeting&region=utena",
    "list with an unknown filter": "/en/events/?kind=party&topic=nope",
    "past": "/en/events/past/",
    "event": "/en/events/volunteer-training/",
    "cancelled event": "/en/events/conference/",
    "event in lithuanian": "/lt/events/volunteer-training/",
}


@pytest.mark.parametrize("name", PAGES)
def test_events_page_has_no_accessibility_violations(page, events, name):
    assert page.goto(PAGES[name]).status == 200
    expect(page.locator("h1")).to_have_count(1)
    if name == "list":
        expect(page.locator(".event-card")).to_have_count(12)
    if name == "list filtered":
        expect(page.locator(".event-card")).to_have_count(10)
        expect(page.locator(".chip")).to_have_count(3)  # two filters and "Clear all"
    if name == "list with an unknown filter":
        expect(page.locator(".message.warning")).to_have_count(2)
    if name.startswith("event"):
        expect(page.locator(".map .leaflet-container, .map.leaflet-container")).to_have_count(1)
        expect(page.get_by_text("Free for members, 20 € for others")).to_be_visible()
    if name == "cancelled event":
        expect(page.locator(".event-cancelled")).to_be_visible()
    assert_accessible(page)


def test_filtering_updates_the_list_and_the_address(page, events):
    page.goto("/en/events/")
    page.get_by_label("Kind").select_option("webinar")
    expect(page).to_have_url(re.compile(r"kind=webinar"))
    expect(page.locator(".event-card")).to_have_count(1)
    expect(page.locator(".event-card h3")).to_have_text("Webinar: accessible culture events")
    assert "secret" not in page.content()
    page.locator(".event-card h3 a").click()
    expect(page.locator("h1")).to_have_text("Webinar: accessible culture events")
    assert_accessible(page)


@pytest.mark.parametrize("name", ["list", "list filtered", "past", "event", "cancelled event"])
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen(page, events, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(PAGES[name]).status == 200
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name)
    page.screenshot(path=ARTIFACTS / f"events-{slug}-{width}.png", full_page=True)
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_profile_shows_the_organisations_upcoming_events(page, events, width):
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(events.organiser.get_absolute_url()).status == 200
    box = page.locator("section[aria-labelledby=events-heading]")
    expect(box.get_by_role("link")).to_have_text([events.title])
    box.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"events-profile-{width}.png", full_page=True)
    assert_accessible(page)
