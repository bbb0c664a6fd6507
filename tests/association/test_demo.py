import html
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.utils import timezone

from association import demo
from association.models import Affiliation, AssociationProfile, SitePage, User

pytestmark = pytest.mark.django_db


def counts():
    return (User.objects.count(), Affiliation.objects.count(), EmailAddress.objects.count())


def test_demo_data_loads_once_however_often_it_runs(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first == (2, 2, 2)
    profile = AssociationProfile.load()
    assert profile.name_lt == "Nacionalinė kultūros centrų asociacija"
    assert all(getattr(profile, f"mission_{code}") for code in ("en", "lt", "sl", "sv"))
    assert SitePage.objects.get(kind="accessibility").body_sv.startswith("\n<p>Nationella")
    secretariat = User.objects.get(email="secretariat@example.org")
    assert secretariat.is_staff and secretariat.groups.filter(name="Secretariat").exists()
    assert secretariat.check_password("demo-secretariat")
    assert "secretariat@example.org / demo-secretariat" in capsys.readouterr().out


def test_demo_accounts_are_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.exists()


def demo_news():
    from association.models import NewsPost

    return NewsPost.objects.filter(slug__in=[spec["slug"] for spec in demo.NEWS])


def test_demo_news_loads_once_with_what_it_relates_to(settings, capsys):
    from association.models import NewsPost

    settings.DEBUG = True
    call_command("seed_demo")
    assert f"{len(demo.NEWS)} news posts added." in capsys.readouterr().out
    first = (
        NewsPost.objects.count(),
        NewsPost.topics.through.objects.count(),
        NewsPost.organisations.through.objects.count(),
        NewsPost.projects.through.objects.count(),
        NewsPost.positions.through.objects.count(),
        sorted(NewsPost.objects.values_list("slug", "published_at", "status")),
    )
    call_command("seed_demo")
    assert "news posts added" not in capsys.readouterr().out
    again = (
        NewsPost.objects.count(),
        NewsPost.topics.through.objects.count(),
        NewsPost.organisations.through.objects.count(),
        NewsPost.projects.through.objects.count(),
        NewsPost.positions.through.objects.count(),
        sorted(NewsPost.objects.values_list("slug", "published_at", "status")),
    )
    assert again == first
    assert 6 <= first[0] == len(demo.NEWS) <= 8
    posts = demo_news()
    now = timezone.now()
    assert posts.filter(status="draft").count() == 1
    assert posts.filter(status="scheduled", published_at__gt=now).count() == 1
    assert posts.published().count() == len(demo.NEWS) - 2
    assert set(posts.values_list("language", flat=True)) == {"en", "lt"}
    assert posts.filter(language="lt").count() >= 2
    # Every relation the demo names was found: nothing was skipped in the full demo.
    for spec in demo.NEWS:
        post = posts.get(slug=spec["slug"])
        assert post.topics.count() == len(spec["topics"]), spec["slug"]
        for relation in ("organisations", "projects", "positions"):
            assert getattr(post, relation).count() == len(spec.get(relation, [])), (
                spec["slug"],
                relation,
            )
        assert post.body.startswith("<p>") and "<script" not in post.body


def test_the_home_page_shows_the_latest_demo_news(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    latest = list(demo_news().published().order_by("-published_at")[:3])
    content = client.get("/en/").content.decode()
    news = content[content.index('id="news-heading"') :]
    assert [post.title for post in latest] == [
        html.unescape(title)
        for title in re.findall(r'<h3[^>]*><a href="/en/news/[^"]*/">([^<]*)</a></h3>', news)[:3]
    ]
    listed = client.get("/en/news/").content.decode()
    for post in demo_news():
        assert (html.escape(post.title) in listed) == (post.status == "published")


def test_demo_news_shows_on_the_pages_it_relates_to(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    for post in demo_news().published():
        page = client.get(post.get_absolute_url())
        assert page.status_code == 200
        for related in [*post.organisations.all(), *post.projects.all(), *post.positions.all()]:
            assert client.get(related.get_absolute_url()).status_code == 200
            assert (
                post.get_absolute_url() in client.get(related.get_absolute_url()).content.decode()
            )


def test_demo_news_loads_without_the_rest_of_the_demo():
    """Without the directory, projects, positions and topics, the posts come without them."""
    assert demo.load_news() == len(demo.NEWS)
    assert demo.load_news() == 0
    posts = demo_news()
    assert posts.count() == len(demo.NEWS)
    assert not posts.filter(organisations__isnull=False).exists()
    assert not posts.filter(topics__isnull=False).exists()


def test_a_scheduled_demo_post_whose_time_passed_is_moved_ahead_again(settings):
    from association.models import NewsPost

    assert demo.load_news()
    scheduled = demo_news().get(status="scheduled")
    NewsPost.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(days=1))
    assert demo.load_news() == 0
    scheduled.refresh_from_db()
    assert scheduled.published_at > timezone.now()
    assert scheduled.status == "scheduled"
