"""The public project pages in Chromium: axe-core finds no accessibility violation on the project
list (filtered, with its totals), a project's page (partners, results table, map), the funding
calls and their archive; and none of them is wider than a 375 or a 1280 pixel screen."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS
from tests.factories import (
    make_call,
    make_funder,
    make_municipality,
    make_organisation,
    make_programme,
    make_project,
    make_region,
    make_topic,
    make_type,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]


@pytest.fixture
def offline_tiles(page):
    """Map tiles come from a third-party server: answer them with nothing."""
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


@pytest.fixture
def projects():
    """Projects in EUR and SEK from two funders, one of them with everything a project page
    shows; funding calls in every state, and enough closed ones for two archive pages."""
    centre = make_type(slug="centre", name="Culture centre")
    north = make_region(name="Šiaurės regionas", slug="north", latitude=55.9, longitude=23.3)
    south = make_region(name="Västra regionen", slug="south", country="SE", latitude=57.7,
                        longitude=11.9)  # fmt: skip
    town = make_municipality(name="Šiaulių miestas", region=north, latitude=55.93,
                             longitude=23.31)  # fmt: skip
    kedainiai = make_organisation(name="Kėdainių kultūros centras", slug="kkc", type=centre)
    zalgiris = make_organisation(name="Žalgirio ansamblis", slug="zalgiris", type=centre)
    hidden = make_organisation(name="Slaptas klubas", type=centre, published=False)
    ministry = make_funder(name="Kultūros ministerija", slug="ministry")
    council = make_funder(name="Kulturrådet", slug="council", country="SE")
    heritage = make_programme(funder=ministry, name="Living heritage", slug="heritage",
                              code="LH-2")  # fmt: skip
    youth = make_topic(name="Youth", slug="youth")
    festival = make_project(
        title="Šviesų festivalis senamiestyje", slug="sviesu-festivalis", code="SF-2024-0001",
        lead=zalgiris, funder=ministry, programme=heritage, status="ongoing",
        summary="Twelve evenings of light and sound in the old town, with workshops for young "
        "technicians.",
        description="<p>The festival lights the <strong>old town</strong> for twelve evenings."
        "</p>",
        decision_reference="No. ĮV-77", decision_date=date(2024, 3, 1),
        start_date=date(2024, 4, 1), end_date=date(2025, 6, 30),
        amount_awarded=Decimal("12345.60"), co_financing=Decimal("2000.00"),
        total_budget=Decimal("14345.60"), website="https://festival.example.org/",
        regions=[south], municipalities=[town], topics=[youth],
        partners=[
            {"organisation": kedainiai, "role": "co-applicant"},
            hidden,
            {"name": "Baltic Light Collective", "country": "LV", "role": "associated"},
        ],
        items=[
            ("aim", "Bring light to the old town"),
            ("aim", "Train young technicians"),
            ("activity", "Twelve evenings of light"),
            ("activity", "A workshop for technicians"),
            {"kind": "expected", "text": "Evenings held", "indicator": "evenings",
             "target": Decimal("12")},
            {"kind": "expected", "text": "Technicians trained, of whom at least half are "
             "under 25 and from villages around the town", "indicator": "people trained",
             "target": Decimal("20")},
            {"kind": "achieved", "text": "Visitors", "indicator": "visitors counted at the gates",
             "target": Decimal("1500"), "actual": Decimal("1725.50")},
        ],
    )  # fmt: skip
    for n, (funder, currency, amount) in enumerate(
        [(ministry, "EUR", "0.10"), (ministry, "EUR", "0.20"), (council, "SEK", "1000000.50"),
         (council, "EUR", "5.00"), (None, "EUR", "1.00")]
    ):  # fmt: skip
        make_project(
            title=f"Kultūros projektas Nr. {n + 1}", lead=kedainiai if n % 2 else None,
            partners=[zalgiris], funder=funder, currency=currency, amount_awarded=Decimal(amount),
            status="ongoing" if n % 2 else "completed", start_date=date(2023 + n % 2, 5, 1),
            regions=[north], summary="A project of the region's culture centres.",
        )  # fmt: skip
    now = timezone.now()
    make_call(title="Mėgėjų meno projektai 2027", funder=ministry, programme=heritage,
              deadline=now + timedelta(days=40), amount_min=Decimal(1000),
              amount_max=Decimal(15000), summary="Amateur arts projects of culture centres.",
              topics=[youth])  # fmt: skip
    make_call(title="Jaunimo iniciatyvos", funder=council, deadline=now + timedelta(days=3),
              amount_max=Decimal(50000), currency="SEK")  # fmt: skip
    make_call(title="Kultūros paveldas", funder=ministry, deadline=now + timedelta(days=90),
              opens_on=(now + timedelta(days=20)).date())  # fmt: skip
    for n in range(33):
        make_call(title=f"Closed call {n + 1:02d}", funder=ministry,
                  deadline=now - timedelta(days=n + 1))  # fmt: skip
    return festival


PAGES = {
    "list": "/en/projects/",
    "list with filters": "/en/projects/?region=north&status=ongoing&q=kult",
    "list without results": "/en/projects/?q=xyzzy&funder=council",
    "list in lithuanian": "/lt/projects/?funder=council",
    "project": "/en/projects/sviesu-festivalis/",
    "project in lithuanian": "/lt/projects/sviesu-festivalis/",
    "calls": "/en/projects/calls/",
    "call archive": "/en/projects/calls/archive/",
    "call archive, page 2": "/en/projects/calls/archive/?page=2",
    "call": "/en/projects/calls/",  # the first open call, followed from the list
}


def open_page(page, name):
    response = page.goto(PAGES[name])
    assert response.status == 200
    if name == "call":
        page.locator(".result-card h3 a").first.click()
        expect(page.locator(".eyebrow")).to_have_text("Funding call")
    if name.startswith("project"):
        # The map draws a marker for each place: check the page once they are there.
        expect(page.locator(".map .leaflet-interactive")).to_have_count(2)


@pytest.mark.parametrize("name", PAGES)
def test_project_page_has_no_accessibility_violations(offline_tiles, projects, name):
    page = offline_tiles
    open_page(page, name)
    expect(page.locator("h1")).to_have_count(1)
    if name.startswith("list") and "without" not in name:
        expect(page.locator("#totals")).to_be_visible()
    assert_accessible(page)


def test_the_filtered_list_and_its_totals(offline_tiles, projects):
    page = offline_tiles
    page.goto(PAGES["list with filters"])
    # The two ongoing projects of the region, and the festival: in one of its municipalities,
    # with a "kultūros" centre as its partner.
    expect(page.locator("#results-count")).to_have_text("3 projects")
    # Two currencies, two sums, never added together.
    expect(page.locator(".totals-overall strong")).to_have_count(1)
    expect(page.locator(".message.warning")).to_have_count(0)
    page.goto("/en/projects/?funder=council")
    expect(page.locator(".totals-overall strong")).to_have_text(["€5.00", "SEK1,000,000.50"])


@pytest.mark.parametrize("name", ["list with filters", "project", "calls", "call archive"])
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen(offline_tiles, projects, name, width):
    page = offline_tiles
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name)
    page.screenshot(path=ARTIFACTS / f"projects-{slug}-{width}.png", full_page=True)
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
