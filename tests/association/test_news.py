"""The association's news through Django's test client: the list (published posts newest first,
never drafts nor posts scheduled for later, the topic filter, paging and bad parameters); a
post's page (sanitised text, related items only when published); the home page's latest news
and the related news on profiles, projects and positions; the RSS and Atom feeds as feedparser
reads them; what each page costs in queries; the page cache; and the secretariat writing a post
with an image in the admin."""

import calendar
import html
import io
import re
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from association.models import AssociationProfile, NewsPost
from association.news import FEED_SIZE, PAGE_SIZE
from tests.factories import (
    make_news_post,
    make_organisation,
    make_position,
    make_project,
    make_secretariat_user,
    make_topic,
)
from tests.members.pages import meta_property, text, title, warnings

pytestmark = pytest.mark.django_db

NEWS = "/en/news/"
RSS = "/en/news/feed/rss/"
ATOM = "/en/news/feed/atom/"
HOME = "/en/"
ADD = "/admin/association/newspost/add/"


# --- Reading the pages ------------------------------------------------------------------------


def news_titles(content):
    """The titles of the posts listed (news items), in order."""
    return [
        html.unescape(name)
        for name in re.findall(
            r'<li class="news-item">.*?<h[23][^>]*><a href="[^"]*">([^<]*)</a></h[23]>',
            content,
            re.S,
        )
    ]


def listed(response):
    return news_titles(text(response))


def news_links(response):
    return re.findall(
        r'<li class="news-item">.*?<h[23][^>]*><a href="([^"]*)">', text(response), re.S
    )


def section(content, start, end):
    """The part of the page from `start` to the first `end` after it ("" without `start`)."""
    if start not in content:
        return ""
    rest = content[content.index(start) :]
    return rest[: rest.index(end)]


def home_news(response):
    return news_titles(section(text(response), 'id="news-heading"', "</section>"))


def related_news_shown(response):
    """The posts under "In the news" on a profile, a project or a position."""
    return news_titles(section(text(response), "<h2>In the news</h2>", "</ul>") + "</ul>")


def related_links(response):
    """[(href, name)] of a post's "Related" box."""
    box = section(text(response), 'id="related-heading"', "</aside>")
    return [
        (href, html.unescape(name))
        for href, name in re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', box)
    ]


def pagination(response):
    found = re.search(r"Page (\d+) of (\d+)", text(response))
    return (int(found[1]), int(found[2])) if found else None


def newest_first(posts):
    """The order of every news list: newest first; the later made first when published at once."""
    return [p.title for p in sorted(posts, key=lambda p: (p.published_at, p.pk), reverse=True)]


def visible_client():
    """A client that answers as a visitor would see it: a 500 page rather than an exception."""
    return Client(raise_request_exception=False)


# --- The world most tests read ----------------------------------------------------------------


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def w():
    """Two topics; published posts in 2024 and 2025 (two at the same moment), one in
    Lithuanian; a draft, a post scheduled for tomorrow and one scheduled for a time that has
    passed; related organisations, projects and positions, published and not."""
    w = SimpleNamespace()
    now = timezone.now()
    w.heritage = make_topic(name="Living heritage", slug="heritage")
    w.youth = make_topic(name="Youth", slug="youth")
    w.centre = make_organisation(name="Kėdainių kultūros centras")
    w.hidden_centre = make_organisation(name="Slaptas klubas", published=False)
    w.project = make_project(title="Voices of Dzūkija")
    w.draft_project = make_project(title="Unfinished project", published=False)
    w.position = make_position(status="published", title="Statement on culture budgets")
    w.draft_position = make_position(status="draft", title="Draft position")
    w.festival = make_news_post(
        title="Song festival in Kėdainiai", lead="Choirs & dancers < 200 in number.",
        published_at=at(2024, 6, 1), topics=[w.heritage],
        organisations=[w.centre, w.hidden_centre], projects=[w.project, w.draft_project],
        positions=[w.position, w.draft_position],
        body="<p>Forty choirs came.</p>",
    )  # fmt: skip
    w.youth_camp = make_news_post(
        title="Youth theatre camp", lead="Teenagers write their own plays.",
        published_at=at(2024, 9, 15), topics=[w.youth],
    )  # fmt: skip
    w.both = make_news_post(
        title="Young heritage keepers", published_at=at(2025, 1, 10),
        topics=[w.heritage, w.youth],
    )  # fmt: skip
    # Published at the same moment as the one above, made later: it comes first.
    w.same_moment = make_news_post(title="Budget news", published_at=at(2025, 1, 10))
    w.lithuanian = make_news_post(
        title="Kultūros centrų forumas Kaune", language="lt", published_at=at(2025, 3, 2),
        lead="Kultūros centrų vadovai susitiko Kaune.",
    )  # fmt: skip
    w.passed = make_news_post(
        title="Scheduled and now out", status="scheduled", published_at=now - timedelta(hours=1)
    )
    w.published = [w.festival, w.youth_camp, w.both, w.same_moment, w.lithuanian, w.passed]
    w.draft = make_news_post(
        title="A draft nobody sees", status="draft", published_at=at(2024, 1, 1)
    )
    w.scheduled = make_news_post(
        title="Announced for tomorrow", status="scheduled", published_at=now + timedelta(days=1)
    )
    # A draft whose time has come stays a draft.
    w.old_draft = make_news_post(
        title="An old draft", status="draft", published_at=now - timedelta(days=3)
    )
    w.unpublished = [w.draft, w.scheduled, w.old_draft]
    return w


