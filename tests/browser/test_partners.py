"""Partner search in Chromium: axe-core on the public list (with offers, filtered, empty) in two
languages, on a profile with its box, and on the staff pages, the form with its errors
included; a member's staff adds a search that then shows in the list. Screenshots at 375 and
1280 px go to test-artifacts/."""

from datetime import date, timedelta

import pytest
from django.test import Client
from playwright.sync_api import expect

from members.models import Role
from tests.conftest import ARTIFACTS
from tests.factories import (
    make_municipality,
    make_organisation,
    make_partner_offer,
    make_region,
    make_topic,
    make_type,
    make_user,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]


@pytest.fixture
def offers():
    centre = make_type(slug="centre", name="Culture centre")
    region = make_region(name="Kauno apskritis", slug="kauno-apskritis", country="LT")
    youth = make_topic(slug="youth", name={"en": "Youth", "lt": "Jaunimas"})
    heritage = make_topic(slug="heritage", name={"en": "Cultural heritage", "lt": "Paveldas"})
    kedainiai = make_organisation(
        name="Kėdainių kultūros centras",
        slug="kedainiu-kc",
        type=centre,
        municipality=make_municipality(region=region),
    )
    other = make_organisation(name="Vilniaus rajono centras", slug="vilniaus-rc", type=centre)
    make_partner_offer(
        organisation=kedainiai,
        title="Folk dance youth exchange (Erasmus+)",
        description="Ten days of dancing for young people aged 16–25.\nWe look for two groups.",
        countries=["PL", "LV", "SI", "UA", "MD", "GE", "AM", "RS", "BA"],
        topics=[youth, heritage],
        valid_until=date.today() + timedelta(days=90),
    )
    make_partner_offer(
        organisation=other,
        title="Choir co-production for Creative Europe",
        project_kind="co-production",
        countries=["SE", "FI"],
        topics=[heritage],
    )
    return kedainiai


def screenshots(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("lang", ["en", "lt"])
@pytest.mark.parametrize(
    "query", ["", "?topic=youth&country=PL&kind=exchange", "?q=xyzzy&country=ZZ"]
)
def test_the_public_list_has_no_accessibility_violations(page, offers, lang, query):
    response = page.goto(f"/{lang}/members/partners/{query}")
    assert response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    if lang == "en" and not query:
        screenshots(page, "partners-list")


def test_a_profile_with_its_partner_box_has_no_accessibility_violations(page, offers):
    assert page.goto(offers.get_absolute_url()).status == 200
    expect(page.locator("#partners-heading")).to_be_visible()
    assert_accessible(page)
    page.locator("#partners-heading").scroll_into_view_if_needed()
    screenshots(page, "partners-profile")


def test_staff_add_a_search_with_errors_then_correct_it(browser, live_server, offers):
    user = make_user(email="editor@example.org", name="Ona Editor")
    Role.objects.create(user=user, organisation=offers, level="editor")
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    try:
        page.goto(f"/en/my/{offers.slug}/")
        page.get_by_role("link", name="Looking for partners").first.click()
        expect(page.get_by_role("heading", name="Look for partners")).to_be_visible()
        assert_accessible(page)

        # Everything wrong that a browser lets through: no title, a past date, no country.
        page.get_by_label("What for").fill("")
        page.get_by_label("Looking until").fill((date.today() - timedelta(days=2)).isoformat())
        page.get_by_role("button", name="Publish the search").click()
        summary = page.locator("#error-summary")
        expect(summary).to_contain_text("What for: This field is required.")
        expect(summary).to_contain_text("The date has passed")
        expect(summary).to_contain_text("Choose at least one country.")
        assert_accessible(page)
        screenshots(page, "partners-staff-form-errors")

        page.get_by_label("What for").fill("Theatre training in the Western Balkans")
        page.get_by_label("Kind of project").select_option("training")
        page.get_by_label("Looking until").fill((date.today() + timedelta(days=40)).isoformat())
        page.get_by_label("Serbia").check()
        page.get_by_label("Kosovo").check()
        page.get_by_role("button", name="Publish the search").click()
        expect(page.locator(".message")).to_contain_text("is saved")
        assert_accessible(page)

        page.goto("/en/members/partners/?country=XK")
        expect(page.locator(".partner-offer h3")).to_have_text(
            ["Theatre training in the Western Balkans"]
        )
    finally:
        context.close()
