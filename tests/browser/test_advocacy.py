"""The public advocacy pages in Chromium: axe-core finds no accessibility violation on the
advocacy front page, the list of positions (filtered, with a filter left out and its warning),
a position's page with its co-signers, consultation and outcome, and the councils and committees
with their past terms; none of them is wider than a 375 or a 1280 pixel screen; and the list
filters live as people choose."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import ConsultationDocument, Level
from tests.conftest import ARTIFACTS
from tests.factories import (
    make_body,
    make_consultation,
    make_endorsement,
    make_input,
    make_organisation,
    make_position,
    make_seat,
    make_topic,
    make_type,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]


@pytest.fixture
def advocacy():
    """Positions of every kind with co-signers of two types (one organisation unpublished, one
    co-signature withdrawn), an outcome and a consultation with documents; consultations due
    soon; a council with delegates of every role, one not public, and past terms."""
    today = timezone.localdate()
    centre = make_type(slug="centre", name="Culture centre")
    collective = make_type(slug="collective", name="Art collective")
    organisations = [
        make_organisation(name=name, type=kind, published=published)
        for name, kind, published in [
            ("Kėdainių kultūros centras", centre, True),
            ("Žalgirio ansamblis", centre, True),
            ("Mišrus choras „Aidas“", collective, True),
            ("Folkloro ansamblis „Linelis“", collective, True),
            ("Slaptas klubas", collective, False),
            ("Kauno miesto kultūros ir meno tarybos narių bendruomenė", centre, True),
        ]
    ]
    heritage = make_topic(name="Living heritage", slug="heritage")
    youth = make_topic(name="Youth", slug="youth")
    law = make_consultation(
        title="Lietuvos Respublikos kultūros centrų įstatymo Nr. IX-1194 pakeitimo projektas",
        slug="kulturos-centru-istatymas", consulting_body="Seimo Švietimo ir kultūros komitetas",
        reference="XIVP-1234(2)", url="https://e-seimas.example.org/XIVP-1234",
        opens_on=today - timedelta(days=20), deadline=today + timedelta(days=10),
        topics=[heritage],
    )  # fmt: skip
    ConsultationDocument.objects.create(
        consultation=law, title="Draft law with the explanatory note",
        url="https://e-seimas.example.org/XIVP-1234/draft.pdf",
    )  # fmt: skip
    make_consultation(
        title="Creative Europe after 2027", consulting_body="European Commission",
        level=Level.EU, deadline=today + timedelta(days=3),
    )  # fmt: skip
    make_consultation(title="Vietos kultūros strategija 2027–2030", deadline=today,
                      consulting_body="Kauno miesto savivaldybė", level=Level.LOCAL)  # fmt: skip
    base = datetime(2024, 5, 10, 9, tzinfo=UTC)
    funding = make_position(
        status="published", kind="response", slug="kulturos-centru-finansavimas",
        title="Kultūros centrų finansavimas 2025–2027: ko reikia bendruomenėms",
        consultation=law, topics=[heritage, youth], published_at=base,
        submitted_on=date(2024, 4, 30), outcome="partly", outcome_date=date(2024, 10, 1),
        outcome_note="Two of our five proposals were adopted.\nThe others wait for the budget.",
        summary="What culture centres need from the state budget, and why.",
        body=(
            "<h2>Our proposals</h2><ol><li>Stable funding for <strong>three years</strong>."
            "</li><li>Salaries indexed to the average wage.</li></ol><p>See <a href=\"https://"
            "lrs.example.org/\">the Seimas</a>.</p><table><caption>Budget</caption><thead><tr>"
            "<th scope=\"col\">Year</th><th scope=\"col\">Million €</th></tr></thead><tbody><tr>"
            "<td>2025</td><td>12.5</td></tr></tbody></table>"
        ),
    )  # fmt: skip
    for organisation in organisations:
        make_endorsement(position=funding, organisation=organisation)
    withdrawn = make_organisation(name="Atsisakęs klubas", type=centre)
    make_endorsement(position=funding, organisation=withdrawn, withdrawn_at=timezone.now())
    make_input(position=funding, organisation=organisations[0], text="Confidential input.")
    kinds = ["statement", "letter", "paper", "proposal", "response"]
    for n in range(12):
        make_position(
            status="published", kind=kinds[n % len(kinds)], level=list(Level)[n % len(Level)],
            title=f"Pozicija dėl kultūros politikos Nr. {n + 1}", topics=[youth] if n % 2 else [],
            published_at=base - timedelta(days=30 * (n + 1)), signing_closed=n % 3 == 0,
            outcome=["pending", "adopted", "not-adopted"][n % 3],
            summary="A statement of the association's view on cultural policy." if n % 2 else "",
        )  # fmt: skip
    make_position(status="draft", title="Juodraštis")

    council = make_body(
        name="Lietuvos kultūros taryba", slug="kulturos-taryba", total_seats=11,
        parent_institution="Lietuvos Respublikos kultūros ministerija",
        url="https://ltkt.example.org/",
    )  # fmt: skip
    roles = ["chair", "vice-chair", "member", "member", "member", "substitute", "observer"]
    for n, role in enumerate(roles):
        make_seat(body=council, delegate=f"Delegatė Nr. {n + 1} Kazlauskienė-Petrauskienė",
                  role=role, organisation=organisations[n % len(organisations)])  # fmt: skip
    make_seat(body=council, delegate="Neviešas Delegatas", public=False)
    make_seat(body=council, delegate="Praeitis Buvęs", organisation=organisations[1],
              term_start=date(2019, 1, 1), term_end=date(2022, 12, 31))  # fmt: skip
    group = make_body(name="Working group on intangible heritage", slug="heritage-group",
                      total_seats=3, level=Level.REGIONAL)  # fmt: skip
    make_seat(body=group, delegate="Gintarė Pavaduotoja", role="substitute")
    make_seat(body=group, delegate="Buvęs Narys", term_start=date(2020, 1, 1),
              term_end=date(2021, 1, 1))  # fmt: skip
    make_body(name="Samogitian council", slug="samogitia", total_seats=5)
    return funding


PAGES = {
    "index": "/en/advocacy/",
    "list": "/en/advocacy/positions/",
    "list with filters": "/en/advocacy/positions/?topic=youth&kind=statement&year=abc&q=kult",
    "list without results": "/en/advocacy/positions/?q=xyzzy&level=eu",
    "list, page 2": "/en/advocacy/positions/?page=2",
    "list in lithuanian": "/lt/advocacy/positions/?status=signing",
    "position": "/en/advocacy/positions/kulturos-centru-finansavimas/",
    "position in lithuanian": "/lt/advocacy/positions/kulturos-centru-finansavimas/",
    "delegations": "/en/advocacy/delegations/",
    "delegations with past terms": "/en/advocacy/delegations/?past=1",
}


def open_page(page, name):
    response = page.goto(PAGES[name])
    assert response.status == 200


@pytest.mark.parametrize("name", PAGES)
def test_advocacy_page_has_no_accessibility_violations(page, advocacy, name):
    open_page(page, name)
    expect(page.locator("h1")).to_have_count(1)
    if name == "list with filters":
        # The year is left out, with a warning; the other filters stay as chips.
        expect(page.locator(".message.warning")).to_have_count(1)
        expect(page.locator(".message.warning")).to_contain_text("That filter was left out.")
        expect(page.locator(".chip:not(.chip-clear)")).to_have_count(3)
    if name.startswith("position"):
        # "6 member organisations" in English, "6 organizacijos narės" in Lithuanian.
        expect(page.locator("#cosigners + p")).to_contain_text("6 ")
        expect(page.locator("#cosigners + p + ul li")).to_have_count(6)
        expect(page.locator("#outcome-heading")).to_be_visible()
        expect(page.locator("#consultation-heading")).to_be_visible()
    if name == "delegations with past terms":
        expect(page.get_by_text("Praeitis Buvęs")).to_be_visible()
    assert_accessible(page)


def test_the_list_filters_live(page, advocacy):
    page.goto(PAGES["list"])
    expect(page.locator("#results-count")).to_have_text("13 positions")
    page.locator(".more-filters summary").click()
    page.get_by_label("Kind").select_option("response")
    expect(page.locator("#results-count")).to_have_text("3 positions")
    expect(page).to_have_url(re.compile(r"kind=response"))
    expect(page.locator(".result-card h3 a").first).to_have_text(advocacy.title)
    page.get_by_label("Search positions").fill("finansav")
    expect(page.locator("#results-count")).to_have_text("1 position")
    expect(page).to_have_url(re.compile(r"q=finansav"))
    assert_accessible(page)
    page.locator(".result-card h3 a").first.click()
    expect(page.locator("h1")).to_have_text(advocacy.title)
    expect(page.get_by_text("Confidential input.")).to_have_count(0)


@pytest.mark.parametrize(
    "name", ["index", "list with filters", "position", "delegations with past terms"]
)
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen(page, advocacy, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name)
    page.screenshot(path=ARTIFACTS / f"advocacy-{slug}-{width}.png", full_page=True)
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