# --- The list ---------------------------------------------------------------------------------


class TestList:
    def test_published_posts_newest_first_and_nothing_else(self, w, client):
        response = client.get(NEWS)
        assert response.status_code == 200
        assert listed(response) == newest_first(w.published)
        # Published at the same moment: the one made later comes first.
        assert listed(response)[-4:] == [
            "Budget news",
            "Young heritage keepers",
            "Youth theatre camp",
            "Song festival in Kėdainiai",
        ]
        for post in w.unpublished:
            assert post.title not in text(response)

    def test_each_item_links_to_its_post_and_shows_its_lead_and_date(self, w, client):
        response = client.get(NEWS)
        assert f'<a href="/en/news/{w.festival.slug}/">' in text(response)
        assert "Choirs &amp; dancers &lt; 200 in number." in text(response)
        assert '<time datetime="2024-06-01T09:00:00+00:00">' in text(response)

    def test_a_scheduled_post_appears_once_its_time_has_passed(self, w, client):
        assert w.scheduled.title not in listed(client.get(NEWS))
        # Time passes: nothing is written, so nothing tells the portal.
        NewsPost.objects.filter(pk=w.scheduled.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        shown = listed(client.get(NEWS))
        assert shown[0] == w.scheduled.title
        assert client.get(f"{NEWS}{w.scheduled.slug}/").status_code == 200

    def test_a_draft_is_not_shown_whatever_its_time(self, w, client):
        assert w.old_draft.title not in listed(client.get(NEWS))
        assert client.get(f"{NEWS}{w.old_draft.slug}/").status_code == 404

    def test_the_topic_filter(self, w, client):
        response = client.get(NEWS, {"topic": "heritage"})
        assert listed(response) == ["Young heritage keepers", "Song festival in Kėdainiai"]
        assert "<h1>News on Living heritage</h1>" in text(response)
        assert title(response).startswith("News on Living heritage")
        assert warnings(response) == []
        assert listed(client.get(NEWS, {"topic": "youth"})) == [
            "Young heritage keepers",
            "Youth theatre camp",
        ]

    def test_the_topic_filter_marks_the_chosen_topic(self, w, client):
        content = text(client.get(NEWS, {"topic": "youth"}))
        assert '<a href="?topic=youth" aria-current="page">Youth</a>' in content
        assert '<a href="/en/news/">All topics</a>' in content
        assert '<a href="/en/news/" aria-current="page">All topics</a>' in text(client.get(NEWS))

    def test_a_topic_without_published_posts_shows_an_empty_list(self, w, client):
        make_topic(name="Digital culture", slug="digital")
        make_news_post(title="Digital draft", status="draft", topics=[])
        response = client.get(NEWS, {"topic": "digital"})
        assert response.status_code == 200
        assert listed(response) == []
        assert "No news has been published yet." in text(response)

    def test_an_unknown_topic_shows_a_warning_and_all_news(self, w, client):
        response = client.get(NEWS, {"topic": "unknown"})
        assert response.status_code == 200
        assert warnings(response) == ["There is no such topic: all news is shown."]
        assert listed(response) == newest_first(w.published)
        assert "<h1>News</h1>" in text(response)

    def test_no_news_at_all(self, client):
        response = client.get(NEWS)
        assert response.status_code == 200
        assert listed(response) == []
        assert "No news has been published yet." in text(response)

    def test_the_list_links_to_its_feeds(self, w, client):
        content = text(client.get(NEWS))
        assert '<link rel="alternate" type="application/rss+xml"' in content
        assert f'href="{RSS}"' in content and f'href="{ATOM}"' in content


BAD_PARAMETERS = {
    "page abc": {"page": "abc"},
    "page -1": {"page": "-1"},
    "page 0": {"page": "0"},
    "page 99999": {"page": "99999"},
    "page 1.5": {"page": "1.5"},
    "page 5,000 digits": {"page": "9" * 5000},
    "page 5,000 characters": {"page": "p" * 5000},
    "page empty": {"page": ""},
    "page html": {"page": "<script>x</script>"},
    "topic 5,000 characters": {"topic": "t" * 5000},
    "topic html": {"topic": "<script>x</script>"},
    "topic emoji": {"topic": "🎻"},
    "repeated values": {"topic": ["nope", "heritage"], "page": ["x", "1"]},
    "unknown parameter": {"sort": "evil", "colour": "red"},
    "everything at once": {"topic": "x" * 5000, "page": "-99999999999999999999"},
}


class TestBadParameters:
    @pytest.mark.parametrize("name", BAD_PARAMETERS)
    def test_bad_parameters_answer_a_page_of_news(self, w, name):
        response = visible_client().get(NEWS, BAD_PARAMETERS[name])
        assert response.status_code == 200
        content = text(response)
        assert "<script>x</script>" not in content
        assert "\x00" not in content
        assert len(content) < 100_000
        assert listed(response)  # a real page of posts

    @pytest.mark.parametrize(
        "query",
        [
            "?page=%00",
            "?topic=%00",
            "?topic=herit%00age&page=%00%00",
            "?page=1%00",
            "?%00=%00",
        ],
    )
    def test_nul_bytes_in_the_address(self, w, query):
        response = visible_client().get(f"{NEWS}{query}")
        assert response.status_code == 200
        assert "\x00" not in text(response)
        assert listed(response)

    @pytest.mark.parametrize("topic", ["t" * 5000, "<script>x</script>", "%00", "🎻"])
    def test_an_unknown_topic_of_any_shape_shows_the_warning(self, w, topic):
        response = visible_client().get(NEWS, {"topic": topic})
        assert warnings(response) == ["There is no such topic: all news is shown."]
        assert listed(response) == newest_first(w.published)

    def test_bad_parameters_on_the_feeds(self, w):
        for path in (RSS, ATOM):
            response = visible_client().get(path, {"page": "abc", "topic": "\x00" * 10})
            assert response.status_code == 200


@pytest.fixture
def many():
    """25 published posts a day apart, the older half about youth, and a draft among them."""
    base = at(2024, 1, 1)
    youth = make_topic(name="Youth", slug="youth")
    posts = [
        make_news_post(
            title=f"Naujiena {n:02d}",
            published_at=base + timedelta(days=n),
            topics=[youth] if n < 13 else [],
        )
        for n in range(25)
    ]
    make_news_post(title="Juodraštis", status="draft", published_at=base + timedelta(days=40))
    return posts


class TestPaging:
    def test_12_a_page(self, many, client):
        expected = newest_first(many)
        first = client.get(NEWS)
        assert listed(first) == expected[:PAGE_SIZE] and PAGE_SIZE == 12
        assert pagination(first) == (1, 3)
        assert listed(client.get(NEWS, {"page": "2"})) == expected[12:24]
        last = client.get(NEWS, {"page": "3"})
        assert listed(last) == expected[24:] == ["Naujiena 00"]
        assert pagination(last) == (3, 3)

    def test_the_page_is_in_the_title(self, many, client):
        assert title(client.get(NEWS, {"page": "2"})).startswith("News, page 2")

    @pytest.mark.parametrize(
        ("page", "shown"),
        [
            ("abc", 1),
            ("", 1),
            ("-1", 3),
            ("0", 3),
            ("99999", 3),
            ("%00", 1),
            ("2.0", 1),
            (" 2 ", 2),
        ],
    )
    def test_a_bad_page_number_shows_a_real_page(self, many, page, shown):
        response = visible_client().get(f"{NEWS}?page={page}")
        assert response.status_code == 200
        assert pagination(response)[0] == shown
        start = (shown - 1) * PAGE_SIZE
        assert listed(response) == newest_first(many)[start : start + PAGE_SIZE]

    def test_page_links_keep_the_topic(self, many, client):
        response = client.get(NEWS, {"topic": "youth"})
        assert listed(response) == newest_first(many[:13])[:12]
        assert 'href="?topic=youth&amp;page=2" rel="next"' in text(response)
        second = client.get(NEWS, {"topic": "youth", "page": "2"})
        assert listed(second) == ["Naujiena 00"]
        assert 'href="?topic=youth&amp;page=1" rel="prev"' in text(second)


# --- A post's page ----------------------------------------------------------------------------


def post_url(post, language="en"):
    return f"/{language}/news/{post.slug}/"


class TestPostPage:
    def test_the_page(self, w, client):
        response = client.get(post_url(w.festival))
        assert response.status_code == 200
        content = text(response)
        assert "<h1>Song festival in Kėdainiai</h1>" in content
        assert '<p class="lead">Choirs &amp; dancers &lt; 200 in number.</p>' in content
        assert '<div class="prose"><p>Forty choirs came.</p></div>' in content
        assert '<time datetime="2024-06-01T09:00:00+00:00">' in content
        assert f'<a class="badge" href="{NEWS}?topic=heritage">Living heritage</a>' in content
        assert meta_property(response, "og:title") == "Song festival in Kėdainiai"
        assert meta_property(response, "og:description") == "Choirs & dancers < 200 in number."
        assert f'<a href="{NEWS}">News</a>' in content

    @pytest.mark.parametrize("name", ["draft", "scheduled", "old_draft"])
    def test_a_post_not_published_answers_404(self, w, client, name):
        assert client.get(post_url(getattr(w, name))).status_code == 404

    def test_the_secretariat_does_not_see_a_draft_here_either(self, w, client):
        client.force_login(make_secretariat_user())
        assert client.get(post_url(w.draft)).status_code == 404

    def test_an_unknown_post_answers_404(self, w, client):
        assert client.get(f"{NEWS}no-such-post/").status_code == 404

    def test_a_post_scheduled_for_a_time_that_has_passed_is_shown(self, w, client):
        assert client.get(post_url(w.passed)).status_code == 200

    def test_the_text_is_sanitised(self, client):
        post = make_news_post(
            body=(
                "<h2>Programme</h2><p>Come <strong>early</strong>.</p>"
                "<script>alert('script')</script>"
                '<img src="x" onerror="alert(\'img\')">'
                "<p onclick=\"alert('click')\">Click</p>"
                "<a href=\"javascript:alert('js')\">a trap</a>"
                '<a href="https://example.org/" onmouseover="alert(1)">a link</a>'
                '<iframe src="https://evil.example/"></iframe>'
                "<style>body{display:none}</style>"
            )
        )
        stored = NewsPost.objects.get(pk=post.pk).body
        content = text(client.get(post_url(post)))
        for sanitised in (stored, content):
            assert "<script" not in sanitised
            assert "alert(" not in sanitised
            assert "onerror" not in sanitised and "onclick" not in sanitised
            assert "onmouseover" not in sanitised
            assert "javascript:" not in sanitised
            assert "<iframe" not in sanitised and "<style" not in sanitised
        assert "<h2>Programme</h2><p>Come <strong>early</strong>.</p>" in content
        assert 'href="https://example.org/"' in stored
        assert 'rel="noopener noreferrer nofollow"' in stored

    def test_text_saved_again_is_sanitised_again(self, client):
        post = make_news_post(body="<p>Fine</p>")
        NewsPost.objects.filter(pk=post.pk).update(body="<p>Fine</p><script>alert(1)</script>")
        post = NewsPost.objects.get(pk=post.pk)
        post.save()
        assert NewsPost.objects.get(pk=post.pk).body == "<p>Fine</p>"

    def test_plain_text_fields_are_escaped(self, client):
        post = make_news_post(
            title="<b>Bold</b> & <script>alert(1)</script>", lead="<i>lead</i> & more"
        )
        content = text(client.get(post_url(post)))
        assert "<h1>&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in (
            content
        )
        assert "<script>alert(1)</script>" not in content
        assert "<i>lead</i>" not in content

    def test_related_items_are_linked_only_when_published(self, w, client):
        links = related_links(client.get(post_url(w.festival)))
        assert links == [
            (w.centre.get_absolute_url(), w.centre.name),
            (w.project.get_absolute_url(), w.project.title),
            (w.position.get_absolute_url(), w.position.title),
        ]
        content = text(client.get(post_url(w.festival)))
        for hidden in ("Slaptas klubas", "Unfinished project", "Draft position"):
            assert hidden not in content
        for href, _name in links:
            assert client.get(href).status_code == 200

    def test_no_related_box_without_related_items(self, w, client):
        assert 'id="related-heading"' not in text(client.get(post_url(w.youth_camp)))

    def test_no_related_box_when_nothing_related_is_published(self, w, client):
        post = make_news_post(
            organisations=[w.hidden_centre],
            projects=[w.draft_project],
            positions=[w.draft_position],
        )
        assert 'id="related-heading"' not in text(client.get(post_url(post)))

    def test_a_post_in_another_language_is_marked_so(self, w, client):
        content = text(client.get(post_url(w.lithuanian)))
        assert '<article lang="lt">' in content
        assert "<article>" in text(client.get(post_url(w.festival)))

    def test_the_description_is_the_lead_else_the_text_else_the_title(self, client):
        with_lead = make_news_post(lead="The lead.", body="<p>The text.</p>")
        with_text = make_news_post(body="<p>The <em>text</em> &amp; more.</p>")
        bare = make_news_post(title="Only a title")
        assert meta_property(client.get(post_url(with_lead)), "og:description") == "The lead."
        assert (
            meta_property(client.get(post_url(with_text)), "og:description") == "The text & more."
        )
        assert meta_property(client.get(post_url(bare)), "og:description") == "Only a title"


