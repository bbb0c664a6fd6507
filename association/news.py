"""The association's news: the list with a topic filter, a post's page and its feeds."""

import time
import uuid

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Min
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import versioned
from .models import AssociationProfile, NewsPost, Topic
from .pagecache import cached_for_visitors
from .sanitize import plain_text

PAGE_SIZE = 12
FEED_SIZE = 30
RELATED_SIZE = 3
NEWS_VERSION_KEY = "news:version"


def news_version():
    """A random token, as for the directory: cached pages that show news are keyed by it. It
    changes with every change to the news, and when the earliest scheduled post's time (kept
    beside it) has come, since that post then appears with nothing written."""
    state = cache.get(NEWS_VERSION_KEY)
    if state is None or (state["due"] is not None and state["due"] <= time.time()):
        now = timezone.now()
        due = (
            NewsPost.objects.exclude(status=NewsPost.Status.DRAFT)
            .filter(published_at__gt=now)
            .aggregate(due=Min("published_at"))["due"]
        )
        state = {"token": uuid.uuid4().hex, "due": due.timestamp() if due else None}
        cache.set(NEWS_VERSION_KEY, state, timeout=None)
    return state["token"]


def news_changed(**kwargs):
    cache.delete(NEWS_VERSION_KEY)


def latest_news(count=3):
    """The home page's latest posts, cached until the news changes."""
    return versioned.cached(
        "news",
        news_version,
        f"latest:{count}",
        lambda: list(
            NewsPost.objects.published().defer("body").order_by("-published_at", "-id")[:count]
        ),
    )


def related_news(obj):
    """The latest published posts about an organisation, a project or a position (cached until
    the news changes: the pages that show them already spend the queries a page may)."""
    key = f"related:{obj._meta.label_lower}:{obj.pk}"
    return versioned.cached(
        "news",
        news_version,
        key,
        lambda: list(obj.news.published().order_by("-published_at", "-id")[:RELATED_SIZE]),
    )


@cached_for_visitors
def news_list(request):
    posts = NewsPost.objects.published().defer("body")
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    chosen = topics.get(request.GET.get("topic", ""))
    problem = request.GET.get("topic") and chosen is None
    if chosen:
        posts = posts.filter(topics=chosen)
    page = Paginator(posts.order_by("-published_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "association/news_list.html",
        {
            "page": page,
            "posts": page.object_list,
            "topics": topics.values(),
            "chosen": chosen,
            "problem": problem,
        },
    )


@cached_for_visitors
def news_post(request, slug):
    post = get_object_or_404(
        NewsPost.objects.published().prefetch_related(
            "topics", "organisations", "projects", "positions"
        ),
        slug=slug,
    )
    # Only what the public may open is linked.
    related = [
        *(item for item in post.organisations.all() if item.published),
        *(item for item in post.projects.all() if item.published),
        *(item for item in post.positions.all() if item.status == item.Status.PUBLISHED),
    ]
    return render(
        request,
        "association/news_post.html",
        {
            "post": post,
            "related": related,
            "summary": post.lead or plain_text(post.body)[:300] or post.title,
        },
    )


class NewsFeed(Feed):
    """The latest published posts as RSS; AtomNewsFeed gives the same as Atom."""

    feed_type = Rss201rev2Feed
    description = gettext_lazy("The association's news, newest first.")

    def title(self):
        return _("%(name)s: news") % {"name": AssociationProfile.load().name}

    def link(self):
        return reverse("news:list")

    def items(self):
        return (
            NewsPost.objects.published()
            .prefetch_related("topics")
            .order_by("-published_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        # Feeds carry the description as HTML: the lead is plain text.
        return escape(post.lead)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        return [topic.name for topic in post.topics.all()]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
