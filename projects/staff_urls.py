from django.urls import path

from . import staff_views as views

app_name = "projects-staff"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_edit, name="create"),
    path("<slug:slug>/", views.project_edit, name="edit"),
    path("<slug:slug>/media/", views.media, name="media"),
    path(
        "<slug:slug>/media/images/<int:image_id>/delete/", views.image_delete, name="image-delete"
    ),
    path(
        "<slug:slug>/media/documents/<int:document_id>/delete/",
        views.document_delete,
        name="document-delete",
    ),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/delete/", views.delete, name="delete"),
]