# --- The home page and related news -----------------------------------------------------------


class TestHomePage:
    def test_the_three_latest(self, w, client):
        assert home_news(client.get(HOME)) == newest_first(w.published)[:3]

    def test_no_news_yet(self, client):
        response = client.get(HOME)
        assert home_news(response) == []
        assert "No news has been published yet." in text(response)

    def test_a_new_post_shows_at_once(self, w, client, django_capture_on_commit_callbacks):
        before = home_news(client.get(HOME))  # now cached
        with django_capture_on_commit_callbacks(execute=True):
            make_news_post(title="Fresh news")
        assert home_news(client.get(HOME)) == ["Fresh news", *before[:2]]

    def test_a_post_unpublished_leaves_at_once(self, w, client, django_capture_on_commit_callbacks):
        newest = NewsPost.objects.get(title=home_news(client.get(HOME))[0])
        with django_capture_on_commit_callbacks(execute=True):
            newest.status = NewsPost.Status.DRAFT
            newest.save()
        assert newest.title not in home_news(client.get(HOME))
        assert (
            home_news(client.get(HOME))
            == newest_first(p for p in w.published if p.pk != newest.pk)[:3]
        )

    def test_a_draft_or_a_scheduled_post_does_not_show(
        self, w, client, django_capture_on_commit_callbacks
    ):
        client.get(HOME)
        with django_capture_on_commit_callbacks(execute=True):
            make_news_post(title="New draft", status="draft")
            make_news_post(
                title="Later", status="scheduled", published_at=timezone.now() + timedelta(hours=2)
            )
        assert home_news(client.get(HOME)) == newest_first(w.published)[:3]

    @pytest.mark.parametrize("page", ["home", "profile"])
    def test_a_scheduled_post_shows_once_its_time_has_passed(self, w, client, page):
        NewsPost.objects.filter(pk=w.scheduled.pk).update(
            published_at=timezone.now() + timedelta(seconds=1)
        )
        w.scheduled.organisations.add(w.centre)
        path, shown = {
            "home": (HOME, home_news),
            "profile": (w.centre.get_absolute_url(), related_news_shown),
        }[page]
        assert w.scheduled.title not in shown(client.get(path))  # now cached
        time.sleep(1.1)  # time passes; nothing is written
        assert shown(client.get(path))[0] == w.scheduled.title

    @pytest.mark.parametrize("path", [HOME, NEWS])
    def test_a_post_in_another_language_is_marked_so_in_lists(self, w, client, path):
        content = text(client.get(path))
        item = re.search(
            r'<li class="news-item"[^>]*>(?:(?!</li>).)*Kultūros centrų forumas', content, re.S
        )
        assert item and 'lang="lt"' in item.group()


