"""The news in Chromium: axe-core finds no accessibility violation on the list of news (with
posts, filtered by a topic, with the warning of an unknown topic, on its second page, in
Lithuanian), on a post's page with its image and related items, and on the home page with the
latest news; none of them is wider than a 375 or a 1280 pixel screen."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from association.demo import load_association
from association.images import store_variants
from association.models import NewsPost
from tests.conftest import ARTIFACTS
from tests.factories import (
    make_news_post,
    make_organisation,
    make_position,
    make_project,
    make_topic,
)
from tests.helpers import assert_accessible, committed_db

pytestmark = committed_db

WIDTHS = [375, 1280]


def photo():
    """A wide picture with some shapes, as PNG."""
    image = Image.new("RGB", (1800, 1000), "#0d5c63")
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 150, 900, 850), fill="#f4d35e")
    draw.rectangle((1000, 300, 1600, 900), fill="#c8553d")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("choirs.png", buffer.getvalue())


@pytest.fixture
def news():
    """The demo association; two topics; a post with an image, a long title, a table in its
    text and related organisations, a project and a position (one of each unpublished); 14
    more posts, one in Lithuanian, so that the list has two pages; a draft and a scheduled
    post. The image files are removed afterwards."""
    load_association()
    heritage = make_topic(name="Living heritage", slug="heritage")
    youth = make_topic(name="Youth", slug="youth")
    now = timezone.now()
    for n in range(14):
        make_news_post(
            title=f"Kultūros centrų naujiena Nr. {n + 1}" if n % 5 == 0 else f"News item {n + 1}",
            language="lt" if n % 5 == 0 else "en",
            lead="Culture centres across the country met to share what works." if n % 2 else "",
            published_at=now - timedelta(days=n + 2),
            topics=[youth] if n % 3 == 0 else [heritage],
        )  # fmt: skip
    featured = NewsPost(
        title="Forty choirs and twelve dance groups at the Kėdainiai song festival: what the "
        "weekend showed about amateur arts in small towns",
        slug="kedainiai-song-festival",
        lead="Two days of singing & dancing in the old town square, with 1,200 performers.",
        body=(
            "<p>The festival opened on Saturday with a joint concert of all choirs.</p>"
            "<h2>What we learnt</h2><ul><li>Small towns fill a square.</li>"
            "<li>Volunteers make it happen.</li></ul>"
            '<table><caption>Performers</caption><thead><tr><th scope="col">Group</th>'
            '<th scope="col">Number</th></tr></thead><tbody><tr><td>Choirs</td><td>40</td>'
            "</tr><tr><td>Dance groups</td><td>12</td></tr></tbody></table>"
            '<p>Read the <a href="https://example.org/report">organisers\' report</a>.</p>'
        ),
        image_alt="Choir singers in folk costume on an open-air stage",
        status=NewsPost.Status.PUBLISHED,
        published_at=now - timedelta(hours=3),
    )
    store_variants(
        photo(), featured.image, featured.image_list, featured.image_social,
        main_side=1600, list_side=320,
    )  # fmt: skip
    featured.save()
    featured.topics.set([heritage, youth])
    featured.organisations.set(
        [
            make_organisation(name="Kėdainių kultūros centras"),
            make_organisation(name="Slaptas klubas", published=False),
        ]
    )
    featured.projects.set(
        [
            make_project(title="Voices of Dzūkija: recording village songs"),
            make_project(title="Unfinished project", published=False),
        ]
    )
    featured.positions.set(
        [
            make_position(status="published", title="Statement on municipal culture budgets"),
            make_position(status="draft", title="Draft position"),
        ]
    )
    make_news_post(title="A draft", status="draft")
    make_news_post(title="Later", status="scheduled", published_at=now + timedelta(days=1))
    yield featured
    for field in (featured.image, featured.image_list, featured.image_social):
        field.storage.delete(field.name)


PAGES = {
    "list": "/en/news/",
    "list by topic": "/en/news/?topic=youth",
    "list with an unknown topic": "/en/news/?topic=no-such-topic&page=abc",
    "list, page 2": "/en/news/?page=2",
    "list in lithuanian": "/lt/news/",
    "post": "/en/news/kedainiai-song-festival/",
    "post in lithuanian": "/lt/news/kedainiai-song-festival/",
    "home": "/en/",
    "home in lithuanian": "/lt/",
}


def open_page(page, name):
    response = page.goto(PAGES[name])
    assert response.status == 200


@pytest.mark.parametrize("name", PAGES)
def test_news_page_has_no_accessibility_violations(page, news, name):
    open_page(page, name)
    expect(page.locator("h1")).to_have_count(1)
    if name.startswith("list"):
        expect(page.locator(".news-item")).to_have_count(
            {"list, page 2": 3, "list by topic": 6}.get(name, 12)
        )
    if name == "list with an unknown topic":
        expect(page.locator(".message.warning")).to_have_text(
            "There is no such topic: all news is shown."
        )
    if name.startswith("post"):
        image = page.locator(".news-image img")
        expect(image).to_have_attribute("alt", news.image_alt)
        expect(image).to_be_visible()
        assert image.evaluate("image => image.complete && image.naturalWidth") == 1600
        related = page.locator("aside[aria-labelledby=related-heading] li")
        expect(related).to_have_count(3)
        expect(page.get_by_text("Slaptas klubas")).to_have_count(0)
    if name.startswith("home"):
        expect(page.locator("section[aria-labelledby=news-heading] .news-item")).to_have_count(3)
        expect(page.locator(".news-item :is(h2, h3) a").first).to_have_text(news.title)
    assert_accessible(page)


def test_the_list_of_news_has_its_headings_in_order(page, news):
    open_page(page, "list")
    assert_accessible(page)


def test_a_post_is_reached_from_the_home_page_and_back_to_its_topic(page, news):
    page.goto("/en/")
    page.locator(".news-item :is(h2, h3) a").first.click()
    expect(page.locator("h1")).to_have_text(news.title)
    page.locator(".result-meta").get_by_role("link", name="Youth").click()
    expect(page).to_have_url(re.compile(r"/en/news/\?topic=youth$"))
    expect(page.locator("h1")).to_have_text("News on Youth")
    expect(page.locator(".news-item :is(h2, h3) a").first).to_have_text(news.title)
    page.get_by_role("link", name="All topics").click()
    expect(page.locator("h1")).to_have_text("News")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator(".news-item")).to_have_count(3)


@pytest.mark.parametrize("name", ["list", "list with an unknown topic", "post", "home"])
@pytest.mark.parametrize("width", WIDTHS)
def test_page_fits_the_screen(page, news, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, name)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", name)
    page.screenshot(path=ARTIFACTS / f"news-{slug}-{width}.png", full_page=True)
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"
