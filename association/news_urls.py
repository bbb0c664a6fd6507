from django.urls import path

from . import news
from .pagecache import cached_for_visitors

app_name = "news"

urlpatterns = [
    path("", news.news_list, name="list"),
    path("feed/rss/", cached_for_visitors(news.NewsFeed()), name="rss"),
    path("feed/atom/", cached_for_visitors(news.AtomNewsFeed()), name="atom"),
    path("<slug:slug>/", news.news_post, name="post"),
]