@pytest.fixture
def related(w):
    """Four posts about the centre, the project and the position (the oldest left out: three
    are shown), a draft and a scheduled one about them too, and a post about something else."""
    about = {"organisations": [w.centre], "projects": [w.project], "positions": [w.position]}
    posts = [
        make_news_post(title=f"Apie juos {n}", published_at=at(2025, 5, 1 + n), **about)
        for n in range(4)
    ]
    make_news_post(title="Draft about them", status="draft", **about)
    make_news_post(
        title="Scheduled about them", status="scheduled",
        published_at=timezone.now() + timedelta(days=2), **about,
    )  # fmt: skip
    make_news_post(title="About something else", organisations=[make_organisation()])
    return posts


RELATED_PAGES = ["centre", "project", "position"]


class TestRelatedNews:
    @pytest.mark.parametrize("name", RELATED_PAGES)
    def test_the_three_latest_related_posts_are_shown(self, w, related, client, name):
        response = client.get(getattr(w, name).get_absolute_url())
        assert response.status_code == 200
        assert related_news_shown(response) == ["Apie juos 3", "Apie juos 2", "Apie juos 1"]
        # The festival is older than these, and so left out.
        assert "Song festival in Kėdainiai" not in related_news_shown(response)

    @pytest.mark.parametrize("name", RELATED_PAGES)
    def test_no_heading_without_published_related_news(self, w, client, name):
        NewsPost.objects.filter(pk=w.festival.pk).delete()
        make_news_post(
            title="Draft about them", status="draft", organisations=[w.centre],
            projects=[w.project], positions=[w.position],
        )  # fmt: skip
        response = client.get(getattr(w, name).get_absolute_url())
        assert response.status_code == 200
        assert "<h2>In the news</h2>" not in text(response)

    @pytest.mark.parametrize("name", RELATED_PAGES)
    def test_a_new_related_post_shows_at_once(
        self, w, related, client, django_capture_on_commit_callbacks, name
    ):
        item = getattr(w, name)
        client.get(item.get_absolute_url())  # now cached
        with django_capture_on_commit_callbacks(execute=True):
            make_news_post(
                title="Fresh news about it",
                **{
                    "centre": {"organisations": [w.centre]},
                    "project": {"projects": [w.project]},
                    "position": {"positions": [w.position]},
                }[name],
            )
        assert related_news_shown(client.get(item.get_absolute_url()))[0] == "Fresh news about it"

    def test_a_relation_added_later_shows_at_once(
        self, w, client, django_capture_on_commit_callbacks
    ):
        post = make_news_post(title="Later related")
        client.get(w.project.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):
            post.projects.add(w.project)
        assert related_news_shown(client.get(w.project.get_absolute_url()))[0] == "Later related"

    def test_the_related_links_lead_to_the_posts(self, w, related, client):
        response = client.get(w.centre.get_absolute_url())
        links = re.findall(
            r'<h3[^>]*><a href="(/en/news/[^"]*)">', section(text(response), "In the news", "</ul>")
        )
        assert links == [post_url(p) for p in reversed(related[1:])]
        for link in links:
            assert client.get(link).status_code == 200

    def test_the_profile_still_costs_8_queries_with_related_news(
        self, client, django_assert_num_queries
    ):
        from tests.members.test_directory import DIRECTORY, populate

        organisations = populate(3)
        for n in range(4):
            make_news_post(title=f"Centre news {n}", organisations=[organisations[1]])
        path = f"{DIRECTORY}org-0/"
        client.get(path)  # the related news are then cached, as the other parts of the profile
        with django_assert_num_queries(8):
            response = client.get(path)
        assert related_news_shown(response) == ["Centre news 3", "Centre news 2", "Centre news 1"]


