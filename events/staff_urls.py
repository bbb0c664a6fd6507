from django.urls import path

from . import registration_views

app_name = "events-staff"

urlpatterns = [
    path("", registration_views.proposals, name="list"),
    path("propose/", registration_views.propose, name="propose"),
]
