from django.urls import path

from . import registration_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_archive, name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("topics/<slug:slug>/calendar.ics", views.topic_calendar_feed, name="topic-calendar"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/documents/<int:pk>/", views.event_document, name="document"),
    path("<slug:slug>/register/", registration_views.register, name="register"),
    path(
        "<slug:slug>/registered/<str:outcome>/",
        registration_views.registered,
        name="registered",
    ),
    path("registration/<str:token>/cancel/", registration_views.cancel, name="cancel"),
]