# --- Feeds ------------------------------------------------------------------------------------


FEEDS = {
    "rss": (RSS, "rss20", "application/rss+xml"),
    "atom": (ATOM, "atom10", "application/atom+xml"),
}


def read_feed(client, name):
    path, version, content_type = FEEDS[name]
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"the feed is not well-formed: {feed.get('bozo_exception')}"
    assert feed.version == version
    return feed


def timestamp(parsed):
    """A feedparser date (a struct_time in UTC) as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def whole_seconds(value):
    return value.astimezone(UTC).replace(microsecond=0)


def reader_text(detail):
    """A feed text as a reader shows it: HTML is rendered to its text."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        return html.unescape(re.sub(r"<[^>]*>", "", detail.value))
    return detail.value


@pytest.mark.parametrize("name", FEEDS)
class TestFeeds:
    def test_the_feed_and_its_title(self, w, client, name):
        feed = read_feed(client, name)
        assert feed.feed.title == f"{AssociationProfile.load().name}: news"
        assert feed.feed.link == "http://testserver/en/news/"

    def test_entries_newest_first_and_nothing_unpublished(self, w, client, name):
        feed = read_feed(client, name)
        assert [entry.title for entry in feed.entries] == newest_first(w.published)
        content = text(client.get(FEEDS[name][0]))
        for post in w.unpublished:
            assert post.title not in content

    def test_each_link_leads_to_the_posts_page(self, w, client, name):
        by_title = {p.title: p for p in w.published}
        feed = read_feed(client, name)
        for entry in feed.entries:
            link = urlsplit(entry.link)
            assert (link.scheme, link.netloc) == ("http", "testserver")
            assert link.path == post_url(by_title[entry.title])
            page = client.get(link.path)
            assert page.status_code == 200
            assert f"<h1>{html.escape(entry.title, quote=False)}</h1>" in text(page)
        ids = [entry.id for entry in feed.entries]
        assert len(set(ids)) == len(ids)

    def test_dates_are_the_posts_publication_times_in_utc(self, w, client, name, settings):
        settings.TIME_ZONE = "Europe/Vilnius"
        by_title = {p.title: p for p in NewsPost.objects.published()}
        for entry in read_feed(client, name).entries:
            post = by_title[entry.title]
            assert timestamp(entry.published_parsed) == whole_seconds(post.published_at)
        entry = next(e for e in read_feed(client, name).entries if e.title == w.festival.title)
        assert timestamp(entry.published_parsed) == at(2024, 6, 1)

    def test_a_lead_with_ampersand_and_angle_brackets_reads_as_typed(self, client, name):
        lead = "Fees < 5 € & a <b>bold</b> claim: <script>alert(1)</script> > 3"
        make_news_post(title="Art & <Culture> of Žemaitija: “quotes” & 'x' > 5 €", lead=lead)
        (entry,) = read_feed(client, name).entries
        assert entry.title == "Art & <Culture> of Žemaitija: “quotes” & 'x' > 5 €"
        assert reader_text(entry.summary_detail) == lead

    def test_topics_are_the_categories(self, w, client, name):
        entry = next(
            e for e in read_feed(client, name).entries if e.title == "Young heritage keepers"
        )
        assert sorted(tag.term for tag in entry.tags) == ["Living heritage", "Youth"]

    def test_at_most_the_30_newest(self, client, name):
        base = at(2023, 1, 1)
        made = [
            make_news_post(title=f"Naujiena {n:02d}", published_at=base + timedelta(days=n))
            for n in range(33)
        ]
        feed = read_feed(client, name)
        assert len(feed.entries) == FEED_SIZE == 30
        assert [entry.title for entry in feed.entries] == newest_first(made)[:30]

    def test_an_empty_feed_is_a_valid_feed(self, client, name):
        make_news_post(title="Only a draft", status="draft")
        assert read_feed(client, name).entries == []


