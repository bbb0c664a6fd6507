from django.urls import path

from . import staff_views as views

app_name = "advocacy-staff"

urlpatterns = [
    path("", views.position_list, name="list"),
    path("notifications/", views.notifications, name="notifications"),
    path("<slug:slug>/input/", views.input_page, name="input"),
    path("<slug:slug>/input/<int:input_id>/", views.input_edit, name="input-edit"),
    path("<slug:slug>/input/<int:input_id>/withdraw/", views.input_withdraw, name="input-withdraw"),
    path("<slug:slug>/cosign/", views.cosign, name="cosign"),
    path(
        "<slug:slug>/cosign/<int:endorsement_id>/withdraw/",
        views.cosign_withdraw,
        name="cosign-withdraw",
    ),
]
