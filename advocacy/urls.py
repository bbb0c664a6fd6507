from django.urls import path

from association.pagecache import cached_for_visitors

from . import views

app_name = "advocacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("positions/", views.position_list, name="positions"),
    path("positions/feed/", cached_for_visitors(views.PositionFeed()), name="feed"),
    path("positions/<slug:slug>/", views.position_detail, name="position"),
    path("delegations/", views.delegations, name="delegations"),
]