# --- Query counts -----------------------------------------------------------------------------


def populate(size):
    """size published posts about a topic, an organisation, a project and a position each, with
    drafts and a scheduled post beside them."""
    topics = [make_topic(slug="heritage"), make_topic(slug="youth")]
    organisation = make_organisation()
    project = make_project()
    position = make_position(status="published")
    base = at(2024, 1, 1)
    for n in range(size):
        make_news_post(
            title=f"Naujiena {n:02d}", slug=f"post-{n}", published_at=base + timedelta(days=n),
            lead=f"Lead {n}", topics=topics, organisations=[organisation], projects=[project],
            positions=[position],
        )  # fmt: skip
    make_news_post(status="draft", topics=topics)
    make_news_post(status="scheduled", published_at=timezone.now() + timedelta(days=1))


# path, query, queries. The association's profile is kept in each process once loaded; the
# session is none (an anonymous visitor).
NEWS_QUERIES = {
    # topics, the count, the page of posts
    "list": (NEWS, {}, 3),
    "list, page 2": (NEWS, {"page": "2"}, 3),
    "list by topic": (NEWS, {"topic": "heritage"}, 3),
    "list with a bad topic": (NEWS, {"topic": "nope", "page": "x"}, 3),
    # the post; its topics, organisations, projects, positions
    "post": (f"{NEWS}post-0/", {}, 5),
    # the 30 latest posts with their topics
    "rss": (RSS, {}, 2),
    "atom": (ATOM, {}, 2),
    # nothing: the figures and the latest news are cached
    "home": (HOME, {}, 0),
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("name", NEWS_QUERIES)
def test_a_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size, name):
    populate(size)
    path, params, queries = NEWS_QUERIES[name]
    first = client.get(path, params)
    assert first.status_code == 200
    with django_assert_num_queries(queries):
        second = client.get(path, params)
    assert second.content == first.content
    assert queries <= 8


