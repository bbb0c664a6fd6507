from django.urls import path

from . import partner_views
from . import staff_views as views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/media/", views.media, name="media"),
    path(
        "<slug:slug>/media/photos/<int:photo_id>/delete/", views.photo_delete, name="photo-delete"
    ),
    path("<slug:slug>/units/", views.units, name="units"),
    path("<slug:slug>/move/", views.move, name="move"),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/changes/", views.change_request, name="change-request"),
    path("<slug:slug>/figures/", views.figures, name="figures"),
    path("<slug:slug>/people/", views.people, name="people"),
    path(
        "<slug:slug>/people/invitations/<int:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation-action",
    ),
    path("<slug:slug>/people/roles/<int:role_id>/remove/", views.role_remove, name="role-remove"),
    path("<slug:slug>/partners/", partner_views.staff_partner_list, name="partners"),
    path(
        "<slug:slug>/partners/<int:offer_id>/",
        partner_views.staff_partner_edit,
        name="partner-edit",
    ),
    path(
        "<slug:slug>/partners/<int:offer_id>/delete/",
        partner_views.staff_partner_delete,
        name="partner-delete",
    ),
]
