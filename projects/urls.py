from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="index"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("calls/", views.call_list, name="calls"),
    path("calls/archive/", views.call_archive, name="call-archive"),
    path("calls/deadlines.ics", views.calls_calendar, name="calls-ics"),
    path("calls/<slug:slug>/", views.call_detail, name="call"),
    path("<slug:slug>/", views.project_detail, name="detail"),
]