def test_the_pages_measured_show_what_they_should(client):
    populate(30)
    assert len(listed(client.get(NEWS))) == PAGE_SIZE
    assert len(listed(client.get(NEWS, {"topic": "heritage"}))) == PAGE_SIZE
    assert len(related_links(client.get(f"{NEWS}post-0/"))) == 3
    assert len(read_feed(client, "rss").entries) == 30
    assert all(len(entry.tags) == 2 for entry in read_feed(client, "atom").entries)
    assert len(home_news(client.get(HOME))) == 3


# --- The page cache ---------------------------------------------------------------------------


class TestPageCache:
    """Visitors without a session get the news pages from the cache until the news changes."""

    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.PAGE_CACHE_SECONDS = 600

    @pytest.mark.parametrize("path", [NEWS, f"{NEWS}?topic=heritage", "post", RSS, ATOM])
    def test_a_second_visit_costs_no_query(self, w, client, django_assert_num_queries, path):
        path = post_url(w.festival) if path == "post" else path
        first = client.get(path)
        with django_assert_num_queries(0):
            second = client.get(path)
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    def test_a_new_post_changes_the_list_served(
        self, w, client, django_capture_on_commit_callbacks
    ):
        before = listed(client.get(NEWS))
        with django_capture_on_commit_callbacks(execute=True):
            make_news_post(title="Fresh news", topics=[w.heritage])
        assert listed(client.get(NEWS)) == ["Fresh news", *before]
        assert listed(client.get(NEWS, {"topic": "heritage"}))[0] == "Fresh news"
        assert read_feed(client, "atom").entries[0].title == "Fresh news"

    def test_a_post_edited_changes_its_page(self, w, client, django_capture_on_commit_callbacks):
        client.get(post_url(w.festival))
        with django_capture_on_commit_callbacks(execute=True):
            w.festival.title = "Song festival in Kėdainiai, with photos"
            w.festival.save()
        assert "<h1>Song festival in Kėdainiai, with photos</h1>" in text(
            client.get(post_url(w.festival))
        )

    def test_a_scheduled_post_appears_once_its_time_has_passed(self, w, client):
        NewsPost.objects.filter(pk=w.scheduled.pk).update(
            published_at=timezone.now() + timedelta(seconds=1)
        )
        assert w.scheduled.title not in listed(client.get(NEWS))  # now cached
        time.sleep(1.1)  # time passes; nothing is written
        assert listed(client.get(NEWS))[0] == w.scheduled.title

    def test_a_visitor_with_a_session_gets_a_fresh_page(self, w, client):
        client.get(NEWS)
        NewsPost.objects.filter(pk=w.lithuanian.pk).update(title="Changed without a signal")
        assert "Changed without a signal" not in listed(client.get(NEWS))
        client.force_login(make_secretariat_user())
        assert "Changed without a signal" in listed(client.get(NEWS))


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def secretariat_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_secretariat_user())
    return client


