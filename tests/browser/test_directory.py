"""The member directory in Chromium: accessibility (axe-core) of its pages in two languages, a
visitor's search journey with htmx and the back button, and the same directory without
JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from members.demo import load_demo_directory, load_vocabularies
from tests.factories import make_organisation
from tests.helpers import assert_accessible, committed_db
from tests.members.conftest import build_directory

pytestmark = committed_db


@pytest.fixture
def d():
    return build_directory()


@pytest.fixture
def offline_tiles(page):
    """Map tiles come from a third-party server: answer them with nothing, so that a test
    never waits for the network."""
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


PAGES = [
    pytest.param("/{lang}/members/", id="directory"),
    pytest.param(
        "/{lang}/members/?q=kult&type=centre&region=kauno-apskritis",
        id="directory with filters",
    ),
    pytest.param(
        "/{lang}/members/?q=xyzzy&municipality=zalec",
        id="directory without results",
    ),
    pytest.param("/{lang}/members/map/?type=centre", id="map"),
    pytest.param("/{lang}/members/kedainiu-kulturos-centras/", id="profile"),
    pytest.param("/{lang}/members/keliaujantis-teatras/", id="profile without a place"),
    pytest.param("/{lang}/members/regions/", id="region list"),
    pytest.param("/{lang}/members/regions/kauno-apskritis/", id="region"),
]


@pytest.mark.parametrize("lang", ["en", "lt"])
@pytest.mark.parametrize("path", PAGES)
def test_directory_page_has_no_accessibility_violations(offline_tiles, d, path, lang):
    page = offline_tiles
    # A profile without an address or coordinates has no map.
    make_organisation(name="Keliaujantis teatras", slug="keliaujantis-teatras", type=d.centre)
    response = page.goto(path.format(lang=lang))
    assert response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    if "/map/" in path:
        # The map draws its markers from map.json: check the page once they are there.
        expect(page.locator("#members-map .leaflet-marker-icon")).to_have_count(4)
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/lt/members/regions/", "/lt/members/regions/kauno-apskritis/", "/lt/members/map/"]
)
def test_demo_directory_pages_have_no_accessibility_violations(offline_tiles, path):
    # The demo's 675 organisations: long tables and lists, many markers, real place names.
    load_vocabularies()
    assert load_demo_directory() > 600
    page = offline_tiles
    assert page.goto(path).status == 200
    if path.endswith("/map/"):
        expect(page.locator("#members-map .leaflet-marker-icon").first).to_be_visible()
    assert_accessible(page)


def result_names(page):
    return page.locator(".result-card h3 a").all_inner_texts()


def test_search_filter_open_a_profile_and_come_back(offline_tiles, d):
    page = offline_tiles
    page.goto("/en/members/")
    count = page.locator("#results-count")
    expect(count).to_have_text("7 organisations")
    # A mark that a full page load would wipe out.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Search by name, place or activity").press_sequentially("kult", delay=50)
    expect(page).to_have_url(re.compile(r"[?&]q=kult(&|$)"))
    expect(count).to_have_text("3 organisations")
    assert sorted(result_names(page)) == sorted(
        [d.kedainiai_centre.name, d.savinja.name, d.kulturhuset.name]
    )
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page).to_have_title(re.compile(r"^“kult” in members · "))

    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Region").select_option("kauno-apskritis")
    expect(page).to_have_url(re.compile(r"[?&]region=kauno-apskritis(&|$)"))
    expect(count).to_have_text("1 organisation")
    assert result_names(page) == [d.kedainiai_centre.name]
    assert page.evaluate("window.stillTheSamePage") is True
    filtered_url = page.url

    page.get_by_role("link", name=d.kedainiai_centre.name).click()
    expect(page.locator("h1")).to_contain_text(d.kedainiai_centre.name)

    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(page.get_by_label("Search by name, place or activity")).to_have_value("kult")
    expect(page.get_by_label("Region")).to_have_value("kauno-apskritis")
    expect(count).to_have_text("1 organisation")
    assert result_names(page) == [d.kedainiai_centre.name]


def test_removing_a_chip_updates_the_results(page, d):
    page.goto("/en/members/?type=collective&municipality=zalec")
    expect(page.locator("#results-count")).to_have_text("0 organisations")
    page.get_by_role("link", name=re.compile(r"^Type: Art collective")).click()
    expect(page.locator("#results-count")).to_have_text("1 organisation")
    expect(page).not_to_have_url(re.compile(r"type="))


def test_pages_of_results_follow_without_a_full_load(page, d):
    for number in range(20):
        make_organisation(name=f"Zzz kolektyvas {number:02d}", type=d.centre)
    page.goto("/en/members/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True


def test_the_directory_works_without_javascript(browser, live_server, d):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/en/members/")
        page.get_by_label("Search by name, place or activity").fill("kult")
        page.get_by_role("button", name="Show results").click()
        expect(page).to_have_url(re.compile(r"[?&]q=kult(&|$)"))
        expect(page.locator("#results-count")).to_have_text("3 organisations")

        page.get_by_text("Filters and sorting").click()  # <details> opens without script
        page.get_by_label("Region").select_option("kauno-apskritis")
        page.get_by_role("button", name="Show results").click()
        expect(page.locator("#results-count")).to_have_text("1 organisation")
        assert result_names(page) == [d.kedainiai_centre.name]

        page.get_by_role("link", name=d.kedainiai_centre.name).click()
        expect(page.locator("h1")).to_contain_text(d.kedainiai_centre.name)
    finally:
        context.close()
