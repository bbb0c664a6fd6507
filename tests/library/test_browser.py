"""The library in Chromium: axe-core finds no accessibility violation on the list (as a visitor,
as member staff, filtered, with the warning of an unknown filter, on its second page) and on an
item's page; no page is wider than a 375 or a 1280 pixel screen; member staff download a
members-only file."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from association.demo import load_association
from members.models import Role
from tests.conftest import ARTIFACTS
from tests.factories import make_library_item, make_organisation, make_topic, make_user
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]
PDF = b"%PDF-1.4\n% a tiny test document\n%%EOF\n"


@pytest.fixture
def library():
    """The demo association, two topics and 18 items (one in Lithuanian, some members only,
    two links), so that the list has two pages; a member-staff account."""
    load_association()
    heritage = make_topic(name="Living heritage", slug="heritage")
    policy = make_topic(name="Culture policy", slug="policy")
    now = timezone.now()
    for n in range(16):
        make_library_item(
            title=f"Guide number {n + 1} for culture centres",
            description="<p>Practical advice for the staff of culture centres.</p>",
            visibility="members" if n % 4 == 1 else "public",
            kind=["guide", "template", "report", "recording"][n % 4],
            link="https://example.org/material" if n % 6 == 5 else "",
            published_at=now - timedelta(days=n + 2),
            topics=[heritage] if n % 2 else [policy],
        )
    make_library_item(
        title="Kultūros centrų metinės veiklos ataskaitos šablonas, tinkamas savivaldybei ir "
        "ministerijai",
        slug="ataskaitos-sablonas",
        kind="template",
        language="lt",
        visibility="members",
        description="<p>Ataskaitos struktūra: <strong>renginiai</strong>, lankytojai, "
        "kolektyvai, darbuotojai ir biudžetas.</p><ul><li>Lentelės</li><li>Planai</li></ul>",
        file=("ataskaitos-sablonas.pdf", PDF),
        topics=[heritage, policy],
        published_at=now - timedelta(hours=2),
    )
    make_library_item(
        title="Report: culture centres in numbers 2024",
        slug="in-numbers-2024",
        kind="report",
        description="<p>Events, visitors, amateur art groups and staff in 2024.</p>",
        file=("in-numbers.pdf", PDF),
        topics=[policy],
        published_at=now - timedelta(hours=1),
    )
    staff = make_user(email="member@example.org", name="Tomas Member")
    Role.objects.create(user=staff, organisation=make_organisation(), level="editor")
    return staff


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


PAGES = {
    "list": ("/en/library/", False),
    "list, filtered": ("/en/library/?topic=heritage&kind=guide&q=cult", False),
    "list, unknown filters": ("/en/library/?topic=nothing&kind=x&page=abc", False),
    "list, page 2": ("/en/library/?page=2", False),
    "list in lithuanian": ("/lt/library/", False),
    "list, member": ("/en/library/", True),
    "item": ("/en/library/in-numbers-2024/", False),
    "item, member, lithuanian text": ("/en/library/ataskaitos-sablonas/", True),
}


def open_page(page, live_server, library, name):
    path, member = PAGES[name]
    if member:
        sign_in(page, live_server, library)
    response = page.goto(path)
    assert response.status == 200


@pytest.mark.parametrize("name", PAGES)
def test_library_page_has_no_accessibility_violations(page, live_server, library, name):
    open_page(page, live_server, library, name)
    expect(page.locator("h1")).to_have_count(1)
    if name == "list":
        expect(page.locator(".result-card")).to_have_count(12)
        expect(page.locator(".library-note")).to_contain_text("listed after signing in")
        expect(page.get_by_text("Members only")).to_have_count(0)
    if name == "list, member":
        expect(page.locator(".result-card").nth(1)).to_contain_text("Members only")
        expect(page.locator(".library-note")).to_have_count(0)
    if name == "list, unknown filters":
        expect(page.locator(".message.warning")).to_have_count(2)
    assert_accessible(page)


def test_member_staff_download_a_members_only_file(page, live_server, library):
    page.goto("/en/library/ataskaitos-sablonas/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/en/library/ataskaitos"))
    sign_in(page, live_server, library)
    page.goto("/en/library/")
    page.get_by_role("link", name=re.compile("^Kultūros centrų metinės")).click()
    expect(page.locator("h1")).to_contain_text("Kultūros centrų metinės")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Download")).click()
    assert download.value.suggested_filename == "ataskaitos-sablonas.pdf"


def test_live_search_updates_the_results(page, live_server, library):
    page.goto("/en/library/")
    page.get_by_label("Search the library").fill("numbers")
    expect(page.locator(".result-card")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?q=numbers"))


@pytest.mark.parametrize("name", ["list", "list, member", "item, member, lithuanian text"])
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen(page, live_server, library, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, live_server, library, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name)
    page.screenshot(path=ARTIFACTS / f"library-{slug}-{width}.png", full_page=True)
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
