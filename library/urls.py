from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.library_list, name="list"),
    path("<slug:slug>/", views.library_item, name="item"),
    path("<slug:slug>/file/", views.library_file, name="file"),
]