def png(size=(2400, 1200), extra=b""):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    image.save(buffer, "PNG", exif=exif.tobytes())
    return SimpleUploadedFile(
        "../our photo.png", buffer.getvalue() + extra, content_type="image/png"
    )


def post_form(**changes):
    data = {
        "title": "Song festival",
        "slug": "song-festival",
        "lead": "Forty choirs came.",
        "body": "<p>It was loud.</p><script>alert(1)</script>",
        "image_alt": "Choirs on the stage of the open-air theatre",
        "status": "published",
        "published_at_0": "2025-06-01",
        "published_at_1": "10:00:00",
        "language": "en",
    }
    return data | changes


def test_the_secretariat_writes_a_post_with_an_image(secretariat_client, settings):
    topic = make_topic(name="Festivals", slug="festivals")
    centre = make_organisation()
    response = secretariat_client.post(
        ADD,
        post_form(
            image=png(extra=b"<script>alert(1)</script>"),
            topics=[topic.pk],
            organisations=[centre.pk],
        ),
    )
    assert response.status_code == 302, warnings(response) or text(response)[:3000]
    post = NewsPost.objects.get(slug="song-festival")
    assert post.body == "<p>It was loud.</p>"
    assert list(post.topics.all()) == [topic]
    assert list(post.organisations.all()) == [centre]
    assert post.published_at == datetime(2025, 6, 1, 10, tzinfo=UTC)
    sizes = {}
    for field in (post.image, post.image_list, post.image_social):
        assert field.name.startswith("news/")
        assert "our photo" not in field.name and ".." not in field.name
        stored = (settings.MEDIA_ROOT / field.name).read_bytes()
        assert b"<script>" not in stored
        image = Image.open(io.BytesIO(stored))
        assert not image.getexif()
        sizes[field.field.name] = image.size
    assert sizes == {"image": (1600, 800), "image_list": (320, 160), "image_social": (1200, 630)}
    assert post.image_list.name.endswith(".png") and post.image_social.name.endswith(".jpg")
    page = text(secretariat_client.get(post_url(post)))
    assert f'<img src="{post.image.url}" alt="Choirs on the stage of the open-air theatre">' in (
        page
    )


def test_the_post_with_an_image_shows_it_in_lists_and_previews(secretariat_client):
    secretariat_client.post(ADD, post_form(image=png()))
    post = NewsPost.objects.get(slug="song-festival")
    visitor = Client()
    assert f'<img src="{post.image_list.url}" alt="" width="160"' in text(visitor.get(NEWS))
    assert meta_property(visitor.get(post_url(post)), "og:image") == (
        f"http://testserver{post.image_social.url}"
    )


def test_an_image_without_its_description_is_refused(secretariat_client):
    response = secretariat_client.post(ADD, post_form(image=png(), image_alt=""))
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in text(response)
    assert not NewsPost.objects.exists()


def test_a_post_without_an_image_needs_no_description(secretariat_client):
    response = secretariat_client.post(ADD, post_form(image_alt=""))
    assert response.status_code == 302
    assert NewsPost.objects.get().image.name == ""


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>"),
        lambda: SimpleUploadedFile("photo.pdf", b"%PDF-1.4 not an image"),
        lambda: SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ],
    ids=["svg-as-png", "pdf", "broken-png"],
)
def test_a_file_that_is_not_an_image_is_refused_with_a_message(secretariat_client, upload):
    response = secretariat_client.post(ADD, post_form(image=upload()))
    assert response.status_code == 200
    assert "The file is not a PNG, JPEG or WebP image." in text(response)
    assert not NewsPost.objects.exists()


def test_a_new_image_replaces_the_old_files(
    secretariat_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(ADD, post_form(image=png()))
    post = NewsPost.objects.get(slug="song-festival")
    old = [post.image.name, post.image_list.name, post.image_social.name]
    assert all((settings.MEDIA_ROOT / name).exists() for name in old)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/admin/association/newspost/{post.pk}/change/",
            post_form(image=png(size=(800, 600)), body="<p>It was loud.</p>"),
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert [name for name in old if (settings.MEDIA_ROOT / name).exists()] == []
    assert Image.open(post.image.path).size == (800, 600)
    assert Image.open(post.image_list.path).size == (320, 240)


def test_clearing_the_image_removes_every_size(
    secretariat_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(ADD, post_form(image=png()))
    post = NewsPost.objects.get(slug="song-festival")
    old = [post.image.name, post.image_list.name, post.image_social.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            f"/admin/association/newspost/{post.pk}/change/",
            post_form(**{"image-clear": "on", "image_alt": ""}),
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.image.name, post.image_list.name, post.image_social.name) == ("", "", "")
    assert [name for name in old if (settings.MEDIA_ROOT / name).exists()] == []
